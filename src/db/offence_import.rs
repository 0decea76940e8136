//! Importing an offences CSV, as persons are imported: a dry run that reports every bad row and
//! counts new, changed and unchanged offences (matched by their register number, `id`), then an
//! all-or-nothing write in one transaction, audited as one import.

use std::collections::HashMap;

use super::DbConnection;
use super::audit::{AuditAction, AuditRecord};
use super::offences::{self, OffenceRow};
use super::person_import::ImportReport;
use crate::domain::District;
use crate::domain::offence::Offence;
use crate::domain::offence_csv::{self, FileError};
use crate::domain::user::User;

/// Reads, validates and compares a file with the stored offences. `progress` is called with the
/// rows done so far.
fn plan(
    conn: &mut DbConnection,
    bytes: &[u8],
    districts: &[District],
    today: chrono::NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<(ImportReport, Vec<(bool, Offence)>)> {
    let file = offence_csv::read(bytes);
    let mut report = ImportReport {
        rows: file.rows.len(),
        errors: file.errors,
        ..ImportReport::default()
    };
    let stored: HashMap<String, Offence> = offences::list_all(conn)?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut changes = Vec::new();
    for (done, (line, record)) in file.rows.iter().enumerate() {
        if done % 256 == 0 {
            progress(done, file.rows.len());
        }
        let id = record.id.trim().to_owned();
        if !id.is_empty() {
            if let Some(first) = seen.get(&id) {
                report.errors.push(FileError {
                    line: *line,
                    column: Some("id".to_owned()),
                    key: "offence-error-duplicate-id",
                    args: vec![("line", first.to_string())],
                });
                continue;
            }
            seen.insert(id.clone(), *line);
        }
        match record.validate(districts, today) {
            Err(errors) => report.errors.extend(errors.into_iter().map(|e| FileError {
                line: *line,
                column: Some(e.column.to_owned()),
                key: e.key,
                args: e.args,
            })),
            Ok(offence) => match stored.get(&offence.id) {
                None => {
                    report.new += 1;
                    changes.push((true, offence));
                }
                Some(before) if *before == offence => report.unchanged += 1,
                Some(_) => {
                    report.changed += 1;
                    changes.push((false, offence));
                }
            },
        }
    }
    progress(file.rows.len(), file.rows.len());
    report.errors.sort_by_key(|e| e.line);
    Ok((report, changes))
}

/// The dry run: what importing the file would do, writing nothing.
pub fn dry_run(
    conn: &mut DbConnection,
    bytes: &[u8],
    districts: &[District],
    today: chrono::NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<ImportReport> {
    plan(conn, bytes, districts, today, progress).map(|(report, _)| report)
}

/// Imports the file if every row is good, all in one transaction (nothing is written
/// otherwise), with one audit entry counting what changed. Returns the report either way.
pub fn import(
    conn: &mut DbConnection,
    bytes: &[u8],
    districts: &[District],
    today: chrono::NaiveDate,
    user: Option<&User>,
    login: &str,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<ImportReport> {
    super::write_transaction(conn, |conn| {
        let (report, changes) = plan(conn, bytes, districts, today, progress)?;
        if !report.is_clean() || changes.is_empty() {
            return Ok(report);
        }
        let mut new_rows = Vec::new();
        for (is_new, offence) in &changes {
            let row = OffenceRow::of(offence);
            if *is_new {
                new_rows.push(row);
            } else {
                anyhow::ensure!(
                    offences::update(conn, &row)?,
                    "offence {} vanished during the import",
                    row.id
                );
            }
        }
        offences::insert_all(conn, &new_rows)?;
        let details = serde_json::json!({
            "source": "csv",
            "rows": report.rows,
            "new": report.new,
            "changed": report.changed,
            "unchanged": report.unchanged,
        });
        super::audit::insert(
            conn,
            &AuditRecord {
                user,
                login,
                action: AuditAction::Create,
                entity_kind: "offence_import",
                entity_id: None,
                ip: None,
                details: Some(details.to_string()),
            },
        )?;
        Ok(report)
    })
}
