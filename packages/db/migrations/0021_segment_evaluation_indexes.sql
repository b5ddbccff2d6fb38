-- A rule evaluated over the whole base reads contacts and rollups through indexes alone
-- (index-only scans): the rollup's contact id and count ride in its (workspace, name, last_at)
-- index, and the columns every rule reads of a contact (id, created_at) in a partial index of
-- the contacts not merged away. Neither is touched by the frequent contact updates (score, tags,
-- properties), which stay HOT.
drop index contact_event_rollups_last;
create index contact_event_rollups_last on contact_event_rollups (workspace_id, name, last_at)
  include (contact_id, count);
create index contacts_evaluation on contacts (workspace_id, id) include (created_at)
  where merged_into is null;
