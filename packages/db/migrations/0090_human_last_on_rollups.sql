-- A person's last open or click is a column of the contact's rollup of that event instead of a
-- rollup row of its own (`$human:email.clicked`, 0088). Every open or click by a person wrote two
-- rollup rows, each a new heap tuple (rollup updates are never HOT: `last_at` is indexed) with
-- its primary-key and (workspace, name, last_at) index entries; it now writes one tuple, with one
-- more entry in the index below. "Last performed" with `humanOnly` reads `human_last_at`, null
-- while no person's event of that name was recorded.
alter table contact_event_rollups add column human_last_at timestamptz;

-- Every pending migration runs in one transaction; the SHARE lock holds new inserts of events
-- (and so of rollups) until the commit, so no person's click lands between the copy and the
-- delete. Every `$human:` row has its event's row beside it (both are written by the same
-- statement, merged and erased together); the upsert covers one that would not anyway.
lock table events in share mode;
insert into contact_event_rollups as r (workspace_id, contact_id, name, count, first_at, last_at,
  human_last_at)
select h.workspace_id, h.contact_id, substr(h.name, length('$human:') + 1), h.count, h.first_at,
  h.last_at, h.last_at
from contact_event_rollups h
where h.name like '$human:%'
order by h.contact_id, h.name
on conflict (contact_id, name) do update set human_last_at = excluded.human_last_at;
delete from contact_event_rollups where name like '$human:%';

-- No event can be named `$human:…` (ingestion refuses names starting with `$`; Relance's own
-- `$merge` and the like are other names), but a copy of the previous version still running would
-- write such rows, which nothing reads any more. This makes its insert fail (the request is
-- answered 500, so its sender retries against this version) instead of losing a person's click.
alter table contact_event_rollups add constraint contact_event_rollups_name
  check (name not like '$human:%');

-- "No click by a person for 15 days" over the whole base, and the tick's crossings of it, read
-- this index alone, as the plain rule reads contact_event_rollups_last. Only rows with a
-- person's open or click are in it: other rollup updates add no entry.
create index contact_event_rollups_human_last on contact_event_rollups
  (workspace_id, name, human_last_at) include (contact_id)
  where human_last_at is not null;
