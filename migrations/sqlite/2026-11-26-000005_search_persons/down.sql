DROP INDEX persons_tier_rank;
DROP INDEX persons_kind_tier;
DROP TRIGGER persons_search_update;
DROP TRIGGER persons_search_delete;
DROP TRIGGER persons_search_insert;
DROP TABLE persons_search;
