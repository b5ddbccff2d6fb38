import { describe, expect, it } from 'vitest';
import { internetMessageId, listUnsubscribeHeaders } from './headers';

describe('internetMessageId', () => {
  it('is the same for the same workspace and key, on the sending domain', () => {
    const id = internetMessageId('w1', 'run:j:c:n1:1', 'News@Acme.TEST');
    expect(id).toMatch(/^<[0-9a-f]{40}@acme\.test>$/);
    expect(internetMessageId('w1', 'run:j:c:n1:1', 'other@acme.test')).toBe(id);
  });

  it('differs across keys and across workspaces', () => {
    const id = internetMessageId('w1', 'k', 'a@acme.test');
    expect(internetMessageId('w1', 'k2', 'a@acme.test')).not.toBe(id);
    expect(internetMessageId('w2', 'k', 'a@acme.test')).not.toBe(id);
  });
});

describe('listUnsubscribeHeaders', () => {
  it('offers one-click HTTPS first and mailto second (RFC 2369, RFC 8058)', () => {
    expect(listUnsubscribeHeaders('https://m.test/u/t', 'mailto:u@m.test?subject=x')).toEqual({
      'List-Unsubscribe': '<https://m.test/u/t>, <mailto:u@m.test?subject=x>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });
});
