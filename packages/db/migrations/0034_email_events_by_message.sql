-- The live view's per-email numbers find a journey's email events (opened, clicked, delivered,
-- bounced, unsubscribed, …) by the message they are about. Email events only, so tracks and
-- identifies do not pay for it.
create index events_email_message on events (workspace_id, (properties ->> 'messageId'))
  where name like 'email.%';
