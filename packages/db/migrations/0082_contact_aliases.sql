-- Ids that name a contact without being held by it: a previousId an alias named when no contact
-- held it (a former userId, or a browser's anonymousId), and a browser's anonymousId sent with a
-- userId whose contact already keeps another one (a second device). Later messages carrying the
-- id as their userId or anonymousId resolve to the contact, and a contact that holds it all the
-- same (made by a message written at the same instant in another lane) is merged into it.
-- An id here belongs to one contact: the first writer keeps it. A contact merged since is followed
-- through merged_into; erasing the contact erases its aliases.
create table contact_aliases (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  identifier text not null,
  contact_id uuid not null references contacts (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (workspace_id, identifier)
);
create index contact_aliases_contact on contact_aliases (contact_id);
