CREATE TABLE audit_entry_persons (
    audit_entry_id TEXT NOT NULL REFERENCES audit_entries (id),
    person_id TEXT NOT NULL,
    PRIMARY KEY (audit_entry_id, person_id)
);
CREATE INDEX audit_entry_persons_person ON audit_entry_persons (person_id);
INSERT INTO audit_entry_persons (audit_entry_id, person_id)
    SELECT e.id, m.person_id
    FROM audit_entries e JOIN audit_person_set_members m ON m.set_id = e.person_set_id;
DROP INDEX audit_entries_person_set;
ALTER TABLE audit_entries DROP COLUMN person_set_id;
DROP TABLE audit_person_set_members;
DROP TABLE audit_person_sets;
