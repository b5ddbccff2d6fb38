import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// A developer wiring a shop from docs/contacts-segments-api.md: every malformed rule, filter or
// segment names the field at fault and says what to send, instead of "rule: Invalid input".

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
const recorded = createRecordingDispatcher();
let call: ReturnType<typeof createTestApp>['call'];

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  ({ call } = createTestApp({ db, temporal, dispatcher: recorded.dispatcher }));
  await call('POST', '/api/contacts', { email: 'ada@x.test', tags: ['vip'] });
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

const issuesOf = (body: { error: { issues: { field: string; message: string }[] } }) =>
  body.error.issues.map((i) => [i.field, i.message]);

describe('a malformed rule names the field of the condition at fault', () => {
  it.each([
    [
      'a tag condition without its op and tag',
      { kind: 'tag' },
      [
        ['rule.op', 'Choose one of has, lacks'],
        ['rule.tag', 'Missing: send text'],
      ],
    ],
    [
      'a property comparison with an unknown op',
      { kind: 'property', property: 'plan', op: 'equals', value: 'pro' },
      [['rule.op', expect.stringContaining('Choose one of eq, neq, gt')]],
    ],
    [
      'a property comparison without a value',
      { kind: 'property', property: 'plan', op: 'eq' },
      [['rule.value', 'Send text, a number or true/false']],
    ],
    [
      'a score compared with text, second in a list',
      {
        kind: 'all',
        conditions: [
          { kind: 'tag', op: 'has', tag: 'vip' },
          { kind: 'score', op: 'gte', value: 'ten' },
        ],
      },
      [['rule.conditions.1.value', 'Send a number']],
    ],
    [
      'an email condition with an unknown action, inside a not',
      { kind: 'not', condition: { kind: 'email', action: 'read', op: 'at_least', count: 1 } },
      [['rule.condition.action', expect.stringContaining('Choose one of sent, delivered, opened')]],
    ],
    [
      'an unknown kind',
      { kind: 'purchased' },
      [['rule.kind', expect.stringContaining('Set kind to one of all, any, not, property')]],
    ],
    [
      'a date comparison with a value that is no date',
      { kind: 'property', property: 'signup_at', op: 'before', value: 'last spring' },
      [
        [
          'rule.value',
          'Send a date, such as 2025-06-15, or a date and time, such as 2025-06-15T09:30:00Z',
        ],
      ],
    ],
    [
      "an event count's filter with an unknown op",
      {
        kind: 'event_count',
        event: 'order.completed',
        op: 'at_least',
        count: 1,
        where: { kind: 'property', property: 'amount', op: 'above', value: 50 },
      },
      [['rule.where.op', expect.stringContaining('Choose one of eq, neq, gt')]],
    ],
    [
      "an event count's filter of a kind a filter cannot be",
      {
        kind: 'event_count',
        event: 'order.completed',
        op: 'at_least',
        count: 1,
        where: { kind: 'tag', op: 'has', tag: 'vip' },
      },
      [['rule.where.kind', 'Set kind to one of property, all, any, not']],
    ],
    [
      'an empty list',
      { kind: 'any', conditions: [] },
      [['rule.conditions', 'Add at least one condition, as a list']],
    ],
  ])('preview: %s', async (_what, rule, issues) => {
    const response = await call('POST', '/api/segments/preview', { rule });
    expect(response.status).toBe(400);
    expect(issuesOf(response.body)).toEqual(issues);
  });

  it('creating a dynamic segment without a rule says to send one', async () => {
    const response = await call('POST', '/api/segments', { kind: 'dynamic', name: 'No rule' });
    expect(response.status).toBe(400);
    expect(issuesOf(response.body)).toEqual([
      ['rule', expect.stringContaining('Send a condition, such as')],
    ]);
  });

  it('editing a rule names the field too', async () => {
    const created = await call('POST', '/api/segments', {
      kind: 'dynamic',
      name: 'VIPs',
      rule: { kind: 'tag', op: 'has', tag: 'vip' },
    });
    expect(created.status).toBe(201);
    const response = await call('PATCH', `/api/segments/${created.body.id}`, {
      rule: { kind: 'segment', op: 'in' },
    });
    expect(response.status).toBe(400);
    expect(issuesOf(response.body)).toEqual([['rule.segmentId', 'Missing: send text']]);
  });

  it('the contact search names the field of its filter', async () => {
    const filter = encodeURIComponent(JSON.stringify({ kind: 'tag', op: 'has' }));
    const response = await call('GET', `/api/contacts?filter=${filter}`);
    expect(response.status).toBe(400);
    expect(issuesOf(response.body)).toEqual([['query.filter.tag', 'Missing: send text']]);
  });

  it('a valid rule still previews', async () => {
    const response = await call('POST', '/api/segments/preview', {
      rule: { kind: 'all', conditions: [{ kind: 'tag', op: 'has', tag: 'vip' }] },
    });
    expect(response.status).toBe(200);
    expect(response.body.count).toBe(1);
  });
});

describe('segments and searches a developer gets wrong', () => {
  it('a static segment sent with a rule is refused, not created without it', async () => {
    const response = await call('POST', '/api/segments', {
      kind: 'static',
      name: 'Pro plan',
      rule: { kind: 'property', property: 'plan', op: 'eq', value: 'pro' },
    });
    expect(response.status).toBe(400);
    expect(issuesOf(response.body)).toEqual([
      ['rule', expect.stringContaining('A static segment has no rule')],
    ]);
    const list = await call('GET', '/api/segments');
    expect(list.body.segments.map((s: { name: string }) => s.name)).not.toContain('Pro plan');
  });

  it('an unknown kind of segment says which kinds there are', async () => {
    const response = await call('POST', '/api/segments', { kind: 'smart', name: 'X' });
    expect(response.status).toBe(400);
    expect(issuesOf(response.body)).toEqual([
      ['kind', expect.stringContaining('Set kind to "static"')],
    ]);
  });

  it.each(['/api/contacts', '/api/contacts/export'])(
    '%s with the id of no segment says so instead of finding no one',
    async (path) => {
      const response = await call('GET', `${path}?segmentId=00000000-0000-4000-8000-000000000000`);
      expect(response.status).toBe(400);
      expect(issuesOf(response.body)).toEqual([['query.segmentId', 'No segment has this id']]);
    },
  );
});

describe("a segment's change log", () => {
  it('names a page cursor it did not hand out and says where to take one', async () => {
    const created = await call('POST', '/api/segments', { kind: 'static', name: 'Log' });
    const response = await call('GET', `/api/segments/${created.body.id}/changes?before=abc`);
    expect(response.status).toBe(400);
    expect(issuesOf(response.body)).toEqual([
      ['query.before', 'Send the id of a change from this list, as next gave it'],
    ]);
  });
});
