-- 0064's trigger tested the messages to update against its locked list with `id in (select …
-- from locked)`, which the planner may run once per message: a statement of 150,000 email
-- events (the segments benchmark's) ran for minutes. The messages due a first report are now
-- locked in id order and updated by joining them back on their key.
create or replace function relance_mark_email_messages() returns trigger language plpgsql
set enable_seqscan = off as $$
begin
  with reported as materialized (
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
  ),
  due as materialized (
    select m.id, r.delivered, r.opened, r.clicked, r.unsubscribed, r.bounced, r.complained
    from reported r
    join email_messages m on m.id = r.message_id and m.workspace_id = r.workspace_id
    where (m.delivered_at is null and r.delivered is not null)
      or (m.opened_at is null and r.opened is not null)
      or (m.clicked_at is null and r.clicked is not null)
      or (m.unsubscribed_at is null and r.unsubscribed is not null)
      or (m.bounced_at is null and r.bounced is not null)
      or (m.complained_at is null and r.complained is not null)
    order by m.id
    for no key update of m
  )
  update email_messages m set
    delivered_at = coalesce(m.delivered_at, d.delivered),
    opened_at = coalesce(m.opened_at, d.opened),
    clicked_at = coalesce(m.clicked_at, d.clicked),
    unsubscribed_at = coalesce(m.unsubscribed_at, d.unsubscribed),
    bounced_at = coalesce(m.bounced_at, d.bounced),
    complained_at = coalesce(m.complained_at, d.complained)
  from due d
  where m.id = d.id;
  return null;
end $$;
