DROP TRIGGER coverage_person_delete;
DROP TRIGGER coverage_person_update;
DROP TRIGGER coverage_person_insert;
DROP TRIGGER coverage_visit_delete;
DROP TRIGGER coverage_visit_update;
DROP TRIGGER coverage_visit_insert;
DROP TABLE coverage_month_districts;
DROP TABLE coverage_months;
