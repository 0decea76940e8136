//! `GET /reports/groups`: the group report (DESIGN.md section 3, Supervisor 2): per mobile group,
//! checks planned, done, missed and on time, visits per shift and the evidence quality of the
//! visits, and the planned drive between stops against the driven (`drive`), with the period in
//! the URL, CSV export of each part and a print layout.

use actix_web::{Either, HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono::{Datelike as _, Months, NaiveDate};

use crate::app::AppState;
use crate::db;
use crate::error::AppError;
use crate::reports::crime_trends::{self, Period};
use crate::reports::groups::{GroupLine, GroupReport};
use crate::services::reports;
use crate::web::context::PageContext;
use crate::web::paths;
use crate::web::reports::DistrictNames;
use crate::web::reports::drive::{DriveTables, drive_tables};

/// The URL's filters, all text so that any input reaches validation.
#[derive(Debug, Default, serde::Deserialize)]
pub struct GroupsQuery {
    /// First day, `YYYY-MM-DD` (default: the first day of last month).
    #[serde(default)]
    pub from: String,
    /// Last day (default: the last day of last month).
    #[serde(default)]
    pub to: String,
    /// `csv` for a download.
    #[serde(default)]
    pub format: String,
    /// With `format=csv`: `comma` or `semicolon` (default: the interface language's).
    #[serde(default)]
    pub dialect: String,
    /// With `format=csv`: one of [`TABLES`]; the groups when empty.
    #[serde(default)]
    pub table: String,
}

/// The parts of the report as CSV: the groups, and planned against driven.
pub const TABLES: &[&str] = &["groups", "drive"];

/// One shown line.
#[derive(Debug, Clone)]
pub struct ShownLine {
    /// The group's name (`total` for the sum), kept in a data attribute.
    pub key: String,
    /// The label.
    pub label: String,
    /// Planned checks.
    pub planned: String,
    /// Done.
    pub done: String,
    /// Missed.
    pub missed: String,
    /// Open.
    pub open: String,
    /// On time, percent of the visited.
    pub on_time: String,
    /// Group-days with a route.
    pub shifts: String,
    /// Visits.
    pub visits: String,
    /// Visits per shift.
    pub per_shift: String,
    /// Flagged visits, percent.
    pub flagged: String,
    /// Kilometres driven.
    pub distance: String,
    /// Kilometres per shift.
    pub km_per_shift: String,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "reports/groups.html")]
pub struct GroupsPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Filter values.
    pub from: String,
    /// Filter values.
    pub to: String,
    /// The period in words.
    pub caption: String,
    /// A line per group.
    pub lines: Vec<ShownLine>,
    /// The sum.
    pub total: ShownLine,
    /// The CSV link.
    pub csv_href: String,
    /// Planned against driven.
    pub drive: DriveTables,
}

/// Last calendar month before `today`.
fn last_month(today: NaiveDate) -> Period {
    let first = today.with_day(1).unwrap_or(today);
    Period {
        from: first.checked_sub_months(Months::new(1)).unwrap_or(first),
        to: first.pred_opt().unwrap_or(first),
    }
}

fn read_query(query: &GroupsQuery, today: NaiveDate) -> Result<Period, AppError> {
    let default = last_month(today);
    let day = |text: &str, fallback: NaiveDate| {
        if text.trim().is_empty() {
            Ok(fallback)
        } else {
            crime_trends::parse_day(text).map_err(|e| AppError::BadRequest(e.message_key()))
        }
    };
    Period::new(day(&query.from, default.from)?, day(&query.to, default.to)?)
        .map_err(|e| AppError::BadRequest(e.message_key()))
}

/// `GET /reports/groups`.
pub async fn show_groups(
    ctx: PageContext,
    state: web::Data<AppState>,
    query: web::Query<GroupsQuery>,
) -> Result<Either<GroupsPage, HttpResponse>, AppError> {
    let today = state.today();
    let period = read_query(&query, today)?;
    let refused = super::refuse_long_period(&ctx, &state.settings, &[period], paths::REPORT_GROUPS);
    if let Some(refused) = refused {
        return Ok(Either::Right(refused));
    }
    let tz = state.tz;
    let (report, districts) = db::run(&state.pool, move |conn| {
        let report = reports::group_report(conn, period, tz)?;
        Ok((report, db::districts::list_districts(conn)?))
    })
    .await?;
    if let Some(csv) = super::csv_request(
        super::CsvStyle::new(&ctx, &query.dialect),
        &query.format,
        &query.table,
        TABLES,
        "groups",
        period,
        |table| match table {
            Some("drive") => report.drive.to_csv(),
            _ => report.to_csv(),
        },
    )? {
        return Ok(Either::Right(csv));
    }
    let names = super::DistrictNames::new(&districts, ctx.lang);
    Ok(Either::Left(build_page(ctx, &report, &names)))
}

fn shown(ctx: &PageContext, line: &GroupLine, label: String) -> ShownLine {
    let lang = ctx.lang;
    let number = |x: Option<f64>, unit: &str| {
        x.map(|x| format!("{}{unit}", lang.decimal(x, 1)))
            .unwrap_or_else(|| "–".to_owned())
    };
    ShownLine {
        key: line.key.clone(),
        label,
        planned: ctx.int(line.planned),
        done: ctx.int(line.done),
        missed: ctx.int(line.missed),
        open: ctx.int(line.open),
        on_time: number(line.on_time_share(), " %"),
        shifts: ctx.int(line.shifts),
        visits: ctx.int(line.visits),
        per_shift: number(line.visits_per_shift(), ""),
        flagged: number(line.flagged_share(), " %"),
        distance: lang.decimal(line.distance_km(), 1),
        km_per_shift: number(line.km_per_shift(), ""),
    }
}

fn build_page(ctx: PageContext, report: &GroupReport, names: &DistrictNames) -> GroupsPage {
    let lang = ctx.lang;
    let lines = report
        .groups
        .iter()
        .map(|l| shown(&ctx, l, l.key.clone()))
        .collect();
    let total = shown(&ctx, &report.total, ctx.t("report-region-total"));
    GroupsPage {
        from: report.period.from.to_string(),
        to: report.period.to.to_string(),
        caption: format!(
            "{} – {}",
            lang.date(report.period.from),
            lang.date(report.period.to)
        ),
        lines,
        total,
        csv_href: format!(
            "/reports/groups?from={}&to={}&format=csv",
            report.period.from, report.period.to
        ),
        drive: drive_tables(&ctx, &report.drive, names),
        ctx,
    }
}
