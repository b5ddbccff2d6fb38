-- The ways out of a step that erased contacts' runs took (an If/else's "yes", a switch's path, a
-- wait for an event's "timed out"), kept beside their steps' counts (journey_erased_steps,
-- migration 0084): the live view adds them to the stored steps' per-port counts, so after an
-- erasure a step's ways out still add up to what it counts as completed. As there, only counts
-- per journey, step and port: nothing leads back to the person.
--
-- Counted as countJourneyEntries counts ports: steps left other than failed, through a port
-- other than the single way out ('out'). Erasures before this migration kept no port: their
-- steps stay counted in journey_erased_steps without a way out. A new table, so nothing is
-- rewritten or locked on a large base.
create table journey_erased_ports (
  journey_id uuid not null references journeys (id) on delete cascade,
  node_id text not null,
  port text not null,
  completed integer not null check (completed >= 0),
  primary key (journey_id, node_id, port)
);
