-- Subscription topics and each contact's consent to them, plus how often they want email.
-- An opt-in topic mails only contacts who subscribed; an opt-out topic mails everyone who has
-- not unsubscribed. `important` topics still reach contacts who asked for important mail only.
create table email_topics (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  key text not null check (key ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  name text not null,
  description text not null default '',
  opt_in boolean not null default false,
  important boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, key)
);

-- The latest consent per contact and topic, with where and when it was given (GDPR: provable
-- consent). The history lives in the events table (form.submitted, email.unsubscribed, ...).
create table contact_topic_consents (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  contact_id uuid not null references contacts (id) on delete cascade,
  topic text not null,
  -- pending: asked through a double opt-in form, not yet confirmed.
  status text not null check (status in ('subscribed', 'unsubscribed', 'pending')),
  source text not null,
  ip inet,
  updated_at timestamptz not null default now(),
  primary key (contact_id, topic)
);
create index contact_topic_consents_topic on contact_topic_consents (workspace_id, topic, status);

-- every: every email; monthly: at most one marketing email a month; important: only topics
-- marked important. Contacts without a row get every email.
create table contact_email_preferences (
  contact_id uuid primary key references contacts (id) on delete cascade,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  frequency text not null check (frequency in ('every', 'monthly', 'important')),
  updated_at timestamptz not null default now()
);
