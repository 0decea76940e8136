-- A page that lists persons (the registry, a plan, the officer's route, a report's list) is
-- audited as one entry naming how many it showed and the query; these rows link the entry to each
-- person shown, so the person's page can list that view among its viewers (DESIGN.md section 6).
CREATE TABLE audit_entry_persons (
    audit_entry_id TEXT NOT NULL REFERENCES audit_entries (id),
    person_id TEXT NOT NULL,
    PRIMARY KEY (audit_entry_id, person_id)
);
CREATE INDEX audit_entry_persons_person ON audit_entry_persons (person_id);
