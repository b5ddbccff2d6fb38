-- Top-level contact properties that hold dates, indexed by instant and by month-day, so the
-- segment tick finds "renews within 7 days" and "birthday in 3 days" crossings without reading
-- every contact. Kept by a trigger, so every write path (ingestion, import, API, flows) is covered.
create table contact_date_properties (
  contact_id uuid not null references contacts (id) on delete cascade,
  workspace_id uuid not null,
  name text not null,
  -- The value read as UTC when it has no offset: the tick widens its windows by a day to cover
  -- every time zone, then evaluates the candidates exactly.
  at timestamptz not null,
  month_day integer not null,
  primary key (contact_id, name)
);
create index contact_date_properties_at on contact_date_properties (workspace_id, name, at);
create index contact_date_properties_month_day
  on contact_date_properties (workspace_id, name, month_day);

create function relance_index_contact_dates() returns trigger
language plpgsql as $$
begin
  if tg_op = 'UPDATE' then
    delete from contact_date_properties where contact_id = new.id;
  end if;
  insert into contact_date_properties (contact_id, workspace_id, name, at, month_day)
  select new.id, new.workspace_id, p.key, t.at,
         (extract(month from t.at at time zone 'UTC') * 100 + extract(day from t.at at time zone 'UTC'))::int
  from jsonb_each(new.properties) p
  cross join lateral (select relance_ts(p.value, 'UTC') as at) t
  where jsonb_typeof(p.value) = 'string' and t.at is not null;
  return null;
end
$$;

create trigger contacts_index_dates_insert after insert on contacts
  for each row when (new.properties <> '{}'::jsonb)
  execute function relance_index_contact_dates();
create trigger contacts_index_dates_update after update of properties on contacts
  for each row when (old.properties is distinct from new.properties)
  execute function relance_index_contact_dates();
