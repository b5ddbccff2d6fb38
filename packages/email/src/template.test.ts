import { describe, expect, it } from 'vitest';
import { Template } from './template';
import { marketingTemplate } from './test-fixtures';

describe('Template', () => {
  it('fills defaults and normalises addresses', () => {
    const template = marketingTemplate({ from: { name: 'Acme', address: ' News@ACME.test ' } });
    expect(template.from.address).toBe('news@acme.test');
    expect(template.replyTo).toBeNull();
    expect(template.text).toBeNull();
  });

  it('requires a topic on marketing email, not on transactional', () => {
    const base = {
      name: 'Receipt',
      from: { address: 'shop@acme.test' },
      subject: 'Your receipt',
      body: { kind: 'html', source: '<p>Thanks</p>' },
    } as const;
    const marketing = Template.safeParse({ ...base, kind: 'marketing' });
    expect(marketing.success).toBe(false);
    expect(marketing.error?.issues[0]?.path).toEqual(['topic']);
    expect(Template.safeParse({ ...base, kind: 'transactional' }).success).toBe(true);
  });

  it.each([
    ['an invalid from address', { from: { address: 'nope' } }, ['from', 'address']],
    ['an empty body', { body: { kind: 'mjml', source: '' } }, ['body', 'source']],
    ['an unknown body kind', { body: { kind: 'markdown', source: '# hi' } }, ['body', 'kind']],
    ['a topic with spaces', { topic: 'big news' }, ['topic']],
  ])('rejects %s', (_label, override, path) => {
    const result = Template.safeParse({ ...marketingTemplate(), ...override });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
  });
});
