-- Where a plan's travel times come from (issue 17, item 3): the road network it was made on, or
-- the great-circle estimate, with how many of its points fell back to the straight line and
-- why. One row per plan, rewritten when the plan is re-optimised.
CREATE TABLE plan_travel (
    plan_id TEXT PRIMARY KEY NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    -- 'roads' or 'great_circle' (domain::travel::TravelSource).
    source TEXT NOT NULL,
    -- The network's file name and import time, when on roads.
    network_name TEXT,
    network_imported_at TIMESTAMP,
    -- Points of the plan's problem (the groups' bases and the checks), and those that fell back.
    points INTEGER NOT NULL,
    fell_back INTEGER NOT NULL,
    -- The fallback reasons counted: "too-far-from-road=2,outside-network=1".
    reasons TEXT NOT NULL
);

-- Each route's driving distance and time as the plan's travel source gives them for its legs
-- (base, stops in order, base): what the plan's pages show, written with every placement.
CREATE TABLE plan_routes (
    plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    mobile_group_id TEXT NOT NULL,
    day DATE NOT NULL,
    distance_m BIGINT NOT NULL,
    driving_s BIGINT NOT NULL,
    PRIMARY KEY (plan_id, mobile_group_id, day)
);
