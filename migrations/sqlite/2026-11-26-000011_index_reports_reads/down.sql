DROP INDEX persons_status_report;
DROP INDEX visits_person_kind_time;
DROP INDEX visits_group_by_time;
DROP INDEX checks_planned_day;
