-- Registry search at scale: a trigram index over the folded search text, so a substring query
-- ("ахмет", "akhmet", the last digits of an IIN) reads the few matching rows instead of scanning
-- the table. pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
-- The index names the operator class by the extension's own schema, wherever it was installed.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DO $$
DECLARE
    trgm_schema text;
BEGIN
    SELECT n.nspname INTO trgm_schema
        FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        WHERE e.extname = 'pg_trgm';
    EXECUTE format(
        'CREATE INDEX persons_search ON persons USING gin (search_text %I.gin_trgm_ops)',
        trgm_schema);
END
$$;
-- Filters without a district (tier and kind, sorted by district or name) narrow by this index.
CREATE INDEX persons_kind_tier ON persons (supervision_kind, risk_tier, district_id, last_name, id);
-- Sorting by risk tier (high, medium, low: not alphabetical) walks this index, whose expression
-- is the list's ORDER BY word for word.
CREATE INDEX persons_tier_rank ON persons (
    (CASE risk_tier WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END), last_name, id
);
