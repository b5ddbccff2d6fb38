-- The re-check of every score and segment a saved setting asks for (the scoring rules, the
-- workspace's time zone), run by the worker so that the save answers at once and the re-check
-- finishes whether or not the page stays open. The settings pages read its progress here.
create table settings_rechecks (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  cause text not null check (cause in ('scoring', 'timezone')),
  status text not null default 'running' check (status in ('running', 'done', 'failed')),
  -- Contacts whose score or score tags changed, and segment entries and exits, so far.
  scores_changed integer not null default 0,
  memberships_changed integer not null default 0,
  error text,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
create index settings_rechecks_workspace on settings_rechecks (workspace_id, cause, started_at desc);
