DROP INDEX persons_status_name;
DROP INDEX persons_tier_name;
DROP INDEX persons_updated;
DROP INDEX persons_district_name;
DROP INDEX persons_name;
CREATE INDEX persons_name ON persons (last_name, first_name);
