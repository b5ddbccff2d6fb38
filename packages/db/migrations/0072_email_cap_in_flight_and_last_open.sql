-- 1. The frequency cap counts the sends in flight, not only those already sent. A marketing send
-- the policy lets go under a cap (or a monthly preference) is reserved, under a lock on its
-- contact, before it is handed over: `reserved_at` holds its place until it is sent (then
-- `sent_at` counts) or ends skipped or failed (then it counts no more). A deferral clears it.
alter table email_messages add column reserved_at timestamptz;
-- The contact's messages not finished yet (few per contact): the cap's count of those in flight.
create index email_messages_contact_in_flight on email_messages (contact_id)
  where status in ('pending', 'sending');

-- 2. Orders go to the email opened last before them: by the time of its latest open or click
-- before the order, read from the events, where 0068 ranked emails by their first open (a
-- contact who opened A, then B, then A again and ordered was counted for B). The contact's
-- engagement events of the window are read by `events_contact_name_time` (0002); the email
-- must be the contact's own, in the workspace, and not a test send.
create function relance_last_opened_message(
  contact uuid, workspace uuid, at timestamptz, window_days integer
) returns table (message_id uuid) language sql stable as $$
  select x.id
  from events e
  join email_messages x
    on x.id = case
      when e.properties ->> 'messageId'
        ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
      then (e.properties ->> 'messageId')::uuid end
  where e.contact_id = contact and e.name in ('email.opened', 'email.clicked')
    and e.occurred_at <= at and e.occurred_at >= at - make_interval(days => window_days)
    and x.contact_id = contact and x.workspace_id = workspace
    and x.idempotency_key not like 'test:%'
  order by e.occurred_at desc, e.id desc
  limit 1
$$;

create or replace function relance_attribute_conversions(workspace uuid, since timestamptz)
returns integer language plpgsql set enable_seqscan = off as $$
declare
  attributed integer;
begin
  delete from email_conversions c where c.workspace_id = workspace and c.occurred_at >= since;
  insert into email_conversions (event_id, message_id, workspace_id, value, occurred_at)
  select e.id, m.message_id, e.workspace_id,
    relance_num(e.properties -> w.conversion_value_property), e.occurred_at
  from workspaces w
  join events e on e.workspace_id = w.id and e.name = w.conversion_event and e.occurred_at >= since
  cross join lateral relance_last_opened_message(
    e.contact_id, e.workspace_id, e.occurred_at, w.attribution_window_days) m
  where w.id = workspace;
  get diagnostics attributed = row_count;
  return attributed;
end $$;

-- 0068's function with the orders' email found as above.
create or replace function relance_mark_email_messages() returns trigger language plpgsql
set enable_seqscan = off as $$
declare
  r record;
begin
  for r in
    select n.workspace_id, (n.properties ->> 'messageId')::uuid as message_id,
      min(n.occurred_at) filter (where n.name = 'email.delivered') as delivered,
      min(n.occurred_at) filter (where n.name in ('email.opened', 'email.clicked')) as opened,
      min(n.occurred_at) filter (where n.name = 'email.clicked') as clicked,
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
      clicked_at = coalesce(m.clicked_at, r.clicked),
      unsubscribed_at = coalesce(m.unsubscribed_at, r.unsubscribed),
      bounced_at = coalesce(m.bounced_at, r.bounced),
      complained_at = coalesce(m.complained_at, r.complained)
    where m.id = r.message_id and m.workspace_id = r.workspace_id
      and ((m.delivered_at is null and r.delivered is not null)
        or (m.opened_at is null and r.opened is not null)
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

-- The orders already recorded, counted again by the latest open.
select relance_attribute_conversions(w.id, '-infinity') from workspaces w;
