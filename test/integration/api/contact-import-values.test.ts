import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_ADMIN_TOKEN } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createRecordingDispatcher } from '../../support/recording-dispatcher';
import { connectDevServer } from '../../support/temporal';

let db: TestDatabase;
let temporal: Awaited<ReturnType<typeof connectDevServer>>;
const recorded = createRecordingDispatcher();
let test: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  temporal = await connectDevServer();
  test = createTestApp({ db, temporal, dispatcher: recorded.dispatcher });
});
afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

const csv = (text: string, query = '', contentType = 'text/csv') =>
  test.app.request(`/api/contacts/import${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': contentType },
    body: text,
  });

const mappingOf = (mapping: object) => `mapping=${encodeURIComponent(JSON.stringify(mapping))}`;

async function propertiesOf(email: string) {
  const [row] = await db.sql<{ properties: Record<string, unknown>; timezone: string | null }[]>`
    select properties, timezone from contacts where email = ${email}`;
  return row;
}

describe('CSV import of values that cannot be read', () => {
  it('imports the contact without the unreadable cell, keeps an existing value, and warns', async () => {
    await test.call('PUT', '/api/properties/contact/total', { type: 'number' });
    await test.call('PUT', '/api/properties/contact/seats', { type: 'number' });
    const first = await csv('email,total,seats,plan\nkeep@x.test,99.5,3,free\n');
    expect(first.status).toBe(200);
    const response = await csv(
      [
        'Email,Total,Seats,Plan,Time zone',
        'keep@x.test,"1 234,56 €",n/a,pro,Europe/Paris',
        'new@x.test,12.5,many,team,Mars/Olympus',
        'not-an-email,1,1,free,',
        ',1,1,free,',
      ].join('\n'),
      `?${mappingOf({ Total: 'total', Seats: 'seats' })}`,
    );
    expect(response.status).toBe(200);
    const report = (await response.json()) as any;
    expect(report).toMatchObject({
      rows: 4,
      created: 1,
      updated: 1,
      rejected: 2,
      rowsWithSkippedValues: 2,
      warned: 4,
    });
    expect(report.warnings).toEqual([
      {
        line: 2,
        field: 'Total',
        reason:
          '"1 234,56 €" is not a plain number: write the amount without its currency, with a dot for decimals and no thousands separators, such as 1234.56',
      },
      {
        line: 2,
        field: 'Seats',
        reason: '"n/a" is not a number: leave the cell empty when there is no value',
      },
      { line: 3, field: 'Seats', reason: '"many" is not a number' },
      {
        line: 3,
        field: 'Time zone',
        reason:
          '"Mars/Olympus" is not a time zone: write its name as in Europe/Paris or America/New_York',
      },
    ]);
    // A row that cannot be a contact is still refused.
    expect(report.rejections).toEqual([
      { line: 4, field: 'Email', reason: '"not-an-email" is not an email address' },
      { line: 5, field: 'email', reason: 'The row has neither an email nor an external id' },
    ]);
    // The existing contact keeps what the file could not say, and takes what it could.
    expect(await propertiesOf('keep@x.test')).toEqual({
      properties: { total: 99.5, seats: 3, plan: 'pro' },
      timezone: 'Europe/Paris',
    });
    expect(await propertiesOf('new@x.test')).toEqual({
      properties: { total: 12.5, plan: 'team' },
      timezone: null,
    });
    // And is in the segments its readable values place it in (every new contact: Prospects).
    const [member] = await db.sql`
      select count(*)::int as n from segment_members m join segments s on s.id = m.segment_id
      join contacts c on c.id = m.contact_id where s.builtin = 'prospects' and c.email = 'new@x.test'`;
    expect(member!.n).toBe(1);
  });

  it('reads dates written day or month first only in the order the import names', async () => {
    const mapping = mappingOf({ Joined: { property: 'joined', type: 'date' } });
    const lines = [
      'email,Joined',
      'd1@x.test,04/03/2019',
      'd2@x.test,31/12/2019',
      'd3@x.test,2019-06-15',
      'd4@x.test,2019/06/15',
      'd5@x.test,31/02/2019',
      'd6@x.test,4.3.19',
      'd7@x.test,04/03/2019 14:30',
    ].join('\n');
    const unordered = (await (await csv(lines, `?${mapping}`)).json()) as any;
    expect(unordered).toMatchObject({ created: 7, rejected: 0, rowsWithSkippedValues: 5 });
    expect(unordered.warnings.map((w: { reason: string }) => w.reason)).toEqual([
      '"04/03/2019" could be 2019-03-04 (day first) or 2019-04-03 (month first): write it as year-month-day, or import with the file\'s date order (dateOrder=dmy or mdy)',
      '"31/12/2019" reads as 2019-12-31 (day first): write it as year-month-day, or import with the file\'s date order (dateOrder=dmy)',
      '"31/02/2019" is not a date of the calendar: write it as 2019-03-04',
      '"4.3.19" has a two-digit year: write the year in full, such as 2019-03-04',
      '"04/03/2019 14:30" could be 2019-03-04T14:30 (day first) or 2019-04-03T14:30 (month first): write it as year-month-day, or import with the file\'s date order (dateOrder=dmy or mdy)',
    ]);
    expect((await propertiesOf('d3@x.test'))!.properties).toEqual({ joined: '2019-06-15' });
    expect((await propertiesOf('d4@x.test'))!.properties).toEqual({ joined: '2019-06-15' });
    expect((await propertiesOf('d1@x.test'))!.properties).toEqual({});

    const dmy = (await (await csv(lines, `?${mapping}&dateOrder=dmy`)).json()) as any;
    expect(dmy).toMatchObject({ updated: 7, rowsWithSkippedValues: 2 });
    expect((await propertiesOf('d1@x.test'))!.properties).toEqual({ joined: '2019-03-04' });
    expect((await propertiesOf('d2@x.test'))!.properties).toEqual({ joined: '2019-12-31' });
    expect((await propertiesOf('d7@x.test'))!.properties).toEqual({ joined: '2019-03-04T14:30' });
    // Read as a date, anniversaries and date rules see it.
    const [indexed] = await db.sql<{ monthDay: number }[]>`
      select d.month_day from contact_date_properties d join contacts c on c.id = d.contact_id
      where d.name = 'joined' and c.email = 'd2@x.test'`;
    expect(indexed!.monthDay).toBe(1231);

    const mdy = (await (await csv(lines, `?${mapping}&dateOrder=mdy`)).json()) as any;
    expect((await propertiesOf('d1@x.test'))!.properties).toEqual({ joined: '2019-04-03' });
    // 31/12/2019 is no month-first date: skipped, d2 keeps the date the dmy import gave it.
    expect(mdy.warnings[0]).toEqual({
      line: 3,
      field: 'Joined',
      reason:
        '"31/12/2019" is not a date read as month/day/year, the file\'s date order: write it as 2019-03-04, or choose the order its dates are written in',
    });
    expect((await propertiesOf('d2@x.test'))!.properties).toEqual({ joined: '2019-12-31' });

    const bad = await csv(lines, `?${mapping}&dateOrder=dd/mm`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.issues[0]).toMatchObject({
      field: 'query.dateOrder',
      message: expect.stringContaining('"dmy" (day first)'),
    });
  });

  it('keeps the report bounded: the first 1,000 warnings and their count', async () => {
    const rows = Array.from({ length: 1_500 }, (_, i) => `bound${i}@x.test,lots`);
    const response = await csv(
      ['email,Seats', ...rows].join('\n'),
      `?${mappingOf({ Seats: { property: 'seats', type: 'number' } })}`,
    );
    const report = (await response.json()) as any;
    expect(report).toMatchObject({
      rows: 1_500,
      created: 1_500,
      rejected: 0,
      rowsWithSkippedValues: 1_500,
      warned: 1_500,
    });
    expect(report.warnings).toHaveLength(1_000);
    expect(report.warnings[999]).toMatchObject({ line: 1_001, field: 'Seats' });
  });

  it('refuses an empty body, or JSON or a form sent instead of the CSV file', async () => {
    const empty = await csv('');
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as any).error).toMatchObject({
      code: 'empty_body',
      issues: [{ field: '(body)', message: expect.stringContaining('Content-Type: text/csv') }],
    });
    const blank = await csv('\n\n');
    expect(blank.status).toBe(400);
    const json = await csv(
      JSON.stringify([{ email: 'json@x.test' }]),
      '',
      'application/json; charset=utf-8',
    );
    expect(json.status).toBe(415);
    expect(((await json.json()) as any).error).toMatchObject({
      code: 'unsupported_media_type',
      issues: [
        {
          field: 'headers.content-type',
          message: expect.stringMatching(/^The body is application\/json: send the CSV file/),
        },
      ],
    });
    const form = await csv('--x\r\n', '', 'multipart/form-data; boundary=x');
    expect(form.status).toBe(415);
    // A header line without rows is a file, of no contacts.
    const headerOnly = await csv('email,plan\n');
    expect(headerOnly.status).toBe(200);
    expect(((await headerOnly.json()) as any).rows).toBe(0);
    const [count] =
      await db.sql`select count(*)::int as n from contacts where email = 'json@x.test'`;
    expect(count!.n).toBe(0);
  });
});
