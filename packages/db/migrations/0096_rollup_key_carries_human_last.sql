-- "No click by a person for 15 days" asks each contact who joined in the last 15 days whether a
-- person ever clicked: a probe of the contact's rollup by its key. With the person's last time a
-- column of the row (0090), the key alone no longer answered it and each probe read the row
-- (on the 1M-contact benchmark, 37,500 probes: about 120 ms of the whole evaluation's 700).
-- The key carries `human_last_at`, so the probe, and a settle's re-check of a person's last
-- click, read the index alone again. Rollup updates are never HOT, so every update writes a key
-- entry anyway: this widens it, it adds none.
alter table contact_event_rollups
  drop constraint contact_event_rollups_pkey,
  add constraint contact_event_rollups_pkey primary key (contact_id, name) include (human_last_at);
