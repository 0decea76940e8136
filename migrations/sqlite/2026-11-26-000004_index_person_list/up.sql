-- The registry list at scale (100,000 persons): every sort order walks an index to its page
-- instead of sorting the table, and the filters narrow by index first.
DROP INDEX persons_name;
CREATE INDEX persons_name ON persons (last_name, first_name, id);
CREATE INDEX persons_district_name ON persons (district_id, last_name, id);
CREATE INDEX persons_updated ON persons (updated_at DESC, id);
CREATE INDEX persons_tier_name ON persons (risk_tier, last_name, id);
CREATE INDEX persons_status_name ON persons (status, last_name, first_name, id);
