-- 1. Machine opens and clicks (Apple Mail Privacy Protection's proxy, link scanners): the
-- tracking routes flag them on the event (`machine: true`), and they are kept, but they no
-- longer mark an email opened or clicked nor bring it an order. Events without the flag (older
-- ones, or sent by another tool through the API) count as a person's.
--
-- An order now goes to the email clicked last within the window before it; without a click, to
-- the email opened last (by a person). A click is the stronger sign of interest: a contact who
-- clicked the win-back and then glanced at a newsletter bought because of the win-back.
create or replace function relance_last_opened_message(
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
    and coalesce(e.properties ->> 'machine', '') <> 'true'
    and x.contact_id = contact and x.workspace_id = workspace
    and x.idempotency_key not like 'test:%'
  order by e.name = 'email.clicked' desc, e.occurred_at desc, e.id desc
  limit 1
$$;

-- 0072's function with machine opens and clicks left out of `opened_at` and `clicked_at`.
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

-- 2. A merge (an identify joining the browser's anonymous contact, or the API's) moves the
-- other contact's orders to the survivor, whose emails they were placed after: its orders not
-- attributed yet are attributed now, by the rule above. Orders already attributed keep theirs.
create function relance_attribute_contact_conversions(contact uuid, workspace uuid)
returns integer language plpgsql set enable_seqscan = off as $$
declare
  attributed integer;
begin
  insert into email_conversions (event_id, message_id, workspace_id, value, occurred_at)
  select e.id, m.message_id, e.workspace_id,
    relance_num(e.properties -> w.conversion_value_property), e.occurred_at
  from workspaces w
  join events e on e.contact_id = contact and e.workspace_id = w.id and e.name = w.conversion_event
  cross join lateral relance_last_opened_message(
    e.contact_id, e.workspace_id, e.occurred_at, w.attribution_window_days) m
  where w.id = workspace
    and not exists (select 1 from email_conversions c where c.event_id = e.id)
  on conflict (event_id) do nothing;
  get diagnostics attributed = row_count;
  return attributed;
end $$;

-- The orders already recorded, counted again by the click-first rule (no event recorded before
-- this migration carries the machine flag).
select relance_attribute_conversions(w.id, '-infinity') from workspaces w;
