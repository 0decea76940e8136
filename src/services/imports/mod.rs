//! The importer pipeline, one for persons and offences alike: read the CSV file, check every
//! row (duplicates of the key, the record's own validation), compare with what is stored, and
//! count new, changed and unchanged records; the dry run stops there, the import then writes all
//! of it in one transaction (nothing when any row is bad) with its audit entries. What differs
//! between the two is an [`ImportKind`] ([`persons`], [`offences`]). The web's upload pages and
//! `baqylau import` both run it; [`export`] writes the files back in the same format.

pub mod export;
pub mod offences;
pub mod persons;
pub mod streets;

use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;

use crate::db::{self, DbConnection};
use crate::domain::District;
use crate::domain::person_csv::{CsvFile, CsvRecord, FileError};
use crate::domain::person_record::{FieldError, RecordContext};
use crate::domain::user::User;
use crate::i18n::Lang;

/// Largest file the importers read (web and CLI): 50 MB holds about 200,000 persons.
pub const MAX_IMPORT_BYTES: usize = 50 * 1024 * 1024;

/// What is imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// Persons of the registry, matched by IIN.
    Persons,
    /// Registered offences, matched by their register number `id`.
    Offences,
}

impl ImportKind {
    /// `persons` or `offences` (the prefix of the web's checked files).
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Persons => "persons",
            ImportKind::Offences => "offences",
        }
    }
}

/// What an import would do, or did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Rows read (not counting the header and blank lines).
    pub rows: usize,
    /// Every problem, in file order; the import writes nothing while there is one.
    pub errors: Vec<FileError>,
    /// Rows imported all the same but worth a look (a home point far from its named street,
    /// `streets`), in file order.
    pub warnings: Vec<FileError>,
    /// Records whose key is not stored yet.
    pub new: usize,
    /// Records whose stored values differ.
    pub changed: usize,
    /// Records already stored exactly so.
    pub unchanged: usize,
}

impl ImportReport {
    /// Whether the file can be imported.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Who imports: the signed-in user on the web, none on the command line; the login the audit
/// log names (`cli` there).
#[derive(Debug, Clone, Copy)]
pub struct ImportedBy<'a> {
    /// The user, when signed in.
    pub user: Option<&'a User>,
    /// The login recorded.
    pub login: &'a str,
}

/// Progress of an import: rows done, rows in all (the CLI draws its progress bar with it).
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

/// What the import would write for one record.
#[derive(Debug)]
pub enum Change<T> {
    /// A record not stored yet.
    New(Box<T>),
    /// A stored record and what it becomes.
    Changed {
        /// As stored.
        before: Box<T>,
        /// As imported.
        after: Box<T>,
    },
}

/// What differs between the kinds of records the pipeline imports.
pub trait Importable {
    /// A row of the file.
    type Record: CsvRecord;
    /// The stored value a valid row becomes.
    type Item: PartialEq + Clone;
    /// The column of the key the records are matched by.
    const KEY_COLUMN: &'static str;
    /// The message key of a key that repeats an earlier row's.
    const DUPLICATE_KEY: &'static str;

    /// Reads the file into records.
    fn read(bytes: &[u8]) -> CsvFile<Self::Record>;
    /// The record's key, trimmed; `None` when an empty key is left to the validation.
    fn key(record: &Self::Record) -> Option<String>;
    /// Every stored item by key.
    fn stored(conn: &mut DbConnection) -> anyhow::Result<HashMap<String, Self::Item>>;
    /// Validates a record (the stored item of its key, if any, gives its identity).
    fn validate(
        record: &Self::Record,
        ctx: &RecordContext<'_>,
        stored: Option<&Self::Item>,
    ) -> Result<Self::Item, Vec<FieldError>>;
    /// Writes the changes of a clean file with their audit entries (inside the transaction).
    fn write(
        conn: &mut DbConnection,
        changes: &[Change<Self::Item>],
        report: &ImportReport,
        by: ImportedBy<'_>,
    ) -> anyhow::Result<()>;
}

/// Reads, validates and compares a file with what is stored.
fn plan<K: Importable>(
    conn: &mut DbConnection,
    bytes: &[u8],
    ctx: &RecordContext<'_>,
    progress: Progress<'_>,
) -> anyhow::Result<(ImportReport, Vec<Change<K::Item>>)> {
    let file = K::read(bytes);
    let mut report = ImportReport {
        rows: file.rows.len(),
        errors: file.errors,
        ..ImportReport::default()
    };
    let stored = K::stored(conn)?;
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut changes = Vec::new();
    for (done, (line, record)) in file.rows.iter().enumerate() {
        if done % 256 == 0 {
            progress(done, file.rows.len());
        }
        let key = K::key(record);
        if let Some(key) = &key {
            if let Some(first) = seen.get(key) {
                report.errors.push(FileError {
                    line: *line,
                    column: Some(K::KEY_COLUMN.to_owned()),
                    key: K::DUPLICATE_KEY,
                    args: vec![("line", first.to_string())],
                });
                continue;
            }
            seen.insert(key.clone(), *line);
        }
        let existing = key.as_ref().and_then(|k| stored.get(k));
        match K::validate(record, ctx, existing) {
            Err(errors) => report.errors.extend(errors.into_iter().map(|e| FileError {
                line: *line,
                column: Some(e.column.to_owned()),
                key: e.key,
                args: e.args,
            })),
            Ok(item) => match existing {
                None => {
                    report.new += 1;
                    changes.push(Change::New(Box::new(item)));
                }
                Some(before) if *before == item => report.unchanged += 1,
                Some(before) => {
                    report.changed += 1;
                    changes.push(Change::Changed {
                        before: Box::new(before.clone()),
                        after: Box::new(item),
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
    kind: ImportKind,
    bytes: &[u8],
    ctx: &RecordContext<'_>,
    progress: Progress<'_>,
) -> anyhow::Result<ImportReport> {
    Ok(match kind {
        ImportKind::Persons => plan::<persons::Persons>(conn, bytes, ctx, progress)?.0,
        ImportKind::Offences => plan::<offences::Offences>(conn, bytes, ctx, progress)?.0,
    })
}

/// Imports the file if every row is good, all in one transaction (nothing is written
/// otherwise), with its audit entries. Returns the report either way.
pub fn import(
    conn: &mut DbConnection,
    kind: ImportKind,
    bytes: &[u8],
    ctx: &RecordContext<'_>,
    by: ImportedBy<'_>,
    progress: Progress<'_>,
) -> anyhow::Result<ImportReport> {
    match kind {
        ImportKind::Persons => import_all::<persons::Persons>(conn, bytes, ctx, by, progress),
        ImportKind::Offences => import_all::<offences::Offences>(conn, bytes, ctx, by, progress),
    }
}

fn import_all<K: Importable>(
    conn: &mut DbConnection,
    bytes: &[u8],
    ctx: &RecordContext<'_>,
    by: ImportedBy<'_>,
    progress: Progress<'_>,
) -> anyhow::Result<ImportReport> {
    db::write_transaction(conn, |conn| {
        // Planned inside the transaction so that no one changes the records in between.
        let (report, changes) = plan::<K>(conn, bytes, ctx, progress)?;
        if report.is_clean() && !changes.is_empty() {
            K::write(conn, &changes, &report, by)?;
        }
        Ok(report)
    })
}

/// The region's districts and today, which every record is validated against; refuses a
/// database without districts (nothing could be placed in one).
pub fn districts_for_import(conn: &mut DbConnection) -> anyhow::Result<Vec<District>> {
    let districts = db::districts::list_districts(conn)?;
    anyhow::ensure!(
        !districts.is_empty(),
        "the database has no districts yet: import or create them first"
    );
    Ok(districts)
}

/// The localised message of a file error, without its place.
pub fn message(lang: Lang, error: &FileError) -> String {
    let args: Vec<(&'static str, FluentValue<'static>)> = error
        .args
        .iter()
        .map(|(name, value)| (*name, FluentValue::from(value.clone())))
        .collect();
    lang.t_args(error.key, &args)
}

/// `line N, column NAME: message`, as the CLI prints each error.
pub fn describe(lang: Lang, error: &FileError) -> String {
    match &error.column {
        Some(column) => format!(
            "{} {}, {} {}: {}",
            lang.t("import-line"),
            error.line,
            lang.t("import-column"),
            column,
            message(lang, error)
        ),
        None => format!(
            "{} {}: {}",
            lang.t("import-line"),
            error.line,
            message(lang, error)
        ),
    }
}

/// The counts line of a report (`N rows: ... new, ... changed, ...`) in `lang`.
pub fn counts(lang: Lang, report: &ImportReport) -> String {
    lang.t_args(
        "import-counts",
        &[
            ("count", FluentValue::from(report.rows)),
            ("new", FluentValue::from(report.new)),
            ("changed", FluentValue::from(report.changed)),
            ("unchanged", FluentValue::from(report.unchanged)),
            ("errors", FluentValue::from(report.errors.len())),
        ],
    )
}
