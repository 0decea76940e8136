//! The reports benchmark of issue 7: each report's time on a SQLite or PostgreSQL database
//! (reading and aggregating, as the pages and `baqylau report ...` do it) and, on SQLite, the same
//! aggregation written as SQL and run in the `sqlite3` shell on the same file, with the ratio of
//! the two (the SQL is SQLite's: on PostgreSQL there is no shell peer).
//!
//! Run (see `bench/reports/README.md` and `run.sh`, which makes the databases):
//! `cargo run --release --example reports_bench -- --db FILE|postgres://... [--today 2026-11-26] [--runs 5]`.

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, ensure};
use baqylau::db::{self, DatabaseUrl};
use baqylau::reports::crime_trends::Period;
use baqylau::services::reports;
use chrono::{Datelike as _, Months, NaiveDate};
use clap::Parser;

/// Command line.
#[derive(Parser)]
struct Args {
    /// The database: a SQLite file, or a `postgres://` URL.
    #[arg(long)]
    db: String,
    /// The day the reports are made on (their default periods count back from it).
    #[arg(long, default_value = "2026-11-26")]
    today: NaiveDate,
    /// Timed runs of each report (the first, cold run is not counted).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Only these reports (the first word of their line: `coverage`, `groups`, `crime-trends`,
    /// `coverage-vs-crime`, `coverage-vs-crime-live`, `coverage-vs-crime-recompute`); every
    /// report when none is given.
    #[arg(long)]
    only: Vec<String>,
    /// Skip the sqlite3 shell runs (on 100,000 persons they take minutes) and the ratio (always
    /// skipped on PostgreSQL).
    #[arg(long)]
    no_shell: bool,
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs `sql` in the sqlite3 shell on `file` and returns its wall time.
fn sqlite3(file: &std::path::Path, sql: &str) -> anyhow::Result<Duration> {
    let start = Instant::now();
    let mut child = Command::new("sqlite3")
        .arg("-bail")
        .arg(file)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("sqlite3 not found")?;
    child
        .stdin
        .take()
        .context("no stdin")?
        .write_all(sql.as_bytes())?;
    let output = child.wait_with_output()?;
    ensure!(
        output.status.success(),
        "sqlite3: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(start.elapsed())
}

/// Month ends within the period (the coverage trend's days).
fn month_ends(period: Period) -> Vec<NaiveDate> {
    baqylau::reports::coverage::trend_days(period)
}

/// Coverage of every active person-kind at each of `days`, by district, tier and kind: the last
/// successful visit of the kind up to the day (local days, UTC+5; from a year before the first
/// day, as the report reads) against the standard of the tier and kind.
fn coverage_sql(days: &[NaiveDate]) -> String {
    let values: Vec<String> = days.iter().map(|d| format!("('{d}')")).collect();
    let first = days.first().copied().unwrap_or_default();
    let last = days.last().copied().unwrap_or_default();
    format!(
        "WITH days(d) AS (VALUES {values}),
succ AS (SELECT person_id, kind, date(device_at, '+5 hours') AS day FROM visits
         WHERE outcome IN ('present', 'violation', 'employed')
           AND device_at >= datetime('{first}', '-367 days') AND device_at < datetime('{last}', '+1 day', '-5 hours')),
latest AS (SELECT s.person_id, s.kind, days.d, max(s.day) AS last FROM succ s JOIN days ON s.day <= days.d
           GROUP BY 1, 2, 3),
pk AS (SELECT p.id, p.district_id, p.risk_tier, p.supervision_start, k.kind FROM persons p
       JOIN (SELECT 'home' AS kind UNION ALL SELECT 'work') k ON k.kind = 'home' OR p.work_lat IS NOT NULL
       WHERE p.status = 'active'),
st AS (SELECT pk.district_id, pk.risk_tier, pk.kind, pk.supervision_start, days.d, s.max_interval_days AS iv,
              l.last
       FROM pk JOIN days ON pk.supervision_start <= days.d
       JOIN contact_standards s ON s.risk_tier = pk.risk_tier AND s.check_kind = pk.kind
       LEFT JOIN latest l ON l.person_id = pk.id AND l.kind = pk.kind AND l.d = days.d)
SELECT d, district_id, risk_tier, kind,
       sum(last >= date(d, '-' || iv || ' days')) AS covered,
       sum(coalesce(last < date(d, '-' || iv || ' days'), 1) AND supervision_start <= date(d, '-' || iv || ' days')) AS overdue
FROM st GROUP BY d, district_id, risk_tier, kind;\n",
        values = values.join(", ")
    )
}

fn crime_sql(period: Period, against: Period) -> String {
    let mut sql = String::new();
    for column in [
        "severity",
        "offence_type",
        "place",
        "district_id",
        "strftime('%m', offence_date)",
    ] {
        sql.push_str(&format!(
            "SELECT {column}, sum(offence_date BETWEEN '{pf}' AND '{pt}'), sum(offence_date BETWEEN '{af}' AND '{at}')
FROM offences WHERE offence_date BETWEEN '{pf}' AND '{pt}' OR offence_date BETWEEN '{af}' AND '{at}' GROUP BY 1;\n",
            pf = period.from,
            pt = period.to,
            af = against.from,
            at = against.to
        ));
    }
    sql
}

fn groups_sql(period: Period) -> String {
    let (from, to) = (period.from, period.to);
    format!(
        "SELECT c.mobile_group_id, count(*), sum(c.status = 'done'), sum(c.status = 'missed'),
       count(DISTINCT c.planned_date),
       sum(EXISTS (SELECT 1 FROM visits v WHERE v.check_id = c.id
                   AND date(v.device_at, '+5 hours') = c.planned_date
                   AND (strftime('%H', v.device_at, '+5 hours') * 60 + strftime('%M', v.device_at, '+5 hours'))
                       BETWEEN c.window_start_min AND c.window_end_min))
FROM checks c JOIN plans p ON p.id = c.plan_id
WHERE p.status = 'published' AND c.planned_date BETWEEN '{from}' AND '{to}' AND c.mobile_group_id IS NOT NULL
GROUP BY 1;
SELECT mobile_group_id, count(*), sum(far_from_address OR evidence = 'poor') FROM visits
WHERE device_at >= datetime('{from}', '-5 hours') AND device_at < datetime('{to}', '+1 day', '-5 hours')
  AND mobile_group_id IS NOT NULL GROUP BY 1;\n"
    )
}

fn coverage_vs_crime_sql(period: Period) -> String {
    let (from, to) = (period.from, period.to);
    let mut sql = coverage_sql(&month_ends(period));
    sql.push_str(&format!(
        "SELECT district_id, strftime('%Y-%m', offence_date), count(*) FROM offences
WHERE offence_date BETWEEN '{from}' AND '{to}' GROUP BY 1, 2;
SELECT p.id, o.offence_date FROM offences o JOIN persons p ON p.iin = o.suspect_iin
WHERE o.offence_date BETWEEN '{from}' AND '{to}';\n"
    ));
    sql
}

/// Empties the store of closed months' coverage: the next coverage-vs-crime report recomputes
/// them from the raw records.
fn forget_coverage_months(conn: &mut db::DbConnection) -> anyhow::Result<()> {
    use db::schema::{coverage_month_districts, coverage_months};
    diesel::RunQueryDsl::execute(diesel::delete(coverage_month_districts::table), conn)?;
    diesel::RunQueryDsl::execute(diesel::delete(coverage_months::table), conn)?;
    Ok(())
}

/// The periods the pages default to on `today`.
#[derive(Clone, Copy)]
struct Periods {
    quarter: Period,
    last_month: Period,
    last_year: Period,
    year_before: Period,
    twelve: Period,
}

impl Periods {
    fn on(today: NaiveDate) -> anyhow::Result<Self> {
        let month_start = today.with_day(1).context("day")?;
        let quarter_start = NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1)
            .context("quarter")?;
        let months_before = |day: NaiveDate, n: u32| -> anyhow::Result<Period> {
            Ok(Period::new(
                day.checked_sub_months(Months::new(n)).context("months")?,
                day.pred_opt().context("day")?,
            )?)
        };
        let year = |y: i32| -> anyhow::Result<Period> {
            Ok(Period::new(
                NaiveDate::from_ymd_opt(y, 1, 1).context("year")?,
                NaiveDate::from_ymd_opt(y, 12, 31).context("year")?,
            )?)
        };
        Ok(Self {
            quarter: months_before(quarter_start, 3)?,
            last_month: months_before(month_start, 1)?,
            last_year: year(today.year() - 1)?,
            year_before: year(today.year() - 2)?,
            twelve: months_before(month_start, 12)?,
        })
    }
}

type Run<'a> = Box<dyn FnMut(&mut db::DbConnection) -> anyhow::Result<usize> + 'a>;

/// Each report's name, run and SQL peer.
fn reports_to_time<'a>(
    p: Periods,
    tz: chrono_tz::Tz,
    today: NaiveDate,
) -> Vec<(String, Run<'a>, String)> {
    let Periods {
        quarter,
        last_month,
        last_year,
        year_before,
        twelve,
    } = p;
    let mut all: Vec<(String, Run<'a>, String)> = vec![
        (
            format!("coverage {}..{}", quarter.from, quarter.to),
            Box::new(move |c| {
                let r = reports::coverage(c, quarter, None, tz)?.context("coverage")?;
                Ok(r.by_district.len())
            }),
            coverage_sql(&month_ends(quarter)),
        ),
        (
            format!("groups {}..{}", last_month.from, last_month.to),
            Box::new(move |c| Ok(reports::group_report(c, last_month, tz)?.groups.len())),
            groups_sql(last_month),
        ),
        (
            format!(
                "crime-trends {} vs {}",
                last_year.from.year(),
                year_before.from.year()
            ),
            Box::new(move |c| {
                let r = reports::crime_trends(c, last_year, year_before, None, 57.0)?
                    .context("crime")?;
                Ok(r.by_type.len())
            }),
            crime_sql(last_year, year_before),
        ),
    ];
    all.extend(coverage_vs_crime_runs(twelve, tz, today));
    all
}

/// Coverage against crime through the store of closed months, evaluated from the raw records
/// (the report before the store), and through a store emptied before each run (every month
/// recomputed and stored).
fn coverage_vs_crime_runs<'a>(
    twelve: Period,
    tz: chrono_tz::Tz,
    today: NaiveDate,
) -> Vec<(String, Run<'a>, String)> {
    let dates = format!("{}..{}", twelve.from, twelve.to);
    vec![
        (
            format!("coverage-vs-crime {dates}"),
            Box::new(move |c| {
                let r = reports::coverage_vs_crime(c, twelve, None, tz, today)?.context("cvc")?;
                Ok(r.cells.len())
            }),
            coverage_vs_crime_sql(twelve),
        ),
        (
            format!("coverage-vs-crime-live {dates}"),
            Box::new(move |c| {
                let r = reports::coverage_vs_crime_live(c, twelve, None, tz)?.context("cvc")?;
                Ok(r.cells.len())
            }),
            coverage_vs_crime_sql(twelve),
        ),
        (
            format!("coverage-vs-crime-recompute {dates}"),
            Box::new(move |c| {
                forget_coverage_months(c)?;
                let r = reports::coverage_vs_crime(c, twelve, None, tz, today)?.context("cvc")?;
                Ok(r.cells.len())
            }),
            coverage_vs_crime_sql(twelve),
        ),
    ]
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let url = if args.db.starts_with("postgres://") || args.db.starts_with("postgresql://") {
        DatabaseUrl::parse(&args.db)?
    } else {
        let file = std::path::PathBuf::from(&args.db);
        ensure!(file.exists(), "{} does not exist", file.display());
        DatabaseUrl::Sqlite(file)
    };
    // The shell peer's SQL is SQLite's.
    let shell = match &url {
        DatabaseUrl::Sqlite(file) if !args.no_shell => Some(file.clone()),
        _ => None,
    };
    let pool = db::connect(&url, 1)?;
    let mut conn = pool.get()?;
    let tz: chrono_tz::Tz = "Asia/Almaty".parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let today = args.today;
    let periods = Periods::on(today)?;
    let counts: (i64, i64, i64) = (
        db::persons::count_persons(&mut conn)?,
        diesel::RunQueryDsl::get_result(
            diesel::QueryDsl::count(db::schema::visits::table),
            &mut conn,
        )?,
        db::offences::count_offences(&mut conn)?,
    );
    println!(
        "database {}: {} persons, {} visits, {} offences; today {today}, {} runs each (median; the first, cold run not counted)",
        url.redacted(),
        counts.0,
        counts.1,
        counts.2,
        args.runs
    );
    let twelve = periods.twelve;
    let stored = reports::coverage_vs_crime(&mut conn, twelve, None, tz, today)?;
    let live = reports::coverage_vs_crime_live(&mut conn, twelve, None, tz)?;
    ensure!(
        stored == live,
        "coverage-vs-crime: the stored months differ from the raw records"
    );
    let mut reports = reports_to_time(periods, tz, today);
    time_all(&args, shell.as_deref(), &mut conn, &mut reports)
}

/// Times each report (and its SQL in the sqlite3 shell on `shell`, the SQLite file, if given)
/// and prints the table.
fn time_all(
    args: &Args,
    shell: Option<&std::path::Path>,
    conn: &mut db::DbConnection,
    reports: &mut [(String, Run<'_>, String)],
) -> anyhow::Result<()> {
    let baseline = match shell {
        Some(file) => median(
            (0..3)
                .map(|_| sqlite3(file, "SELECT 1;\n"))
                .collect::<anyhow::Result<Vec<_>>>()?,
        ),
        None => Duration::ZERO,
    };
    println!();
    println!(
        "| report | ours, ms | sqlite3 shell, ms | ours / sqlite3 |\n| --- | ---: | ---: | ---: |"
    );
    for (name, run, sql) in reports.iter_mut() {
        if !args.only.is_empty() && !args.only.iter().any(|o| name.split(' ').next() == Some(o)) {
            continue;
        }
        run(conn)?;
        let mut ours = Vec::new();
        for _ in 0..args.runs {
            let start = Instant::now();
            let lines = run(conn)?;
            ours.push(start.elapsed());
            ensure!(lines > 0, "{name}: an empty report");
        }
        let Some(file) = shell else {
            println!("| {name} | {:.1} | | |", ms(median(ours)));
            continue;
        };
        sqlite3(file, sql)?;
        let mut peer = Vec::new();
        for _ in 0..args.runs.min(3) {
            peer.push(sqlite3(file, sql)?.saturating_sub(baseline));
        }
        let (ours, peer) = (median(ours), median(peer));
        println!(
            "| {name} | {:.1} | {:.1} | {:.2} |",
            ms(ours),
            ms(peer),
            ms(ours) / ms(peer).max(0.001)
        );
    }
    match shell {
        Some(_) => println!(
            "\n(sqlite3 shell times are wall times less a `SELECT 1` run, {:.1} ms)",
            ms(baseline)
        ),
        None => println!("\n(no sqlite3 shell runs: --no-shell, or a PostgreSQL database)"),
    }
    Ok(())
}
