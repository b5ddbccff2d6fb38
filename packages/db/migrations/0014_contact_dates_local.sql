-- Time zones are checked where they are stored: compiled segment rules convert with
-- `at time zone coalesce(contact, workspace)`, and one unknown name would fail every query.
create function relance_is_time_zone(name text) returns boolean
language plpgsql immutable parallel safe as $$
begin
  perform now() at time zone name;
  return true;
exception when invalid_parameter_value then
  return false;
end
$$;
alter table contacts add constraint contacts_timezone_known
  check (timezone is null or relance_is_time_zone(timezone));
alter table workspaces add constraint workspaces_timezone_known
  check (relance_is_time_zone(timezone));

-- Date properties are indexed at the instant they denote for the contact (a date-only value is
-- local midnight in the contact's time zone) with the local month-day, nested properties
-- (`subscription.renews_at`) and `$created_at` included, so the tick's crossing windows are
-- exact and every time-relative property condition is found from this index.
create function relance_contact_dates(properties jsonb, created_at timestamptz, tz text)
returns table (name text, at timestamptz)
language sql stable as $$
  with recursive walk (path, value) as (
    select array[p.key], p.value from jsonb_each(properties) p
    union all
    select w.path || e.key, e.value
    from walk w
    cross join lateral jsonb_each(case when jsonb_typeof(w.value) = 'object' then w.value else '{}'::jsonb end) e
    where cardinality(w.path) < 4
  )
  select array_to_string(w.path, '.'), relance_ts(w.value, tz)
  from walk w
  where jsonb_typeof(w.value) = 'string' and relance_ts(w.value, tz) is not null
  union all
  select '$created_at', created_at
$$;

create or replace function relance_index_contact_dates() returns trigger
language plpgsql as $$
declare
  tz text := coalesce(new.timezone, (select w.timezone from workspaces w where w.id = new.workspace_id), 'UTC');
begin
  if tg_op = 'UPDATE' then
    delete from contact_date_properties where contact_id = new.id;
  end if;
  insert into contact_date_properties (contact_id, workspace_id, name, at, month_day)
  select new.id, new.workspace_id, d.name, d.at,
         (extract(month from d.at at time zone tz) * 100 + extract(day from d.at at time zone tz))::int
  from relance_contact_dates(new.properties, new.created_at, tz) d
  on conflict (contact_id, name) do nothing;
  return null;
end
$$;

drop trigger contacts_index_dates_insert on contacts;
drop trigger contacts_index_dates_update on contacts;
create trigger contacts_index_dates_insert after insert on contacts
  for each row execute function relance_index_contact_dates();
create trigger contacts_index_dates_update after update of properties, timezone, created_at on contacts
  for each row when (
    old.properties is distinct from new.properties
    or old.timezone is distinct from new.timezone
    or old.created_at is distinct from new.created_at
  )
  execute function relance_index_contact_dates();

delete from contact_date_properties;
insert into contact_date_properties (contact_id, workspace_id, name, at, month_day)
select c.id, c.workspace_id, d.name, d.at,
       (extract(month from d.at at time zone z.tz) * 100 + extract(day from d.at at time zone z.tz))::int
from contacts c
join workspaces w on w.id = c.workspace_id
cross join lateral (select coalesce(c.timezone, w.timezone) as tz) z
cross join lateral relance_contact_dates(c.properties, c.created_at, z.tz) d
on conflict (contact_id, name) do nothing;
