-- The reports read visits by the time they were made (coverage: the successful visits from a year
-- before the period to its end; groups: the period's visits). With the columns coverage reads,
-- the index answers it without reading the table.
CREATE INDEX visits_device_at ON visits (device_at, outcome, kind, person_id);
