-- New contacts' dates are indexed once per statement instead of once per row: an import of
-- 1,000 contacts ran the row trigger 1,000 times (about 50 µs each, even for a contact whose
-- only date is its creation), where one set-based insert over the statement's new rows walks
-- all their properties at once (the walk of relance_contact_dates, for every row together).
-- Updates keep the row trigger: it fires only for the rows whose properties, time zone or
-- creation date changed (a statement-level update trigger could not name columns, and would
-- capture every score update of the settle).
create function relance_index_new_contact_dates() returns trigger
language plpgsql as $$
begin
  insert into contact_date_properties (contact_id, workspace_id, name, at, month_day)
  with recursive zoned as (
    select n.id, n.workspace_id, n.properties, n.created_at,
      coalesce(n.timezone, w.timezone, 'UTC') as tz
    from new_contacts n left join workspaces w on w.id = n.workspace_id
  ), walk (id, workspace_id, tz, path, value) as (
    select z.id, z.workspace_id, z.tz, array[p.key], p.value
    from zoned z cross join lateral jsonb_each(z.properties) p
    union all
    select w.id, w.workspace_id, w.tz, w.path || e.key, e.value
    from walk w
    cross join lateral jsonb_each(case when jsonb_typeof(w.value) = 'object' then w.value else '{}'::jsonb end) e
    where cardinality(w.path) < 4
  ), dates as (
    select w.id, w.workspace_id, w.tz, array_to_string(w.path, '.') as name, t.at
    from walk w cross join lateral (select relance_ts(w.value, w.tz) as at) t
    where jsonb_typeof(w.value) = 'string' and t.at is not null
    union all
    select z.id, z.workspace_id, z.tz, '$created_at', z.created_at from zoned z
  )
  select d.id, d.workspace_id, d.name, d.at,
         (extract(month from d.at at time zone d.tz) * 100 + extract(day from d.at at time zone d.tz))::int
  from dates d
  on conflict (contact_id, name) do nothing;
  return null;
end
$$;

drop trigger contacts_index_dates_insert on contacts;
create trigger contacts_index_dates_insert after insert on contacts
  referencing new table as new_contacts
  for each statement execute function relance_index_new_contact_dates();
