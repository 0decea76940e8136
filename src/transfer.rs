//! CSV transfer of the registry shared by the command line and the web: messages for file
//! errors, and the `import persons` / `export persons` commands with a progress bar.

use std::path::Path;

use anyhow::Context as _;
use fluent_templates::fluent_bundle::FluentValue;

use crate::config::Settings;
use crate::db::{self, person_import::ImportReport};
use crate::domain::District;
use crate::domain::person_csv::{self, FileError};
use crate::domain::person_record::PersonRecord;
use crate::domain::user::User;
use crate::i18n::Lang;
use chrono::NaiveDate;

/// Largest file the importers read (web and CLI): 50 MB holds about 200,000 persons.
pub const MAX_IMPORT_BYTES: usize = 50 * 1024 * 1024;

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

/// The language of the terminal (`LANG=ru_RU.UTF-8` gives Russian), English otherwise.
fn terminal_lang() -> Lang {
    std::env::var("LANG")
        .ok()
        .and_then(|l| Lang::parse(l.get(..2).unwrap_or("")))
        .unwrap_or(Lang::En)
}

fn progress_bar(what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    let style = indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} rows")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style.progress_chars("=> "));
    bar.set_message(what.to_owned());
    bar
}

/// Progress of an import: rows done, rows in all.
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

/// An importer's dry run: connection, file, the region's districts, today, progress.
pub type DryRunFn = fn(
    &mut db::DbConnection,
    &[u8],
    &[District],
    NaiveDate,
    Progress<'_>,
) -> anyhow::Result<ImportReport>;

/// An importer's all-or-nothing import: as [`DryRunFn`] plus who imports (user, login).
pub type ImportFn = fn(
    &mut db::DbConnection,
    &[u8],
    &[District],
    NaiveDate,
    Option<&User>,
    &str,
    Progress<'_>,
) -> anyhow::Result<ImportReport>;

/// The importers' dry run and import, which take the same arguments for persons and offences.
pub struct Importer {
    /// Checks the file, writing nothing.
    pub dry_run: DryRunFn,
    /// Imports the file, all or nothing.
    pub import: ImportFn,
}

/// `baqylau import persons|offences FILE [--dry-run]` with `importer`: reads the file (up to
/// [`MAX_IMPORT_BYTES`]), shows a progress bar, prints every error and the counts; fails when
/// any row is bad (then nothing is written).
pub fn run_import(
    settings: &Settings,
    file: &Path,
    dry_run: bool,
    importer: &Importer,
) -> anyhow::Result<()> {
    let lang = terminal_lang();
    let size = std::fs::metadata(file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .len();
    anyhow::ensure!(
        size <= MAX_IMPORT_BYTES as u64,
        "{} is {} MB; the importer reads files up to {} MB",
        file.display(),
        size / 1_048_576,
        MAX_IMPORT_BYTES / 1_048_576
    );
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let (pool, _) = crate::server::open_database(settings)?;
    let mut conn = pool.get()?;
    let today = crate::server::today(settings)?;
    let districts = db::districts::list_districts(&mut conn)?;
    anyhow::ensure!(
        !districts.is_empty(),
        "the database has no districts yet: import or create them first"
    );
    let bar = progress_bar(if dry_run { "checking" } else { "importing" });
    let mut progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let report = if dry_run {
        (importer.dry_run)(&mut conn, &bytes, &districts, today, &mut progress)?
    } else {
        (importer.import)(
            &mut conn,
            &bytes,
            &districts,
            today,
            None,
            "cli",
            &mut progress,
        )?
    };
    bar.finish_and_clear();
    print_report(lang, &report, dry_run);
    anyhow::ensure!(
        report.is_clean(),
        "{} bad rows; nothing was imported",
        report.errors.len()
    );
    Ok(())
}

/// `baqylau import persons FILE [--dry-run]`.
pub fn import_persons(settings: &Settings, file: &Path, dry_run: bool) -> anyhow::Result<()> {
    let importer = Importer {
        dry_run: db::person_import::dry_run,
        import: db::person_import::import,
    };
    run_import(settings, file, dry_run, &importer)
}

fn print_report(lang: Lang, report: &ImportReport, dry_run: bool) {
    for error in &report.errors {
        println!("{}", describe(lang, error));
    }
    let counts = [
        ("count", FluentValue::from(report.rows)),
        ("new", FluentValue::from(report.new)),
        ("changed", FluentValue::from(report.changed)),
        ("unchanged", FluentValue::from(report.unchanged)),
        ("errors", FluentValue::from(report.errors.len())),
    ];
    println!("{}", lang.t_args("import-counts", &counts));
    if report.is_clean() {
        let key = if dry_run {
            "import-dry-run-clean"
        } else {
            "import-done"
        };
        println!("{}", lang.t(key));
    }
}

/// `baqylau export persons FILE`: every person, in the import format.
pub fn export_persons(settings: &Settings, file: &Path) -> anyhow::Result<()> {
    let (pool, _) = crate::server::open_database(settings)?;
    let mut conn = pool.get()?;
    let bytes = export_bytes(&mut conn, &db::persons::PersonFilter::default())?;
    if file.as_os_str() == "-" {
        std::io::Write::write_all(&mut std::io::stdout(), &bytes)?;
    } else {
        crate::private_files::write_private(file, &bytes)
            .with_context(|| format!("cannot write {}", file.display()))?;
        eprintln!("exported to {}", file.display());
    }
    Ok(())
}

/// The persons matching a filter as a CSV file.
pub fn export_bytes(
    conn: &mut db::DbConnection,
    filter: &db::persons::PersonFilter,
) -> anyhow::Result<Vec<u8>> {
    let districts = db::districts::list_districts(conn)?;
    let code = |id: &crate::domain::DistrictId| {
        districts
            .iter()
            .find(|d| &d.id == id)
            .map(|d| d.code.clone())
            .unwrap_or_default()
    };
    let persons = db::persons::list_matching(conn, filter)?;
    Ok(person_csv::write(persons.iter().map(|p| {
        PersonRecord::from_person(p, &code(&p.district_id))
    })))
}
