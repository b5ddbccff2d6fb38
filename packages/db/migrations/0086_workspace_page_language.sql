-- The language of the pages recipients see (unsubscribe, preferences, sign-up confirmation) when
-- the contact has none of their own (a `locale` or `language` property). Null: the recipient's
-- browser decides (Accept-Language), else English. Which languages exist is the API's to say;
-- the column only keeps it to a two-letter ISO 639-1 code.
alter table workspaces
  add column page_language text check (page_language ~ '^[a-z]{2}$');
