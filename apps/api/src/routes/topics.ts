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
      // A marketing template must have a topic, and a form subscribes people to its topics:
      // deleting one that either names would strand them.
      const [templates, forms] = await Promise.all([
        listEmailTemplates(deps.sql, workspaceId),
        listForms(deps.sql, workspaceId),
      ]);
      const users = [
        ...templates
          .filter((record) => record.template.topic === key)
          .map((record) => `the email template “${record.template.name}”`),
        ...forms
          .filter((form) => formTopics(form.definition).includes(key))
          .map((form) => `the signup form “${form.name}”`),
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
      const deleted = await deleteEmailTopic(deps.sql, workspaceId, key);
      if (!deleted) throw notFound('The topic');
      return c.body(null, 204);
    });
