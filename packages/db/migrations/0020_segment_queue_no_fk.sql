-- The queue is written for every contact of every ingest batch: the foreign key's lookup per
-- row is dropped (a queued contact that no longer exists is simply not found by the settle).
alter table segment_queue drop constraint segment_queue_contact_id_fkey;
