-- What officers recorded at checks (or ad hoc), and the follow-ups visits call for.
CREATE TABLE visits (
    -- Made on the device, so a resubmission is recognised (idempotent PUT).
    id TEXT PRIMARY KEY NOT NULL,
    check_id TEXT REFERENCES checks (id) ON DELETE SET NULL,
    person_id TEXT NOT NULL REFERENCES persons (id),
    kind TEXT NOT NULL,
    officer_id TEXT NOT NULL REFERENCES users (id),
    mobile_group_id TEXT REFERENCES mobile_groups (id),
    outcome TEXT NOT NULL,
    violation_kind TEXT,
    notes TEXT,
    device_at TIMESTAMP NOT NULL,
    server_at TIMESTAMP NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    accuracy_m DOUBLE PRECISION,
    distance_m DOUBLE PRECISION,
    far_from_address BOOLEAN NOT NULL DEFAULT FALSE,
    -- good, fair, poor, no_position.
    evidence TEXT NOT NULL,
    -- The check had been cancelled while the officer was offline: accepted, flagged.
    check_was_cancelled BOOLEAN NOT NULL DEFAULT FALSE,
    ad_hoc BOOLEAN NOT NULL DEFAULT FALSE,
    -- The submitted content, canonical JSON: a resubmission must match it exactly.
    payload TEXT NOT NULL
);
CREATE INDEX visits_person ON visits (person_id, server_at);
CREATE INDEX visits_check ON visits (check_id);
CREATE INDEX visits_group ON visits (mobile_group_id, server_at);

CREATE TABLE follow_ups (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons (id),
    visit_id TEXT REFERENCES visits (id),
    -- repeated_absence, violation, moved_away, employment_to_verify.
    reason TEXT NOT NULL,
    -- open or closed.
    status TEXT NOT NULL,
    assigned_to TEXT REFERENCES users (id),
    note TEXT,
    created_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP
);
CREATE INDEX follow_ups_person ON follow_ups (person_id, status);
