// Shared set-up for the email integration tests: a real SMTP server started by the test, the
// real SMTP provider in front of it, signed links as the API verifies them, and fixtures.

import {
  createDeploymentTracking,
  createSmtpProvider,
  insertEmailTemplate,
  Template,
  upsertEmailTopic,
  type MailProvider,
  type TemplateInput,
} from '@relance/email';
import {
  headersOf,
  partOf,
  startTestSmtpServer,
  type ReceivedMail,
  type TestSmtpServer,
} from '@relance/email/test-smtp-server';
import type { Sql } from '@relance/db';
import type { SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll } from 'vitest';
import { createTestApp, TEST_SIGNING_SECRET } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

export { headersOf, partOf, startTestSmtpServer, type ReceivedMail, type TestSmtpServer };

/** What createTestApp signs links with: the API and these tests verify the same tokens. */
export const PUBLIC_URL = 'http://relance.test';
export const tracking = createDeploymentTracking({
  publicUrl: PUBLIC_URL,
  secret: TEST_SIGNING_SECRET,
  mailFrom: 'news@acme.test',
});

/** The real pooled SMTP provider, pointed at the test's server. */
export function smtpProviderFor(server: TestSmtpServer): MailProvider {
  return createSmtpProvider({ smtpUrl: `smtp://127.0.0.1:${server.port}?maxConnections=2` });
}

/** A test file's API over a fresh database, sending through the real SMTP provider to a test server. */
export interface EmailApp {
  db: TestDatabase;
  temporal: Awaited<ReturnType<typeof connectDevServer>>;
  server: TestSmtpServer;
  provider: MailProvider;
  app: ReturnType<typeof createTestApp>['app'];
  call: ReturnType<typeof createTestApp>['call'];
  /** What the API handed to the journey dispatcher. */
  recording: ReturnType<typeof createRecordingDispatcher>;
}

/**
 * Starts the file's `EmailApp` before its tests (the SMTP server with `smtp` options) and
 * stops it after them. The returned object is filled in by `beforeAll`: read it in hooks and
 * tests.
 */
export function useEmailApp(smtp: SMTPServerOptions = {}): EmailApp {
  const env = { recording: createRecordingDispatcher() } as EmailApp;
  beforeAll(async () => {
    env.db = await createTestDatabase();
    env.temporal = await connectDevServer();
    env.server = await startTestSmtpServer(smtp);
    env.provider = smtpProviderFor(env.server);
    ({ app: env.app, call: env.call } = createTestApp({
      db: env.db,
      temporal: env.temporal,
      dispatcher: env.recording.dispatcher,
      overrides: { mail: { provider: env.provider, from: 'news@acme.test' } },
    }));
  });
  afterAll(async () => {
    await env.provider?.close();
    await env.server?.close();
    await env.temporal?.close();
    await env.db?.drop();
  });
  return env;
}

/** A marketing newsletter in MJML with every kind of personalisation the product offers. */
export const NEWSLETTER: TemplateInput = {
  name: 'Order follow-up',
  kind: 'marketing',
  topic: 'newsletter',
  from: { name: 'Acme', address: 'news@acme.test' },
  replyTo: { name: 'Acme support', address: 'help@acme.test' },
  subject: 'Hi {{ contact.first_name | default: "there" }}, about your {{ event.product }}',
  preheader: 'From {{ workspace.name }}',
  body: {
    kind: 'mjml',
    source: `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text>Hello {{ contact.first_name | default: "there" }} from {{ contact.city | default: "somewhere" }}</mj-text>
        <mj-text>Your order of {{ event.product }} is on its way.</mj-text>
        {% if contact.segments contains "VIP" %}
        <mj-text>VIP: free shipping on your next order</mj-text>
        {% endif %}
        <mj-button href="https://shop.acme.test/orders/{{ event.order_id }}?utm=mail">Track it</mj-button>
      </mj-column>
    </mj-section>
    <mj-section>
      <mj-column>
        <mj-text><a href="{{ preferences_url }}">Preferences</a> · <a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`,
  },
};

/** A transactional double opt-in email: its link is `{{ confirm_url }}`. */
export const CONFIRMATION: TemplateInput = {
  name: 'Confirm your subscription',
  kind: 'transactional',
  topic: null,
  from: { name: 'Acme', address: 'news@acme.test' },
  subject: 'Please confirm your subscription',
  body: {
    kind: 'html',
    source:
      '<p>Hi {{ contact.first_name | default: "there" }}, <a href="{{ confirm_url }}">confirm</a>.</p>',
  },
};

export async function saveTemplate(sql: Sql, workspaceId: string, input: TemplateInput) {
  return insertEmailTemplate(sql, workspaceId, Template.parse(input));
}

export async function saveTopic(sql: Sql, workspaceId: string, key: string, optIn = false) {
  return upsertEmailTopic(sql, {
    workspaceId,
    key,
    name: key[0]!.toUpperCase() + key.slice(1),
    optIn,
  });
}

export async function insertContact(
  sql: Sql,
  workspaceId: string,
  fields: { email: string; properties?: Record<string, unknown>; timezone?: string },
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into contacts (workspace_id, email, properties, timezone)
    values (${workspaceId}, ${fields.email}, ${sql.json((fields.properties ?? {}) as never)},
            ${fields.timezone ?? null})
    returning id`;
  return row!.id;
}

/** A static segment with the contact in it. */
export async function addToSegment(sql: Sql, workspaceId: string, name: string, contactId: string) {
  const [segment] = await sql<{ id: string }[]>`
    insert into segments (workspace_id, name, kind) values (${workspaceId}, ${name}, 'static')
    on conflict (workspace_id, lower(name)) do update set name = excluded.name
    returning id`;
  await sql`
    insert into segment_members (segment_id, contact_id, workspace_id, entered_at)
    values (${segment!.id}, ${contactId}, ${workspaceId}, now()) on conflict do nothing`;
  return segment!.id;
}

export async function insertEvent(
  sql: Sql,
  workspaceId: string,
  contactId: string,
  name: string,
  properties: Record<string, unknown>,
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into events (workspace_id, contact_id, name, properties, occurred_at)
    values (${workspaceId}, ${contactId}, ${name}, ${sql.json(properties as never)}, now())
    returning id::text as id`;
  return row!.id;
}

/** Every event of a contact with this name, oldest first. */
export async function eventsOf(sql: Sql, contactId: string, name: string) {
  return sql<{ id: string; properties: Record<string, unknown>; messageId: string | null }[]>`
    select id::text, properties, message_id from events
    where contact_id = ${contactId} and name = ${name} order by id`;
}

/** The hrefs of a rendered HTML part, in order. */
export function linksIn(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((match) => match[1]!.replace(/&amp;/g, '&'));
}

/** The path and token of one of our signed URLs: `/t/c/<token>` → `['/t/c/', token]`. */
export function tokenOf(url: string, prefix: '/t/o/' | '/t/c/' | '/u/' | '/p/' | '/s/'): string {
  const path = url.slice(PUBLIC_URL.length);
  if (!url.startsWith(PUBLIC_URL) || !path.startsWith(prefix)) {
    throw new Error(`${url} is not a ${prefix} link of ${PUBLIC_URL}`);
  }
  return path.slice(prefix.length);
}

/** Waits until the SMTP server has received `count` messages (delivery is asynchronous). */
export async function received(server: TestSmtpServer, count: number, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (server.received.length < count) {
    if (Date.now() > deadline) {
      throw new Error(`Expected ${count} messages, got ${server.received.length}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return server.received;
}
