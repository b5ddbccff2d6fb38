-- Marks a workspace whose built-in lifecycle segments and scoring rules were created, so they
-- are created exactly once: a marketer who deletes one does not see it come back at restart.
create table workspace_defaults (
  workspace_id uuid primary key references workspaces (id) on delete cascade,
  seeded_at timestamptz not null
);
