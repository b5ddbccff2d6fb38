-- The tables every ingested event rewrites are vacuumed as often as they churn, not when a fifth
-- of them is dead (PostgreSQL's default). Under steady ingestion that default let dead rows pile
-- up for minutes: 300k dead rollups behind 30k live ones, a 23 MB queue holding 7k rows, and
-- every settle's lookups by key walking them (docs/decisions.md, "Vacuum keeps pace").
--
-- segment_queue: a row per touched contact, deleted by its settle moments later. However long
-- the queue is (an import queues 100,000 contacts), a thousand dead rows are enough, and the
-- vacuum runs unthrottled: what it reads is small.
alter table segment_queue set (
  autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 1000,
  autovacuum_vacuum_cost_delay = 0
);
-- contact_event_rollups: each event updates its (contact, name) row; never HOT, since last_at and
-- count ride in the index whole-base rules read alone.
alter table contact_event_rollups set (
  autovacuum_vacuum_scale_factor = 0.02,
  autovacuum_vacuum_threshold = 1000
);
-- contacts: the settle's score updates are HOT, but each clears its page's all-visible bit, which
-- index-only scans of contacts need.
alter table contacts set (
  autovacuum_vacuum_scale_factor = 0.05,
  autovacuum_vacuum_threshold = 1000
);
