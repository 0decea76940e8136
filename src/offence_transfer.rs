//! The offences on the command line: `import offences FILE [--dry-run]` with a progress bar,
//! `export offences FILE`, and `report crime-trends` as CSV or JSON for offices that mail
//! reports on a schedule.

use std::path::Path;

use anyhow::Context as _;

use crate::config::Settings;
use crate::db;
use crate::domain::offence::OffenceRecord;
use crate::domain::offence_csv;
use crate::reports::crime_trends::{self, Period};

/// `baqylau import offences FILE [--dry-run]`: prints every error and the counts; fails when
/// any row is bad (then nothing is written).
pub fn import_offences(settings: &Settings, file: &Path, dry_run: bool) -> anyhow::Result<()> {
    let importer = crate::transfer::Importer {
        dry_run: db::offence_import::dry_run,
        import: db::offence_import::import,
    };
    crate::transfer::run_import(settings, file, dry_run, &importer)
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
        crate::private_files::write_private(file, &bytes)
            .with_context(|| format!("cannot write {}", file.display()))?;
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
    crate::report_commands::ensure_fits(settings, period, "--from/--to")?;
    crate::report_commands::ensure_fits(settings, against, "--against")?;
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
