// A submission the contacts refuse (`submission_refused`) carries, beside the English issue the
// API always answered, the reason code the hosted form says in the visitor's language, as it does
// a field's errors.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyFormSubmission, SubmissionRefused } from '@relance/api/email/form-submission';
import { emailServices } from '@relance/api/email/services';
import { getActiveForm, localizeFormIssues, PAGE_LANGUAGES } from '@relance/email';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let env: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  env = createTestApp({ db, temporal, dispatcher: createRecordingDispatcher().dispatcher });
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

it('refuses a submission the contacts cannot take on the email field, in every page language', async () => {
  const created = await env.call('POST', '/api/forms', {
    name: 'Lettre',
    definition: { fields: [{ type: 'email', name: 'courriel', label: 'Courriel' }] },
  });
  expect(created.status).toBe(201);
  const form = (await getActiveForm(db.sql, created.body.id as string))!;

  // The form's own check refuses an empty address first; the contacts refuse it as well.
  const refusal = await applyFormSubmission(
    env.deps,
    emailServices(env.deps),
    form,
    { kind: 'accepted', email: '', properties: {}, topics: [] },
    { ip: null },
  ).then(
    () => null,
    (error: unknown) => error,
  );
  expect(refusal).toBeInstanceOf(SubmissionRefused);
  const refused = refusal as SubmissionRefused;
  expect(refused.status).toBe(422);
  expect(refused.code).toBe('submission_refused');
  expect(refused.formIssues).toEqual([
    { field: 'courriel', reason: 'email_missing', message: refused.issues![0]!.message },
  ]);
  expect(refused.issues).toEqual([{ field: 'courriel', message: refused.message }]);

  const words = PAGE_LANGUAGES.map(
    (language) => localizeFormIssues(form.definition, refused.formIssues, language)[0]!.message,
  );
  expect(new Set(words).size).toBe(PAGE_LANGUAGES.length);
  expect(words[0]).toBe(refused.message);
  const [count] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from contacts where workspace_id = ${db.workspaceId}`;
  expect(count!.n).toBe(0);
});
