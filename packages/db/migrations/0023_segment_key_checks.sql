-- The segment keys of segment_members and segment_changes, like their contact keys in 0022,
-- become one check per statement: a settle writes a few hundred rows for the same handful of
-- segments, and each row paid its own key check (a query and a row lock, about a tenth of a
-- settle). The check takes the same lock a key takes (FOR KEY SHARE), once per segment, so a
-- segment deleted meanwhile waits for the writer, and one deleted before is reported: no row is
-- ever left pointing at a deleted segment. Deleting a segment still deletes its rows.
alter table segment_members drop constraint segment_members_segment_id_fkey;
alter table segment_changes drop constraint segment_changes_segment_id_fkey;

-- One trigger per statement checks both keys of the new rows.
create function relance_check_segment_rows() returns trigger language plpgsql as $$
declare
  missing uuid;
begin
  perform 1 from segments s
  where s.id in (select distinct n.segment_id from new_rows n)
  order by s.id
  for key share;
  select d.segment_id into missing from (select distinct n.segment_id from new_rows n) d
  where not exists (select 1 from segments s where s.id = d.segment_id) limit 1;
  if found then
    raise foreign_key_violation using
      message = format('%s refers to segment %s, which does not exist', tg_table_name, missing);
  end if;
  select n.contact_id into missing from new_rows n
  where not exists (select 1 from contacts c where c.id = n.contact_id) limit 1;
  if found then
    raise foreign_key_violation using
      message = format('%s refers to contact %s, which does not exist', tg_table_name, missing);
  end if;
  return null;
end $$;

drop trigger segment_members_contacts_exist on segment_members;
drop trigger segment_members_contacts_exist_update on segment_members;
drop trigger segment_changes_contacts_exist on segment_changes;
drop trigger segment_changes_contacts_exist_update on segment_changes;
drop function relance_check_segment_contacts();

create trigger segment_members_keys_exist after insert on segment_members
  referencing new table as new_rows for each statement execute function relance_check_segment_rows();
create trigger segment_members_keys_exist_update after update on segment_members
  referencing new table as new_rows for each statement execute function relance_check_segment_rows();
create trigger segment_changes_keys_exist after insert on segment_changes
  referencing new table as new_rows for each statement execute function relance_check_segment_rows();
create trigger segment_changes_keys_exist_update after update on segment_changes
  referencing new table as new_rows for each statement execute function relance_check_segment_rows();

create function relance_delete_rows_of_segment() returns trigger language plpgsql as $$
begin
  delete from segment_members m where m.segment_id = old.id;
  delete from segment_changes g where g.segment_id = old.id;
  return null;
end $$;

create trigger segments_delete_rows after delete on segments
  for each row execute function relance_delete_rows_of_segment();
