-- Engagement scoring: score = score_adjustment + Σ points × (matching events, within the window).
create table scoring_rules (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  name text not null,
  event text not null,
  -- An EventFilter over the event's properties; null counts every event of that name.
  filter jsonb,
  points integer not null,
  -- A duration (`7d`): only events this recent count; null counts them forever.
  within text,
  position integer not null default 0,
  builtin text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint scoring_rules_points check (points <> 0)
);
create index scoring_rules_workspace on scoring_rules (workspace_id, position);

-- Tags the score maintains: present while score >= min_score.
create table score_tags (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  tag text not null,
  min_score integer not null,
  primary key (workspace_id, tag)
);

-- What the segment builder offers in its pickers: properties seen on contacts and on each
-- event, with a type inferred from the first value seen or declared by the marketer.
create table known_properties (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  scope text not null,
  -- The event name for scope 'event'; '' for contact properties.
  event text not null default '',
  name text not null,
  type text not null,
  declared boolean not null default false,
  description text not null default '',
  first_seen_at timestamptz not null default now(),
  primary key (workspace_id, scope, event, name),
  constraint known_properties_scope check (scope in ('contact', 'event')),
  constraint known_properties_type
    check (type in ('string', 'number', 'boolean', 'date', 'array', 'object'))
);

create table known_events (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  name text not null,
  first_seen_at timestamptz not null default now(),
  primary key (workspace_id, name)
);
