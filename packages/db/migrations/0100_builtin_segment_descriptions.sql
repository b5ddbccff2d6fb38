-- The built-in segments' descriptions in a marketer's words: "Spent 500 or more in the last year,
-- all their orders added up" instead of "(sum of order.completed amount)". Descriptions are
-- copied into each workspace when it is created (workspace-defaults.ts), so existing workspaces
-- get the new words here, only where the description is still the one Relance wrote: a
-- description the marketer changed is theirs and stays.
update segments set description = new.description
from (values
  ('prospects', 'Contacts who have never completed an order.',
    'Contacts who have never placed an order.'),
  ('value-high', 'Spent 500 or more in the last year (sum of order.completed amount).',
    'Spent 500 or more in the last year, all their orders added up.'),
  ('value-medium', 'Spent from 100 up to 500 in the last year.',
    'Spent from 100 up to 500 in the last year, all their orders added up.'),
  ('value-low', 'Spent something, less than 100, in the last year.',
    'Spent something, less than 100, in the last year, all their orders added up.')
) as new (builtin, old, description)
where segments.builtin = new.builtin and segments.description = new.old;
