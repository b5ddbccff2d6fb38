import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTemplateCache, sendTestMessage, type MailProvider } from '@relance/email';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import {
  headersOf,
  insertContact,
  insertEvent,
  NEWSLETTER,
  partOf,
  saveTemplate,
  saveTopic,
  smtpProviderFor,
  startTestSmtpServer,
  tracking,
  type TestSmtpServer,
} from './support';

// A post-purchase email reads the order that started its journey (`{{ event.product }}`): a
// test of it rendered after one of the contact's orders shows that order, as the preview does,
// instead of arriving with every order detail empty.

let db: TestDatabase;
let server: TestSmtpServer;
let provider: MailProvider;

beforeAll(async () => {
  db = await createTestDatabase();
  await saveTopic(db.sql, db.workspaceId, 'newsletter');
  server = await startTestSmtpServer();
  provider = smtpProviderFor(server);
});
afterAll(async () => {
  await provider?.close();
  await server?.close();
  await db?.drop();
});

it('a test rendered after one of the contact’s events reads that event, and without one reads none', async () => {
  const contactId = await insertContact(db.sql, db.workspaceId, {
    email: 'buyer@example.com',
    properties: { first_name: 'Bea' },
  });
  const eventId = await insertEvent(db.sql, db.workspaceId, contactId, 'order.completed', {
    product: 'Kettle',
    order_id: 'K-7',
  });
  const saved = await saveTemplate(db.sql, db.workspaceId, NEWSLETTER);
  const deps = { sql: db.sql, tracking, templates: createTemplateCache(), provider };
  const input = {
    workspaceId: db.workspaceId,
    templateId: saved.id,
    template: saved.template,
    to: 'marketer@acme.test',
    contactId,
  };

  const withEvent = await sendTestMessage(deps, { ...input, eventId });
  expect(withEvent.kind).toBe('sent');
  const mail = server.received.at(-1)!;
  expect(headersOf(mail.raw).get('subject')).toBe('[Test] Hi Bea, about your Kettle');
  const html = partOf(mail.raw, 'text/html');
  expect(html).toContain('Your order of Kettle is on its way.');

  const without = await sendTestMessage(deps, input);
  expect(without.kind).toBe('sent');
  expect(headersOf(server.received.at(-1)!.raw).get('subject')).toBe('[Test] Hi Bea, about your');
});
