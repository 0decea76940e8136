//! `baqylau import persons|offences FILE [--dry-run]`: the importer pipeline with a progress bar;
//! prints every error and the counts, and fails when any row is bad (then nothing is written).

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Subcommand;

use crate::config::Settings;
use crate::domain::person_record::RecordContext;
use crate::i18n::Lang;
use crate::services::imports::{self, ImportKind, ImportReport, ImportedBy, MAX_IMPORT_BYTES};

/// Examples in `import --help`.
pub const EXAMPLES: &str = "Examples:\n  \
    baqylau import persons registry.csv --dry-run\n  \
    baqylau import persons registry.csv\n  \
    LANG=ru_RU.UTF-8 baqylau import offences offences-2025.csv";

/// `import` targets.
#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// Persons of the registry, matched by IIN (columns in the README).
    Persons {
        /// The CSV file.
        file: PathBuf,
        /// Only check the file and print what would change.
        #[arg(long)]
        dry_run: bool,
    },
    /// Registered offences, matched by their register number `id` (columns in the README).
    Offences {
        /// The CSV file.
        file: PathBuf,
        /// Only check the file and print what would change.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Runs an import (or its dry run).
pub fn run(settings: &Settings, what: ImportWhat) -> anyhow::Result<()> {
    match what {
        ImportWhat::Persons { file, dry_run } => {
            import(settings, &file, dry_run, ImportKind::Persons)
        }
        ImportWhat::Offences { file, dry_run } => {
            import(settings, &file, dry_run, ImportKind::Offences)
        }
    }
}

/// Reads the file (up to [`MAX_IMPORT_BYTES`]), runs the pipeline and prints its report.
fn import(settings: &Settings, file: &Path, dry_run: bool, kind: ImportKind) -> anyhow::Result<()> {
    let lang = terminal_lang();
    let bytes = read_file(file)?;
    let pool = super::open_database(settings)?;
    let mut conn = pool.get()?;
    let today = settings.today()?;
    let districts = imports::districts_for_import(&mut conn)?;
    let ctx = RecordContext {
        districts: &districts,
        today,
    };
    let bar = progress_bar(if dry_run { "checking" } else { "importing" });
    let mut progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let report = if dry_run {
        imports::dry_run(&mut conn, kind, &bytes, &ctx, &mut progress)?
    } else {
        let by = ImportedBy {
            user: None,
            login: "cli",
        };
        imports::import(&mut conn, kind, &bytes, &ctx, by, &mut progress)?
    };
    bar.finish_and_clear();
    let mut report = report;
    let roads = match kind {
        ImportKind::Persons => crate::roads::store::load_active(&mut conn)?,
        ImportKind::Offences => None,
    };
    imports::streets::add_street_warnings(&mut report, kind, &bytes, roads.as_ref());
    print_report(lang, &report, dry_run);
    anyhow::ensure!(
        report.is_clean(),
        "{} bad rows; nothing was imported",
        report.errors.len()
    );
    Ok(())
}

fn read_file(file: &Path) -> anyhow::Result<Vec<u8>> {
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
    std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))
}

/// The language of the terminal (`LANG=ru_RU.UTF-8` gives Russian), English otherwise.
fn terminal_lang() -> Lang {
    super::csv_style::locale_lang()
}

fn progress_bar(what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    let style = indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} rows")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style.progress_chars("=> "));
    bar.set_message(what.to_owned());
    bar
}

fn print_report(lang: Lang, report: &ImportReport, dry_run: bool) {
    for error in &report.errors {
        println!("{}", imports::describe(lang, error));
    }
    for warning in &report.warnings {
        println!("{}", imports::describe(lang, warning));
    }
    println!("{}", imports::counts(lang, report));
    if report.is_clean() {
        let key = if dry_run {
            "import-dry-run-clean"
        } else {
            "import-done"
        };
        println!("{}", lang.t(key));
    }
}
