import { api, call, read, requestJson } from '../lib/api';

const templates = api.api.templates;

export type EmailTemplate = Awaited<ReturnType<typeof templatesApi.get>>;
export type TemplateSummary = Awaited<ReturnType<typeof templatesApi.list>>['templates'][number];
export type TemplatePreview = Awaited<ReturnType<typeof templatesApi.preview>>;
/** A problem with a template draft: the field, and the line in the body when there is one. */
export interface TemplateIssue {
  field: string;
  message: string;
  line?: number;
}
export type TemplateReport = Awaited<ReturnType<typeof templatesApi.report>>;
export type Topic = Awaited<ReturnType<typeof templatesApi.topics>>['topics'][number];
export type PreviewEvent = Awaited<ReturnType<typeof templatesApi.previewEvents>>['events'][number];

/** A template as the editor holds it (the body of POST and PUT). */
export interface TemplateDraft {
  name: string;
  kind: 'marketing' | 'transactional';
  topic: string | null;
  from: { name: string; address: string };
  replyTo: { name: string; address: string } | null;
  subject: string;
  preheader: string;
  body: { kind: 'mjml' | 'html'; source: string };
  text: string | null;
}

export const templateKeys = {
  all: ['templates'] as const,
  one: (id: string) => ['templates', id] as const,
  preview: (id: string, contactId: string, eventId: string | null, version: number) =>
    ['templates', id, 'preview', contactId, eventId, version] as const,
  /** The events a template can be previewed with as this contact (of a name, holding words). */
  previewEvents: (contactId: string, name: string | null, search: string | null) =>
    ['templates', 'preview-events', contactId, name, search] as const,
  /** Every template's numbers over the last `days` days. */
  performance: (days: number) => ['templates', 'performance', days] as const,
  report: (id: string, days: number) => ['templates', id, 'performance', days] as const,
  topics: ['topics'] as const,
  /** The message log, of one template or (null) of all. */
  messages: (templateId: string | null) => ['messages', 'log', templateId] as const,
  message: (id: string) => ['messages', id] as const,
};

export const templatesApi = {
  list: () => call(templates.$get({ query: {} })),
  get: (id: string) => call(templates[':id'].$get({ param: { id } })),
  create: (draft: TemplateDraft) => call(templates.$post({ json: draft })),
  save: (id: string, draft: TemplateDraft) =>
    call(templates[':id'].$put({ param: { id }, json: draft })),
  archive: (id: string) => read<null>(templates[':id'].$delete({ param: { id } })),
  /** A copy named "Copy of …", to start the next email of a sequence from. */
  duplicate: (id: string) => call(templates[':id'].duplicate.$post({ param: { id } })),
  // The route reads its body by hand (problems are its answer), so it is not typed.
  check: (draft: TemplateDraft) =>
    requestJson<{ ok: boolean; issues: TemplateIssue[]; warnings?: TemplateIssue[] }>(
      'POST',
      '/api/templates/check',
      draft,
    ),
  preview: (id: string, contactId: string, eventId: string | null) =>
    call(
      templates[':id'].preview.$post({
        param: { id },
        json: eventId ? { contactId, eventId } : { contactId },
      }),
    ),
  /**
   * A page of the contact's events an email can read (`{{ event.orderId }}`): every one that is
   * not about an email, newest first, of one name when `name` is given; the first page also
   * says which names the contact has, with how many of each. With `search`, only the events
   * holding its words (`ORD-1042`, `blue sneakers`), each with the value that matched; a
   * search reads a bounded number of events a page and says where it stopped.
   */
  previewEvents: (contactId: string, name: string | null, search: string | null, cursor?: string) =>
    call(
      templates['preview-events'].$get({
        query: {
          contactId,
          ...(name ? { name } : {}),
          ...(search ? { search } : {}),
          ...(cursor ? { cursor } : {}),
        },
      }),
    ),
  testSend: (id: string, to: string, contactId?: string, eventId?: string) =>
    call(
      templates[':id']['test-send'].$post({
        param: { id },
        json: {
          to,
          ...(contactId ? { contactId } : {}),
          ...(contactId && eventId ? { eventId } : {}),
        },
      }),
    ),
  performance: (days: number) =>
    call(templates.performance.$get({ query: { days: String(days) } })),
  report: (id: string, days: number) =>
    call(templates[':id'].performance.$get({ param: { id }, query: { days: String(days) } })),
  topics: () => call(api.api.topics.$get()),
  messages: (templateId: string | null, cursor?: string) =>
    call(
      api.api.messages.$get({
        query: {
          ...(cursor ? { cursor } : {}),
          ...(templateId ? { templateId } : {}),
        },
      }),
    ),
  message: (id: string) => call(api.api.messages[':id'].$get({ param: { id } })),
};
