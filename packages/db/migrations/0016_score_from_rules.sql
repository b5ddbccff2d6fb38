-- Keep the part of `score` that the scoring rules gave, instead of the part that came from
-- elsewhere: when the rules are re-applied, score moves by (new rules part − old rules part), so
-- points added by flows, the API or any direct update are never overwritten.
alter table contacts rename column score_adjustment to score_from_rules;
