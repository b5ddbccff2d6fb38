-- Renaming or deleting a tag across the workspace, run by a workflow in batches of 1,000
-- contacts so that it finishes whether or not the page that asked stays open. One at a time per
-- tag; `changed` counts the contacts done so far.
create table tag_changes (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  tag text not null,
  -- null: the tag is deleted.
  to_tag text,
  cause text not null,
  status text not null default 'running' check (status in ('running', 'done', 'failed')),
  changed integer not null default 0,
  error text,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
create unique index tag_changes_one_per_tag on tag_changes (workspace_id, tag)
  where status = 'running';
create index tag_changes_workspace on tag_changes (workspace_id, started_at desc);
