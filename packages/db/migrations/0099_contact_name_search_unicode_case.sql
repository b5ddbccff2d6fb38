-- A contact search folds case in every alphabet: "dmitrii" typed in Cyrillic lower case finds
-- the name in capitals, a Greek name in capitals is found typed in lower case, and a Latin
-- letter unaccent keeps (the schwa of the Azerbaijani "Aliyev") in either case. 0097 folded
-- with lower() in the database's collation: the embedded database is initialised with the C
-- locale, whose lower() changes A to Z only.
--
-- relance_fold and relance_contact_folded_names now lower-case in a collation that knows
-- Unicode, the first of these the server has:
--   pg_catalog.pg_c_utf8  PostgreSQL 17+, in a UTF8 database: Unicode's simple case mapping,
--                         built into PostgreSQL, the same on every platform;
--   pg_catalog."und-x-icu" a server built with ICU (most packages of 14 to 16): ICU's
--                         root-locale case mapping;
--   otherwise the database's own collation, as before: Unicode-aware when its locale is
--   (en_US.UTF-8 and the like), A to Z only under C or POSIX.
-- Each is tried with a lower() before it is chosen, so a server without it (or an encoding ICU
-- refuses) falls through to the next. The collation chosen is said in the functions' comments.
-- In a UTF8 database the final sigma (U+03C2) is then written as the sigma (U+03C3): lower()
-- keeps it, and ICU writes it for a capital sigma ending a word, so a name ending in one and
-- a search typed with the other (or a part of the name, ending on a plain sigma) would not meet. This file is ASCII only: a
-- migration's text reaches a database in its own encoding, which may lack those letters.
--
-- The functions keep their names, replaced in place, and the index of 0097 is rebuilt under
-- its name in this same transaction, so no committed state pairs the index with another
-- folding, and a copy of the previous version still running during a deploy folds as the
-- index does. Both stay immutable: a named collation's case mapping depends on the text alone
-- (it changes only with the server's Unicode or ICU version, as any collation's order does).
-- Every name in them is written with its schema: an index is built and analyzed with a
-- search_path of pg_catalog only, and relance_contact_folded_names writes the folding out
-- rather than call relance_fold for the same reason (see 0097).
--
-- On a large base, as 0097: the new index is built in the migration's transaction under a
-- SHARE lock on contacts: searches and lists go on (on the old index, with the old folding),
-- writes to contacts (ingest, imports, settles, score changes) wait for the build and the
-- analyze: about 12 s for a million contacts with names (the new folding builds 6% slower
-- than 0097's, 2.50 s against 2.36 s for 300,000). Dropping the old index and renaming the new
-- one take an ACCESS EXCLUSIVE lock on contacts, held from then to the commit: a moment.
do $migration$
declare
  candidate text;
  chosen text;
  collate_clause text := '';
  final_sigma text := '';
  fold text;
begin
  foreach candidate in array array['pg_catalog.pg_c_utf8', 'pg_catalog."und-x-icu"'] loop
    begin
      execute format('select pg_catalog.lower(%L collate %s)', 'A', candidate);
      chosen := candidate;
      exit;
    exception when others then
      null;
    end;
  end loop;
  if chosen is not null then
    collate_clause := ' collate ' || chosen;
  end if;
  if pg_catalog.getdatabaseencoding() = 'UTF8' then
    final_sigma := format(', %L, %L)', pg_catalog.chr(962), pg_catalog.chr(963));
  end if;
  -- %1$s is the text folded.
  fold := case when final_sigma = '' then '' else 'pg_catalog.translate(' end
    || 'pg_catalog.lower(public.unaccent(''public.unaccent''::regdictionary, %1$s)'
    || collate_clause || ')' || final_sigma;

  execute format($f$
    create or replace function relance_fold(text text) returns text
    language sql immutable parallel safe strict as %L$f$,
    'select ' || format(fold, 'text'));

  execute format($f$
    create or replace function relance_contact_folded_names(properties jsonb) returns text
    language sql immutable parallel safe as %L$f$,
    'select ' || format(fold, $names$
      coalesce(properties ->> 'name', '') || ' ' ||
      coalesce(properties ->> 'first_name', '') || ' ' ||
      coalesce(properties ->> 'last_name', '') || ' ' ||
      coalesce(properties ->> 'firstName', '') || ' ' ||
      coalesce(properties ->> 'lastName', '')$names$));

  execute format('comment on function relance_fold(text) is %L',
    'Folds a search as relance_contact_folded_names folds names: unaccent, then lower() in '
    || coalesce(chosen, 'the database collation') || ' (migration 0099).');
  execute format('comment on function relance_contact_folded_names(jsonb) is %L',
    'The names a contact search looks in, folded by unaccent, then lower() in '
    || coalesce(chosen, 'the database collation') || ' (migration 0099).');
end
$migration$;

create index contacts_folded_name_search_0099 on contacts
  using gin (relance_contact_folded_names(properties) gin_trgm_ops);

-- Statistics of the new folding now, not at the next autoanalyze (see 0070).
analyze contacts;

drop index contacts_folded_name_search;
alter index contacts_folded_name_search_0099 rename to contacts_folded_name_search;
