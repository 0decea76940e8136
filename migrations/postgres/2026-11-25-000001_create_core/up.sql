-- The platform's tables (DESIGN.md section 2). Portable types only: TEXT ids (UUIDv7) and words,
-- DOUBLE PRECISION coordinates, TIMESTAMP in UTC, DATE for calendar days.
CREATE TABLE districts (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('urban', 'rural')),
    population BIGINT NOT NULL CHECK (population >= 0),
    boundary_json TEXT NOT NULL,
    min_lat DOUBLE PRECISION NOT NULL,
    max_lat DOUBLE PRECISION NOT NULL,
    min_lon DOUBLE PRECISION NOT NULL,
    max_lon DOUBLE PRECISION NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE mobile_groups (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    base_address TEXT NOT NULL,
    base_lat DOUBLE PRECISION NOT NULL,
    base_lon DOUBLE PRECISION NOT NULL,
    shift_start_min INTEGER NOT NULL,
    shift_end_min INTEGER NOT NULL,
    max_checks_per_shift INTEGER NOT NULL,
    active_days_mask INTEGER NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE mobile_group_districts (
    mobile_group_id TEXT NOT NULL REFERENCES mobile_groups (id) ON DELETE CASCADE,
    district_id TEXT NOT NULL REFERENCES districts (id),
    PRIMARY KEY (mobile_group_id, district_id)
);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    login TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('administrator', 'prosecutor', 'supervisor', 'officer')),
    password_hash TEXT NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    preferred_lang TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- An officer belongs to at most one group: the user id is the key.
CREATE TABLE mobile_group_members (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    mobile_group_id TEXT NOT NULL REFERENCES mobile_groups (id) ON DELETE CASCADE
);
CREATE INDEX mobile_group_members_group ON mobile_group_members (mobile_group_id);

CREATE TABLE persons (
    id TEXT PRIMARY KEY NOT NULL,
    iin TEXT NOT NULL UNIQUE,
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    middle_name TEXT,
    birth_date DATE NOT NULL,
    sex TEXT NOT NULL,
    phone TEXT,
    article TEXT NOT NULL,
    severity TEXT NOT NULL,
    conviction_date DATE NOT NULL,
    release_date DATE,
    expungement_date DATE,
    prior_convictions INTEGER NOT NULL DEFAULT 0,
    supervision_kind TEXT NOT NULL,
    supervision_start DATE NOT NULL,
    restrictions TEXT,
    curfew_start_min INTEGER,
    curfew_end_min INTEGER,
    risk_tier TEXT NOT NULL,
    risk_tier_reason TEXT,
    status TEXT NOT NULL,
    home_address TEXT NOT NULL,
    home_lat DOUBLE PRECISION NOT NULL,
    home_lon DOUBLE PRECISION NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts (id),
    employer TEXT,
    work_address TEXT,
    work_lat DOUBLE PRECISION,
    work_lon DOUBLE PRECISION,
    -- Lower-cased, diacritic-folded "name iin address" for case-insensitive search on both backends.
    search_text TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX persons_district ON persons (district_id);
CREATE INDEX persons_status_tier ON persons (status, risk_tier);
CREATE INDEX persons_name ON persons (last_name, first_name);

CREATE TABLE contact_standards (
    risk_tier TEXT NOT NULL,
    check_kind TEXT NOT NULL,
    max_interval_days INTEGER NOT NULL CHECK (max_interval_days > 0),
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (risk_tier, check_kind)
);

-- Never updated, never deleted (DESIGN.md section 2).
CREATE TABLE audit_entries (
    id TEXT PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    user_id TEXT,
    user_login TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_kind TEXT NOT NULL,
    entity_id TEXT,
    ip TEXT,
    details TEXT
);
CREATE INDEX audit_entries_entity ON audit_entries (entity_kind, entity_id, at);
CREATE INDEX audit_entries_at ON audit_entries (at);

CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
