-- The secret a workspace's mail provider signs its bounce and complaint webhooks with
-- (POST /api/webhooks/email-feedback). Only its SHA-256 is kept: the secret is shown once, when
-- it is created, and a leaked database row cannot be replayed as a credential.
create table email_feedback_secrets (
  workspace_id uuid primary key references workspaces (id) on delete cascade,
  secret_sha256 text not null unique,
  created_at timestamptz not null default now()
);
