//! Persons in the importer pipeline: matched by IIN, each new or changed person written with
//! its own audit entry (before and after), as a desk edit would be.

use std::collections::HashMap;

use super::{Change, ImportReport, Importable, ImportedBy};
use crate::db::audit::{AuditAction, AuditKind, AuditRecord};
use crate::db::{self, DbConnection};
use crate::domain::PersonId;
use crate::domain::person::Person;
use crate::domain::person_csv::{self, CsvFile};
use crate::domain::person_record::{FieldError, PersonRecord, RecordContext};

/// The persons file.
pub struct Persons;

impl Importable for Persons {
    type Record = PersonRecord;
    type Item = Person;
    const KEY_COLUMN: &'static str = "iin";
    const DUPLICATE_KEY: &'static str = "import-error-duplicate-iin";

    fn read(bytes: &[u8]) -> CsvFile<PersonRecord> {
        person_csv::read(bytes)
    }

    fn key(record: &PersonRecord) -> Option<String> {
        Some(record.iin.trim().to_owned())
    }

    fn stored(conn: &mut DbConnection) -> anyhow::Result<HashMap<String, Person>> {
        Ok(db::persons::list_all_persons(conn)?
            .into_iter()
            .map(|p| (p.iin.as_str().to_owned(), p))
            .collect())
    }

    fn validate(
        record: &PersonRecord,
        ctx: &RecordContext<'_>,
        stored: Option<&Person>,
    ) -> Result<Person, Vec<FieldError>> {
        let (id, version) = stored
            .map(|p| (p.id.clone(), p.version))
            .unwrap_or_else(|| (PersonId::new(), 1));
        record.validate(ctx, id, version)
    }

    fn write(
        conn: &mut DbConnection,
        changes: &[Change<Person>],
        _report: &ImportReport,
        by: ImportedBy<'_>,
    ) -> anyhow::Result<()> {
        for change in changes {
            let (action, person, details) = match change {
                Change::New(p) => {
                    db::persons::insert(conn, p)?;
                    let after = PersonRecord::from_person(p, "");
                    let details = serde_json::json!({ "source": "csv", "after": after });
                    (AuditAction::Create, &**p, details)
                }
                Change::Changed { before, after } => {
                    anyhow::ensure!(
                        db::persons::update(conn, after)?,
                        "person {} changed during the import",
                        after.iin.as_str()
                    );
                    let details = serde_json::json!({
                        "source": "csv",
                        "before": PersonRecord::from_person(before, ""),
                        "after": PersonRecord::from_person(after, ""),
                    });
                    (AuditAction::Update, &**after, details)
                }
            };
            let record = AuditRecord::under(
                by.login,
                by.user,
                None,
                action,
                AuditKind::Person,
                person.id.as_str(),
            );
            db::audit::insert(conn, &record.details(details))?;
        }
        Ok(())
    }
}
