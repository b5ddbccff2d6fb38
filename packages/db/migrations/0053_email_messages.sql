-- Every email Relance sends, recorded before it is sent under an idempotency key (from the run
-- step), so a retried send finds the record instead of sending again.
--   pending  recorded, not sent yet (or the last attempt failed and may be retried)
--   sending  an attempt has handed it to the provider and not yet reported back
--   sent     the provider accepted it
--   failed   refused for good (status_reason says why)
--   skipped  not sent on purpose: suppressed, no consent, no address (status_reason says why)
create table email_messages (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  idempotency_key text not null,
  contact_id uuid references contacts (id) on delete set null,
  template_id uuid references email_templates (id) on delete set null,
  journey_id text,
  kind text not null check (kind in ('marketing', 'transactional')),
  topic text,
  to_address text,
  subject text,
  internet_message_id text,
  status text not null default 'pending'
    check (status in ('pending', 'sending', 'sent', 'failed', 'skipped')),
  status_reason text,
  provider text,
  provider_message_id text,
  attempts integer not null default 0,
  last_error text,
  deferred_until timestamptz,
  claimed_at timestamptz,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, idempotency_key)
);
-- Frequency caps count a contact's recent sends.
create index email_messages_contact_sent on email_messages (contact_id, sent_at desc)
  where status = 'sent';
create index email_messages_workspace_created on email_messages (workspace_id, created_at desc);
-- Bounce reports (DSNs, provider webhooks) name the Message-ID.
create index email_messages_internet_message_id on email_messages (internet_message_id)
  where internet_message_id is not null;
