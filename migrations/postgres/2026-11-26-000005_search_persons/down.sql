DROP INDEX persons_tier_rank;
DROP INDEX persons_kind_tier;
DROP INDEX persons_search;
