-- Email templates. `definition` is the template as packages/email's zod schema parses it (from,
-- replyTo, subject, preheader, body, text); name, kind and topic are copied out for listing.
-- Archived templates are kept: runs already waiting to send them still can.
create table email_templates (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  name text not null,
  kind text not null check (kind in ('marketing', 'transactional')),
  topic text,
  definition jsonb not null check (jsonb_typeof(definition) = 'object'),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz,
  constraint email_templates_marketing_topic check (kind = 'transactional' or topic is not null)
);
create index email_templates_workspace_name on email_templates (workspace_id, lower(name))
  where archived_at is null;
