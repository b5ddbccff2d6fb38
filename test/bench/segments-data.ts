import type { Sql } from '@relance/db';

/** Event names of the generated history and how often each occurs (out of 10). */
const NAMES = [
  'email.sent',
  'email.sent',
  'email.delivered',
  'email.delivered',
  'email.opened',
  'email.opened',
  'email.clicked',
  'page.viewed',
  'page.viewed',
  'order.completed',
];

/**
 * Bump when the generated data changes (sizes, distributions, columns): cached bases are keyed by
 * it. Generating the same data faster needs no bump.
 */
export const GENERATOR_VERSION = 3;

/**
 * Runs `load` with the table's secondary indexes (those no constraint owns) dropped, and builds
 * them again afterwards: one sort per index instead of millions of index insertions.
 */
async function withoutSecondaryIndexes(sql: Sql, table: string, load: () => Promise<void>) {
  const indexes = await sql<{ name: string; definition: string }[]>`
    select i.indexname as name, i.indexdef as definition from pg_indexes i
    where i.schemaname = 'public' and i.tablename = ${table}
      and not exists (select 1 from pg_constraint k where k.conname = i.indexname)`;
  for (const index of indexes) await sql.unsafe(`drop index ${index.name}`);
  await load();
  for (const index of indexes) await sql.unsafe(index.definition);
}

/**
 * A base of `contacts` contacts and `events` events spread over the last 60 days, generated
 * in SQL (generate_series), with rollups and the date index built in bulk afterwards. Contact
 * ids are md5('c' || n)::uuid so events can point at them without a join.
 */
export async function generateBase(
  sql: Sql,
  workspaceId: string,
  sizes: { contacts: number; events: number },
  log: (line: string) => void,
) {
  const started = performance.now();
  await sql`set maintenance_work_mem = '512MB'`;
  await sql`set max_parallel_maintenance_workers = 2`;
  await sql`set work_mem = '256MB'`;
  // Rows are consistent by construction: skip foreign-key checks (20M lookups for the events)
  // and the contact-dates trigger, whose rows are written in bulk below.
  await sql`set session_replication_role = replica`;
  await withoutSecondaryIndexes(sql, 'contacts', async () => {
    await sql`
    insert into contacts (id, workspace_id, external_id, email, properties, created_at, updated_at)
    select md5('c' || g)::uuid, ${workspaceId}, 'u' || g, 'u' || g || '@bench.test',
      jsonb_build_object('plan', case when g % 3 = 0 then 'pro' else 'free' end),
      now() - (g % 400) * interval '1 day', now()
    from generate_series(1, ${sizes.contacts}::int) g`;
  });
  await sql`
    insert into contact_date_properties (contact_id, workspace_id, name, at, month_day)
    select id, workspace_id, '$created_at', created_at,
      (extract(month from created_at) * 100 + extract(day from created_at))::int
    from contacts where workspace_id = ${workspaceId}`;
  log(`contacts: ${Math.round(performance.now() - started)} ms`);
  const names = `{${NAMES.join(',')}}`;
  // In slices, so one statement never holds millions of rows in memory.
  const slice = 1_000_000;
  await withoutSecondaryIndexes(sql, 'events', async () => {
    for (let from = 0; from < sizes.events; from += slice) {
      await sql`
      insert into events (workspace_id, contact_id, name, properties, occurred_at, received_at, source)
      select ${workspaceId}, x.contact_id, x.name,
        case when x.name = 'order.completed' then jsonb_build_object('amount', (random() * 200)::int) else '{}'::jsonb end,
        x.at, x.at, 'bench'
      from (
        select md5('c' || (1 + floor(random() * ${sizes.contacts}::int))::int)::uuid as contact_id,
          (${names}::text[])[1 + floor(random() * ${NAMES.length})::int] as name,
          now() - random() * interval '60 days' as at
        from generate_series(1, ${Math.min(slice, sizes.events - from)}::int)
      ) x`;
    }
    log(`events: ${Math.round(performance.now() - started)} ms`);
  });
  log(`event indexes: ${Math.round(performance.now() - started)} ms`);
  await withoutSecondaryIndexes(sql, 'contact_event_rollups', async () => {
    await sql`
    insert into contact_event_rollups (workspace_id, contact_id, name, count, first_at, last_at, human_last_at)
    select ${workspaceId}, contact_id, name, count(*), min(occurred_at), max(occurred_at),
      -- A person's last open or click, as ingestion writes it: these events carry no machine
      -- flag, so they are all a person's.
      case when name in ('email.opened', 'email.clicked') then max(occurred_at) end
    from events where workspace_id = ${workspaceId} group by contact_id, name`;
  });
  await sql`reset session_replication_role`;
  await sql`vacuum analyze contacts`;
  await sql`vacuum analyze events`;
  await sql`vacuum analyze contact_event_rollups`;
  await sql`vacuum analyze contact_date_properties`;
  log(`rollups and statistics: ${Math.round(performance.now() - started)} ms`);
  return { generationMs: Math.round(performance.now() - started) };
}
