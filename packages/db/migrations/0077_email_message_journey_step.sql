-- A journey's email carries the send step that sent it and the version that step was in, so a
-- step's numbers are read from its messages, which erasing a contact keeps (without contact),
-- rather than through run steps, which erasure deletes with the runs. Written by the send
-- activity when it records the message.
--
-- No default: adding them rewrites nothing. The messages recorded before keep nulls and are not
-- filled here: every pending migration runs in one transaction, so an update of past messages
-- would hold this ALTER's exclusive lock on email_messages (sends, tracking) for as long as it
-- took. Their step is in their idempotency key, `{workflowId}:{runId}:{nodeId}:{visit}` (step
-- ids hold no `:`), which the step report reads when `node_id` is null; the key survives
-- erasure, where the run steps a fill would come from do not. Their version stays unknown.
alter table email_messages add column node_id text, add column version_id uuid;

-- The step report reads one journey's messages. Only journey emails are indexed, so broadcasts,
-- confirmations and test sends cost it nothing.
create index email_messages_journey_node on email_messages (journey_id, node_id)
  where journey_id is not null;
