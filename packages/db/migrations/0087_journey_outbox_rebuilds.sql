-- A segment rebuild (a rule created or changed) can move the whole base: its journey outbox row
-- names each rebuilt segment and the range its change ids lie in ({segmentId, first, last}),
-- not up to a million ids. The worker's sweep reads the ids of an abandoned row's ranges from
-- segment_changes when it moves the row.
alter table journey_outbox add column rebuilds jsonb not null default '[]';
