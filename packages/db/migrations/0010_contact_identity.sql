-- Identity and score bookkeeping on contacts, and the SQL helpers compiled segment
-- rules call. Rules read free-form jsonb properties, so the helpers turn values into numbers
-- and instants without ever raising: a malformed value makes a comparison false, it never
-- fails the whole segment query.

alter table contacts
  -- Segment's anonymousId: a visitor not yet identified by userId or email.
  add column anonymous_id text,
  -- Points from flow actions and the API; `score` is this plus what the scoring rules give.
  add column score_adjustment integer not null default 0;

create unique index contacts_workspace_anonymous_id on contacts (workspace_id, anonymous_id)
  where anonymous_id is not null and merged_into is null;
-- A merged contact's identifiers keep resolving, to the contact it was merged into.
create index contacts_merged_email on contacts (workspace_id, email)
  where email is not null and merged_into is not null;
create index contacts_merged_external_id on contacts (workspace_id, external_id)
  where external_id is not null and merged_into is not null;
create index contacts_merged_anonymous_id on contacts (workspace_id, anonymous_id)
  where anonymous_id is not null and merged_into is not null;
create index contacts_merged_into on contacts (merged_into) where merged_into is not null;
-- Search by email prefix whatever the database collation.
create index contacts_email_prefix on contacts (workspace_id, email text_pattern_ops)
  where merged_into is null;

-- A jsonb number, or a string holding one, as numeric; null otherwise.
create function relance_num(value jsonb) returns numeric
language sql immutable parallel safe as $$
  select case jsonb_typeof(value)
    when 'number' then value::numeric
    when 'string' then case
      when value #>> '{}' ~ '^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d{1,3})?\s*$'
      then (value #>> '{}')::numeric
    end
  end
$$;

-- An ISO 8601 date or date-time as an instant. Values without an offset (`1990-05-17`,
-- `2024-03-01T09:00`) are wall-clock times in `tz`, the contact's time zone. Null when malformed.
do $do$
begin
  if current_setting('server_version_num')::int >= 160000 then
    -- pg_input_is_valid (PostgreSQL 16+) checks without a subtransaction per row.
    execute $fn$
      create function relance_parse_ts(value text, tz text) returns timestamptz
      language sql stable parallel safe as $$
        select case
          when value !~ '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$'
            then null
          when not pg_input_is_valid(value, 'timestamp') then null
          when length(value) > 10 and value ~ '(Z|[+-]\d{2}(:?\d{2})?)$' then value::timestamptz
          else value::timestamp at time zone tz
        end
      $$ $fn$;
  else
    execute $fn$
      create function relance_parse_ts(value text, tz text) returns timestamptz
      language plpgsql stable parallel safe as $$
      begin
        if value !~ '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$' then
          return null;
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

create function relance_ts(value jsonb, tz text) returns timestamptz
language sql stable parallel safe as $$
  select case when jsonb_typeof(value) = 'string' then relance_parse_ts(value #>> '{}', tz) end
$$;

-- True when `day` is a yearly anniversary (one year or more) of `since`. A 29 February
-- anniversary falls on 28 February in other years.
create function relance_is_anniversary(since date, day date) returns boolean
language sql immutable parallel safe as $$
  select since < day and (
    (extract(month from since) = extract(month from day) and extract(day from since) = extract(day from day))
    or (
      extract(month from since) = 2 and extract(day from since) = 29
      and extract(month from day) = 2 and extract(day from day) = 28
      and extract(day from make_date(extract(year from day)::int, 3, 1) - 1) = 28
    )
  )
$$;
