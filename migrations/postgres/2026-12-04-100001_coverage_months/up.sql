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
CREATE FUNCTION coverage_months_stale_from(first_day DATE) RETURNS void AS $$
    UPDATE coverage_months SET stale = TRUE, version = version + 1
    WHERE month >= date_trunc('month', first_day)::date;
$$ LANGUAGE sql;

CREATE FUNCTION coverage_visit_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM coverage_months_stale_from((NEW.device_at - interval '1 day')::date);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM coverage_months_stale_from((OLD.device_at - interval '1 day')::date);
    ELSE
        PERFORM coverage_months_stale_from(
            (LEAST(OLD.device_at, NEW.device_at) - interval '1 day')::date);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION coverage_person_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM coverage_months_stale_from(NEW.supervision_start);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM coverage_months_stale_from(OLD.supervision_start);
    ELSE
        PERFORM coverage_months_stale_from(LEAST(OLD.supervision_start, NEW.supervision_start));
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER coverage_visit_insert AFTER INSERT ON visits FOR EACH ROW
WHEN (NEW.outcome IN ('present', 'violation', 'employed'))
EXECUTE FUNCTION coverage_visit_changed();

CREATE TRIGGER coverage_visit_update AFTER UPDATE ON visits FOR EACH ROW
WHEN ((OLD.outcome IN ('present', 'violation', 'employed')
       OR NEW.outcome IN ('present', 'violation', 'employed'))
    AND (OLD.outcome, OLD.kind, OLD.person_id, OLD.device_at)
        IS DISTINCT FROM (NEW.outcome, NEW.kind, NEW.person_id, NEW.device_at))
EXECUTE FUNCTION coverage_visit_changed();

CREATE TRIGGER coverage_visit_delete AFTER DELETE ON visits FOR EACH ROW
WHEN (OLD.outcome IN ('present', 'violation', 'employed'))
EXECUTE FUNCTION coverage_visit_changed();

CREATE TRIGGER coverage_person_insert AFTER INSERT ON persons FOR EACH ROW
WHEN (NEW.status = 'active')
EXECUTE FUNCTION coverage_person_changed();

CREATE TRIGGER coverage_person_update AFTER UPDATE ON persons FOR EACH ROW
WHEN ((OLD.status = 'active' OR NEW.status = 'active')
    AND (OLD.status, OLD.risk_tier, OLD.district_id, OLD.id, OLD.supervision_start,
         OLD.work_lat IS NULL)
        IS DISTINCT FROM (NEW.status, NEW.risk_tier, NEW.district_id, NEW.id,
                          NEW.supervision_start, NEW.work_lat IS NULL))
EXECUTE FUNCTION coverage_person_changed();

CREATE TRIGGER coverage_person_delete AFTER DELETE ON persons FOR EACH ROW
WHEN (OLD.status = 'active')
EXECUTE FUNCTION coverage_person_changed();
