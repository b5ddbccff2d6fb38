// Shared set-up of the email report tests: the API over a fresh database (in a time zone), an
// `offers` topic, marketing templates made through the API, and emails sent the way a journey's
// step sends them, to the dev outbox, with signed links as the API verifies them.
import { afterAll, beforeAll, expect } from 'vitest';
import {
  createDeploymentTracking,
  createOutboxProvider,
  createTemplateCache,
  sendTemplate,
  upsertEmailTopic,
} from '@relance/email';
import { createTestApp, TEST_SIGNING_SECRET } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

export interface ReportEnv {
  db: TestDatabase;
  temporal: Awaited<ReturnType<typeof connectDevServer>>;
  test: ReturnType<typeof createTestApp>;
  /** The workspace's ingestion key. */
  writeKey: string;
}

/** Starts the file's API before its tests (filled in by `beforeAll`) and stops it after them. */
export function useReportEnv(options: { timezone?: string } = {}): ReportEnv {
  const env = {} as ReportEnv;
  beforeAll(async () => {
    env.db = await createTestDatabase();
    env.temporal = await connectDevServer();
    env.test = createTestApp({
      db: env.db,
      temporal: env.temporal,
      dispatcher: createRecordingDispatcher().dispatcher,
    });
    const [workspace] = await env.db.sql<{ writeKey: string }[]>`
      update workspaces set timezone = ${options.timezone ?? 'UTC'} where id = ${env.db.workspaceId}
      returning write_key`;
    env.writeKey = workspace!.writeKey;
    await upsertEmailTopic(env.db.sql, {
      workspaceId: env.db.workspaceId,
      key: 'offers',
      name: 'Offers',
      optIn: false,
    });
  });
  afterAll(async () => {
    await env.temporal?.close();
    await env.db?.drop();
  });
  return env;
}

/** A marketing template of the `offers` topic with `source` as its HTML; returns its id. */
export async function createTemplate(
  env: ReportEnv,
  name: string,
  source = '<p>Hello</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
): Promise<string> {
  const created = await env.test.call('POST', '/api/templates', {
    name,
    kind: 'marketing',
    topic: 'offers',
    from: { name: 'Acme', address: 'news@acme.test' },
    subject: `${name} for you`,
    body: { kind: 'html', source },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

/**
 * Sends a template to a contact the way a journey's send step does (under `key`, by default one
 * of its own; a `test:` key is a test send); returns the message id.
 */
export async function sendTo(
  env: ReportEnv,
  templateId: string,
  contactId: string,
  options: { journeyId?: string | null; key?: string } = {},
): Promise<string> {
  const outcome = await sendTemplate(
    {
      sql: env.db.sql,
      provider: createOutboxProvider({ sql: env.db.sql }),
      templates: createTemplateCache(),
      tracking: createDeploymentTracking({
        publicUrl: 'http://relance.test',
        secret: TEST_SIGNING_SECRET,
      }),
    },
    {
      workspaceId: env.db.workspaceId,
      contactId,
      templateId,
      idempotencyKey: options.key ?? `send:${templateId}:${contactId}`,
      journeyId: options.journeyId ?? null,
      now: new Date(),
    },
  );
  return outcome.message!.id;
}
