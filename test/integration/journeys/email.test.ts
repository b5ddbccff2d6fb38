import { expect, it } from 'vitest';
import { insertEmailTemplate, Template, upsertEmailTopic } from '@relance/email';
import { postPurchaseFlow, type FlowDocument } from '@relance/flow';
import { runWorkflowId } from '@relance/workflows/contracts';
import { createContact, publish, recordEvent, useJourneyEnv } from './harness';

const env = useJourneyEnv({ worker: true });

async function template(name: string, subject: string) {
  const saved = await insertEmailTemplate(
    env.db.sql,
    env.db.workspaceId,
    Template.parse({
      name,
      kind: 'marketing',
      topic: 'orders',
      from: { name: 'Acme', address: 'shop@acme.test' },
      subject,
      body: {
        kind: 'html',
        source:
          '<p>Hi {{ contact.first_name | default: "there" }}, about order {{ event.orderId }}.</p>' +
          '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
      },
    }),
  );
  return saved.id;
}

/** The post-purchase yardstick flow with its waits shortened from days to a second. */
function shortened(document: FlowDocument): FlowDocument {
  return {
    ...document,
    nodes: document.nodes.map((n) =>
      n.kind === 'wait.delay' ? { ...n, config: { duration: '1s' } } : n,
    ),
  };
}

it('post-purchase on the real stack: three emails to the dev outbox, once each, with the trigger event in Liquid', async () => {
  await upsertEmailTopic(env.db.sql, {
    workspaceId: env.db.workspaceId,
    key: 'orders',
    name: 'Orders',
    optIn: false,
  });
  const templates = {
    tips: await template('Tips', 'Get the most out of it'),
    crossSell: await template('Cross-sell', 'People who bought this also like'),
    review: await template('Review', 'How was it?'),
  };
  const { journeyId } = await publish(env, shortened(postPurchaseFlow({ templates })));
  const contactId = await createContact(env, {
    email: 'buyer@example.com',
    properties: { first_name: 'Ada' },
  });

  const order = await recordEvent(env, contactId, 'order.completed', { orderId: 'O-77' });
  const replayed = await recordEvent(env, contactId, 'order.completed', { orderId: 'O-77' });
  await Promise.all([
    env.runtime.eventsRecorded(env.db.workspaceId, [order]),
    env.runtime.eventsRecorded(env.db.workspaceId, [replayed]),
  ]);
  const handle = env.temporal.client.workflow.getHandle(
    runWorkflowId(journeyId, contactId, 'O-77'),
  );
  expect(await handle.result()).toMatchObject({ status: 'completed' });

  const outbox = await env.db.sql<{ subject: string; html: string; toAddress: string }[]>`
    select subject, html, to_address from email_outbox where workspace_id = ${env.db.workspaceId}
    order by id`;
  expect(outbox.map((m) => m.subject)).toEqual([
    'Get the most out of it',
    'People who bought this also like',
    'How was it?',
  ]);
  expect(outbox.every((m) => m.toAddress === 'buyer@example.com')).toBe(true);
  expect(outbox[0]!.html).toContain('Hi Ada, about order O-77.');

  const steps = await env.db.sql<
    { nodeId: string; outcome: string; why: { messageId?: string; key?: string } }[]
  >`
    select node_id, outcome, why from run_steps where journey_id = ${journeyId} and kind = 'action.send_email'
    order by seq`;
  expect(steps.map((s) => [s.nodeId, s.outcome])).toEqual([
    ['send_tips', 'done'],
    ['send_cross_sell', 'done'],
    ['send_review', 'done'],
  ]);
  expect(steps.every((s) => typeof s.why.messageId === 'string')).toBe(true);
  expect(steps[0]!.why.key).toMatch(new RegExp(`^${handle.workflowId}:[0-9a-f-]{36}:send_tips:1$`));
  // The sends are events too (for segments and waiting runs), one per email.
  const sent = await env.db
    .sql`select 1 from events where contact_id = ${contactId} and name = 'email.sent'`;
  expect(sent.length).toBe(3);
});
