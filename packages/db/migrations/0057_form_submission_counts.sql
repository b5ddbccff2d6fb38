-- Submissions per form, client address and fixed time window: the per-IP limit of the public
-- form endpoint, shared by every API copy. Old windows are deleted as new ones open.
create table form_submission_counts (
  form_id uuid not null references forms (id) on delete cascade,
  ip text not null,
  window_start timestamptz not null,
  count integer not null,
  primary key (form_id, ip, window_start)
);
create index form_submission_counts_window on form_submission_counts (window_start);
