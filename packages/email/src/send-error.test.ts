import { describe, expect, it } from 'vitest';
import { classifySendError, HandedOverError } from './send-error';

const smtp = (responseCode: number, response: string, code = 'EENVELOPE') =>
  Object.assign(new Error(`Can't send mail: ${response}`), { code, responseCode, response });

describe('classifySendError', () => {
  it.each([
    [
      '421 service closing',
      smtp(421, '421 4.7.0 Try again later, closing connection'),
      'throttled',
    ],
    ['451 rate limited', smtp(451, '451 4.7.1 Rate limited, please slow down'), 'throttled'],
    ['452 too many recipients', smtp(452, '452 4.5.3 Too many recipients'), 'throttled'],
    [
      '450 mailbox rate',
      smtp(
        450,
        '450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages',
      ),
      'throttled',
    ],
    ['450 greylisting', smtp(450, '450 4.2.0 Recipient address rejected: Greylisted'), 'temporary'],
    ['451 local error', smtp(451, '451 4.3.0 Local error in processing'), 'temporary'],
    ['452 mailbox full', smtp(452, '452 4.2.2 Mailbox full'), 'temporary'],
    ['503 bad sequence', smtp(503, '503 5.5.1 Bad sequence of commands'), 'temporary'],
    [
      'a lost connection',
      Object.assign(new Error('Connection closed'), { code: 'ECONNECTION' }),
      'temporary',
    ],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }),
      'temporary',
    ],
    ['a timeout', Object.assign(new Error('Timeout'), { code: 'ETIMEDOUT' }), 'temporary'],
    [
      'DNS failure',
      Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'EDNS' }),
      'temporary',
    ],
    ['refused credentials', smtp(535, '535 5.7.8 Authentication failed', 'EAUTH'), 'temporary'],
    ['an unknown thrown value', 'boom', 'temporary'],
    [
      'a connection lost after the message went out',
      new HandedOverError(Object.assign(new Error('Connection closed'), { code: 'ECONNECTION' })),
      'handed-over',
    ],
  ])('%s → %s', (_label, error, kind) => {
    expect(classifySendError(error).kind).toBe(kind);
  });

  it.each([
    [
      '550 5.1.1 user unknown',
      smtp(550, '550 5.1.1 <x@y.test>: Recipient address rejected: User unknown'),
      true,
    ],
    ['553 5.1.3 bad syntax', smtp(553, '553 5.1.3 Invalid address syntax'), true],
    ['556 5.1.10 null MX', smtp(556, '556 5.1.10 Recipient address has null MX'), true],
    ['550 without enhanced code, "no such user"', smtp(550, '550 No such user here'), true],
    ['550 5.7.1 policy rejection', smtp(550, '550 5.7.1 Message rejected as spam'), false],
    ['552 5.2.2 mailbox full', smtp(552, '552 5.2.2 Mailbox full'), false],
    ['554 transaction failed', smtp(554, '554 Transaction failed'), false],
    ['a message error', Object.assign(new Error('bad message'), { code: 'EMESSAGE' }), false],
  ])('%s is permanent, hard bounce: %s', (_label, error, hardBounce) => {
    const result = classifySendError(error);
    expect(result).toMatchObject({ kind: 'permanent', hardBounce });
  });

  it('keeps the SMTP code, the enhanced code and the server words', () => {
    expect(classifySendError(smtp(550, '550 5.1.1 User unknown'))).toEqual({
      kind: 'permanent',
      hardBounce: true,
      smtpCode: 550,
      enhancedCode: '5.1.1',
      message: '550 5.1.1 User unknown',
    });
  });
});
