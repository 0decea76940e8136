-- A page that lists persons is audited as one entry; the persons it showed were linked to that
-- entry row by row, and under load those links were most of a page view's writes: an officer's
-- route of 35 persons wrote 35 rows and 35 index entries on every view (bench/RESULTS.md §12).
-- Now the persons shown form a set named by the SHA-256 of their sorted ids, stored once; each
-- entry names its set. A route seen again is one new entry row and nothing more. Entries are
-- still only ever inserted; the update below fills the new column of entries written before it.
CREATE TABLE audit_person_sets (
    -- Lowercase hex SHA-256 of the sorted, distinct person ids joined by '\n'; sets carried over
    -- from the row-by-row links keep their entry's id instead.
    id TEXT PRIMARY KEY NOT NULL
);
CREATE TABLE audit_person_set_members (
    set_id TEXT NOT NULL REFERENCES audit_person_sets (id),
    person_id TEXT NOT NULL,
    PRIMARY KEY (set_id, person_id)
);
CREATE INDEX audit_person_set_members_person ON audit_person_set_members (person_id);

-- No REFERENCES here: SQLite cannot drop a column that is part of a foreign key (down.sql).
ALTER TABLE audit_entries ADD COLUMN person_set_id TEXT;
CREATE INDEX audit_entries_person_set ON audit_entries (person_set_id, at)
    WHERE person_set_id IS NOT NULL;

INSERT INTO audit_person_sets (id)
    SELECT DISTINCT audit_entry_id FROM audit_entry_persons;
INSERT INTO audit_person_set_members (set_id, person_id)
    SELECT audit_entry_id, person_id FROM audit_entry_persons;
UPDATE audit_entries SET person_set_id = id
    WHERE id IN (SELECT audit_entry_id FROM audit_entry_persons);
DROP TABLE audit_entry_persons;
