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
