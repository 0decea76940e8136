-- The merged duplicates stay merged: their count is all that is left of them.
DROP INDEX follow_ups_queue;
DROP INDEX follow_ups_one_open;
ALTER TABLE follow_ups DROP COLUMN version;
ALTER TABLE follow_ups DROP COLUMN closed_by;
ALTER TABLE follow_ups DROP COLUMN outcome;
ALTER TABLE follow_ups DROP COLUMN assigned_at;
ALTER TABLE follow_ups DROP COLUMN last_cause_at;
ALTER TABLE follow_ups DROP COLUMN cause_count;
