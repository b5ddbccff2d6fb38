-- A date written as midnight UTC ("1990-05-17T00:00:00Z", what JavaScript's toISOString and many
-- exports write for a plain date) is that calendar date, local midnight in the contact's time
-- zone, as "1990-05-17" is: read as an instant it was the evening of 16 May for anyone west of
-- UTC, so "birthday in 0 days" came a day early and disagreed with the journey date trigger,
-- which reads the written date. Any other time with an offset is still an instant. Segment rules,
-- the date index (relance_contact_dates reads dates through relance_ts) and the date trigger
-- (nextDateOccurrence in packages/flow/src/time.ts) all follow this one rule.
do $do$
begin
  if current_setting('server_version_num')::int >= 160000 then
    execute $fn$
      create or replace function relance_parse_ts(value text, tz text) returns timestamptz
      language sql stable parallel safe as $$
        select case
          when value !~ '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$'
            then null
          when not pg_input_is_valid(value, 'timestamp') then null
          when value ~ '^.{10}[T ]00:00(:00(\.0{1,6})?)?(Z|[+-]00(:?00)?)$'
            then left(value, 10)::timestamp at time zone tz
          when length(value) > 10 and value ~ '(Z|[+-]\d{2}(:?\d{2})?)$' then value::timestamptz
          else value::timestamp at time zone tz
        end
      $$ $fn$;
  else
    execute $fn$
      create or replace function relance_parse_ts(value text, tz text) returns timestamptz
      language plpgsql stable parallel safe as $$
      begin
        if value !~ '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$' then
          return null;
        end if;
        if value ~ '^.{10}[T ]00:00(:00(\.0{1,6})?)?(Z|[+-]00(:?00)?)$' then
          return left(value, 10)::timestamp at time zone tz;
        end if;
        if length(value) > 10 and value ~ '(Z|[+-]\d{2}(:?\d{2})?)$' then
          return value::timestamptz;
        end if;
        return value::timestamp at time zone tz;
      exception when datetime_field_overflow or invalid_datetime_format then
        return null;
      end
      $$ $fn$;
  end if;
end
$do$;

-- Moves the indexed dates the new rule reads differently. Only rows indexed at a midnight UTC
-- can have been such a value ($created_at is a timestamp, never parsed); each is read again from
-- its contact in the contact's zone (else the workspace's) and rewritten only when its instant or
-- month-day moved. The contacts are only read, never locked; the rows rewritten are locked until
-- the migration commits, so a write to one of those contacts' properties meanwhile waits for it
-- (one pass over the index, a primary-key probe of the contact per candidate). Returns the rows
-- moved. Kept as a function so the same repair can be run again.
create function relance_reindex_utc_midnight_dates() returns integer
language plpgsql as $$
declare
  moved integer;
begin
  with candidates as (
    select d.contact_id, d.name
    from contact_date_properties d
    where d.name <> '$created_at'
      and d.at = date_trunc('day', d.at at time zone 'UTC') at time zone 'UTC'
  ), fresh as (
    select k.contact_id, k.name, t.at,
      (extract(month from t.at at time zone z.tz) * 100
        + extract(day from t.at at time zone z.tz))::int as month_day
    from candidates k
    join contacts c on c.id = k.contact_id
    join workspaces w on w.id = c.workspace_id
    cross join lateral (select coalesce(c.timezone, w.timezone, 'UTC') as tz) z
    cross join lateral (
      select relance_ts(c.properties #> string_to_array(k.name, '.'), z.tz) as at
    ) t
    where t.at is not null
  )
  update contact_date_properties d set at = f.at, month_day = f.month_day
  from fresh f
  where d.contact_id = f.contact_id and d.name = f.name
    and (d.at, d.month_day) is distinct from (f.at, f.month_day);
  get diagnostics moved = row_count;
  return moved;
end $$;

select relance_reindex_utc_midnight_dates();
