-- A journey can be stopped for good (`POST /api/journeys/:id/stop`): it takes no contacts, its
-- runs in progress are cancelled, and it cannot be resumed or published again (duplicate it to
-- run it again). Its versions and its contacts' history stay.
alter table journeys drop constraint journeys_status_check;
alter table journeys add constraint journeys_status_check
  check (status in ('draft', 'active', 'paused', 'stopped'));
