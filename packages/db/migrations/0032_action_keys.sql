-- Idempotency of flow actions: the key `{workflowId}:{runId}:{nodeId}:{visit}` is written before
-- the side effect (in the same transaction when the effect is a database write), so a retried
-- activity finds it and returns the recorded result instead of acting twice.
create table action_keys (
  key text primary key,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  run_id uuid not null references journey_runs (id) on delete cascade,
  node_id text not null,
  kind text not null,
  -- started: recorded, effect under way (or interrupted); done: effect applied, result kept.
  state text not null check (state in ('started', 'done')),
  result jsonb,
  created_at timestamptz not null default now(),
  done_at timestamptz
);
create index action_keys_run on action_keys (run_id);
