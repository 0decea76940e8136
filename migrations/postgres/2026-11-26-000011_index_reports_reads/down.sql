DROP INDEX persons_status_report;
DROP INDEX visits_person_kind_time;
DROP INDEX visits_group_by_time;
DROP INDEX checks_planned_day;
DROP INDEX visits_success_by_time;
CREATE INDEX visits_device_at ON visits (device_at, outcome, kind, person_id);
