-- A template's report reads the emails it made in a period: its messages by time, without
-- walking every message of the workspace in that period.
create index email_messages_template_created on email_messages (template_id, created_at)
  where template_id is not null;
