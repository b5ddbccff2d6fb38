import { api, call, read } from '../lib/api';

const forms = api.api.forms;

export type SignupForm = Awaited<ReturnType<typeof formsApi.get>>;
export type SignupFormSummary = Awaited<ReturnType<typeof formsApi.list>>['forms'][number];
export type FormSubmissions = Awaited<ReturnType<typeof formsApi.submissions>>;
export type FormBody = Parameters<typeof forms.$post>[0]['json'];

export const formKeys = {
  all: ['signup-forms'] as const,
  one: (id: string) => ['signup-forms', id] as const,
  submissions: (id: string) => ['signup-forms', id, 'submissions'] as const,
};

export const formsApi = {
  list: () => call(forms.$get()),
  get: (id: string) => call(forms[':id'].$get({ param: { id } })),
  create: (body: FormBody) => call(forms.$post({ json: body })),
  save: (id: string, body: FormBody) => call(forms[':id'].$put({ param: { id }, json: body })),
  archive: (id: string) => read<null>(forms[':id'].$delete({ param: { id } })),
  submissions: (id: string) =>
    call(forms[':id'].submissions.$get({ param: { id }, query: { limit: '10' } })),
};
