-- A workspace owns everything; every later table carries workspace_id.
create table workspaces (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique,
  name text not null,
  timezone text not null default 'UTC',
  write_key text not null unique,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
