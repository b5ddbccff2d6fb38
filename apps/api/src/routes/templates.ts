import { Hono } from 'hono';
import { z } from 'zod';
import {
  archiveEmailTemplate,
  getEmailTemplate,
  getEmailTopic,
  insertEmailTemplate,
  inspectTemplate,
  listEmailTemplates,
  previewTemplate,
  sendTestMessage,
  Template,
  TemplateError,
  updateEmailTemplate,
  type EmailTemplateRecord,
  type TemplateIssue,
} from '@relance/email';
import { listKnownProperties } from '@relance/db';
import { withTopicsLocked } from '@relance/journeys/publish';
import { emailServices } from '../email/services';
import type { AppDeps, AppEnv } from '../env';
import { ApiError, notFound } from '../errors';
import { findUnstorableText } from '../storable-text';
import { latestOrders, templatePerformance, templatesPerformance } from '../templates/performance';
import { previewEvents, searchWords } from '../templates/preview-events';
import { Limit, toIssues, validate } from '../validation';

const IdParam = z.object({ id: z.uuid('No template has this id') });
const PeriodQuery = z.object({ days: Limit(365, 30, 'The number of days') });
// Archived templates are for reading (a condition on the emails they sent), not for sending.
const ListQuery = z.object({
  archived: z
    .enum(['include'], { error: 'Send include to list archived templates too, or leave it out' })
    .optional(),
});
const PreviewBody = z.strictObject({
  contactId: z.uuid('Enter the id of a contact to preview as'),
  eventId: z
    .string()
    .regex(/^\d{1,19}$/, 'Enter the id of an event')
    .optional(),
});
const PreviewEventsQuery = z.object({
  contactId: z.uuid('Enter the id of a contact to preview as'),
  /** Only the events of this name (`order.completed`). */
  name: z
    .string()
    .min(1, 'Enter an event name')
    .max(200, 'An event name is at most 200 characters')
    .optional(),
  /** Only the events holding every word in a property value or their name (`ORD-1042`). */
  search: z
    .string()
    .trim()
    .min(1, 'Enter what to look for in the events')
    .max(100, 'Look for at most 100 characters')
    .refine((search) => searchWords(search).length <= 10, 'Look for at most 10 words')
    .optional(),
  /** The `nextCursor` of the page before. */
  cursor: z
    .string()
    .regex(/^\d{1,19}$/, 'Enter the nextCursor of the page before')
    .optional(),
  limit: Limit(100, 50, 'The number of events'),
});
const TestSendBody = z.strictObject({
  to: z.email('Enter the address to send the test to'),
  contactId: z.uuid('Enter the id of a contact to render as').optional(),
  /** Render after this event of the contact (`{{ event.… }}`), as a journey's email would be. */
  eventId: z
    .string()
    .regex(/^\d{1,19}$/, 'Enter the id of an event')
    .optional(),
});

function view(record: EmailTemplateRecord) {
  const { id, version, createdAt, updatedAt } = record;
  return { id, version, createdAt, updatedAt, ...record.template };
}

function summary(record: EmailTemplateRecord) {
  const { name, kind, topic, subject } = record.template;
  return {
    id: record.id,
    name,
    kind,
    topic,
    subject,
    version: record.version,
    updatedAt: record.updatedAt,
    archived: record.archivedAt !== null,
  };
}

/**
 * A topic the template names that the workspace does not have: its emails would all be skipped
 * (nobody can opt in or out of a topic that does not exist), so it is a problem like any other.
 */
async function topicIssues(
  sql: AppDeps['sql'],
  workspaceId: string,
  template: Template,
): Promise<TemplateIssue[]> {
  if (template.topic === null || template.topic === undefined) return [];
  if (await getEmailTopic(sql, workspaceId, template.topic)) return [];
  return [
    {
      field: 'topic',
      message: `There is no topic "${template.topic}" (it may have been deleted): choose one of your topics, or no topic`,
    },
  ];
}

/** The property names the workspace has seen, that variables are checked against. */
async function knownNames(sql: AppDeps['sql'], workspaceId: string) {
  const { properties } = await listKnownProperties(sql, workspaceId);
  const names = (scope: 'contact' | 'event') => [
    ...new Set(properties.filter((p) => p.scope === scope).map((p) => p.name)),
  ];
  return { contact: names('contact'), event: names('event') };
}

/** The template's problems (refusals) and warnings, topic included. */
async function inspect(sql: AppDeps['sql'], workspaceId: string, template: Template) {
  const [topic, known] = await Promise.all([
    topicIssues(sql, workspaceId, template),
    knownNames(sql, workspaceId),
  ]);
  const inspection = await inspectTemplate(template, known);
  return { issues: [...topic, ...inspection.issues], warnings: inspection.warnings };
}

/**
 * Refuses a template that would fail at send time: 422 with field, line and reason. Returns
 * the warnings the editor shows without refusing (an empty subject for some contacts, …).
 */
async function checked(
  sql: AppDeps['sql'],
  workspaceId: string,
  template: Template,
): Promise<{ template: Template; warnings: TemplateIssue[] }> {
  const { issues, warnings } = await inspect(sql, workspaceId, template);
  if (issues.length > 0) {
    throw new ApiError(422, 'template_invalid', describe(issues), issues);
  }
  return { template, warnings };
}

/**
 * Runs a render with one contact's data: a template that does not render with it (a filter
 * given a bad value, a loop too long, an empty subject) is a 422 naming the field and the reason.
 */
async function rendered<T>(render: () => Promise<T>): Promise<T> {
  try {
    return await render();
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    throw new ApiError(
      422,
      'template_does_not_render',
      `The template does not render for this contact: ${error.message}`,
      error.issues,
    );
  }
}

/**
 * Writes a checked template holding the topics lock, its topic checked again under it: a topic
 * deleted since the check is refused, and a delete waits for the write and then sees the template.
 */
async function savedUnderTopicsLock<T>(
  sql: AppDeps['sql'],
  workspaceId: string,
  template: Template,
  write: (sql: AppDeps['sql']) => Promise<T>,
): Promise<T> {
  return withTopicsLocked(sql, workspaceId, 'shared', async (locked) => {
    const issues = await topicIssues(locked, workspaceId, template);
    if (issues.length > 0) throw new ApiError(422, 'template_invalid', describe(issues), issues);
    return write(locked);
  });
}

function describe(issues: TemplateIssue[]): string {
  const where = (issue: TemplateIssue) =>
    issue.line ? `${issue.field} (line ${issue.line})` : issue.field;
  return `The template cannot be saved: ${issues.map((i) => `${where(i)}: ${i.message}`).join('; ')}`;
}

/**
 * `/api/templates`: email templates (Liquid over MJML or HTML), checked when saved; a draft
 * check for the editor, preview as a contact and test sends.
 */
export const templateRoutes = (deps: AppDeps) => {
  const email = emailServices(deps);
  const now = deps.clock ?? (() => new Date());
  const load = async (workspaceId: string, id: string) => {
    const record = await getEmailTemplate(deps.sql, workspaceId, id);
    if (!record || record.archivedAt) throw notFound('The template');
    return record;
  };
  return (
    new Hono<AppEnv>()
      .get('/', validate('query', ListQuery), async (c) => {
        const records = await listEmailTemplates(
          deps.sql,
          c.get('workspaceId'),
          c.req.valid('query'),
        );
        return c.json({ templates: records.map(summary) }, 200);
      })
      .post('/', validate('json', Template), async (c) => {
        const { template, warnings } = await checked(
          deps.sql,
          c.get('workspaceId'),
          c.req.valid('json'),
        );
        const workspaceId = c.get('workspaceId');
        const record = await savedUnderTopicsLock(deps.sql, workspaceId, template, (sql) =>
          insertEmailTemplate(sql, workspaceId, template),
        );
        return c.json({ ...view(record), warnings }, 201);
      })
      // The editor calls this while the marketer types: problems are the answer, not an error.
      .post('/check', async (c) => {
        const body: unknown = await c.req.json().catch(() => {
          throw new ApiError(400, 'invalid_json', 'Send the template draft as a JSON object');
        });
        const parsed = Template.safeParse(body);
        // Text that could not be saved is a problem like any other, listed first.
        const unstorable = toIssues({
          issues: findUnstorableText(parsed.success ? parsed.data : body),
        });
        const inspection = parsed.success
          ? await inspect(deps.sql, c.get('workspaceId'), parsed.data)
          : { issues: toIssues(parsed.error), warnings: [] };
        const issues = [...unstorable, ...inspection.issues];
        // Warnings never make a draft not ok: they are shown, the template can still be saved.
        return c.json({ ok: issues.length === 0, issues, warnings: inspection.warnings }, 200);
      })
      // Before '/:id', which would take "performance" for an id.
      .get('/performance', validate('query', PeriodQuery), async (c) => {
        const report = await templatesPerformance(deps.sql, {
          workspaceId: c.get('workspaceId'),
          days: c.req.valid('query').days,
          now: now(),
        });
        return c.json(report, 200);
      })
      // The events a preview or a test can be rendered after ({{ event.… }}): the contact's
      // events that are not about an email, newest first, a page at a time, of one name if asked,
      // holding what is searched for if asked (a search reads a bounded number of events a page).
      .get('/preview-events', validate('query', PreviewEventsQuery), async (c) => {
        const query = c.req.valid('query');
        const page = await previewEvents(deps.sql, {
          workspaceId: c.get('workspaceId'),
          contactId: query.contactId,
          name: query.name,
          search: query.search === undefined ? undefined : searchWords(query.search),
          cursor: query.cursor ?? null,
          limit: query.limit,
        });
        if (!page) {
          throw new ApiError(404, 'not_found', 'The contact was not found', [
            { field: 'contactId', message: 'No contact has this id in this workspace' },
          ]);
        }
        return c.json(page, 200);
      })
      .get(
        '/:id/performance',
        validate('param', IdParam),
        validate('query', PeriodQuery),
        async (c) => {
          const workspaceId = c.get('workspaceId');
          const record = await load(workspaceId, c.req.valid('param').id);
          const report = await templatePerformance(deps.sql, {
            workspaceId,
            templateId: record.id,
            days: c.req.valid('query').days,
            now: now(),
          });
          const orders = await latestOrders(deps.sql, {
            workspaceId,
            templateId: record.id,
            since: report.since,
            limit: 10,
          });
          return c.json({ ...report, latestOrders: orders }, 200);
        },
      )
      .get('/:id', validate('param', IdParam), async (c) => {
        return c.json(view(await load(c.get('workspaceId'), c.req.valid('param').id)), 200);
      })
      .put('/:id', validate('param', IdParam), validate('json', Template), async (c) => {
        const { template, warnings } = await checked(
          deps.sql,
          c.get('workspaceId'),
          c.req.valid('json'),
        );
        const workspaceId = c.get('workspaceId');
        const record = await savedUnderTopicsLock(deps.sql, workspaceId, template, (sql) =>
          updateEmailTemplate(sql, workspaceId, c.req.valid('param').id, template),
        );
        if (!record) throw notFound('The template');
        return c.json({ ...view(record), warnings }, 200);
      })
      // A copy to start the next email of a sequence from: same content, a name of its own.
      .post('/:id/duplicate', validate('param', IdParam), async (c) => {
        const source = await load(c.get('workspaceId'), c.req.valid('param').id);
        const name = `Copy of ${source.template.name}`.slice(0, 200);
        const record = await insertEmailTemplate(deps.sql, c.get('workspaceId'), {
          ...source.template,
          name,
        });
        return c.json(view(record), 201);
      })
      .delete('/:id', validate('param', IdParam), async (c) => {
        const archived = await archiveEmailTemplate(
          deps.sql,
          c.get('workspaceId'),
          c.req.valid('param').id,
        );
        if (!archived) throw notFound('The template');
        return c.body(null, 204);
      })
      .post(
        '/:id/preview',
        validate('param', IdParam),
        validate('json', PreviewBody),
        async (c) => {
          const workspaceId = c.get('workspaceId');
          const record = await load(workspaceId, c.req.valid('param').id);
          const body = c.req.valid('json');
          const preview = await rendered(() =>
            previewTemplate(email.send, {
              workspaceId,
              template: record.template,
              contactId: body.contactId,
              eventId: body.eventId ?? null,
              now: email.now(),
            }),
          );
          if (!preview) {
            throw new ApiError(404, 'not_found', 'The contact was not found', [
              { field: 'contactId', message: 'No contact has this id in this workspace' },
            ]);
          }
          const { message, decision, warnings } = preview;
          return c.json(
            {
              from: message.from,
              to: message.to,
              replyTo: message.replyTo,
              subject: message.subject,
              // The inbox's line after the subject, rendered for this contact (empty when none).
              preheader: message.preheader ?? '',
              html: message.html,
              text: message.text,
              headers: message.headers,
              // What would happen if the contact were sent this now (skip or defer, and why).
              decision:
                decision.kind === 'defer'
                  ? { ...decision, until: decision.until.toISOString() }
                  : decision,
              warnings,
            },
            200,
          );
        },
      )
      .post(
        '/:id/test-send',
        validate('param', IdParam),
        validate('json', TestSendBody),
        async (c) => {
          const workspaceId = c.get('workspaceId');
          const record = await load(workspaceId, c.req.valid('param').id);
          const body = c.req.valid('json');
          const outcome = await rendered(() =>
            sendTestMessage(email.send, {
              workspaceId,
              templateId: record.id,
              template: record.template,
              to: body.to,
              contactId: body.contactId ?? null,
              eventId: body.eventId ?? null,
            }),
          );
          switch (outcome.kind) {
            case 'sent':
            case 'already-sent':
            case 'in-flight':
              return c.json({ status: 'sent', messageId: outcome.message.id, to: body.to }, 200);
            case 'suppressed':
              throw new ApiError(
                409,
                'address_suppressed',
                `${body.to} is on the suppression list (${outcome.reasons.join(', ')}): it is never mailed`,
                [{ field: 'to', message: 'This address bounced or complained' }],
              );
            case 'retry':
              throw new ApiError(
                503,
                'mail_server_unavailable',
                `The mail server did not take the test email; try again shortly: ${outcome.error.message}`,
              );
            case 'failed':
              throw new ApiError(
                422,
                'test_send_refused',
                `The mail server refused the test email: ${outcome.error.message}`,
                [{ field: 'to', message: outcome.error.message }],
              );
            case 'finished':
              throw new ApiError(409, 'test_send_finished', 'This test email was already handled');
            default:
              return outcome satisfies never;
          }
        },
      )
  );
};
