import { Hono } from 'hono';
import { z } from 'zod';
import {
  deleteEmailTopic,
  getEmailTopic,
  listEmailTemplates,
  listEmailTopics,
  listForms,
  TopicKey,
  upsertEmailTopic,
  type EmailTopicRecord,
  type FormDefinition,
} from '@relance/email';
import { withTopicsLocked } from '@relance/journeys/publish';
import type { AppDeps, AppEnv } from '../env';
import { ApiError, notFound } from '../errors';
import { validate } from '../validation';

const TopicFields = {
  name: z.string().trim().min(1, 'Give the topic a name').max(200),
  description: z.string().trim().max(1000).default(''),
  /** Opt-in: only contacts who subscribed get it. Opt-out: everyone who did not unsubscribe. */
  optIn: z.boolean().default(false),
  /** Still sent to contacts who asked for important announcements only. */
  important: z.boolean().default(false),
};
const CreateBody = z.strictObject({ key: TopicKey, ...TopicFields });
const UpdateBody = z.strictObject(TopicFields);
const KeyParam = z.object({ key: TopicKey });

const view = ({ key, name, description, optIn, important }: EmailTopicRecord) => ({
  key,
  name,
  description,
  optIn,
  important,
});

/** Every topic a form subscribes people to: its own, and its checkboxes'. */
const formTopics = (definition: FormDefinition) => [
  ...definition.topics,
  ...definition.fields.flatMap((field) =>
    field.type === 'checkbox' && field.topic ? [field.topic] : [],
  ),
];

interface StoredFlow {
  nodes?: { kind?: unknown; config?: { topic?: unknown } | null }[];
}

/**
 * The journeys whose draft or live version has an email step sending under `key`, by name. Older
 * versions still running are not counted: their emails under a deleted topic are skipped.
 */
async function journeysNamingTopic(sql: AppDeps['sql'], workspaceId: string, key: string) {
  const rows = await sql<{ name: string; draft: StoredFlow; live: StoredFlow | null }[]>`
    select j.name, j.draft, v.document as live
    from journeys j left join journey_versions v on v.id = j.live_version_id
    where j.workspace_id = ${workspaceId} and j.status <> 'stopped'
      and (j.draft::text like ${`%"${key}"%`} or v.document::text like ${`%"${key}"%`})
    order by j.name, j.id`;
  const names = (flow: StoredFlow | null) =>
    Array.isArray(flow?.nodes) &&
    flow.nodes.some((n) => n?.kind === 'action.send_email' && n.config?.topic === key);
  return rows.filter((row) => names(row.draft) || names(row.live)).map((row) => row.name);
}

/** `/api/topics`: subscription topics contacts opt in to or out of (preference page, forms). */
export const topicRoutes = (deps: AppDeps) =>
  new Hono<AppEnv>()
    .get('/', async (c) => {
      const topics = await listEmailTopics(deps.sql, c.get('workspaceId'));
      return c.json({ topics: topics.map(view) }, 200);
    })
    .post('/', validate('json', CreateBody), async (c) => {
      const workspaceId = c.get('workspaceId');
      const body = c.req.valid('json');
      if (await getEmailTopic(deps.sql, workspaceId, body.key)) {
        throw new ApiError(409, 'topic_exists', `A topic with the key ${body.key} exists`, [
          { field: 'key', message: 'Choose another key, or edit the existing topic' },
        ]);
      }
      return c.json(view(await upsertEmailTopic(deps.sql, { workspaceId, ...body })), 201);
    })
    .get('/:key', validate('param', KeyParam), async (c) => {
      const topic = await getEmailTopic(deps.sql, c.get('workspaceId'), c.req.valid('param').key);
      if (!topic) throw notFound('The topic');
      return c.json(view(topic), 200);
    })
    .put('/:key', validate('param', KeyParam), validate('json', UpdateBody), async (c) => {
      const workspaceId = c.get('workspaceId');
      const { key } = c.req.valid('param');
      if (!(await getEmailTopic(deps.sql, workspaceId, key))) throw notFound('The topic');
      const topic = await upsertEmailTopic(deps.sql, { workspaceId, key, ...c.req.valid('json') });
      return c.json(view(topic), 200);
    })
    .delete('/:key', validate('param', KeyParam), async (c) => {
      const workspaceId = c.get('workspaceId');
      const { key } = c.req.valid('param');
      // A marketing template must have a topic, a form subscribes people to its topics, and a
      // journey's email step sends under its own: deleting one that any names would strand them
      // (a journey's email would be skipped for everyone). The check and the delete hold the
      // topics lock, which publishing and saving a template take around their own check and
      // write: whichever comes second sees the other's commit.
      await withTopicsLocked(deps.sql, workspaceId, 'exclusive', async (sql) => {
        const [templates, forms, journeys] = await Promise.all([
          listEmailTemplates(sql, workspaceId),
          listForms(sql, workspaceId),
          journeysNamingTopic(sql, workspaceId, key),
        ]);
        const users = [
          ...templates
            .filter((record) => record.template.topic === key)
            .map((record) => `the email template “${record.template.name}”`),
          ...forms
            .filter((form) => formTopics(form.definition).includes(key))
            .map((form) => `the signup form “${form.name}”`),
          ...journeys.map((name) => `the journey “${name}”`),
        ];
        if (users.length > 0) {
          const names = users.join(', ');
          throw new ApiError(
            409,
            'topic_in_use',
            `This topic is used by ${names}: choose another topic there first`,
            [{ field: 'key', message: `Used by ${names}` }],
          );
        }
        if (!(await deleteEmailTopic(sql, workspaceId, key))) throw notFound('The topic');
      });
      return c.body(null, 204);
    });
