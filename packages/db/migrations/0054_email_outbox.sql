-- The dev outbox: with no SMTP server configured, messages are "delivered" here and shown in the
-- app. Each delivery is its own row, so a duplicate send would show as two rows.
create table email_outbox (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  message_id text not null,
  internet_message_id text not null,
  from_address text not null,
  from_name text not null default '',
  to_address text not null,
  to_name text not null default '',
  reply_to text,
  subject text not null,
  html text not null,
  text text not null,
  headers jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
create index email_outbox_workspace_created on email_outbox (workspace_id, id desc);
create index email_outbox_message on email_outbox (message_id);
