-- Each leg of a route as its plan timed it (issue 17, item 6: planned against driven): the
-- drive into a stop from the stop before it (or from the base), its time and length on the
-- plan's travel source, and the road class most of its time is spent on (NULL when the leg was
-- timed by the straight line). Written with `plan_routes`, at every placement of the plan.
CREATE TABLE plan_legs (
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    -- The stop the leg arrives at.
    check_id TEXT NOT NULL,
    mobile_group_id TEXT NOT NULL,
    day DATE NOT NULL,
    -- The stop it leaves; NULL for the first leg, from the group's base.
    from_check_id TEXT,
    driving_s BIGINT NOT NULL,
    distance_m BIGINT NOT NULL,
    -- roads::RoadClass, e.g. 'trunk', 'residential'.
    road_class TEXT,
    PRIMARY KEY (plan_id, check_id)
);

-- The group report reads the legs of a period.
CREATE INDEX plan_legs_day ON plan_legs (day);
