import { describe, expect, it } from 'vitest';
import { describeLiquidError, htmlLiquid, parseLiquid, plainLiquid } from './liquid';

describe('parseLiquid', () => {
  it.each([
    ['Hi {{ name | upcasee }}', 1, 'Unknown filter "upcasee"'],
    ['line\n{% if x %}\nyes', 2, '{% if x %} is never closed: add {% endif %}'],
    ['a\n\n{{ name | default: "x" ', 3, '{{ name | default: "x" is never closed: add }}'],
    ['{% frobnicate %}', 1, 'Unknown tag {% frobnicate %}'],
    ['ok\n{% endif %}', 2, '{% endif %} has no matching {% if %}'],
    ['{% include "/etc/passwd" %}', 1, 'not available in email templates'],
    ['{% render "footer" %}', 1, 'not available in email templates'],
  ])('explains %j at line %i', (source, line, message) => {
    const parsed = parseLiquid(plainLiquid, source);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem.line).toBe(line);
    expect(parsed.problem.message).toContain(message);
  });

  it('renders missing variables as empty and honours defaults', () => {
    const parsed = parseLiquid(
      plainLiquid,
      '[{{ contact.first_name | default: "there" }}|{{ nope.deep }}]',
    );
    expect(parsed.ok && plainLiquid.renderSync(parsed.program, { contact: {} })).toBe('[there|]');
  });

  it('escapes outputs in HTML unless marked raw', () => {
    const parsed = parseLiquid(htmlLiquid, '{{ v }} {{ v | raw }}');
    expect(parsed.ok && htmlLiquid.renderSync(parsed.program, { v: '<b>&' })).toBe(
      '&lt;b&gt;&amp; <b>&',
    );
  });

  it('does not expose prototype properties', () => {
    const parsed = parseLiquid(plainLiquid, '[{{ contact.constructor }}]');
    expect(parsed.ok && plainLiquid.renderSync(parsed.program, { contact: {} })).toBe('[]');
  });

  it('describes non-Liquid errors by their message', () => {
    expect(describeLiquidError(new Error('boom'))).toEqual({ message: 'boom' });
  });
});

function renderPlain(source: string, scope: Record<string, unknown>): string {
  const parsed = parseLiquid(plainLiquid, source);
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return String(plainLiquid.renderSync(parsed.program, scope));
}

describe('dates in the contact’s zone', () => {
  const newYork = { contact: { timezone: 'America/New_York' } };

  it('writes an instant in the contact’s zone, else the workspace’s', () => {
    const at = { starts_at: '2026-01-18T04:30:00Z' };
    const source = '{{ event.starts_at | date: "%A %H:%M" }}';
    expect(renderPlain(source, { ...newYork, event: at })).toBe('Saturday 23:30');
    expect(
      renderPlain(source, { contact: {}, workspace: { timezone: 'Asia/Tokyo' }, event: at }),
    ).toBe('Sunday 13:30');
    expect(renderPlain(source, { contact: {}, event: at })).toBe('Sunday 04:30');
  });

  it('takes the day of "now" in the contact’s zone', () => {
    const source = '{{ "now" | date: "%Y-%m-%d %H" }}';
    const expected = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'America/New_York',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    }).format(new Date());
    expect(renderPlain(source, newYork)).toBe(expected);
  });

  it('keeps a zone the template names', () => {
    const scope = { ...newYork, event: { at: '2026-01-18T04:30:00Z' } };
    expect(renderPlain('{{ event.at | date: "%H:%M", "Europe/Paris" }}', scope)).toBe('05:30');
  });

  it('reads a date, midnight UTC or a time without offset as written, whatever the server’s zone', () => {
    const previous = process.env.TZ;
    try {
      for (const serverZone of ['Europe/Paris', 'America/Los_Angeles', 'UTC']) {
        process.env.TZ = serverZone;
        for (const birthday of ['1990-05-17', '1990-05-17T00:00:00Z', '1990-05-17 00:00:00']) {
          for (const timezone of ['Pacific/Auckland', 'America/Los_Angeles']) {
            const scope = { contact: { birthday, timezone } };
            expect(renderPlain('{{ contact.birthday | date: "%B %-d" }}', scope)).toBe('May 17');
          }
        }
        const wall = { contact: { at: '2026-06-01T09:15:00', timezone: 'Asia/Tokyo' } };
        expect(renderPlain('{{ contact.at | date: "%H:%M %z" }}', wall)).toBe('09:15 +0900');
      }
    } finally {
      process.env.TZ = previous;
    }
  });
});

describe('data that a filter cannot read', () => {
  it('writes text that is not percent-encoding as it is', () => {
    expect(renderPlain('{{ v | url_decode }}', { v: '50%off' })).toBe('50%off');
    expect(renderPlain('{{ v | url_decode }}', { v: 'a%20b+c' })).toBe('a b c');
    expect(renderPlain('{{ v | base64_decode }}', { v: '%%not base64' })).toBe('%%not base64');
    expect(renderPlain('{{ v | url_encode }}', { v: '\uD800' })).toBe('\uD800');
  });

  it('writes a date in the contact’s zone when the zone given is unknown', () => {
    const scope = { contact: { timezone: 'Europe/Paris' }, event: { at: '2026-01-18T04:30:00Z' } };
    expect(renderPlain('{{ event.at | date: "%H:%M", "CET+1" }}', scope)).toBe('05:30');
    expect(renderPlain('{{ "not a date" | date: "%H:%M" }}', scope)).toBe('not a date');
  });
});

describe('lists and objects', () => {
  it('joins a list with ", " and writes an object’s values', () => {
    const contact = {
      tags: ['vip', 'new'],
      address: { street: '1 rue Haute', city: 'Lyon', postal_code: null, country: 'FR' },
    };
    expect(renderPlain('{{ contact.tags }} | {{ contact.address }}', { contact })).toBe(
      'vip, new | 1 rue Haute, Lyon, FR',
    );
    const html = parseLiquid(htmlLiquid, '{{ contact.tags }}');
    expect(
      html.ok && htmlLiquid.renderSync(html.program, { contact: { tags: ['<b>', 'a&b'] } }),
    ).toBe('&lt;b&gt;, a&amp;b');
    expect(renderPlain('{{ contact.tags | join: "/" }}', { contact })).toBe('vip/new');
  });
});
