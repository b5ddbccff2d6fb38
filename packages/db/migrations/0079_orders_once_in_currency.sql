-- Orders counted once, in the workspace's currency, decided when they are attributed. The
-- reports used to decide both when they were read (session 19), joining each attributed order to
-- its event and probing the contact's earlier orders: on the segments benchmark (38k orders) that
-- tripled the templates list, a template's report and the overview. Decided once here, they read
-- the attributions alone again.
--
-- A copy of an order (a webhook retried, a browser and a server both sending it, under two
-- messageIds: an earlier event of the same name and contact with the same `orderId` or
-- Segment's `order_id`) is not attributed: the first one is. An order whose `currency` differs
-- from the workspace's is attributed without a value (it counts as an order, adds no revenue: a
-- sum of euros and dollars is no amount in either). A new currency attributes again.

create function relance_order_key(properties jsonb) returns text
language sql immutable as $$
  select coalesce(properties ->> 'orderId', properties ->> 'order_id')
$$;

-- Whether order event `id` repeats an order its contact sent before (read by
-- `events_contact_name_time`); an order without a key is never a copy.
create function relance_is_order_copy(
  id bigint, contact uuid, name text, at timestamptz, properties jsonb
) returns boolean language sql stable as $$
  select relance_order_key(properties) is not null and exists (
    select 1 from events d
    where d.contact_id = contact and d.name = relance_is_order_copy.name and d.occurred_at <= at
      and (d.occurred_at < at or d.id < relance_is_order_copy.id)
      and relance_order_key(d.properties) = relance_order_key(relance_is_order_copy.properties))
$$;

-- What an order adds to revenue: its value property, none when it names another currency.
create function relance_order_value(properties jsonb, value_property text, currency text)
returns numeric language sql immutable as $$
  select case
    when jsonb_typeof(properties -> 'currency') = 'string'
      and upper(btrim(properties ->> 'currency')) <> currency then null
    else relance_num(properties -> value_property) end
$$;

-- 0078's trigger, attributing orders by the rules above.
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
    relance_order_value(n.properties, w.conversion_value_property, w.currency), n.occurred_at
  from orders n
  cross join lateral (
    select k.conversion_event, k.conversion_value_property, k.attribution_window_days, k.currency
    from workspaces k where k.id = n.workspace_id limit 1) w
  cross join lateral relance_last_opened_message(
    n.contact_id, n.workspace_id, n.occurred_at, w.attribution_window_days) m
  where n.name = w.conversion_event
    and not relance_is_order_copy(n.id, n.contact_id, n.name, n.occurred_at, n.properties)
  on conflict (event_id) do nothing;
  return null;
end $$;

create or replace function relance_attribute_conversions(workspace uuid, since timestamptz)
returns integer language plpgsql set enable_seqscan = off as $$
declare
  attributed integer;
begin
  delete from email_conversions c where c.workspace_id = workspace and c.occurred_at >= since;
  insert into email_conversions (event_id, message_id, workspace_id, value, occurred_at)
  select e.id, m.message_id, e.workspace_id,
    relance_order_value(e.properties, w.conversion_value_property, w.currency), e.occurred_at
  from workspaces w
  join events e on e.workspace_id = w.id and e.name = w.conversion_event and e.occurred_at >= since
  cross join lateral relance_last_opened_message(
    e.contact_id, e.workspace_id, e.occurred_at, w.attribution_window_days) m
  where w.id = workspace
    and not relance_is_order_copy(e.id, e.contact_id, e.name, e.occurred_at, e.properties);
  get diagnostics attributed = row_count;
  return attributed;
end $$;

create or replace function relance_attribute_contact_conversions(contact uuid, workspace uuid)
returns integer language plpgsql set enable_seqscan = off as $$
declare
  attributed integer;
begin
  insert into email_conversions (event_id, message_id, workspace_id, value, occurred_at)
  select e.id, m.message_id, e.workspace_id,
    relance_order_value(e.properties, w.conversion_value_property, w.currency), e.occurred_at
  from workspaces w
  join events e on e.contact_id = contact and e.workspace_id = w.id and e.name = w.conversion_event
  cross join lateral relance_last_opened_message(
    e.contact_id, e.workspace_id, e.occurred_at, w.attribution_window_days) m
  where w.id = workspace
    and not exists (select 1 from email_conversions c where c.event_id = e.id)
    and not relance_is_order_copy(e.id, e.contact_id, e.name, e.occurred_at, e.properties)
  on conflict (event_id) do nothing;
  get diagnostics attributed = row_count;
  return attributed;
end $$;

-- The orders already attributed, by the same rules.
select relance_attribute_conversions(w.id, '-infinity') from workspaces w;
