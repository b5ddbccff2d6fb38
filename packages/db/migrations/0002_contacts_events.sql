-- Contacts: one row per person. Email is stored normalised (trimmed, lower-cased) and unique
-- per workspace, as is the external id; a merged contact keeps its row, pointing at the survivor.
create table contacts (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  external_id text,
  email text,
  properties jsonb not null default '{}'::jsonb,
  tags text[] not null default '{}',
  score integer not null default 0,
  timezone text,
  lifecycle_stage text,
  merged_into uuid references contacts (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint contacts_email_normalised check (email = lower(btrim(email))),
  constraint contacts_has_identity check (email is not null or external_id is not null),
  constraint contacts_properties_object check (jsonb_typeof(properties) = 'object')
);
create unique index contacts_workspace_email on contacts (workspace_id, email)
  where email is not null and merged_into is null;
create unique index contacts_workspace_external_id on contacts (workspace_id, external_id)
  where external_id is not null and merged_into is null;
create index contacts_workspace_created on contacts (workspace_id, created_at);
create index contacts_tags on contacts using gin (tags);

-- Events are append-only. message_id makes ingestion idempotent per workspace.
create table events (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  contact_id uuid not null references contacts (id) on delete cascade,
  name text not null,
  properties jsonb not null default '{}'::jsonb,
  occurred_at timestamptz not null,
  received_at timestamptz not null default now(),
  message_id text,
  source text not null default 'api'
);
create unique index events_workspace_message_id on events (workspace_id, message_id)
  where message_id is not null;
create index events_contact_name_time on events (contact_id, name, occurred_at desc);
create index events_workspace_name_time on events (workspace_id, name, occurred_at);

-- Per-contact rollups, updated in the same transaction as each event batch: what segment
-- rules like "no click for 15 days" and the time-driven tick read instead of scanning events.
create table contact_event_rollups (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  contact_id uuid not null references contacts (id) on delete cascade,
  name text not null,
  count bigint not null,
  first_at timestamptz not null,
  last_at timestamptz not null,
  primary key (contact_id, name)
);
create index contact_event_rollups_last on contact_event_rollups (workspace_id, name, last_at);
