import { Hono } from 'hono';
import { z } from 'zod';
import { getSegment } from '@relance/db';
import {
  archiveForm,
  countFormSubmissions,
  FormDefinition,
  getEmailTemplate,
  getForm,
  insertForm,
  listEmailTopics,
  listForms,
  listFormSubmissions,
  normaliseEmail,
  pageLanguageFor,
  renderFormSnippet,
  updateForm,
  type FormRecord,
  type FormSignupCounts,
  type PageLanguage,
  type SuppressionReason,
} from '@relance/email';
import { withTopicsLocked } from '@relance/journeys/publish';
import type { AppDeps, AppEnv } from '../env';
import { ApiError, notFound, type Issue } from '../errors';
import { validate } from '../validation';

const FormBody = z.strictObject({
  name: z.string().trim().min(1, 'Give the form a name').max(200),
  definition: FormDefinition,
});
const IdParam = z.object({ id: z.uuid('No form has this id') });
/**
 * The blocks that keep each address from being mailed whatever it signed up for: a block by
 * hand, a hard bounce, a spam complaint. (An unsubscribe is lifted by the signup itself, or by
 * its confirmation under double opt-in.)
 */
async function blocksOf(
  sql: AppDeps['sql'],
  workspaceId: string,
  emails: readonly string[],
): Promise<Map<string, SuppressionReason[]>> {
  const normalised = [...new Set(emails.map(normaliseEmail))];
  if (normalised.length === 0) return new Map();
  const rows = await sql<{ email: string; reasons: SuppressionReason[] }[]>`
    select email, array_agg(distinct reason order by reason) as reasons
    from email_suppressions
    where workspace_id = ${workspaceId} and email = any(${normalised}::text[])
      and reason <> 'unsubscribed'
    group by email`;
  return new Map(rows.map((r) => [r.email, r.reasons]));
}

/** A form nobody has sent yet: every count zero. */
const NO_SIGNUPS: FormSignupCounts = { submissions: 0, people: 0, confirmed: 0 };

const SubmissionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

/**
 * What the schema cannot know: the confirmation email, target segment and topics must exist
 * in the workspace, and be the right kind. Refused with 422 naming each field.
 */
async function checkReferences(
  sql: AppDeps['sql'],
  workspaceId: string,
  definition: FormDefinition,
): Promise<void> {
  const issues: Issue[] = [];
  if (definition.confirmationTemplateId) {
    const field = 'definition.confirmationTemplateId';
    const id = definition.confirmationTemplateId;
    const record = z.uuid().safeParse(id).success
      ? await getEmailTemplate(sql, workspaceId, id)
      : null;
    if (!record || record.archivedAt) {
      issues.push({ field, message: 'No email template has this id' });
    } else if (record.template.kind !== 'transactional') {
      // A marketing email waits for the very consent it asks for: it would never be sent.
      issues.push({ field, message: 'The confirmation email must be a transactional template' });
    } else if (!/\bconfirm_url\b/.test(record.template.body.source)) {
      issues.push({ field, message: 'The confirmation email needs a link to {{ confirm_url }}' });
    }
  }
  if (definition.targetSegmentId) {
    const segment = await getSegment(sql, workspaceId, definition.targetSegmentId);
    const field = 'definition.targetSegmentId';
    if (!segment) issues.push({ field, message: 'No segment has this id' });
    else if (segment.kind !== 'static') {
      issues.push({ field, message: `${segment.name} is dynamic: choose a static segment` });
    }
  }
  const known = new Set((await listEmailTopics(sql, workspaceId)).map((t) => t.key));
  definition.topics.forEach((topic, index) => {
    if (!known.has(topic)) {
      issues.push({ field: `definition.topics.${index}`, message: `No topic ${topic} exists` });
    }
  });
  definition.fields.forEach((field, index) => {
    if (field.type === 'checkbox' && field.topic && !known.has(field.topic)) {
      issues.push({
        field: `definition.fields.${index}.topic`,
        message: `No topic ${field.topic} exists`,
      });
    }
  });
  if (issues.length > 0) {
    throw new ApiError(
      422,
      'form_invalid',
      `The form cannot be saved: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
}

/** `/api/forms`: signup forms, with their public URL, hosted page and embeddable snippet. */
export const formRoutes = (deps: AppDeps) => {
  // The snippet has no visitor to ask: its button speaks the workspace's page language.
  const languageOf = (workspaceId: string) =>
    pageLanguageFor(deps.sql, { workspaceId, contactId: null, acceptLanguage: undefined });
  const view = (form: FormRecord, language: PageLanguage) => {
    const url = `${deps.publicUrl}/f/${form.id}`;
    return {
      id: form.id,
      name: form.name,
      definition: form.definition,
      createdAt: form.createdAt,
      updatedAt: form.updatedAt,
      /** Where the form posts, and (GET) the hosted page to link to. */
      submitUrl: url,
      hostedUrl: url,
      snippet: renderFormSnippet(form.definition, { actionUrl: url, language }),
    };
  };
  /**
   * Checks what the form names and writes it in one transaction holding the workspace's topics
   * lock (shared): a topic deleted at the same instant is either gone before the check, which
   * then refuses, or waits for the write, and its delete then refuses naming the form.
   */
  const withReferencesChecked = <T>(
    workspaceId: string,
    definition: FormDefinition,
    write: (sql: AppDeps['sql']) => Promise<T>,
  ) =>
    withTopicsLocked(deps.sql, workspaceId, 'shared', async (locked) => {
      await checkReferences(locked, workspaceId, definition);
      return write(locked);
    });
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const workspaceId = c.get('workspaceId');
      const [forms, counts, language] = await Promise.all([
        listForms(deps.sql, workspaceId),
        countFormSubmissions(deps.sql, workspaceId),
        languageOf(workspaceId),
      ]);
      return c.json(
        {
          forms: forms.map((form) => ({
            ...view(form, language),
            ...(counts.get(form.id) ?? NO_SIGNUPS),
          })),
        },
        200,
      );
    })
    .post('/', validate('json', FormBody), async (c) => {
      const workspaceId = c.get('workspaceId');
      const body = c.req.valid('json');
      const form = await withReferencesChecked(workspaceId, body.definition, (sql) =>
        insertForm(sql, workspaceId, body),
      );
      return c.json(view(form, await languageOf(workspaceId)), 201);
    })
    .get('/:id', validate('param', IdParam), async (c) => {
      const workspaceId = c.get('workspaceId');
      const form = await getForm(deps.sql, workspaceId, c.req.valid('param').id);
      if (!form || form.archivedAt) throw notFound('The form');
      return c.json(view(form, await languageOf(workspaceId)), 200);
    })
    .get(
      '/:id/submissions',
      validate('param', IdParam),
      validate('query', SubmissionsQuery),
      async (c) => {
        const workspaceId = c.get('workspaceId');
        const { id } = c.req.valid('param');
        const form = await getForm(deps.sql, workspaceId, id);
        if (!form || form.archivedAt) throw notFound('The form');
        const limit = c.req.valid('query').limit;
        const [submissions, counts] = await Promise.all([
          listFormSubmissions(deps.sql, workspaceId, id, limit),
          countFormSubmissions(deps.sql, workspaceId),
        ]);
        // A signup that is never mailed (its address blocked) says so beside it.
        const blocks = await blocksOf(
          deps.sql,
          workspaceId,
          submissions.flatMap((s) => (s.email ? [s.email] : [])),
        );
        const { submissions: total, people, confirmed } = counts.get(id) ?? NO_SIGNUPS;
        return c.json(
          {
            total,
            people,
            confirmed,
            submissions: submissions.map((s) => ({
              ...s,
              blockedBy: (s.email && blocks.get(normaliseEmail(s.email))) || [],
            })),
          },
          200,
        );
      },
    )
    .put('/:id', validate('param', IdParam), validate('json', FormBody), async (c) => {
      const workspaceId = c.get('workspaceId');
      const body = c.req.valid('json');
      const form = await withReferencesChecked(workspaceId, body.definition, (sql) =>
        updateForm(sql, workspaceId, c.req.valid('param').id, body),
      );
      if (!form) throw notFound('The form');
      return c.json(view(form, await languageOf(workspaceId)), 200);
    })
    .delete('/:id', validate('param', IdParam), async (c) => {
      const archived = await archiveForm(deps.sql, c.get('workspaceId'), c.req.valid('param').id);
      if (!archived) throw notFound('The form');
      return c.body(null, 204);
    });
};
