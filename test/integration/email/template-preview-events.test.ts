import { expect, it } from 'vitest';
import { recordEvents } from '@relance/db';
import { insertContact, useEmailApp } from './support';

// The events a template's preview (or test) can be rendered after: the contact's events an
// email can read, newest first, a page at a time and of one name if asked, reaching an order
// behind any number of newer events, without the emails' own events.

const email = useEmailApp();

it('pages a contact’s events newest first, without its emails’ events, and narrows to a name', async () => {
  const { db, call } = email;
  const contactId = await insertContact(db.sql, db.workspaceId, { email: 'cy@example.com' });
  const at = (minutes: number) => new Date(Date.parse('2026-03-01T00:00:00Z') + minutes * 60_000);
  await recordEvents(db.sql, db.workspaceId, [
    { contactId, name: 'order.completed', properties: { orderId: 'A' }, occurredAt: at(0) },
    ...Array.from({ length: 250 }, (_, i) => ({
      contactId,
      name: 'page.viewed',
      occurredAt: at(i + 1),
    })),
    { contactId, name: 'email.opened', occurredAt: at(300) },
  ]);
  const path = (query: string) => `/api/templates/preview-events?contactId=${contactId}${query}`;

  const first = await call('GET', path('&limit=100'));
  expect(first.status).toBe(200);
  expect(first.body.names).toEqual([
    { name: 'page.viewed', count: 250 },
    { name: 'order.completed', count: 1 },
  ]);
  expect(first.body.events).toHaveLength(100);
  expect(first.body.events[0]).toMatchObject({ name: 'page.viewed', at: at(250).toISOString() });

  // Paged back to the order, each event once, newest first.
  const seen: { id: string; name: string; at: string }[] = [...first.body.events];
  let cursor: string | null = first.body.nextCursor;
  while (cursor) {
    const page = await call('GET', path(`&limit=100&cursor=${cursor}`));
    expect(page.body.names).toBeNull();
    seen.push(...page.body.events);
    cursor = page.body.nextCursor;
  }
  expect(seen).toHaveLength(251);
  expect(new Set(seen.map((e) => e.id)).size).toBe(251);
  expect(seen.at(-1)).toMatchObject({ name: 'order.completed', at: at(0).toISOString() });
  expect(seen.map((e) => e.at)).toEqual([...seen.map((e) => e.at)].sort().reverse());

  const orders = await call('GET', path('&name=order.completed'));
  expect(orders.body.events).toEqual([
    { id: expect.any(String), name: 'order.completed', at: at(0).toISOString() },
  ]);
  expect(orders.body.nextCursor).toBeNull();
  // An email's own events are not offered: the email cannot read them.
  expect((await call('GET', path('&name=email.opened'))).body.events).toEqual([]);
});

it('refuses a bad contact, cursor or limit naming the field', async () => {
  const { call } = email;
  const missing = await call(
    'GET',
    '/api/templates/preview-events?contactId=00000000-0000-4000-8000-000000000000',
  );
  expect(missing.status).toBe(404);
  expect(missing.body.error.issues).toEqual([
    { field: 'contactId', message: 'No contact has this id in this workspace' },
  ]);
  const bad = await call('GET', '/api/templates/preview-events?contactId=nope&cursor=x&limit=1000');
  expect(bad.status).toBe(400);
  expect(bad.body.error.issues.map((i: { field: string }) => i.field).sort()).toEqual([
    'query.contactId',
    'query.cursor',
    'query.limit',
  ]);
});

it('searches a contact’s events by what they hold, saying which value matched and when it stopped early', async () => {
  const { db, call } = email;
  const contactId = await insertContact(db.sql, db.workspaceId, { email: 'shoes@example.com' });
  const at = (minutes: number) => new Date(Date.parse('2026-04-01T00:00:00Z') + minutes * 60_000);
  await recordEvents(db.sql, db.workspaceId, [
    {
      contactId,
      name: 'order.completed',
      properties: { orderId: 'ORD-1041', products: [{ name: 'Red boots', price: 80 }] },
      occurredAt: at(0),
    },
    {
      contactId,
      name: 'order.completed',
      properties: { orderId: 'ORD-1042', products: [{ name: 'Blue Sneakers', price: 95 }] },
      occurredAt: at(1),
    },
    { contactId, name: 'page.viewed', properties: { url: '/blue-sneakers' }, occurredAt: at(2) },
    // An email's own events are not searched: the email cannot read them.
    { contactId, name: 'email.clicked', properties: { url: '/ORD-1042' }, occurredAt: at(3) },
  ]);
  const path = (query: string) => `/api/templates/preview-events?contactId=${contactId}${query}`;

  const order = await call('GET', path('&search=%20ord-1042%20'));
  expect(order.status).toBe(200);
  expect(order.body.events).toEqual([
    {
      id: expect.any(String),
      name: 'order.completed',
      at: at(1).toISOString(),
      match: { property: 'orderId', value: 'ORD-1042' },
    },
  ]);
  expect(order.body.search).toEqual({ read: 5000, stoppedAt: null });
  expect(order.body.nextCursor).toBeNull();
  expect(order.body.names).toHaveLength(2);

  // Every word, in any value, any case: the sneakers' order and the page about them.
  const sneakers = await call('GET', path('&search=sneakers%20BLUE'));
  expect(
    sneakers.body.events.map((e: { name: string; match: unknown }) => [e.name, e.match]),
  ).toEqual([
    ['page.viewed', { property: 'url', value: '/blue-sneakers' }],
    ['order.completed', { property: 'products.0.name', value: 'Blue Sneakers' }],
  ]);
  // Narrowed to a name, and a word of the event's name counts.
  const orders = await call('GET', path('&name=order.completed&search=order%20sneakers'));
  expect(orders.body.events.map((e: { at: string }) => e.at)).toEqual([at(1).toISOString()]);
  expect((await call('GET', path('&search=red%20sneakers'))).body.events).toEqual([]);

  // Behind more events than a search reads, it stops, says where, and goes on from there.
  await recordEvents(
    db.sql,
    db.workspaceId,
    Array.from({ length: 5_010 }, (_, i) => ({
      contactId,
      name: 'page.viewed',
      properties: { url: `/p/${i}` },
      occurredAt: at(10 + i),
    })),
  );
  const stopped = await call('GET', path('&search=ORD-1041'));
  expect(stopped.body.events).toEqual([]);
  expect(stopped.body.search).toEqual({ read: 5000, stoppedAt: at(20).toISOString() });
  const more = await call('GET', path(`&search=ORD-1041&cursor=${stopped.body.nextCursor}`));
  expect(more.body.events).toMatchObject([{ name: 'order.completed', at: at(0).toISOString() }]);
  expect(more.body.search).toEqual({ read: 5000, stoppedAt: null });
  expect(more.body.nextCursor).toBeNull();
  expect(more.body.names).toBeNull();
});

it('refuses an empty or too long search naming the field', async () => {
  const { db, call } = email;
  const contactId = await insertContact(db.sql, db.workspaceId, { email: 'bad@example.com' });
  for (const search of [
    '%20%20',
    'x'.repeat(101),
    Array.from({ length: 11 }, (_, i) => `w${i}`).join('%20'),
  ]) {
    const bad = await call(
      'GET',
      `/api/templates/preview-events?contactId=${contactId}&search=${search}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { field: string }) => i.field)).toEqual(['query.search']);
  }
});
