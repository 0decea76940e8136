-- The coverage reports read the successful visits of a window by time (millions at 100,000
-- persons): from an index of the successes alone, whose condition the query states word for word
-- (bound values would keep the planner from using it). It replaces visits_device_at, which also
-- held the failed visits and made SQLite test each entry's outcome against the list.
DROP INDEX visits_device_at;
CREATE INDEX visits_success_by_time ON visits (device_at, person_id, kind)
    WHERE outcome IN ('present', 'violation', 'employed');
-- The group report reads the period's visits of the groups: with its columns in the index it
-- never touches the table rows (at 100,000 persons, a month's 300,000 visits lie scattered over
-- a 4 GB table, and reading them one by one took over a second).
CREATE INDEX visits_group_by_time ON visits (
    device_at, mobile_group_id, check_id, far_from_address, evidence
) WHERE mobile_group_id IS NOT NULL;
-- The group report reads the checks placed on routes by their planned day (a month of them):
-- without this index SQLite scans all checks, or walks every check of a published plan.
CREATE INDEX checks_planned_day ON checks (planned_date) WHERE mobile_group_id IS NOT NULL;
-- The coverage report's last successful visit of a person-kind before its window, for those
-- without a recent one: read from the index alone, not from each of the person's visit rows.
CREATE INDEX visits_person_kind_time ON visits (person_id, kind, outcome, device_at);
-- The coverage reports read the active persons with these columns: from the index alone.
CREATE INDEX persons_status_report ON persons (
    status, id, district_id, risk_tier, supervision_start, work_lat
);
