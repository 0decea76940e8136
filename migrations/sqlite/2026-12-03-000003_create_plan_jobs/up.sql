-- Plans being made in the background (DESIGN.md section 8): in the database, so that any app
-- server shows any job's progress, and a job whose server died (no heartbeat for a while) shows
-- as failed with a way to start it again, never as "not found".
CREATE TABLE plan_jobs (
    id TEXT PRIMARY KEY NOT NULL,
    owner_id TEXT NOT NULL REFERENCES users (id),
    from_date DATE NOT NULL,
    days INTEGER NOT NULL,
    group_ids TEXT NOT NULL,
    status TEXT NOT NULL,
    phase TEXT NOT NULL,
    phase_started_at TIMESTAMP NOT NULL,
    time_limit_ms BIGINT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    heartbeat_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    server TEXT NOT NULL,
    plan_id TEXT,
    error TEXT
);
CREATE INDEX plan_jobs_running ON plan_jobs (status, heartbeat_at);
