//! Offences in the importer pipeline: matched by their register number `id`, written in
//! multi-row statements and audited as one import (the counts, not each offence: the register
//! holds tens of thousands and no one's personal record changes).

use std::collections::HashMap;

use super::{Change, ImportReport, Importable, ImportedBy};
use crate::db::audit::{AuditAction, AuditKind, AuditRecord};
use crate::db::offences::OffenceRow;
use crate::db::{self, DbConnection};
use crate::domain::offence::{Offence, OffenceRecord};
use crate::domain::offence_csv::{self, CsvFile};
use crate::domain::person_record::{FieldError, RecordContext};

/// The offences file.
pub struct Offences;

impl Importable for Offences {
    type Record = OffenceRecord;
    type Item = Offence;
    const KEY_COLUMN: &'static str = "id";
    const DUPLICATE_KEY: &'static str = "offence-error-duplicate-id";

    fn read(bytes: &[u8]) -> CsvFile {
        offence_csv::read(bytes)
    }

    /// An empty id is left to the validation (it is required).
    fn key(record: &OffenceRecord) -> Option<String> {
        Some(record.id.trim().to_owned()).filter(|id| !id.is_empty())
    }

    fn stored(conn: &mut DbConnection) -> anyhow::Result<HashMap<String, Offence>> {
        Ok(db::offences::list_all(conn)?
            .into_iter()
            .map(|o| (o.id.clone(), o))
            .collect())
    }

    fn validate(
        record: &OffenceRecord,
        ctx: &RecordContext<'_>,
        _stored: Option<&Offence>,
    ) -> Result<Offence, Vec<FieldError>> {
        record.validate(ctx.districts, ctx.today)
    }

    fn write(
        conn: &mut DbConnection,
        changes: &[Change<Offence>],
        report: &ImportReport,
        by: ImportedBy<'_>,
    ) -> anyhow::Result<()> {
        let mut new_rows = Vec::new();
        for change in changes {
            match change {
                Change::New(offence) => new_rows.push(OffenceRow::of(offence)),
                Change::Changed { after, .. } => {
                    let row = OffenceRow::of(after);
                    anyhow::ensure!(
                        db::offences::update(conn, &row)?,
                        "offence {} vanished during the import",
                        row.id
                    );
                }
            }
        }
        db::offences::insert_all(conn, &new_rows)?;
        let details = serde_json::json!({
            "source": "csv",
            "rows": report.rows,
            "new": report.new,
            "changed": report.changed,
            "unchanged": report.unchanged,
        });
        let record = AuditRecord::under(
            by.login,
            by.user,
            None,
            AuditAction::Create,
            AuditKind::OffenceImport,
            None,
        );
        db::audit::insert(conn, &record.details(details))?;
        Ok(())
    }
}
