-- Server-side sessions (DESIGN.md sections 6 and 8): the cookie holds only a random key; the row,
-- found by the key's SHA-256, holds the state. Sign-out, a password change, disabling a user or an
-- admin end rows here, and every app server sees it at once.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP,
    ended_reason TEXT,
    ip TEXT,
    user_agent TEXT,
    state TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id, ended_at);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed sign-ins per client address in the current window, counted atomically so that parallel
-- attempts cannot slip past the limit; shared by every app server.
CREATE TABLE sign_in_throttle (
    ip TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL
);
