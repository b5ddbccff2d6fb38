import type { FormBody, SignupForm } from './form-api';

// A signup form as the editor holds it: every input as typed (lists as lines, "none" as ''),
// turned into the API's definition only when saved.

export type FieldType = 'email' | 'text' | 'select' | 'checkbox';

export interface FieldDraft {
  type: FieldType;
  /** The input's name in the posted form; sites embedding the snippet depend on it. */
  name: string;
  /** True until the form is saved: the name follows the property or label as they are typed. */
  autoName: boolean;
  label: string;
  required: boolean;
  /** Contact property the value lands in; '' for the field's own name. */
  property: string;
  multiline: boolean;
  maxLength: number;
  /** Select options, one label per line. */
  options: string;
  /** The saved options, so a label that stays keeps its value. */
  savedOptions: { value: string; label: string }[];
  /** Checkbox: the topic ticking it subscribes to; '' for none. */
  topic: string;
}

export interface FormDraft {
  name: string;
  fields: FieldDraft[];
  topics: string[];
  targetSegmentId: string;
  doubleOptIn: boolean;
  confirmationTemplateId: string;
  /** One site per line. */
  allowedOrigins: string;
  successMessage: string;
  redirectUrl: string;
  honeypotField: string;
  /** The submit button's words; '' for "Subscribe" in the workspace's page language. */
  submitLabel: string;
}

/** `First name` → `first_name`: an input name the API accepts (a letter first, then [a-z0-9_]). */
export function inputNameOf(text: string): string {
  const name = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 63);
  return name || 'field';
}

export function newField(type: FieldType, label = ''): FieldDraft {
  return {
    type,
    name: type === 'email' ? 'email' : inputNameOf(label),
    autoName: true,
    label,
    required: type === 'email',
    property: '',
    multiline: false,
    maxLength: 500,
    options: '',
    savedOptions: [],
    topic: '',
  };
}

/** A field after an edit: an unsaved field's name follows its property, else its label. */
export function withAutoName(field: FieldDraft): FieldDraft {
  if (!field.autoName || field.type === 'email') return field;
  return { ...field, name: inputNameOf(field.property || field.label) };
}

export function starterDraft(): FormDraft {
  return {
    name: '',
    fields: [
      { ...newField('email', 'Email'), autoName: false },
      withAutoName({ ...newField('text', 'First name'), property: 'first_name' }),
    ],
    topics: [],
    targetSegmentId: '',
    doubleOptIn: false,
    confirmationTemplateId: '',
    allowedOrigins: '',
    successMessage: 'Thanks for signing up!',
    redirectUrl: '',
    honeypotField: 'website',
    submitLabel: '',
  };
}

type SavedField = SignupForm['definition']['fields'][number];

function fieldDraftOf(field: SavedField): FieldDraft {
  const base = { ...newField(field.type, field.label), name: field.name, autoName: false };
  switch (field.type) {
    case 'email':
      return { ...base, required: field.required };
    case 'text':
      return {
        ...base,
        required: field.required,
        property: field.property ?? '',
        multiline: field.multiline,
        maxLength: field.maxLength,
      };
    case 'select':
      return {
        ...base,
        required: field.required,
        property: field.property ?? '',
        options: field.options.map((o) => o.label).join('\n'),
        savedOptions: field.options,
      };
    case 'checkbox':
      return {
        ...base,
        required: field.required,
        property: field.property ?? '',
        topic: field.topic ?? '',
      };
    default:
      return field satisfies never;
  }
}

export function draftOf(form: SignupForm): FormDraft {
  const d = form.definition;
  return {
    name: form.name,
    fields: d.fields.map(fieldDraftOf),
    topics: d.topics,
    targetSegmentId: d.targetSegmentId ?? '',
    doubleOptIn: d.doubleOptIn,
    confirmationTemplateId: d.confirmationTemplateId ?? '',
    allowedOrigins: d.allowedOrigins.join('\n'),
    successMessage: d.successMessage,
    redirectUrl: d.redirectUrl ?? '',
    honeypotField: d.honeypotField,
    submitLabel: d.submitLabel ?? '',
  };
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

function optionsOf(field: FieldDraft): { value: string; label: string }[] {
  return lines(field.options).map(
    (label) => field.savedOptions.find((o) => o.label === label) ?? { value: label, label },
  );
}

type FieldBody = FormBody['definition']['fields'][number];

function fieldBodyOf(field: FieldDraft): FieldBody {
  const base = { name: field.name, label: field.label, required: field.required };
  const property = field.property.trim() || null;
  switch (field.type) {
    case 'email':
      return { type: 'email', ...base };
    case 'text':
      return {
        type: 'text',
        ...base,
        property,
        multiline: field.multiline,
        maxLength: field.maxLength,
      };
    case 'select':
      return { type: 'select', ...base, property, options: optionsOf(field) };
    case 'checkbox':
      return { type: 'checkbox', ...base, property, topic: field.topic || null };
    default:
      return field.type satisfies never;
  }
}

/** The body of POST and PUT /api/forms. */
export function bodyOf(draft: FormDraft): FormBody {
  return {
    name: draft.name,
    definition: {
      fields: draft.fields.map(fieldBodyOf),
      topics: draft.topics,
      targetSegmentId: draft.targetSegmentId || null,
      doubleOptIn: draft.doubleOptIn,
      confirmationTemplateId: draft.confirmationTemplateId || null,
      allowedOrigins: lines(draft.allowedOrigins),
      successMessage: draft.successMessage,
      redirectUrl: draft.redirectUrl.trim() || null,
      honeypotField: draft.honeypotField,
      submitLabel: draft.submitLabel.trim() || null,
    },
  };
}
