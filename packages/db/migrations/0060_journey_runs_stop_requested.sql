-- When Relance last asked Temporal to cancel a run of a stopped journey. The worker asks again
-- for runs still open a minute later (Temporal was down, or the cancellation was lost), and a
-- journey with many runs in flight is stopped over several passes instead of in one request.
alter table journey_runs add column stop_requested_at timestamptz;
