-- A visitor known only by Segment's anonymousId is a contact too (their page views count for
-- scoring and segments before they sign up); identify later adopts the same row.
alter table contacts drop constraint contacts_has_identity;
alter table contacts add constraint contacts_has_identity
  check (email is not null or external_id is not null or anonymous_id is not null);
