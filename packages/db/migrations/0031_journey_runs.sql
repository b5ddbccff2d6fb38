-- One row per run: a contact carried through one journey version by one workflow execution
-- chain. The id is the chain's first Temporal run id, so the workflow knows its row without a
-- lookup and a retried "begin" activity cannot create a second row.
create table journey_runs (
  id uuid primary key,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  journey_id uuid not null references journeys (id) on delete cascade,
  version_id uuid not null references journey_versions (id),
  contact_id uuid not null references contacts (id) on delete cascade,
  -- run:{journeyId}:{contactId}[:{entryKey}]; reused when the entry policy lets a contact re-enter.
  workflow_id text not null,
  -- '' when the trigger has no entry key, so policy lookups compare plain values.
  entry_key text not null default '',
  entry jsonb not null,
  status text not null default 'active'
    check (status in ('active', 'held', 'completed', 'exited', 'converted', 'failed', 'cancelled')),
  current_node text,
  goal_node text,
  converted_at timestamptz,
  started_at timestamptz not null,
  ended_at timestamptz,
  updated_at timestamptz not null default now()
);
-- The entry policy reads the contact's latest run of a journey (per entry key).
create index journey_runs_latest on journey_runs (journey_id, contact_id, entry_key, started_at desc);
-- A contact's runs: the timeline, and the dispatcher signalling the ones still going.
create index journey_runs_contact on journey_runs (contact_id, started_at desc);
create index journey_runs_journey_status on journey_runs (journey_id, status);

-- Every step of every run: the contact timeline and per-node counts. `seq` orders a run's steps;
-- a step is written when entered and completed when left (`left_at`, `outcome`, `why`).
create table run_steps (
  run_id uuid not null references journey_runs (id) on delete cascade,
  seq integer not null,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  journey_id uuid not null references journeys (id) on delete cascade,
  version_id uuid not null references journey_versions (id),
  node_id text not null,
  kind text not null,
  -- How many times the run had entered this node, this time included (loops).
  visit integer not null check (visit > 0),
  entered_at timestamptz not null,
  left_at timestamptz,
  outcome text not null
    check (outcome in ('waiting', 'held', 'done', 'skipped', 'failed', 'exited', 'converted')),
  -- The port the run left through, when the node has more than one.
  port text,
  -- What decided it: the branch and the values behind it, the action's result, the event id.
  why jsonb not null default '{}'::jsonb,
  primary key (run_id, seq)
);
create index run_steps_journey_node on run_steps (journey_id, node_id, outcome);
