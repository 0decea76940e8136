//! Importing a persons CSV: a dry run that reports every bad row and counts new, changed and
//! unchanged persons (matched by IIN), then an all-or-nothing write in one transaction with an
//! audit entry per change.

use std::collections::HashMap;

use super::audit::{AuditAction, AuditRecord};
use super::{DbConnection, persons};
use crate::domain::person::Person;
use crate::domain::person_csv::{self, FileError};
use crate::domain::person_record::{PersonRecord, RecordContext};
use crate::domain::user::User;
use crate::domain::{District, PersonId};

/// What an import would do, or did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Rows read (not counting the header and blank lines).
    pub rows: usize,
    /// Every problem, in file order; the import writes nothing while there is one.
    pub errors: Vec<FileError>,
    /// Persons whose IIN is not in the registry yet.
    pub new: usize,
    /// Persons whose stored record differs.
    pub changed: usize,
    /// Persons already stored exactly so.
    pub unchanged: usize,
}

impl ImportReport {
    /// Whether the file can be imported.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }
}

/// One write the import would make.
#[derive(Debug)]
enum Change {
    New(Box<Person>),
    Changed {
        before: Box<Person>,
        after: Box<Person>,
    },
}

/// Reads, validates and compares a file with the registry. `progress` is called with the rows
/// done so far (the CLI draws its progress bar with it).
fn plan(
    conn: &mut DbConnection,
    bytes: &[u8],
    districts: &[District],
    today: chrono::NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<(ImportReport, Vec<Change>)> {
    let file = person_csv::read(bytes);
    let mut report = ImportReport {
        rows: file.rows.len(),
        errors: file.errors,
        ..ImportReport::default()
    };
    let stored: HashMap<String, Person> = persons::list_all_persons(conn)?
        .into_iter()
        .map(|p| (p.iin.as_str().to_owned(), p))
        .collect();
    let ctx = RecordContext { districts, today };
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut changes = Vec::new();
    for (done, (line, record)) in file.rows.iter().enumerate() {
        if done % 256 == 0 {
            progress(done, file.rows.len());
        }
        let iin = record.iin.trim().to_owned();
        if let Some(first) = seen.get(&iin) {
            report.errors.push(FileError {
                line: *line,
                column: Some("iin".to_owned()),
                key: "import-error-duplicate-iin",
                args: vec![("line", first.to_string())],
            });
            continue;
        }
        seen.insert(iin.clone(), *line);
        let existing = stored.get(&iin);
        let (id, version) = existing
            .map(|p| (p.id.clone(), p.version))
            .unwrap_or_else(|| (PersonId::new(), 1));
        match record.validate(&ctx, id, version) {
            Err(errors) => report.errors.extend(errors.into_iter().map(|e| FileError {
                line: *line,
                column: Some(e.column.to_owned()),
                key: e.key,
                args: e.args,
            })),
            Ok(person) => match existing {
                None => {
                    report.new += 1;
                    changes.push(Change::New(Box::new(person)));
                }
                Some(before) if *before == person => report.unchanged += 1,
                Some(before) => {
                    report.changed += 1;
                    changes.push(Change::Changed {
                        before: Box::new(before.clone()),
                        after: Box::new(person),
                    });
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

/// Imports the file if every row is good, all in one transaction (nothing is written otherwise),
/// with an audit entry per new or changed person. Returns the report either way.
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
        // Planned inside the transaction so that no one changes the registry in between.
        let (report, changes) = plan(conn, bytes, districts, today, progress)?;
        if !report.is_clean() {
            return Ok(report);
        }
        for change in &changes {
            let (action, person, details) = match change {
                Change::New(p) => (
                    AuditAction::Create,
                    &**p,
                    serde_json::json!({
                        "source": "csv",
                        "after": PersonRecord::from_person(p, ""),
                    }),
                ),
                Change::Changed { before, after } => {
                    anyhow::ensure!(
                        persons::update(conn, after)?,
                        "person {} changed during the import",
                        after.iin.as_str()
                    );
                    (
                        AuditAction::Update,
                        &**after,
                        serde_json::json!({
                            "source": "csv",
                            "before": PersonRecord::from_person(before, ""),
                            "after": PersonRecord::from_person(after, ""),
                        }),
                    )
                }
            };
            if let Change::New(p) = change {
                persons::insert(conn, p)?;
            }
            super::audit::insert(
                conn,
                &AuditRecord {
                    user,
                    login,
                    action,
                    entity_kind: "person",
                    entity_id: Some(person.id.as_str()),
                    ip: None,
                    details: Some(details.to_string()),
                },
            )?;
        }
        Ok(report)
    })
}
