import { z } from 'zod';
import type { FormIssueReason } from './form-text';
import type { PageLanguage } from './hosted-pages-language';
import { formText } from './hosted-pages-text';
import { TopicKey } from './template';

export type { FormIssueReason, FormText } from './form-text';
export { formText } from './hosted-pages-text';

const FieldName = z
  .string()
  .trim()
  .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, 'Use letters, digits and _ (start with a letter)');
// Contact property names follow the same rule as field names.
const PropertyName = FieldName;

const fieldBase = {
  name: FieldName,
  label: z.string().trim().min(1, 'Give the field a label').max(200),
  required: z.boolean().default(false),
};

/** One input of a signup form; text, select and checkbox values land in contact properties. */
export const FormField = z.discriminatedUnion('type', [
  // The address of the contact; every form has exactly one.
  z.object({ type: z.literal('email'), ...fieldBase }),
  z.object({
    type: z.literal('text'),
    ...fieldBase,
    property: PropertyName.nullable().default(null),
    multiline: z.boolean().default(false),
    maxLength: z.number().int().min(1).max(10_000).default(500),
  }),
  z.object({
    type: z.literal('select'),
    ...fieldBase,
    property: PropertyName.nullable().default(null),
    options: z
      .array(
        z.object({
          value: z.string().trim().min(1).max(200),
          label: z.string().trim().min(1).max(200),
        }),
      )
      .min(1, 'Add at least one option'),
  }),
  z.object({
    type: z.literal('checkbox'),
    ...fieldBase,
    property: PropertyName.nullable().default(null),
    // Ticking it subscribes to this topic (e.g. "Also send me offers").
    topic: TopicKey.nullable().default(null),
  }),
]);
export type FormField = z.infer<typeof FormField>;

/** A signup form: its fields, what it subscribes to, and how it confirms. */
export const FormDefinition = z
  .object({
    fields: z.array(FormField).min(1, 'Add at least one field'),
    /** Topics every submission subscribes to. */
    topics: z.array(TopicKey).default([]),
    /** Static segment the contact is added to. */
    targetSegmentId: z.string().min(1).nullable().default(null),
    doubleOptIn: z.boolean().default(false),
    /** The email with the confirmation link, required with double opt-in. */
    confirmationTemplateId: z.string().min(1).nullable().default(null),
    /** Sites allowed to post the form from the browser (CORS), e.g. `https://www.acme.test`. */
    allowedOrigins: z
      .array(z.url({ protocol: /^https?$/ }).transform((url) => new URL(url).origin))
      .default([]),
    successMessage: z.string().trim().min(1).max(1000).default('Thanks for signing up!'),
    /** The submit button's words, as written; null: "Subscribe" in the page language. */
    submitLabel: z
      .string()
      .trim()
      .max(60, 'Keep the button label to 60 characters')
      .transform((label) => label || null)
      .nullable()
      .default(null),
    redirectUrl: z
      .url({ protocol: /^https?$/ })
      .nullable()
      .default(null),
    /** A field hidden from people; bots fill it in, and such submissions are dropped. */
    honeypotField: FieldName.default('website'),
  })
  .superRefine((form, ctx) => {
    const emails = form.fields.filter((field) => field.type === 'email').length;
    if (emails !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['fields'],
        message: 'A form has exactly one email field',
      });
    }
    const names = new Set<string>();
    form.fields.forEach((field, index) => {
      if (names.has(field.name) || field.name === form.honeypotField) {
        ctx.addIssue({
          code: 'custom',
          path: ['fields', index, 'name'],
          message: `Another field is already named ${field.name}`,
        });
      }
      names.add(field.name);
    });
    if (form.doubleOptIn && form.confirmationTemplateId === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['confirmationTemplateId'],
        message: 'Double opt-in needs a confirmation email',
      });
    }
  });
export type FormDefinition = z.infer<typeof FormDefinition>;
export type FormDefinitionInput = z.input<typeof FormDefinition>;

/**
 * A field of a submission that was refused: `reason` says why (stable, for scripts), `message`
 * says it in English (what the API has always answered; see localizeFormIssues for the visitor's
 * language).
 */
export interface FormIssue {
  field: string;
  reason: FormIssueReason;
  message: string;
}

/** What a submission amounts to. `spam`: the honeypot was filled; drop it quietly. */
export type FormSubmission =
  | { kind: 'spam' }
  | { kind: 'invalid'; issues: FormIssue[] }
  | {
      kind: 'accepted';
      email: string;
      /** Contact properties to set, by property name. */
      properties: Record<string, string | boolean>;
      /** Topics to subscribe to (pending confirmation with double opt-in). */
      topics: string[];
    };

const CHECKED = new Set(['on', 'true', '1', 'yes']);
const Email = z.email();

/**
 * Reads a submission (form-encoded or JSON, already decoded to an object) against its form.
 * Unknown inputs are ignored; values are trimmed; a field sent twice counts once.
 */
export function readFormSubmission(
  form: FormDefinition,
  input: Record<string, unknown>,
): FormSubmission {
  if (text(input[form.honeypotField]) !== '') return { kind: 'spam' };
  const issues: FormIssue[] = [];
  const refuse = (field: FormField, reason: FormIssueReason) =>
    issues.push({ field: field.name, reason, message: formIssueMessage(field, reason, 'en') });
  const properties: Record<string, string | boolean> = {};
  const topics = new Set(form.topics);
  let email = '';

  for (const field of form.fields) {
    const value = text(input[field.name]);
    switch (field.type) {
      case 'email':
        email = value.toLowerCase();
        if (!Email.safeParse(email).success) {
          refuse(field, value ? 'email_invalid' : 'email_missing');
        }
        break;
      case 'text':
        if (field.required && !value) refuse(field, 'required');
        else if (value.length > field.maxLength) refuse(field, 'too_long');
        else if (value) properties[field.property ?? field.name] = value;
        break;
      case 'select':
        if (!value) {
          if (field.required) refuse(field, 'not_chosen');
        } else if (!field.options.some((option) => option.value === value)) {
          refuse(field, 'not_an_option');
        } else properties[field.property ?? field.name] = value;
        break;
      case 'checkbox': {
        const checked = input[field.name] === true || CHECKED.has(value.toLowerCase());
        if (field.required && !checked) refuse(field, 'not_ticked');
        if (field.property) properties[field.property] = checked;
        if (checked && field.topic) topics.add(field.topic);
        break;
      }
      default:
        field satisfies never;
    }
  }
  return issues.length > 0
    ? { kind: 'invalid', issues }
    : { kind: 'accepted', email, properties, topics: [...topics] };
}

/**
 * What `reason` says about `field` in `language`: the fixed words in that language, the field's
 * label as the marketer wrote it, a length in that language's digits.
 */
export function formIssueMessage(
  field: FormField,
  reason: FormIssueReason,
  language: PageLanguage,
): string {
  const words = formText(language).issues;
  switch (reason) {
    case 'email_missing':
    case 'email_invalid':
      return words[reason];
    case 'too_long': {
      const max = field.type === 'text' ? field.maxLength : 0;
      return words.too_long(field.label, new Intl.NumberFormat(language).format(max));
    }
    case 'required':
    case 'not_chosen':
    case 'not_an_option':
    case 'not_ticked':
    case 'unsavable':
      return words[reason](field.label);
    default:
      return reason satisfies never;
  }
}

/**
 * A refused submission's issues said in `language`, in the same order, for the same fields (an
 * issue naming a field the form no longer has keeps its message).
 */
export function localizeFormIssues(
  form: FormDefinition,
  issues: readonly FormIssue[],
  language: PageLanguage,
): FormIssue[] {
  return issues.map((issue) => {
    const field = form.fields.find((candidate) => candidate.name === issue.field);
    return field ? { ...issue, message: formIssueMessage(field, issue.reason, language) } : issue;
  });
}

function text(value: unknown): string {
  const first = Array.isArray(value) ? (value as unknown[])[0] : value;
  return typeof first === 'string' ? first.trim() : typeof first === 'number' ? String(first) : '';
}
