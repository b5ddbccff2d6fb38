-- Journey starts and signals the dispatcher could not hand to Temporal (unreachable, timed out).
-- The facts behind them are committed, so they are kept here until the worker's redelivery loop
-- delivers them; the ones that keep failing are shown as stuck, never dropped.
create table journey_dispatch_pending (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  kind text not null check (kind in ('start', 'signal')),
  workflow_id text not null,
  -- What it takes to redo it, ids only: the run request, or the signal's name and arguments.
  payload jsonb not null,
  -- Failed deliveries so far, the dispatcher's own attempt included.
  attempts integer not null default 1 check (attempts > 0),
  next_attempt_at timestamptz not null,
  last_error text not null,
  -- Bumped when the same delivery fails again elsewhere: a redelivery that claimed an older
  -- revision leaves the row for the newer failure instead of deleting it.
  revision integer not null default 1,
  created_at timestamptz not null default now(),
  -- When the attempts reached the limit: still retried, but reported as stuck.
  stuck_since timestamptz
);
-- The same start or signal failing twice (a contact changing again while Temporal is down) is
-- one row: jsonb prints canonically, so equal payloads hash equally.
create unique index journey_dispatch_pending_same
  on journey_dispatch_pending (kind, workflow_id, md5(payload::text));
create index journey_dispatch_pending_due on journey_dispatch_pending (next_attempt_at);
create index journey_dispatch_pending_workspace on journey_dispatch_pending (workspace_id, created_at);
