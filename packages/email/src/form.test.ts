import { describe, expect, it } from 'vitest';
import { FormDefinition, readFormSubmission, type FormDefinitionInput } from './form';
import { renderFormPage, renderFormSnippet } from './form-html';

const INTEREST_FORM: FormDefinitionInput = {
  fields: [
    { type: 'email', name: 'email', label: 'Email' },
    { type: 'text', name: 'first_name', label: 'First name', maxLength: 20 },
    {
      type: 'select',
      name: 'interest',
      label: 'Interest',
      required: true,
      options: [
        { value: 'tea', label: 'Tea' },
        { value: 'coffee', label: 'Coffee' },
      ],
    },
    { type: 'checkbox', name: 'offers', label: 'Also send me offers', topic: 'offers' },
    {
      type: 'checkbox',
      name: 'terms',
      label: 'I accept the terms',
      required: true,
      property: 'accepted_terms',
    },
  ],
  topics: ['newsletter'],
};
const form = FormDefinition.parse(INTEREST_FORM);

describe('FormDefinition', () => {
  it('fills defaults', () => {
    expect(form).toMatchObject({
      doubleOptIn: false,
      honeypotField: 'website',
      allowedOrigins: [],
      redirectUrl: null,
    });
  });

  it('keeps only the origin of allowed sites', () => {
    const parsed = FormDefinition.parse({
      ...INTEREST_FORM,
      allowedOrigins: ['https://www.acme.test/signup?x=1'],
    });
    expect(parsed.allowedOrigins).toEqual(['https://www.acme.test']);
  });

  it.each<[string, Partial<FormDefinitionInput>, (string | number)[]]>([
    ['no email field', { fields: [{ type: 'text', name: 'a', label: 'A' }] }, ['fields']],
    [
      'two fields with one name',
      {
        fields: [
          { type: 'email', name: 'email', label: 'E' },
          { type: 'text', name: 'email', label: 'T' },
        ],
      },
      ['fields', 1, 'name'],
    ],
    [
      'a field named like the honeypot',
      {
        fields: [
          { type: 'email', name: 'email', label: 'E' },
          { type: 'text', name: 'website', label: 'W' },
        ],
      },
      ['fields', 1, 'name'],
    ],
    [
      'double opt-in without a confirmation email',
      { doubleOptIn: true },
      ['confirmationTemplateId'],
    ],
    [
      'a select without options',
      {
        fields: [
          { type: 'email', name: 'e', label: 'E' },
          { type: 'select', name: 's', label: 'S', options: [] },
        ],
      },
      ['fields', 1, 'options'],
    ],
    ['a non-http redirect', { redirectUrl: 'javascript:alert(1)' }, ['redirectUrl']],
  ])('refuses %s', (_label, override, path) => {
    const result = FormDefinition.safeParse({ ...INTEREST_FORM, ...override });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
  });
});

describe('readFormSubmission', () => {
  it('maps fields to contact properties and topics', () => {
    expect(
      readFormSubmission(form, {
        email: ' Ana@Example.TEST ',
        first_name: ' Ana ',
        interest: 'tea',
        offers: 'on',
        terms: 'true',
        unknown: 'ignored',
      }),
    ).toEqual({
      kind: 'accepted',
      email: 'ana@example.test',
      properties: { first_name: 'Ana', interest: 'tea', accepted_terms: true },
      topics: ['newsletter', 'offers'],
    });
  });

  it('accepts JSON booleans and repeated form values', () => {
    expect(
      readFormSubmission(form, {
        email: ['a@b.test', 'c@d.test'],
        interest: 'coffee',
        terms: true,
      }),
    ).toMatchObject({
      kind: 'accepted',
      email: 'a@b.test',
      topics: ['newsletter'],
    });
  });

  it('drops a submission whose honeypot was filled', () => {
    expect(
      readFormSubmission(form, {
        email: 'bot@spam.test',
        website: 'http://spam.test',
        interest: 'tea',
        terms: 'on',
      }),
    ).toEqual({ kind: 'spam' });
  });

  it('names every field that is wrong', () => {
    expect(
      readFormSubmission(form, { email: 'nope', first_name: 'x'.repeat(21), interest: 'wine' }),
    ).toEqual({
      kind: 'invalid',
      issues: [
        { field: 'email', reason: 'email_invalid', message: 'Enter a valid email address' },
        {
          field: 'first_name',
          reason: 'too_long',
          message: 'First name is too long (at most 20 characters)',
        },
        {
          field: 'interest',
          reason: 'not_an_option',
          message: 'Choose one of the options for Interest',
        },
        { field: 'terms', reason: 'not_ticked', message: 'I accept the terms must be ticked' },
      ],
    });
    expect(readFormSubmission(form, {})).toMatchObject({
      kind: 'invalid',
      issues: [
        { field: 'email', reason: 'email_missing', message: 'Enter your email address' },
        { field: 'interest', reason: 'not_chosen', message: 'Choose Interest' },
        { field: 'terms', reason: 'not_ticked' },
      ],
    });
  });
});

describe('renderFormSnippet', () => {
  const snippet = renderFormSnippet(form, { actionUrl: 'https://mail.acme.test/f/123?a=1&b=2' });

  it('posts to the form endpoint with one input per field', () => {
    expect(snippet).toContain(
      '<form class="relance-form" method="post" action="https://mail.acme.test/f/123?a=1&amp;b=2"',
    );
    for (const name of ['email', 'first_name', 'interest', 'offers', 'terms'])
      expect(snippet).toContain(`name="${name}"`);
    expect(snippet).toContain(
      '<input id="relance-email" type="email" name="email" autocomplete="email" required>',
    );
    expect(snippet).toContain('<option value="tea">Tea</option>');
  });

  it('hides the honeypot from people and assistive technology', () => {
    expect(snippet).toMatch(
      /<div style="position:absolute;left:-10000px" aria-hidden="true"><input type="text" name="website" tabindex="-1" autocomplete="off"/,
    );
  });

  it('escapes labels and options', () => {
    const tricky = FormDefinition.parse({
      fields: [{ type: 'email', name: 'email', label: '<script>x</script>' }],
    });
    expect(renderFormSnippet(tricky, { actionUrl: '/f/1' })).not.toContain('<script>');
  });

  it('wraps the snippet in a hosted page', () => {
    const page = renderFormPage(form, { actionUrl: '/f/1', title: 'Join & save' });
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<title>Join &amp; save</title>');
    expect(page).toContain('<form class="relance-form"');
  });
});
