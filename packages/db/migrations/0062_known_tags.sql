-- The tags a workspace has used, for the pickers (segment rules, bulk actions, journeys, the
-- profile): every tag that was ever on one of its contacts. Kept by triggers on contacts, so
-- every way a tag arrives (API, import, identify, journeys, scoring, merges) registers it. A
-- contact's row whose tags did not change (most updates: score, properties) costs only the
-- WHEN test; only a tag the workspace has never had before writes a row.
create table known_tags (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  tag text not null,
  first_seen_at timestamptz not null default now(),
  primary key (workspace_id, tag)
);

insert into known_tags (workspace_id, tag)
select distinct c.workspace_id, t from contacts c cross join unnest(c.tags) t
on conflict do nothing;

create function relance_register_tags() returns trigger language plpgsql as $$
begin
  insert into known_tags (workspace_id, tag)
  select new.workspace_id, t
  from unnest(new.tags) t
  where tg_op = 'INSERT' or t <> all(old.tags)
  order by t
  on conflict do nothing;
  return null;
end $$;

create trigger contacts_register_tags after insert on contacts
  for each row when (new.tags <> '{}') execute function relance_register_tags();
create trigger contacts_register_tags_update after update of tags on contacts
  for each row when (new.tags is distinct from old.tags and new.tags <> '{}')
  execute function relance_register_tags();
