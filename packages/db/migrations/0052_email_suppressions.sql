-- Addresses that must not be mailed, and why. Kept per address, not per contact: a bounce or a
-- complaint is about the mailbox, whichever contact row it sits on.
create table email_suppressions (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  email text not null check (email = lower(btrim(email))),
  reason text not null check (reason in ('unsubscribed', 'hard_bounce', 'complaint', 'manual')),
  detail text,
  message_id uuid,
  created_at timestamptz not null default now(),
  primary key (workspace_id, email, reason)
);
