-- A date-triggered journey's scanner that Temporal did not take when the journey was published
-- is kept here too (kind 'scan'), and started by the worker's redelivery loop once Temporal
-- answers: the version is live either way, so the publish itself does not fail.
alter table journey_dispatch_pending
  drop constraint journey_dispatch_pending_kind_check,
  add constraint journey_dispatch_pending_kind_check
    check (kind in ('start', 'signal', 'scan'));
