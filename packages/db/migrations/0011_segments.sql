-- Segments: static (membership set by import, API and flow actions) or dynamic (a rule in the
-- shared condition language, compiled to SQL by packages/segments).
create table segments (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  name text not null,
  description text not null default '',
  kind text not null,
  rule jsonb,
  -- Key of a built-in lifecycle segment (`prospects`, `inactive`, …); null for the marketer's own.
  builtin text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint segments_kind check (kind in ('static', 'dynamic')),
  constraint segments_rule_matches_kind check ((kind = 'dynamic') = (rule is not null)),
  constraint segments_name_not_blank check (btrim(name) <> '')
);
create unique index segments_workspace_name on segments (workspace_id, lower(name));
create unique index segments_workspace_builtin on segments (workspace_id, builtin)
  where builtin is not null;

-- Materialised membership, kept current incrementally.
create table segment_members (
  segment_id uuid not null references segments (id) on delete cascade,
  contact_id uuid not null references contacts (id) on delete cascade,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  entered_at timestamptz not null,
  primary key (segment_id, contact_id)
);
create index segment_members_contact on segment_members (contact_id);

-- Every enter and exit, in commit order: what starts segment-triggered runs and signals
-- waiting ones (the dispatcher is handed these ids right after the commit).
create table segment_changes (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  segment_id uuid not null references segments (id) on delete cascade,
  contact_id uuid not null references contacts (id) on delete cascade,
  change text not null,
  at timestamptz not null,
  -- Why: `ingest`, `tick`, `reconcile`, `rule`, `api`, `import`, `merge`, or a flow's own cause.
  cause text not null,
  constraint segment_changes_change check (change in ('entered', 'exited'))
);
create index segment_changes_segment on segment_changes (segment_id, id);
create index segment_changes_contact on segment_changes (contact_id, at desc);

-- Contacts whose facts changed and whose segments must be re-checked. Written in the same
-- transaction as the facts and drained right after the commit; the tick drains whatever a
-- crash left behind, so no change is ever lost between the two.
create table segment_queue (
  contact_id uuid primary key references contacts (id) on delete cascade,
  workspace_id uuid not null,
  queued_at timestamptz not null
);
create index segment_queue_workspace on segment_queue (workspace_id, queued_at);

-- Up to when each workspace's time-driven crossings have been applied.
create table segment_tick_state (
  workspace_id uuid primary key references workspaces (id) on delete cascade,
  ticked_at timestamptz not null
);

-- What each full reconciliation found and repaired (drift is a bug; this makes it visible).
create table segment_reconciliations (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  report jsonb not null
);
create index segment_reconciliations_workspace on segment_reconciliations (workspace_id, id desc);
