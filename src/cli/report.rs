//! `baqylau report crime-trends|coverage|groups|coverage-vs-crime`: a report on standard output,
//! as CSV or JSON, for offices that mail reports on a schedule; the CSV in the locale's dialect
//! (`--dialect` the other one; see `csv_style`).

use anyhow::Context as _;
use clap::Subcommand;

use super::Format;
use super::csv_style::{self, DialectArg};
use crate::config::Settings;
use crate::domain::period::{Period, parse_against, parse_day};
use crate::i18n::Lang;
use crate::reports::csv_dialect::Dialect;
use crate::services::reports;

/// Examples in `report --help`.
pub const EXAMPLES: &str = "Examples:\n  \
    baqylau report crime-trends --from 2025-01-01 --to 2025-12-31 --against previous\n  \
    baqylau report coverage --from 2025-01-01 --to 2025-03-31 --district KST --format json\n  \
    baqylau report groups --from 2025-03-01 --to 2025-03-31 > groups-march.csv\n  \
    baqylau report groups --from 2025-03-01 --to 2025-03-31 --table drive\n  \
    baqylau report coverage-vs-crime --from 2025-01-01 --to 2025-12-31";

/// `report` kinds.
#[derive(Debug, Subcommand)]
pub enum ReportWhich {
    /// Offences by severity, type, place, district and month against a comparison period.
    CrimeTrends {
        /// First day (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// Last day (YYYY-MM-DD).
        #[arg(long)]
        to: String,
        /// `previous` (the period just before) or YYYY-MM-DD..YYYY-MM-DD.
        #[arg(long, default_value = "previous")]
        against: String,
        /// Only this district (its code, e.g. KST).
        #[arg(long)]
        district: Option<String>,
        /// How to print it.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
    /// Share of active persons checked within their contact standard, by district, group, tier
    /// and month.
    Coverage(AreaReport),
    /// Per mobile group: checks planned, done, missed, on time, visits per shift, flagged
    /// visits; and the planned drive between stops against the driven (`--table drive`).
    Groups {
        /// First day (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// Last day (YYYY-MM-DD).
        #[arg(long)]
        to: String,
        /// The CSV's part: the groups, or planned against driven by district and road class
        /// with the suggested speed factors (JSON holds both).
        #[arg(long, value_enum, default_value_t = GroupsTable::Groups)]
        table: GroupsTable,
        /// How to print it.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
    /// Coverage beside offences per 10,000 by district and month, their correlations and
    /// re-offending by supervised persons.
    CoverageVsCrime(AreaReport),
}

/// The parts of the group report as CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupsTable {
    /// A line per group.
    Groups,
    /// Planned against driven.
    Drive,
}

/// The arguments of a report over a period and an area.
#[derive(Debug, clap::Args)]
pub struct AreaReport {
    /// First day (YYYY-MM-DD).
    #[arg(long)]
    pub from: String,
    /// Last day (YYYY-MM-DD).
    #[arg(long)]
    pub to: String,
    /// Only this district (its code, e.g. KST).
    #[arg(long)]
    pub district: Option<String>,
    /// How to print it.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
}

/// The CSV dialect and the language of the header's units.
type Style = (Dialect, Lang);

/// Prints a report; its CSV in the dialect asked for, else the locale's.
pub fn run(
    settings: &Settings,
    which: ReportWhich,
    asked: Option<DialectArg>,
) -> anyhow::Result<()> {
    let lang = csv_style::locale_lang();
    let style = (csv_style::dialect(asked, lang), lang);
    match which {
        ReportWhich::CrimeTrends {
            from,
            to,
            against,
            district,
            format,
        } => crime_trends(
            settings,
            (&from, &to),
            &against,
            district.as_deref(),
            (format, style),
        ),
        ReportWhich::Coverage(args) => {
            let (period, tz) = (
                period(settings, &args.from, &args.to)?,
                settings.time_zone()?,
            );
            let pool = super::open_database(settings)?;
            let district = args.district.as_deref();
            let report = reports::coverage(&mut *pool.get()?, period, district, tz)?;
            let report = report.with_context(|| unknown_district(district))?;
            write(args.format, &report, &report.to_csv(None), style)
        }
        ReportWhich::Groups {
            from,
            to,
            table,
            format,
        } => groups(settings, (&from, &to), table, (format, style)),
        ReportWhich::CoverageVsCrime(args) => {
            let (period, tz) = (
                period(settings, &args.from, &args.to)?,
                settings.time_zone()?,
            );
            let pool = super::open_database(settings)?;
            let district = args.district.as_deref();
            let today = crate::clock::Clock::system().today(tz);
            let report =
                reports::coverage_vs_crime(&mut *pool.get()?, period, district, tz, today)?;
            let report = report.with_context(|| unknown_district(district))?;
            write(args.format, &report, &report.to_csv(None), style)
        }
    }
}

/// `report groups`: the CSV of the part asked for, or the whole report as JSON.
fn groups(
    settings: &Settings,
    (from, to): (&str, &str),
    table: GroupsTable,
    (format, style): (Format, Style),
) -> anyhow::Result<()> {
    let (period, tz) = (period(settings, from, to)?, settings.time_zone()?);
    let pool = super::open_database(settings)?;
    let report = reports::group_report(&mut *pool.get()?, period, tz)?;
    let csv = match table {
        GroupsTable::Groups => report.to_csv(),
        GroupsTable::Drive => report.drive.to_csv(),
    };
    write(format, &report, &csv, style)
}

/// `report crime-trends`: the period and its comparison, both within `max_report_years`.
fn crime_trends(
    settings: &Settings,
    (from, to): (&str, &str),
    against: &str,
    district: Option<&str>,
    (format, style): (Format, Style),
) -> anyhow::Result<()> {
    let period = parse_period(from, to)?;
    let against = parse_against(against, period)
        .map_err(|e| anyhow::anyhow!("--against {against:?}: {e}"))?;
    ensure_fits(settings, period, "--from/--to")?;
    ensure_fits(settings, against, "--against")?;
    let pool = super::open_database(settings)?;
    let national = settings.national_rate_per_10k;
    let report = reports::crime_trends(&mut *pool.get()?, period, against, district, national)?
        .with_context(|| unknown_district(district))?;
    write(format, &report, &report.to_csv(None), style)
}

fn unknown_district(district: Option<&str>) -> String {
    format!("no district has the code {:?}", district.unwrap_or(""))
}

/// `--from` and `--to` as a period.
fn parse_period(from: &str, to: &str) -> anyhow::Result<Period> {
    let day = |name: &str, text: &str| {
        parse_day(text).map_err(|e| anyhow::anyhow!("--{name} {text:?}: {e}"))
    };
    Period::new(day("from", from)?, day("to", to)?)
        .map_err(|e| anyhow::anyhow!("--from {from} --to {to}: {e}"))
}

/// `--from` and `--to` as a period within `max_report_years`.
fn period(settings: &Settings, from: &str, to: &str) -> anyhow::Result<Period> {
    let period = parse_period(from, to)?;
    ensure_fits(settings, period, "--from/--to")?;
    Ok(period)
}

/// Refuses a period longer than `max_report_years`, naming the option and the setting.
fn ensure_fits(settings: &Settings, period: Period, option: &str) -> anyhow::Result<()> {
    let years = settings.max_report_years.max(1);
    anyhow::ensure!(
        period.fits_years(years),
        "{option} {}: a report may cover at most {years} year(s) (setting max_report_years); \
         choose a shorter period",
        period.to_text()
    );
    Ok(())
}

fn write(
    format: Format,
    json: &impl serde::Serialize,
    csv: &[u8],
    (dialect, lang): Style,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, json)?;
            std::io::Write::write_all(&mut out, b"\n")?;
        }
        Format::Csv => {
            let csv = csv_style::report_csv(csv, dialect, lang);
            std::io::Write::write_all(&mut out, &csv)?;
        }
    }
    Ok(())
}
