-- Each closed month's coverage state (issue 18, target 1): coverage against crime reads these
-- instead of a year's successful visits. One row per month (its first day) with a stale mark and
-- a version, both set by the triggers below in the same statement (so the same transaction) as
-- any write that changes what the month's coverage is; a report that finds a month stale,
-- missing or made on another basis (time zone, contact standards) recomputes it from the raw
-- records and stores it only if the version is still the one it read before reading them.
CREATE TABLE coverage_months (
    month DATE PRIMARY KEY NOT NULL,
    -- The time zone and contact standards the counts were made with.
    basis TEXT NOT NULL,
    stale BOOLEAN NOT NULL,
    version BIGINT NOT NULL
);

-- The month's state at its last day, per home district of the active persons: person-kinds
-- covered, overdue and not yet due by kind, and persons by their state over all kinds.
CREATE TABLE coverage_month_districts (
    month DATE NOT NULL REFERENCES coverage_months (month) ON DELETE CASCADE,
    district_id TEXT NOT NULL,
    home_covered BIGINT NOT NULL,
    home_overdue BIGINT NOT NULL,
    home_not_yet_due BIGINT NOT NULL,
    work_covered BIGINT NOT NULL,
    work_overdue BIGINT NOT NULL,
    work_not_yet_due BIGINT NOT NULL,
    persons_covered BIGINT NOT NULL,
    persons_overdue BIGINT NOT NULL,
    persons_not_yet_due BIGINT NOT NULL,
    PRIMARY KEY (month, district_id)
);

-- A successful visit (outcome as visits_success_by_time states it) on a local day D counts from
-- D on; D is the UTC day or the one before or after, so months from the UTC day before are
-- marked. A change to an active person's coverage facts (status, tier, district, supervision
-- start, workplace) counts from their supervision start on (the registry as it is now stands for
-- every day: reports::coverage).
CREATE TRIGGER coverage_visit_insert AFTER INSERT ON visits
WHEN NEW.outcome IN ('present', 'violation', 'employed')
BEGIN
    UPDATE coverage_months SET stale = 1, version = version + 1
    WHERE month >= date(substr(NEW.device_at, 1, 10), '-1 day', 'start of month');
END;

CREATE TRIGGER coverage_visit_update AFTER UPDATE ON visits
WHEN (OLD.outcome IN ('present', 'violation', 'employed')
      OR NEW.outcome IN ('present', 'violation', 'employed'))
    AND (OLD.outcome IS NOT NEW.outcome OR OLD.kind IS NOT NEW.kind
         OR OLD.person_id IS NOT NEW.person_id OR OLD.device_at IS NOT NEW.device_at)
BEGIN
    UPDATE coverage_months SET stale = 1, version = version + 1
    WHERE month >= date(min(substr(OLD.device_at, 1, 10), substr(NEW.device_at, 1, 10)),
                        '-1 day', 'start of month');
END;

CREATE TRIGGER coverage_visit_delete AFTER DELETE ON visits
WHEN OLD.outcome IN ('present', 'violation', 'employed')
BEGIN
    UPDATE coverage_months SET stale = 1, version = version + 1
    WHERE month >= date(substr(OLD.device_at, 1, 10), '-1 day', 'start of month');
END;

CREATE TRIGGER coverage_person_insert AFTER INSERT ON persons
WHEN NEW.status = 'active'
BEGIN
    UPDATE coverage_months SET stale = 1, version = version + 1
    WHERE month >= date(NEW.supervision_start, 'start of month');
END;

CREATE TRIGGER coverage_person_update AFTER UPDATE ON persons
WHEN (OLD.status = 'active' OR NEW.status = 'active')
    AND (OLD.status IS NOT NEW.status OR OLD.risk_tier IS NOT NEW.risk_tier
         OR OLD.district_id IS NOT NEW.district_id OR OLD.id IS NOT NEW.id
         OR OLD.supervision_start IS NOT NEW.supervision_start
         OR (OLD.work_lat IS NULL) IS NOT (NEW.work_lat IS NULL))
BEGIN
    UPDATE coverage_months SET stale = 1, version = version + 1
    WHERE month >= date(min(OLD.supervision_start, NEW.supervision_start), 'start of month');
END;

CREATE TRIGGER coverage_person_delete AFTER DELETE ON persons
WHEN OLD.status = 'active'
BEGIN
    UPDATE coverage_months SET stale = 1, version = version + 1
    WHERE month >= date(OLD.supervision_start, 'start of month');
END;
