-- A dispatch Postgres failed on every attempt after the facts were committed (a failover, a
-- statement timeout) is kept here too (kind 'dispatch'): the call itself, {v: 1, method, ids},
-- which the worker's redelivery loop runs again until it goes through. No run is known yet, so
-- workflow_id names the call ('dispatch:eventsRecorded'); the ids (events, segment changes,
-- contacts) are unique across workspaces, so the same call failing twice stays one row.
alter table journey_dispatch_pending
  drop constraint journey_dispatch_pending_kind_check,
  add constraint journey_dispatch_pending_kind_check
    check (kind in ('start', 'signal', 'scan', 'dispatch')),
  add constraint journey_dispatch_pending_dispatch_call check (
    kind <> 'dispatch' or (
      payload->>'method' in ('eventsRecorded', 'segmentsChanged', 'contactsChanged')
      and workflow_id = 'dispatch:' || (payload->>'method')
      and jsonb_typeof(payload->'ids') = 'array'
      and jsonb_array_length(payload->'ids') > 0));
