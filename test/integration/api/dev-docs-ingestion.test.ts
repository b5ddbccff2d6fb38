import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

// A developer sending a shop's data from docs/contacts-segments-api.md: what a refused message
// says is true, and says what to change.

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
let writeKey: string;
const recorded = createRecordingDispatcher();
let app: ReturnType<typeof createTestApp>['app'];

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  writeKey = (await db.sql<{ writeKey: string }[]>`select write_key from workspaces`)[0]!.writeKey;
  ({ app } = createTestApp({ db, temporal, dispatcher: recorded.dispatcher }));
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

async function send(path: string, body: unknown) {
  const response = await app.request(path, {
    method: 'POST',
    // Basic auth with the write key as the user name, as Segment's server libraries send it.
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const contacts = async () =>
  (await db.sql<{ n: number }[]>`select count(*)::int as n from contacts`)[0]!.n;

describe('a refused identify', () => {
  it('whose only name is not an email does not claim its other traits were stored', async () => {
    const before = await contacts();
    const response = await send('/v1/identify', {
      traits: { email: 'N/A', plan: 'pro' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([
      {
        field: 'traits.email',
        message: 'Not an email address, and the message names no one else: nothing was stored',
      },
      { field: 'userId', message: 'Send a userId, an anonymousId or traits.email' },
    ]);
    expect(await contacts()).toBe(before);
  });

  it('with a userId keeps the other traits and says so', async () => {
    const response = await send('/v1/identify', {
      userId: 'dev-1',
      traits: { email: 'N/A', plan: 'pro' },
    });
    expect(response.status).toBe(200);
    expect(response.body.warnings).toEqual([
      {
        field: 'traits.email',
        message: 'Not an email address: not stored (the other traits were)',
      },
    ]);
  });
});

describe('an identify with an unknown time zone', () => {
  it('is stored, with a warning naming the trait it came in', async () => {
    const response = await send('/v1/identify', {
      userId: 'dev-3',
      traits: { timezone: 'Mars/Olympus' },
    });
    expect(response.status).toBe(200);
    expect(response.body.warnings).toEqual([
      {
        field: 'traits.timezone',
        message: 'Unknown time zone Mars/Olympus; use an IANA name such as Europe/Paris',
      },
    ]);
  });
});

describe('a batch item that is not a message', () => {
  it('is refused alone, saying to send an object with its type', async () => {
    const response = await send('/v1/batch', {
      batch: [
        { type: 'track', userId: 'dev-2', event: 'Product Viewed' },
        'Product Viewed',
        null,
        { type: 'purchase', userId: 'dev-2' },
      ],
    });
    expect(response.status).toBe(400);
    expect(response.body.accepted).toBe(1);
    expect(response.body.error.message).toBe(
      '3 of 4 messages were rejected (see issues); the other one was stored or ignored',
    );
    expect(response.body.error.issues).toEqual([
      {
        field: 'batch.1.type',
        message:
          'Send each message as an object with its type: identify, track, page, screen, group or alias',
      },
      {
        field: 'batch.2.type',
        message:
          'Send each message as an object with its type: identify, track, page, screen, group or alias',
      },
      {
        field: 'batch.3.type',
        message: 'Set type to identify, track, page, screen, group or alias',
      },
    ]);
  });
});
