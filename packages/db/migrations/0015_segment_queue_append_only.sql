-- The segment queue becomes append-only: ingestion inserts a row per touched contact and never
-- waits on a row another transaction is draining; a settle deletes only the rows it can see
-- (committed, so their facts are visible to it) and skips locked ones, which stay for the next.
drop table segment_queue;
create table segment_queue (
  id bigint generated always as identity primary key,
  workspace_id uuid not null,
  contact_id uuid not null references contacts (id) on delete cascade,
  queued_at timestamptz not null
);
create index segment_queue_contact on segment_queue (contact_id);
create index segment_queue_workspace on segment_queue (workspace_id, id);
