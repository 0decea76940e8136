//! `baqylau report coverage|groups|coverage-vs-crime`: the coverage, group and coverage-against-
//! crime reports on standard output, as CSV or JSON, for offices that mail reports on a schedule.

use anyhow::Context as _;

use crate::cli::AreaReport;
use crate::config::Settings;
use crate::db;
use crate::reports::crime_trends::{self, Period};

fn period_and_format(
    settings: &Settings,
    from: &str,
    to: &str,
    format: &str,
) -> anyhow::Result<Period> {
    anyhow::ensure!(
        matches!(format, "csv" | "json"),
        "--format must be csv or json, not {format:?}"
    );
    let day = |name: &str, text: &str| {
        crime_trends::parse_day(text).map_err(|e| anyhow::anyhow!("--{name} {text:?}: {e}"))
    };
    let period = Period::new(day("from", from)?, day("to", to)?)
        .map_err(|e| anyhow::anyhow!("--from {from} --to {to}: {e}"))?;
    ensure_fits(settings, period, "--from/--to")?;
    Ok(period)
}

/// Refuses a period longer than `max_report_years`, naming the option and the setting.
pub fn ensure_fits(settings: &Settings, period: Period, option: &str) -> anyhow::Result<()> {
    let years = settings.max_report_years.max(1);
    anyhow::ensure!(
        period.fits_years(years),
        "{option} {}: a report may cover at most {years} year(s) (setting max_report_years); \
         choose a shorter period",
        period.to_text()
    );
    Ok(())
}

fn write(format: &str, json: &impl serde::Serialize, csv: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if format == "json" {
        serde_json::to_writer_pretty(&mut out, json)?;
        std::io::Write::write_all(&mut out, b"\n")?;
    } else {
        std::io::Write::write_all(&mut out, csv)?;
    }
    Ok(())
}

/// A report over a period and an area: reads it with `read` and prints it as CSV or JSON.
fn area_report<R: serde::Serialize>(
    settings: &Settings,
    args: &AreaReport,
    read: AreaRead<R>,
    csv: fn(&R) -> Vec<u8>,
) -> anyhow::Result<()> {
    let period = period_and_format(settings, &args.from, &args.to, &args.format)?;
    let (pool, _) = crate::server::open_database(settings)?;
    let mut conn = pool.get()?;
    let district = args.district.as_deref();
    let report = read(&mut conn, period, district, settings.time_zone()?)?
        .with_context(|| format!("no district has the code {:?}", district.unwrap_or("")))?;
    write(&args.format, &report, &csv(&report))
}

/// How an area report is read: period, district code, time zone; `None` for an unknown code.
type AreaRead<R> =
    fn(&mut db::DbConnection, Period, Option<&str>, chrono_tz::Tz) -> anyhow::Result<Option<R>>;

/// `report coverage --from --to [--district CODE] --format csv|json`.
pub fn report_coverage(settings: &Settings, args: &AreaReport) -> anyhow::Result<()> {
    area_report(settings, args, db::report_reads::coverage, |r| {
        r.to_csv(None)
    })
}

/// `report groups --from --to --format csv|json`.
pub fn report_groups(
    settings: &Settings,
    from: &str,
    to: &str,
    format: &str,
) -> anyhow::Result<()> {
    let period = period_and_format(settings, from, to, format)?;
    let (pool, _) = crate::server::open_database(settings)?;
    let mut conn = pool.get()?;
    let report = db::report_reads::group_report(&mut conn, period, settings.time_zone()?)?;
    write(format, &report, &report.to_csv())
}

/// `report coverage-vs-crime --from --to [--district CODE] --format csv|json`.
pub fn report_coverage_vs_crime(settings: &Settings, args: &AreaReport) -> anyhow::Result<()> {
    area_report(settings, args, db::report_reads::coverage_vs_crime, |r| {
        r.to_csv(None)
    })
}
