-- Follow-ups become a workflow (issue 16, item 7): one open follow-up per person and kind, which
-- a new cause adds to (cause_count, last_cause_at, visit_id of the latest cause); assigned to a
-- user (assigned_at); closed with an outcome, a note (the existing column) and who closed it;
-- a version so that two prosecutors acting at once are told, never silently overwritten.
ALTER TABLE follow_ups ADD COLUMN cause_count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE follow_ups ADD COLUMN last_cause_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
ALTER TABLE follow_ups ADD COLUMN assigned_at TIMESTAMP;
ALTER TABLE follow_ups ADD COLUMN outcome TEXT;
ALTER TABLE follow_ups ADD COLUMN closed_by TEXT REFERENCES users (id);
ALTER TABLE follow_ups ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
UPDATE follow_ups SET last_cause_at = created_at;
ALTER TABLE follow_ups ALTER COLUMN last_cause_at DROP DEFAULT;

-- The duplicates of before (one person with "employment to verify" six times): the earliest
-- open follow-up of a person and kind takes the count, the last cause's time and visit of them
-- all; the others go.
UPDATE follow_ups SET
    cause_count = (SELECT COUNT(*) FROM follow_ups f
        WHERE f.person_id = follow_ups.person_id AND f.reason = follow_ups.reason
          AND f.status = 'open'),
    last_cause_at = (SELECT MAX(f.created_at) FROM follow_ups f
        WHERE f.person_id = follow_ups.person_id AND f.reason = follow_ups.reason
          AND f.status = 'open'),
    visit_id = (SELECT f.visit_id FROM follow_ups f
        WHERE f.person_id = follow_ups.person_id AND f.reason = follow_ups.reason
          AND f.status = 'open'
        ORDER BY f.created_at DESC, f.id DESC LIMIT 1)
WHERE status = 'open';
DELETE FROM follow_ups WHERE status = 'open' AND EXISTS (
    SELECT 1 FROM follow_ups k
    WHERE k.person_id = follow_ups.person_id AND k.reason = follow_ups.reason
      AND k.status = 'open'
      AND (k.created_at < follow_ups.created_at
           OR (k.created_at = follow_ups.created_at AND k.id < follow_ups.id)));

CREATE UNIQUE INDEX follow_ups_one_open ON follow_ups (person_id, reason) WHERE status = 'open';
CREATE INDEX follow_ups_queue ON follow_ups (status, created_at);
