-- Journeys: a flow document being edited (the draft) and its published versions. A version is
-- immutable: the plan a run started on must never change under it.
create table journeys (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  name text not null,
  draft jsonb not null,
  -- draft: never published; active: new contacts enter; paused: no entries, runs held before actions.
  status text not null default 'draft' check (status in ('draft', 'active', 'paused')),
  live_version_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint journeys_draft_object check (jsonb_typeof(draft) = 'object')
);
create index journeys_workspace_updated on journeys (workspace_id, updated_at desc);

create table journey_versions (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  journey_id uuid not null references journeys (id) on delete cascade,
  version integer not null check (version > 0),
  document jsonb not null,
  plan jsonb not null,
  -- Copied out of the plan so the dispatcher finds triggered journeys and listening runs by index.
  trigger_kind text not null,
  trigger_event text,
  trigger_segment_id text,
  listens_events text[] not null default '{}',
  listens_segments text[] not null default '{}',
  listens_contact boolean not null default false,
  published_at timestamptz not null default now(),
  unique (journey_id, version)
);
create index journey_versions_trigger_event on journey_versions (workspace_id, trigger_event)
  where trigger_event is not null;
create index journey_versions_trigger_segment on journey_versions (workspace_id, trigger_segment_id)
  where trigger_segment_id is not null;

alter table journeys add constraint journeys_live_version
  foreign key (live_version_id) references journey_versions (id);

create function journey_versions_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'journey version % is immutable: publish a new version instead', old.id;
end
$$;
create trigger journey_versions_no_update before update on journey_versions
  for each row execute function journey_versions_immutable();
