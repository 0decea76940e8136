DROP TABLE audit_entry_persons;
