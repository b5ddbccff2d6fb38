-- Machine opens, shown beside the opened count. Since 0075 a machine's open (Apple Mail Privacy
-- Protection's prefetch on delivery, a scanner fetching the pixel, a HEAD request) no longer sets
-- `opened_at`, so an Apple Mail reader's email, whose real opens Apple serves from its cache, looks
-- unopened. The reports now count the emails opened only by a machine (`machine_opened_at` set,
-- `opened_at` null) to say so on screen. Only `email.opened` events: a scanner checking a link is
-- not an open (a machine click stays on the timeline only).
alter table email_messages add column machine_opened_at timestamptz;

-- 0075's function, which also keeps the first machine open of each message.
create or replace function relance_mark_email_messages() returns trigger language plpgsql
set enable_seqscan = off as $$
declare
  r record;
begin
  for r in
    select n.workspace_id, (n.properties ->> 'messageId')::uuid as message_id,
      min(n.occurred_at) filter (where n.name = 'email.delivered') as delivered,
      min(n.occurred_at) filter (where n.name in ('email.opened', 'email.clicked')
        and coalesce(n.properties ->> 'machine', '') <> 'true') as opened,
      min(n.occurred_at) filter (where n.name = 'email.opened'
        and n.properties ->> 'machine' = 'true') as machine_opened,
      min(n.occurred_at) filter (where n.name = 'email.clicked'
        and coalesce(n.properties ->> 'machine', '') <> 'true') as clicked,
      min(n.occurred_at) filter (where n.name = 'email.unsubscribed') as unsubscribed,
      min(n.occurred_at) filter (where n.name = 'email.bounced') as bounced,
      min(n.occurred_at) filter (where n.name = 'email.complained') as complained
    from new_rows n
    where n.name in ('email.delivered', 'email.opened', 'email.clicked', 'email.unsubscribed',
        'email.bounced', 'email.complained')
      and n.properties ->> 'messageId'
        ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
    group by 1, 2
    order by 2
  loop
    update email_messages m set
      delivered_at = coalesce(m.delivered_at, r.delivered),
      opened_at = coalesce(m.opened_at, r.opened),
      machine_opened_at = coalesce(m.machine_opened_at, r.machine_opened),
      clicked_at = coalesce(m.clicked_at, r.clicked),
      unsubscribed_at = coalesce(m.unsubscribed_at, r.unsubscribed),
      bounced_at = coalesce(m.bounced_at, r.bounced),
      complained_at = coalesce(m.complained_at, r.complained)
    where m.id = r.message_id and m.workspace_id = r.workspace_id
      and ((m.delivered_at is null and r.delivered is not null)
        or (m.opened_at is null and r.opened is not null)
        or (m.machine_opened_at is null and r.machine_opened is not null)
        or (m.clicked_at is null and r.clicked is not null)
        or (m.unsubscribed_at is null and r.unsubscribed is not null)
        or (m.bounced_at is null and r.bounced is not null)
        or (m.complained_at is null and r.complained is not null));
  end loop;

  -- Most statements hold no order: the names are checked against the conversion events first.
  -- An AFTER STATEMENT trigger sees the statement's own rows: its opens count for its orders.
  with orders as materialized (
    select n.id, n.workspace_id, n.contact_id, n.name, n.properties, n.occurred_at
    from new_rows n where n.name in (select k.conversion_event from workspaces k)
  )
  insert into email_conversions (event_id, message_id, workspace_id, value, occurred_at)
  select n.id, m.message_id, n.workspace_id,
    relance_num(n.properties -> w.conversion_value_property), n.occurred_at
  from orders n
  cross join lateral (
    select k.conversion_event, k.conversion_value_property, k.attribution_window_days
    from workspaces k where k.id = n.workspace_id limit 1) w
  cross join lateral relance_last_opened_message(
    n.contact_id, n.workspace_id, n.occurred_at, w.attribution_window_days) m
  where n.name = w.conversion_event
  on conflict (event_id) do nothing;
  return null;
end $$;

-- The emails already sent, from the machine opens recorded since 0075 was applied. Before it no
-- event carried the flag from the tracking routes, and one sent through the API with
-- `machine: true` set `opened_at` (it counted as a person's), so its email is not counted here
-- anyway: on most installs this fills nothing or a few days' opens. The window keeps it to the
-- `(workspace_id, name, occurred_at)` index rather than every open ever recorded, since every
-- pending migration runs in one transaction, holding the ALTER's lock on email_messages. Left
-- out: a machine open sent through the API since 0075 with a time before it (its email counts
-- neither as opened nor here, as before this migration).
update email_messages m set machine_opened_at = r.machine_opened
from (
  select e.workspace_id, (e.properties ->> 'messageId')::uuid as message_id,
    min(e.occurred_at) as machine_opened
  from workspaces w
  join events e on e.workspace_id = w.id and e.name = 'email.opened'
    and e.occurred_at >= (select s.applied_at from schema_migrations s where s.version = 75)
  where e.properties ->> 'machine' = 'true'
    and e.properties ->> 'messageId'
      ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
  group by 1, 2
) r
where m.id = r.message_id and m.workspace_id = r.workspace_id
  and (m.machine_opened_at is null or m.machine_opened_at > r.machine_opened);
