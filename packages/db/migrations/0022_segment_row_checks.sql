-- Every settle writes a few hundred memberships and change-log rows, and each row paid one
-- foreign-key check per key: a lookup, and for contacts a row lock, run one by one (≈ 40% of
-- the statement that applies a settle's segment changes).
--
-- The workspace keys guarded nothing: a row's segment belongs to that workspace, and deleting
-- the workspace deletes its segments and, through their keys, their members and changes.
alter table segment_members drop constraint segment_members_workspace_id_fkey;
alter table segment_changes drop constraint segment_changes_workspace_id_fkey;

-- The contact keys become one check per statement (every row's contact exists) and a cascade
-- when contacts are deleted (Relance never deletes one: a merged contact stays, marked
-- merged_into). Unlike a key, the check does not lock the contacts it finds, so a contact
-- deleted while a transaction writes rows for it could leave those rows behind.
alter table segment_members drop constraint segment_members_contact_id_fkey;
alter table segment_changes drop constraint segment_changes_contact_id_fkey;

create function relance_check_segment_contacts() returns trigger language plpgsql as $$
declare
  missing uuid;
begin
  select n.contact_id into missing from new_rows n
  where not exists (select 1 from contacts c where c.id = n.contact_id) limit 1;
  if found then
    raise foreign_key_violation using
      message = format('%s refers to contact %s, which does not exist', tg_table_name, missing);
  end if;
  return null;
end $$;

create trigger segment_members_contacts_exist after insert on segment_members
  referencing new table as new_rows for each statement execute function relance_check_segment_contacts();
create trigger segment_members_contacts_exist_update after update on segment_members
  referencing new table as new_rows for each statement execute function relance_check_segment_contacts();
create trigger segment_changes_contacts_exist after insert on segment_changes
  referencing new table as new_rows for each statement execute function relance_check_segment_contacts();
create trigger segment_changes_contacts_exist_update after update on segment_changes
  referencing new table as new_rows for each statement execute function relance_check_segment_contacts();

create function relance_delete_segment_rows_of_contacts() returns trigger language plpgsql as $$
begin
  delete from segment_members m using old_rows o where m.contact_id = o.id;
  delete from segment_changes g using old_rows o where g.contact_id = o.id;
  return null;
end $$;

create trigger contacts_delete_segment_rows after delete on contacts
  referencing old table as old_rows for each statement execute function relance_delete_segment_rows_of_contacts();
