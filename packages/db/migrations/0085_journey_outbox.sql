-- The facts a transaction committed that the journeys have not been told of yet: one row per
-- committing transaction (an ingest's group commit of many events, a settle), written in that
-- transaction and deleted once its dispatch went through (done, or kept in
-- journey_dispatch_pending). A row still here after a grace period belongs to a process that
-- stopped between the commit and the dispatch (a deploy, an OOM kill): the worker moves it to
-- journey_dispatch_pending as kind 'dispatch' rows, which its redelivery loop dispatches.
create table journey_outbox (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  event_ids bigint[] not null default '{}',
  change_ids bigint[] not null default '{}',
  contact_ids uuid[] not null default '{}',
  created_at timestamptz not null default now()
);
-- The worker's sweep reads the oldest rows first; the table stays small (rows live for the
-- length of a dispatch), so the primary key's order is enough besides this.
create index journey_outbox_created on journey_outbox (created_at);
