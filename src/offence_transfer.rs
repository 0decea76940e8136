//! The offences on the command line: `import offences FILE [--dry-run]` with a progress bar,
//! `export offences FILE`, and `report crime-trends` as CSV or JSON for offices that mail
//! reports on a schedule.

use std::path::Path;

use anyhow::Context as _;
use fluent_templates::fluent_bundle::FluentValue;

use crate::config::Settings;
use crate::db::{self, person_import::ImportReport};
use crate::domain::offence::OffenceRecord;
use crate::domain::offence_csv;
use crate::i18n::Lang;
use crate::reports::crime_trends::{self, Period};
use crate::transfer::{MAX_IMPORT_BYTES, describe};

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

/// `baqylau import offences FILE [--dry-run]`: prints every error and the counts; fails when
/// any row is bad (then nothing is written).
pub fn import_offences(settings: &Settings, file: &Path, dry_run: bool) -> anyhow::Result<()> {
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
        db::offence_import::dry_run(&mut conn, &bytes, &districts, today, &mut progress)?
    } else {
        db::offence_import::import(
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

/// Every offence as CSV in the import format.
pub fn export_bytes(conn: &mut db::DbConnection) -> anyhow::Result<Vec<u8>> {
    let districts = db::districts::list_districts(conn)?;
    let offences = db::offences::list_all(conn)?;
    Ok(offence_csv::write(offences.iter().map(|o| {
        let code = districts
            .iter()
            .find(|d| d.id == o.district_id)
            .map(|d| d.code.as_str())
            .unwrap_or_default();
        OffenceRecord::from_offence(o, code)
    })))
}

/// `baqylau export offences FILE`: every offence, in the import format (`-`: standard output).
pub fn export_offences(settings: &Settings, file: &Path) -> anyhow::Result<()> {
    let (pool, _) = crate::server::open_database(settings)?;
    let mut conn = pool.get()?;
    let bytes = export_bytes(&mut conn)?;
    if file.as_os_str() == "-" {
        std::io::Write::write_all(&mut std::io::stdout(), &bytes)?;
    } else {
        std::fs::write(file, &bytes).with_context(|| format!("cannot write {}", file.display()))?;
        eprintln!("exported to {}", file.display());
    }
    Ok(())
}

/// `baqylau report crime-trends --from DATE --to DATE [--against previous|DATE..DATE]
/// [--district CODE] --format csv|json`, printed on standard output.
pub fn report_crime_trends(
    settings: &Settings,
    from: &str,
    to: &str,
    against: &str,
    district: Option<&str>,
    format: &str,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        matches!(format, "csv" | "json"),
        "--format must be csv or json, not {format:?}"
    );
    let day = |name: &str, text: &str| {
        crime_trends::parse_day(text).map_err(|e| anyhow::anyhow!("--{name} {text:?}: {e}"))
    };
    let period = Period::new(day("from", from)?, day("to", to)?)
        .map_err(|e| anyhow::anyhow!("--from {from} --to {to}: {e}"))?;
    let against = crime_trends::parse_against(against, period)
        .map_err(|e| anyhow::anyhow!("--against {against:?}: {e}"))?;
    let (pool, _) = crate::server::open_database(settings)?;
    let mut conn = pool.get()?;
    let report = db::offences::crime_trends(
        &mut conn,
        period,
        against,
        district,
        settings.national_rate_per_10k,
    )?
    .with_context(|| format!("no district has the code {:?}", district.unwrap_or("")))?;
    let mut out = std::io::stdout().lock();
    if format == "json" {
        serde_json::to_writer_pretty(&mut out, &report)?;
        std::io::Write::write_all(&mut out, b"\n")?;
    } else {
        std::io::Write::write_all(&mut out, &report.to_csv(None))?;
    }
    Ok(())
}
