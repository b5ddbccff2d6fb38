-- The segment engine rewrites score, score_from_rules and updated_at of contacts after their
-- events; with room left on each page those updates are HOT (no index changes).
alter table contacts set (fillfactor = 90);
