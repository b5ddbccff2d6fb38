-- A contact search for a name finds it whatever its accents and case, both ways: "lefevre"
-- finds Lefèvre, "Lefèvre" finds Lefevre, "muller" Müller, "JOSE" José. The names and the
-- search are both folded by unaccent (contrib, a trusted extension like pg_trgm: a database
-- owner may create it) then lower(), and the trigram index of 0070 is rebuilt on the folded
-- names.
--
-- On a large base: migrations run in one transaction, so the new index is built there, under
-- a SHARE lock on contacts: searches and lists go on, but writes to contacts (ingest, imports,
-- settles, score changes) wait for the build and the analyze: 11.6 s for a million contacts
-- with names, on two cores busy with other work. Dropping the old index, last, takes an ACCESS
-- EXCLUSIVE lock on contacts, held from then to the commit: a moment.
create extension if not exists unaccent with schema public;

-- unaccent() is only stable: it reads its dictionary, found by name through search_path. With
-- the dictionary named with its schema, the result depends on the text alone, so the wrapper
-- may be declared immutable, as an index expression must be.
create function relance_fold(text text) returns text
language sql immutable parallel safe strict as $$
  select lower(public.unaccent('public.unaccent'::regdictionary, text))
$$;

-- The names a search looks in (those of relance_contact_names, 0070), folded as relance_fold
-- folds a search, one after another: a part that spans first and last name ("jose garcia") is
-- found too. The folding is written out, not a call of relance_fold: an index is built and
-- analyzed with a search_path of pg_catalog only, where relance_fold is not found.
create function relance_contact_folded_names(properties jsonb) returns text
language sql immutable parallel safe as $$
  select lower(public.unaccent('public.unaccent'::regdictionary,
    coalesce(properties ->> 'name', '') || ' ' ||
    coalesce(properties ->> 'first_name', '') || ' ' ||
    coalesce(properties ->> 'last_name', '') || ' ' ||
    coalesce(properties ->> 'firstName', '') || ' ' ||
    coalesce(properties ->> 'lastName', '')))
$$;

create index contacts_folded_name_search on contacts
  using gin (relance_contact_folded_names(properties) gin_trgm_ops);

-- Statistics of the new expression now, not at the next autoanalyze (see 0070: without them a
-- search that matches no one read the whole base).
analyze contacts;

-- Searches read the folded names only. relance_contact_names stays for a copy of the previous
-- version still running during a deploy: its searches still answer, without the index.
drop index contacts_name_search;
