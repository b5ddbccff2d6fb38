import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../lib/api';
import { errorText, problemsAt } from './error-text';

const invalid = new ApiFailure(
  400,
  'invalid_request',
  'The request is invalid: to: Enter the address to send the test to; contactId: Not a contact',
  [
    { field: 'to', message: 'Enter the address to send the test to' },
    { field: 'contactId', message: 'Not a contact' },
  ],
);

const unpublishable = new ApiFailure(
  422,
  'invalid_flow',
  'This flow cannot be published: Choose a template (and 1 more)',
  [
    { field: 'nodes.send_email_1.config.templateId', message: 'Choose a template' },
    { field: 'nodes.wait_2.config.duration', message: 'Enter how long to wait' },
  ],
);

describe('errorText', () => {
  it('heads a refused request in words and lists each problem once, without field paths', () => {
    expect(errorText(invalid)).toEqual({
      heading: 'Some details need fixing',
      detail: null,
      problems: ['Enter the address to send the test to', 'Not a contact'],
    });
  });

  it('keeps of the message what comes before the problems it restates', () => {
    expect(errorText(unpublishable).heading).toBe('This flow cannot be published');
    expect(errorText(unpublishable).problems).toEqual([
      'Choose a template',
      'Enter how long to wait',
    ]);
  });

  it('names what a problem is about when the page knows', () => {
    const fieldName = (field: string) =>
      field.startsWith('nodes.send_email_1.') ? "Send 'Welcome' — email template" : undefined;
    expect(errorText(unpublishable, { fieldName }).problems).toEqual([
      "Send 'Welcome' — email template: Choose a template",
      'Enter how long to wait',
    ]);
  });

  it('says a refusal about one field once', () => {
    const taken = new ApiFailure(409, 'email_taken', 'ada@x.test belongs to another contact', [
      { field: 'value', message: 'ada@x.test belongs to another contact' },
    ]);
    expect(errorText(taken)).toEqual({
      heading: 'ada@x.test belongs to another contact',
      detail: null,
      problems: [],
    });
  });

  it('leaves out the problems shown beside their field, under the page’s own heading', () => {
    expect(errorText(invalid, { title: 'The test was not sent', shownBeside: ['to'] })).toEqual({
      heading: 'The test was not sent',
      detail: null,
      problems: ['Not a contact'],
    });
  });

  it('leaves out the problems inside a field shown beside it', () => {
    const rule = new ApiFailure(400, 'invalid_request', 'The request is invalid: …', [
      { field: 'rule.conditions.0.value', message: 'Add at least one value' },
      { field: 'ruler', message: 'Not beside the rule' },
    ]);
    expect(errorText(rule, { shownBeside: ['rule'] }).problems).toEqual(['Not beside the rule']);
  });

  it('keeps a message without problems whole, under the page’s heading when it has one', () => {
    const down = new ApiFailure(503, 'mail_server_unavailable', 'The mail server did not answer');
    expect(errorText(down)).toEqual({
      heading: 'The mail server did not answer',
      detail: null,
      problems: [],
    });
    expect(errorText(down, { title: 'The test was not sent' })).toEqual({
      heading: 'The test was not sent',
      detail: 'The mail server did not answer',
      problems: [],
    });
    expect(errorText(new Error('Network down')).heading).toBe('Network down');
  });
});

describe('problemsAt', () => {
  it('picks the problems about one field', () => {
    expect(problemsAt(invalid, 'to')).toEqual([
      { field: 'to', message: 'Enter the address to send the test to' },
    ]);
    expect(problemsAt(null, 'to')).toEqual([]);
  });
});
