-- A rule counting events over the whole base ("opened at least 3 emails in the last 30 days")
-- groups the workspace's events of one name in a window by contact: the contact id rides in the
-- (workspace, name, time) index, so that pass reads the index alone (an index-only scan of the
-- window) instead of fetching every event row for its contact id.
create index events_workspace_name_time_contact on events (workspace_id, name, occurred_at)
  include (contact_id);
drop index events_workspace_name_time;
alter index events_workspace_name_time_contact rename to events_workspace_name_time;
