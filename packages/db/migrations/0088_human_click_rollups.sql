-- "No click for 15 days" no longer counts link scanners' clicks. A security gateway clicks every
-- link of an email on delivery (the tracking routes flag it: `machine: true`, 0075), so the
-- rollup of email.clicked kept a contact behind one active forever. Next to the rollups of
-- email.opened and email.clicked, each contact now has person-only ones (`$human:email.opened`,
-- `$human:email.clicked`: the events not flagged as a machine's), written with the rollups by
-- every insert of events; "last performed" with `humanOnly` reads them, index-only as before.
-- Ingestion refuses event names starting with `$`, so no event can write such a row.

-- 1. The person-only rollups of the events recorded so far. Every pending migration runs in one
-- transaction; the SHARE lock waits for the inserts in progress and holds new ones until the
-- commit, so no event is counted twice or missed by a copy of the previous version still
-- ingesting meanwhile (a copy of it ingesting after the commit writes no such row: its events
-- are left out until that contact's next open or click by a person).
lock table events in share mode;
insert into contact_event_rollups as r (workspace_id, contact_id, name, count, first_at, last_at)
select e.workspace_id, e.contact_id, '$human:' || e.name, count(*), min(e.occurred_at),
  max(e.occurred_at)
from events e
where e.name in ('email.opened', 'email.clicked')
  and coalesce(e.properties ->> 'machine', '') <> 'true'
group by e.workspace_id, e.contact_id, e.name
order by e.contact_id, 3
on conflict (contact_id, name) do update set
  count = excluded.count,
  first_at = excluded.first_at,
  last_at = excluded.last_at;

-- 2. The built-in Inactive segment counts a person's clicks only, where its rule is still the
-- one shipped (a marketer's edited rule, and description, are left as they are). Then who may
-- now enter it: a contact out of Inactive had a click (anyone's) in the last 15 days, or joined
-- in them; only the first can change (a scanner's click, no person's since). They are queued for
-- the segment tick, which re-checks every rule for them within minutes, logs the entries (cause
-- `tick`) and starts the journeys waiting for them, instead of the 6-hourly reconciliation
-- repairing them later. Read from the (workspace, name, last_at) index of the rollups.
with moved as (
  update segments s set
    rule = s.rule || '{"humanOnly": true}'::jsonb,
    description = case
      when s.description = 'No email click for 15 days (counted from when they joined for contacts who never clicked).'
      then 'No email click by a person for 15 days (clicks by link scanners do not count; counted from when they joined for contacts who never clicked).'
      else s.description end,
    updated_at = now()
  where s.builtin = 'inactive' and s.kind = 'dynamic'
    and s.rule = '{"kind": "event_last", "event": "email.clicked", "op": "more_than", "duration": "15d", "includeNever": true}'::jsonb
  returning s.workspace_id
)
insert into segment_queue (workspace_id, contact_id, queued_at)
select r.workspace_id, r.contact_id, now()
from moved m
join contact_event_rollups r on r.workspace_id = m.workspace_id
  and r.name = 'email.clicked' and r.last_at > now() - interval '15 days'
order by r.contact_id;
