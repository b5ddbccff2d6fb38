-- Orders attributed to the email that brought them: an order (the workspace's conversion event)
-- goes to the last email its contact opened or clicked within the attribution window before it
-- (last touch, as Klaviyo and Braze count it). The attribution is made when the order is
-- recorded, by the events' statement trigger, so reports add up stored rows instead of searching
-- every contact's emails for every order.
alter table workspaces
  add column conversion_event text not null default 'order.completed'
    check (conversion_event <> '' and length(conversion_event) <= 200),
  add column conversion_value_property text default 'amount'
    check (conversion_value_property <> '' and length(conversion_value_property) <= 200),
  add column attribution_window_days integer not null default 5
    check (attribution_window_days between 1 and 30),
  add column currency text not null default 'EUR' check (currency ~ '^[A-Z]{3}$');

create table email_conversions (
  -- An order counts once, for one email.
  event_id bigint primary key references events (id) on delete cascade,
  message_id uuid not null references email_messages (id) on delete cascade,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  -- The order's value (the value property, read as a number); null when it has none.
  value numeric,
  occurred_at timestamptz not null
);
create index email_conversions_message on email_conversions (message_id);
create index email_conversions_workspace_time on email_conversions (workspace_id, occurred_at);

-- The emails each contact engaged with, newest first: one probe per order.
create index email_messages_contact_opened on email_messages (contact_id, opened_at desc)
  where opened_at is not null;

-- Attributes the orders of one workspace recorded since `since` (again: their earlier
-- attribution is replaced), by its current settings. Used when the settings change, and below to
-- attribute the orders already recorded.
create function relance_attribute_conversions(workspace uuid, since timestamptz) returns integer
language plpgsql set enable_seqscan = off as $$
declare
  attributed integer;
begin
  delete from email_conversions c where c.workspace_id = workspace and c.occurred_at >= since;
  insert into email_conversions (event_id, message_id, workspace_id, value, occurred_at)
  select e.id, m.id, e.workspace_id,
    relance_num(e.properties -> w.conversion_value_property), e.occurred_at
  from workspaces w
  join events e on e.workspace_id = w.id and e.name = w.conversion_event and e.occurred_at >= since
  cross join lateral (
    select x.id from email_messages x
    where x.contact_id = e.contact_id and x.opened_at is not null
      and x.opened_at <= e.occurred_at
      and x.opened_at >= e.occurred_at - make_interval(days => w.attribution_window_days)
      and x.idempotency_key not like 'test:%'
    order by x.opened_at desc, x.id desc
    limit 1) m
  where w.id = workspace;
  get diagnostics attributed = row_count;
  return attributed;
end $$;

-- 0066's function, and then the orders of the statement: each goes to the last email its contact
-- opened or clicked within the window before it, the opens of this same statement included.
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
  with orders as materialized (
    select n.id, n.workspace_id, n.contact_id, n.name, n.properties, n.occurred_at
    from new_rows n where n.name in (select k.conversion_event from workspaces k)
  )
  insert into email_conversions (event_id, message_id, workspace_id, value, occurred_at)
  select n.id, m.id, n.workspace_id,
    relance_num(n.properties -> w.conversion_value_property), n.occurred_at
  from orders n
  cross join lateral (
    select k.conversion_event, k.conversion_value_property, k.attribution_window_days
    from workspaces k where k.id = n.workspace_id limit 1) w
  cross join lateral (
    select x.id from email_messages x
    where x.contact_id = n.contact_id and x.opened_at is not null
      and x.opened_at <= n.occurred_at
      and x.opened_at >= n.occurred_at - make_interval(days => w.attribution_window_days)
      and x.idempotency_key not like 'test:%'
    order by x.opened_at desc, x.id desc
    limit 1) m
  where n.name = w.conversion_event
  on conflict (event_id) do nothing;
  return null;
end $$;

-- The orders already recorded, for every workspace's emails (whose engagement 0064 filled in).
select relance_attribute_conversions(w.id, '-infinity') from workspaces w;
