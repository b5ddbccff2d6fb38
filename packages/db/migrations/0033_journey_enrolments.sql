-- Bulk enrolments ("enrol the current members of segment S"), run by a batch-iterator workflow
-- that records its progress here after every batch.
create table journey_enrolments (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  journey_id uuid not null references journeys (id) on delete cascade,
  source jsonb not null,
  workflow_id text not null unique,
  status text not null default 'running' check (status in ('running', 'completed', 'failed')),
  rate_per_second integer not null check (rate_per_second > 0),
  -- Members counted when the enrolment began; members joining later may push processed past it.
  total integer not null,
  processed integer not null default 0,
  started integer not null default 0,
  skipped integer not null default 0,
  -- Contact id after which the next batch starts (keyset pagination over the members).
  cursor uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
create index journey_enrolments_journey on journey_enrolments (journey_id, created_at desc);
