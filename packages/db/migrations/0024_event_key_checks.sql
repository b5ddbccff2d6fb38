-- Every ingested event paid two foreign-key checks, one by one: a lookup of its workspace, and a
-- lookup of its contact that also locked the contact row (FOR KEY SHARE). Under load those locks
-- met the settle's score updates of the same contacts, which then had to share the rows'
-- lock word (multixacts). Measured on batches of 100 over HTTP (pg_stat_statements, two cores):
-- the checks were 12–17 µs of PostgreSQL's 134 µs per event, and without them and that
-- contention PostgreSQL spends 88–95 µs per event and the API takes 15k events/s instead of 11k.
--
-- Like the segment tables' contact keys (0022), they become one check per statement (every new
-- row's contact exists, in the row's workspace: stricter than the keys, which never tied the
-- two) and a cascade when contacts are deleted. What is given up is the same: the check does not
-- lock the contacts it finds, so a contact deleted while another transaction writes its events
-- could leave them behind. Relance never deletes a contact (a merged one stays, marked
-- merged_into); a future erasure must lock the contact first. Deleting a workspace deletes its
-- contacts, and through this trigger their events.
alter table events drop constraint events_workspace_id_fkey;
alter table events drop constraint events_contact_id_fkey;

-- The check's plan is made once per connection and kept: made while the contacts table was
-- still empty (a fresh workspace's first events), it scanned the whole table once per new row
-- for as long as the connection lived. With sequential scans off, it probes the primary key
-- whatever the statistics said when it was planned.
create function relance_check_event_contacts() returns trigger language plpgsql
set enable_seqscan = off as $$
declare
  missing uuid;
begin
  -- Keyed by id alone: with the workspace in the same test, a planner told the table was empty
  -- took an index on the workspace and walked all of its contacts for every event.
  select n.contact_id into missing from new_rows n
  where (select c.workspace_id from contacts c where c.id = n.contact_id)
    is distinct from n.workspace_id
  limit 1;
  if found then
    raise foreign_key_violation using
      message = format('events refers to contact %s, which does not exist in its workspace', missing);
  end if;
  return null;
end $$;

create trigger events_contacts_exist after insert on events
  referencing new table as new_rows for each statement execute function relance_check_event_contacts();
create trigger events_contacts_exist_update after update on events
  referencing new table as new_rows for each statement execute function relance_check_event_contacts();

create function relance_delete_events_of_contacts() returns trigger language plpgsql as $$
begin
  delete from events e using old_rows o where e.contact_id = o.id;
  return null;
end $$;

create trigger contacts_delete_events after delete on contacts
  referencing old table as old_rows for each statement execute function relance_delete_events_of_contacts();

-- The segment tables' check (0023) could keep the same plan.
create or replace function relance_check_segment_rows() returns trigger language plpgsql
set enable_seqscan = off as $$
declare
  missing uuid;
begin
  perform 1 from segments s
  where s.id in (select distinct n.segment_id from new_rows n)
  order by s.id
  for key share;
  select d.segment_id into missing from (select distinct n.segment_id from new_rows n) d
  where not exists (select 1 from segments s where s.id = d.segment_id offset 0) limit 1;
  if found then
    raise foreign_key_violation using
      message = format('%s refers to segment %s, which does not exist', tg_table_name, missing);
  end if;
  select n.contact_id into missing from new_rows n
  where not exists (select 1 from contacts c where c.id = n.contact_id offset 0) limit 1;
  if found then
    raise foreign_key_violation using
      message = format('%s refers to contact %s, which does not exist', tg_table_name, missing);
  end if;
  return null;
end $$;
