import { describe, expect, it } from 'vitest';
import { inspectTemplate } from './check-template';
import { compileTemplate } from './compile-template';
import { MAX_RANGE_LOOP } from './liquid';
import { TemplateError } from './template-issue';
import { marketingTemplate } from './test-fixtures';

const LINK = '<a href="{{ unsubscribe_url }}">Unsubscribe</a>';
const STARS = '{% for i in (1..contact.points) %}*{% endfor %}';

async function renderWith(points: unknown, source = STARS, subject = 'Your points') {
  const compiled = await compileTemplate(
    marketingTemplate({ subject, body: { kind: 'html', source: `<p>${source}</p>${LINK}` } }),
  );
  return compiled.render({ contact: { points }, workspace: {} });
}

async function failureOf(points: unknown, source = STARS, subject?: string) {
  try {
    await renderWith(points, source, subject);
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('the render did not fail');
}

describe('a loop over a range read from data', () => {
  it.each([
    ['a number', 3, '***'],
    ['a number written as text', '4', '****'],
    ['the limit itself', MAX_RANGE_LOOP, '*'.repeat(MAX_RANGE_LOOP)],
    ['nothing (the contact has no such property)', null, ''],
    ['an empty text', '', ''],
    ['zero or less', -5, ''],
  ])('runs for %s', async (_label, points, stars) => {
    expect((await renderWith(points)).html).toContain(`<p>${stars}</p>`);
  });

  it.each([
    ['one past the limit', MAX_RANGE_LOOP + 1, '1,001 times (contact.points is 1001)'],
    ['an amount in cents', 2_500_000, '2,500,000 times (contact.points is 2500000)'],
    ['a huge number', 1e12, '1,000,000,000,000 times (contact.points is 1000000000000)'],
    [
      'a huge number written as text',
      '99999999',
      '99,999,999 times (contact.points is "99999999")',
    ],
  ])('fails the email, not cut short, for %s', async (_label, points, count) => {
    const started = Date.now();
    const error = await failureOf(points);
    expect(Date.now() - started).toBeLessThan(500);
    expect(error.issues).toEqual([
      {
        field: 'body',
        line: 1,
        column: 4,
        message: `{% for i in (1..contact.points) %} would run ${count}, more than the 1,000 times a loop may run, so this contact's email is not sent rather than sent cut short. Cap the value first, e.g. {% assign n = contact.points | at_most: 100 %}`,
      },
    ]);
  });

  it.each([
    ['text', 'lots', '"lots"'],
    ['a yes/no', true, 'true'],
    ['a list', [1, 2], 'a list'],
    ['an object', { total: 3 }, 'an object'],
  ])('fails the email, rather than loop zero times, for %s', async (_label, points, shown) => {
    const error = await failureOf(points);
    expect(error.issues).toEqual([
      {
        field: 'body',
        line: 1,
        column: 4,
        message: `{% for i in (1..contact.points) %} counts up to contact.points, which is ${shown}, not a number, so this contact's email is not sent`,
      },
    ]);
  });

  it('names the field and the lower bound when that is the one read from data', async () => {
    const error = await failureOf(
      -5000,
      'x',
      '{% for i in (contact.points..3) %}{{ i }}{% endfor %}',
    );
    expect(error.issues).toEqual([
      expect.objectContaining({
        field: 'subject',
        message: expect.stringContaining(
          '{% for i in (contact.points..3) %} would run 5,004 times (contact.points is -5000)',
        ) as string,
      }),
    ]);
  });

  it('bounds a tablerow as a for loop', async () => {
    const error = await failureOf(
      5000,
      '{% tablerow i in (1..contact.points) %}{{ i }}{% endtablerow %}',
    );
    expect(error.message).toContain(
      '{% tablerow i in (1..contact.points) %} would run 5,000 times (contact.points is 5000)',
    );
  });

  it('keeps a value capped with at_most', async () => {
    const capped = '{% assign n = contact.points | at_most: 5 %}{% for i in (1..n) %}*{% endfor %}';
    expect((await renderWith(2_500_000, capped)).html).toContain('<p>*****</p>');
  });
});

describe('the template check', () => {
  const template = (source: string) =>
    marketingTemplate({ body: { kind: 'html', source: `<p>${source}</p>${LINK}` } });

  it('refuses a loop over a written range longer than the limit: no contact could get it', async () => {
    const inspection = await inspectTemplate(template('{% for i in (1..5000) %}.{% endfor %}'));
    expect(inspection.issues).toEqual([
      {
        field: 'body',
        line: 1,
        column: 4,
        message:
          '{% for i in (1..5000) %} would run 5,000 times, more than the 1,000 times a loop may run: loop over fewer',
      },
    ]);
  });

  it('warns that a range read from data fails past the limit', async () => {
    const inspection = await inspectTemplate(template(STARS));
    expect(inspection.issues).toEqual([]);
    expect(inspection.warnings).toEqual([
      {
        field: 'body',
        message:
          "{% for i in (1..contact.points) %} runs as many times as the data says: a value over 1,000, or one that is not a number, means that contact's email is not sent. Cap it first, e.g. {% assign n = contact.n | at_most: 50 %}",
      },
    ]);
  });

  it('says that limit: does not cap the range', async () => {
    const source = '{% for i in (1..contact.points) limit: 5 %}*{% endfor %}';
    const inspection = await inspectTemplate(template(source));
    expect(inspection.warnings).toEqual([
      {
        field: 'body',
        message: expect.stringContaining(
          'Cap it first (limit: does not cap it), e.g. {% assign n = contact.n | at_most: 50 %}',
        ) as string,
      },
    ]);
    await expect(renderWith(5000, source)).rejects.toThrow('would run 5,000 times');
  });
});
