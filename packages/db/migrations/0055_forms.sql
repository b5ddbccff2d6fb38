-- Signup forms. `definition` is packages/email's FormDefinition (fields mapped to contact
-- properties, topics, target segment, double opt-in, allowed origins, confirmation template).
create table forms (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  name text not null,
  definition jsonb not null check (jsonb_typeof(definition) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz
);
create index forms_workspace on forms (workspace_id, created_at desc) where archived_at is null;
