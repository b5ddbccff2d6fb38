-- What erased contacts' runs counted in their journeys, kept when erasing a contact deletes the
-- runs and their steps, so a journey's live numbers do not shrink when someone is deleted. Only
-- counts, added up per journey: no contact, run, entry, version or time, so nothing here leads
-- back to the person. The live view adds them to the counts of the runs and steps still stored.
--
-- Counts are over every version, as the live view shows them. Erasure adds to them in its own
-- transaction, from the rows it deletes (packages/db/src/contact-erasure.ts).

-- Per step: entries (steps), and how they were left. A step still open when its contact was
-- erased was left then, like a stopped run's step: it counts as completed, never as waiting.
create table journey_erased_steps (
  journey_id uuid not null references journeys (id) on delete cascade,
  node_id text not null,
  entered integer not null check (entered >= 0),
  completed integer not null check (completed >= 0),
  failed integer not null check (failed >= 0),
  primary key (journey_id, node_id)
);

-- Per way a run ended. A run still going when its contact was erased ended then: cancelled.
create table journey_erased_runs (
  journey_id uuid not null references journeys (id) on delete cascade,
  status text not null check (status in ('completed', 'exited', 'converted', 'failed', 'cancelled')),
  runs integer not null check (runs >= 0),
  primary key (journey_id, status)
);
