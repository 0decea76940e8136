-- Plans and the checks they place (DESIGN.md sections 2 and 4).
CREATE TABLE plans (
    id TEXT PRIMARY KEY NOT NULL,
    from_date DATE NOT NULL,
    days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 14),
    -- Ids of the mobile groups planned, comma-separated.
    group_ids TEXT NOT NULL,
    -- draft or published.
    status TEXT NOT NULL,
    seed BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP
);
CREATE INDEX plans_from_date ON plans (from_date);

CREATE TABLE checks (
    id TEXT PRIMARY KEY NOT NULL,
    plan_id TEXT REFERENCES plans (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES persons (id),
    -- home or work.
    kind TEXT NOT NULL,
    address TEXT NOT NULL,
    lat DOUBLE NOT NULL,
    lon DOUBLE NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts (id),
    due_date DATE NOT NULL,
    -- The days drawn for this check, ISO dates comma-separated.
    allowed_days TEXT NOT NULL,
    window_start_min INTEGER NOT NULL,
    window_end_min INTEGER NOT NULL,
    service_min INTEGER NOT NULL,
    priority BIGINT NOT NULL,
    -- planned, published, done, missed, cancelled.
    status TEXT NOT NULL,
    mobile_group_id TEXT REFERENCES mobile_groups (id),
    planned_date DATE,
    position INTEGER,
    planned_arrival_min INTEGER,
    unplaced_reason TEXT,
    pinned BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX checks_plan ON checks (plan_id);
CREATE INDEX checks_person ON checks (person_id, kind, status);
CREATE INDEX checks_group_day ON checks (mobile_group_id, planned_date);
