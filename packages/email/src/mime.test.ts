import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from './message';
import { composeMime } from './mime';
import { createSmtpProvider } from './providers/smtp';
import { classifySendError } from './send-error';
import { partOf, startTestSmtpServer, type TestSmtpServer } from './test-smtp-server';

const UNSUBSCRIBE =
  '<https://mail.example.com/u/eyJ3IjoidzEiLCJjIjoiYzEiLCJtIjoibTEiLCJ0IjoibmV3c2xldHRlciJ9.' +
  'c2lnbmF0dXJlLW9mLXRoZS10b2tlbi10aGF0LWlzLXJhdGhlci1sb25n>, ' +
  '<mailto:unsubscribe+eyJ3IjoidzEiLCJjIjoiYzEifQ.c2ln@mail.example.com>';

function message(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    messageId: 'm1',
    workspaceId: 'w1',
    internetMessageId: '<0f3a9c1e2b7d4e5f6a7b8c9d0e1f2a3b4c5d6e7f@acme.test>',
    from: { name: 'Acme', address: 'news@acme.test' },
    to: { name: 'Ana', address: 'ana@example.test' },
    replyTo: { name: 'Acme Support', address: 'help@acme.test' },
    subject: 'Your weekly news',
    html: '<h1>Hello Ana</h1>\n<p>Green tea is back.</p>',
    text: 'Hello Ana\n\nGreen tea is back.',
    headers: {
      'X-Relance-Message': 'm1',
      'List-Unsubscribe': UNSUBSCRIBE,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    ...overrides,
  };
}

const DATE = new Date('2026-03-04T05:06:07Z');

async function roundTrip(sent: OutgoingMessage): Promise<{ raw: string; parsed: ParsedMail }> {
  const raw = composeMime(sent, { date: DATE });
  expectWellFormed(raw);
  return { raw, parsed: await simpleParser(raw) };
}

/** Every line CRLF-terminated, ASCII, ≤ 998 octets; header lines ≤ 78 unless one token is longer. */
function expectWellFormed(raw: string) {
  expect(raw.endsWith('\r\n')).toBe(true);
  expect(raw).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
  expect(raw).toMatch(/^[\x20-\x7e\r\n\t]*$/);
  const [head, ...body] = raw.split('\r\n\r\n');
  for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
  for (const line of head!.split('\r\n')) {
    const tokens = line.trim().split(/[ \t]+/);
    // A line may pass 78 only by holding a single unbreakable token after its name.
    if (line.length > 78) expect(tokens.length).toBeLessThanOrEqual(2);
    expect(line).not.toMatch(/^[ \t]*$/);
  }
  for (const line of body.join('\r\n\r\n').split('\r\n')) {
    expect(line.length).toBeLessThanOrEqual(76);
  }
}

function mailbox(address: AddressObject | AddressObject[] | undefined) {
  const value = Array.isArray(address) ? address.flatMap((a) => a.value) : address?.value;
  return value?.map(({ name, address }) => ({ name, address }));
}

function headerValue(parsed: ParsedMail, name: string): string | undefined {
  const line = parsed.headerLines.find((header) => header.key === name.toLowerCase())?.line;
  return line
    ?.slice(line.indexOf(':') + 1)
    .replace(/\r\n(?=[ \t])/g, '')
    .trim();
}

/** What a reader gets back of a text: the same characters, line breaks as LF. */
const lf = (text: string) => text.replace(/\r\n|\r/g, '\n');

function expectSameMessage(parsed: ParsedMail, sent: OutgoingMessage) {
  expect(parsed.subject).toBe(sent.subject);
  expect(mailbox(parsed.from)).toEqual([sent.from]);
  expect(mailbox(parsed.to)).toEqual([sent.to]);
  expect(mailbox(parsed.replyTo)).toEqual(sent.replyTo ? [sent.replyTo] : undefined);
  expect(parsed.messageId).toBe(sent.internetMessageId);
  if (sent.html) expect(parsed.html).toBe(lf(sent.html));
  else expect(parsed.html).toBe(false);
  expect(parsed.text ?? '').toBe(lf(sent.text) || (parsed.text ?? ''));
  for (const [name, value] of Object.entries(sent.headers)) {
    expect(headerValue(parsed, name)).toBe(value);
  }
}

describe('composeMime, read back by mailparser', () => {
  it('writes the headers a receiver relies on and both parts', async () => {
    const sent = message();
    const { raw, parsed } = await roundTrip(sent);
    expectSameMessage(parsed, sent);
    expect(parsed.text).toBe(sent.text);
    expect(parsed.date).toEqual(DATE);
    expect(raw).toMatch(/^Date: Wed, 04 Mar 2026 05:06:07 \+0000\r\n/);
    expect(raw).toContain('\r\nMIME-Version: 1.0\r\n');
    expect(raw).toContain('\r\nFrom: Acme <news@acme.test>\r\n');
    expect(raw).toContain('\r\nReply-To: Acme Support <help@acme.test>\r\n');
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    // text/plain first, so a reader that takes the last alternative it understands shows the html.
    expect(raw.indexOf('Content-Type: text/plain')).toBeLessThan(
      raw.indexOf('Content-Type: text/html'),
    );
  });

  it('keeps every header MailComposer wrote for the same message', async () => {
    const sent = message();
    const composer = new MailComposer({
      from: sent.from,
      to: sent.to,
      replyTo: sent.replyTo ?? undefined,
      subject: sent.subject,
      html: sent.html,
      text: sent.text,
      messageId: sent.internetMessageId,
      headers: sent.headers,
    });
    const theirs = await simpleParser(await composer.compile().build());
    const { parsed: ours } = await roundTrip(sent);
    const names = (parsed: ParsedMail) => parsed.headerLines.map((header) => header.key).sort();
    expect(names(ours)).toEqual(names(theirs));
    for (const header of theirs.headerLines) {
      if (['date', 'content-type'].includes(header.key)) continue;
      expect(headerValue(ours, header.key), header.key).toBe(headerValue(theirs, header.key));
    }
    expect(ours.html).toBe(theirs.html);
    expect(ours.text).toBe(theirs.text);
  });

  it('encodes accents and emoji in the subject and display names', async () => {
    const sent = message({
      subject: 'Été 🌞 — soldes à −50 % 👨‍👩‍👧‍👦 🇫🇷 for José',
      from: { name: 'Café Zoë 😀', address: 'news@acme.test' },
      to: { name: 'Ana Lúcia Müller', address: 'ana@example.test' },
      replyTo: { name: '客服', address: 'help@acme.test' },
    });
    const { parsed } = await roundTrip(sent);
    expectSameMessage(parsed, sent);
  });

  it('never splits a character across encoded words and keeps each word within 75 chars', async () => {
    const subject = `a${'😀'.repeat(120)} é${'ü'.repeat(60)} 中文 ${'𝒜'.repeat(30)}`;
    const { raw, parsed } = await roundTrip(message({ subject }));
    expect(parsed.subject).toBe(subject);
    const words = [...raw.matchAll(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/g)];
    expect(words.length).toBeGreaterThan(10);
    for (const [word, base64] of words) {
      expect(word.length).toBeLessThanOrEqual(75);
      // Each word decodes on its own to whole characters: no U+FFFD from a cut sequence.
      const text = Buffer.from(base64!, 'base64').toString('utf8');
      expect(text).not.toContain('\uFFFD');
      expect(Buffer.from(text, 'utf8').toString('base64')).toBe(base64);
    }
  });

  it('folds a 300-character subject to lines of at most 78', async () => {
    const subject = Array.from({ length: 50 }, (_, i) => `word${i}`)
      .join(' ')
      .padEnd(300, '.')
      .slice(0, 300);
    expect(subject).toHaveLength(300);
    const { raw, parsed } = await roundTrip(message({ subject }));
    expect(parsed.subject).toBe(subject);
    const subjectLines = /\r\nSubject:(.*?)\r\n(?! )/s.exec(raw)![0].trim().split('\r\n');
    expect(subjectLines.length).toBeGreaterThan(3);
    for (const line of subjectLines) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('encodes a subject whose single word no fold could bring under 998 octets', async () => {
    const subject = 'x'.repeat(1500);
    const { parsed } = await roundTrip(message({ subject }));
    expect(parsed.subject).toBe(subject);
  });

  it('quotes display names with quotes, commas and backslashes', async () => {
    const sent = message({
      from: { name: 'Acme, Inc. "News" \\ Deals', address: 'news@acme.test' },
      to: { name: 'Smith, Ana', address: 'ana@example.test' },
      replyTo: { name: '=?UTF-8?B?not-a-word?=', address: 'help@acme.test' },
    });
    const { raw, parsed } = await roundTrip(sent);
    expectSameMessage(parsed, sent);
    expect(raw).toContain('\r\nFrom: "Acme, Inc. \\"News\\" \\\\ Deals" <news@acme.test>\r\n');
    expect(raw).toContain('\r\nTo: "Smith, Ana" <ana@example.test>\r\n');
  });

  it('writes a bare address when the name is empty', async () => {
    const sent = message({ to: { name: '', address: 'ana@example.test' }, replyTo: null });
    const { raw, parsed } = await roundTrip(sent);
    expectSameMessage(parsed, sent);
    expect(raw).toContain('\r\nTo: <ana@example.test>\r\n');
    expect(raw).not.toContain('Reply-To');
  });

  it('carries html with very long lines, dots and "From " at line starts, mixed line breaks', async () => {
    const sent = message({
      html: `<p>${'long words and <b>tags</b> '.repeat(400)}</p>\n.\n.hidden\r\nFrom the team\n-- \n`,
      text: 'First\r\nSecond\nThird\r\n.\r\nFrom me\n\n--=_relance_0\r\nend',
    });
    const { raw, parsed } = await roundTrip(sent);
    expectSameMessage(parsed, sent);
    expect(parsed.text).toBe(lf(sent.text));
    // Text goes in canonical form (RFC 2045): every line break CRLF before it is encoded. (partOf
    // keeps the line break that belongs to the boundary.)
    expect(partOf(raw, 'text/plain')).toBe(`${lf(sent.text).replace(/\n/g, '\r\n')}\r\n`);
    expect(partOf(raw, 'text/html')).toBe(`${lf(sent.html).replace(/\n/g, '\r\n')}\r\n`);
  });

  it('sends an html-only message when the text is empty, and a text-only one without html', async () => {
    const htmlOnly = message({ text: '' });
    const { raw, parsed } = await roundTrip(htmlOnly);
    expectSameMessage(parsed, htmlOnly);
    expect(raw).not.toContain('multipart');
    expect(raw).toContain('\r\nContent-Type: text/html; charset=utf-8\r\n');

    const textOnly = message({ html: '' });
    const text = await roundTrip(textOnly);
    expectSameMessage(text.parsed, textOnly);
    expect(text.parsed.text).toBe(textOnly.text);
    expect(text.raw).not.toContain('multipart');
  });

  it('writes quoted-printable that keeps "=", trailing spaces and tabs, and escapes "From "', async () => {
    const sent = message({
      html: `<a href="https://shop.test/?a=1&amp;b=2" style="color:#333">Shop</a>   \n${'x'.repeat(74)}=y\n`,
      text: 'Regards, \n-- \nAna\t\nFrom the team\nsee From here\n=3D is not an escape\n',
    });
    const { raw, parsed } = await roundTrip(sent);
    expectSameMessage(parsed, sent);
    expect(parsed.text).toBe(sent.text);
    expect(raw.match(/Content-Transfer-Encoding: quoted-printable/g)).toHaveLength(2);
    expect(raw).toContain('\r\n=46rom the team\r\n');
    expect(raw).not.toMatch(/\r\nFrom /);
    expect(raw).not.toMatch(/[ \t]\r\n/);
  });

  it('ends a single quoted-printable part exactly where its text ends, line break or not', async () => {
    for (const text of ['No line break at the end', 'One at the end\n', 'Two\n\n']) {
      const sent = message({ html: '', text });
      const { parsed } = await roundTrip(sent);
      expect(parsed.text).toBe(text);
    }
  });

  it('uses base64 for text mostly in other scripts, where quoted-printable would be longer', async () => {
    const sent = message({
      subject: 'Новости недели',
      text: 'Привет, Аня! Это новости недели: 新茶が入荷しました。\n'.repeat(20),
      html: '<p>Hi Ana, the tea is back.</p>',
    });
    const { raw, parsed } = await roundTrip(sent);
    expectSameMessage(parsed, sent);
    expect(parsed.text).toBe(sent.text);
    expect(raw).toMatch(/text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n/);
    expect(raw).toMatch(/text\/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable/);
  });

  it('writes an internationalised List-Unsubscribe host as punycode, the path percent-encoded', async () => {
    const sent = message({
      headers: {
        'List-Unsubscribe': '<https://courriel.café.example/u/tok-é>, <mailto:u+tok@café.example>',
      },
    });
    const { parsed } = await roundTrip(sent);
    expect(headerValue(parsed, 'List-Unsubscribe')).toBe(
      '<https://courriel.xn--caf-dma.example/u/tok-%C3%A9>, <mailto:u+tok@caf%C3%A9.example>',
    );
  });

  it('encodes a non-ASCII value of another custom header as encoded words', async () => {
    const sent = message({ headers: { 'X-Campaign': 'Soldes d’été 🌞' } });
    const { parsed } = await roundTrip(sent);
    // mailparser leaves headers it does not know as written: decode the words here.
    const words = headerValue(parsed, 'X-Campaign')!.split(' ');
    const decoded = words.map((word) => /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/.exec(word)![1]!);
    expect(Buffer.concat(decoded.map((base64) => Buffer.from(base64, 'base64'))).toString()).toBe(
      'Soldes d’été 🌞',
    );
  });

  it('cannot be made to carry an extra header through a line break in a value', async () => {
    const sent = message({
      subject: 'Hi\r\nBcc: victim@example.test',
      to: { name: 'Ana\r\nBcc: victim@example.test', address: 'ana@example.test' },
      headers: { 'X-Relance-Message': 'm1\r\nBcc: victim@example.test\n\n<p>body</p>' },
    });
    const { raw, parsed } = await roundTrip(sent);
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.subject).toBe('Hi Bcc: victim@example.test');
    expect(headerValue(parsed, 'X-Relance-Message')).toBe(
      'm1 Bcc: victim@example.test  <p>body</p>',
    );
    expect(raw).not.toMatch(/\r\nBcc:/i);
    expect(parsed.html).toBe(lf(sent.html));
  });

  it('refuses an invalid header name and headers the message writes itself', () => {
    expect(() => composeMime(message({ headers: { 'X-Bad Name': 'x' } }))).toThrow(
      'The header name "X-Bad Name" is invalid',
    );
    expect(() => composeMime(message({ headers: { 'X-A:B': 'x' } }))).toThrow('is invalid');
    expect(() => composeMime(message({ headers: { 'Message-ID': '<x@y>' } }))).toThrow(
      'The Message-ID header is written by the message itself',
    );
    expect(() => composeMime(message({ headers: { bcc: 'x@y.test' } }))).toThrow('itself');
    // Sending it again would fail the same way: the send is given up, not retried.
    const error = (() => {
      try {
        composeMime(message({ headers: { 'X-Bad Name': 'x' } }));
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(classifySendError(error)).toMatchObject({ kind: 'permanent', hardBounce: false });
    expect(() => composeMime(message({ internetMessageId: '<a@b>\r\nBcc: x@y.test' }))).toThrow(
      'is not an ASCII <id@domain>',
    );
  });

  it('writes an internationalised domain as punycode and refuses a non-ASCII local part', async () => {
    const sent = message({ to: { name: 'Zoë', address: 'zoe@café.example' } });
    const { raw, parsed } = await roundTrip(sent);
    expect(raw).toContain('<zoe@xn--caf-dma.example>\r\n');
    // mailparser shows the domain decoded again.
    expect(mailbox(parsed.to)).toEqual([sent.to]);
    let refused: unknown;
    try {
      composeMime(message({ to: { name: '', address: 'zoë@example.test' } }));
    } catch (error) {
      refused = error;
    }
    expect(String(refused)).toContain(
      "The address zoë@example.test cannot be mailed: the part before the @ has accented or non-Latin letters, which the mail server is not asked to accept (SMTPUTF8). Correct the contact's address.",
    );
    // Failed once, not retried: every attempt would be refused the same way.
    expect(classifySendError(refused)).toMatchObject({ kind: 'permanent', hardBounce: false });
  });

  it('uses a fresh boundary for each message', () => {
    const boundary = (raw: string) => /boundary="([^"]+)"/.exec(raw)![1];
    expect(boundary(composeMime(message()))).not.toBe(boundary(composeMime(message())));
  });
});

let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('composeMime through a real SMTP server', () => {
  it('arrives intact: envelope of the bare addresses, dot-stuffing undone, every field equal', async () => {
    server = await startTestSmtpServer();
    const provider = createSmtpProvider({ smtpUrl: `smtp://127.0.0.1:${server.port}` });
    const sent = message({
      subject: 'Été 🌞 at Café "Zoë"',
      from: { name: 'Café, "Zoë"', address: 'news@acme.test' },
      html: '<p>Hi</p>\n.\n..two dots\nFrom the team',
      text: '.\r\n.leading dot\nFrom the team\n',
    });
    const result = await provider.send(sent);
    await provider.close();
    expect(result).toMatchObject({ accepted: true, providerMessageId: sent.internetMessageId });
    expect(server.received).toHaveLength(1);
    const mail = server.received[0]!;
    expect(mail).toMatchObject({ from: 'news@acme.test', to: ['ana@example.test'] });
    expectWellFormed(mail.raw);
    const parsed = await simpleParser(mail.raw);
    expectSameMessage(parsed, sent);
    expect(parsed.text).toBe(lf(sent.text));
  });
});
