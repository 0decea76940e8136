//! `GET /reports/crime`: the crime-trend report (DESIGN.md section 3, Supervisor 3) with its
//! filters in the URL, tables, a monthly chart, CSV export of each table and a print layout.

use actix_web::{Either, HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono::{Datelike as _, NaiveDate};

use crate::app::AppState;
use crate::db;
use crate::error::AppError;
use crate::reports::crime_trends::{self, CrimeTrends, Line, Period, TABLES};
use crate::services::reports;
use crate::web::charts::{Series, line_chart};
use crate::web::context::PageContext;
use crate::web::paths;

/// The URL's filters, all text so that any input reaches validation.
#[derive(Debug, Default, serde::Deserialize)]
pub struct CrimeQuery {
    /// First day, `YYYY-MM-DD` (default: 1 January of last year).
    #[serde(default)]
    pub from: String,
    /// Last day (default: 31 December of last year).
    #[serde(default)]
    pub to: String,
    /// `previous` or `YYYY-MM-DD..YYYY-MM-DD`.
    #[serde(default)]
    pub against: String,
    /// A district code; empty for the region.
    #[serde(default)]
    pub district: String,
    /// `csv` for a download.
    #[serde(default)]
    pub format: String,
    /// With `format=csv`: `comma` or `semicolon` (default: the interface language's).
    #[serde(default)]
    pub dialect: String,
    /// With `format=csv`: one table of `crime_trends::TABLES`; all when empty.
    #[serde(default)]
    pub table: String,
}

/// One shown line of a table.
#[derive(Debug, Clone)]
pub struct ShownLine {
    /// The stored key (`robbery`, `KST`, `2025-03`), kept in a data attribute.
    pub key: String,
    /// The label in the page's language.
    pub label: String,
    /// Count in the comparison period.
    pub previous: String,
    /// Count in the period.
    pub current: String,
    /// Change in percent, signed, one decimal; empty without a comparison.
    pub change: String,
    /// Poisson z, two decimals.
    pub z: String,
    /// |z| > 3.
    pub significant: bool,
    /// Whether it rose (for the mark's class).
    pub rose: bool,
    /// Per 10,000 residents a year, in the period and before (districts and total).
    pub rate_current: String,
    /// The same before.
    pub rate_previous: String,
}

/// A table of the page.
#[derive(Debug, Clone)]
pub struct ShownTable {
    /// Its name in `?table=` (`severity`, ...).
    pub name: &'static str,
    /// Heading.
    pub title: String,
    /// Header of the first column.
    pub category: String,
    /// Whether the table shows rates per 10,000.
    pub with_rates: bool,
    /// Lines.
    pub lines: Vec<ShownLine>,
    /// The CSV link.
    pub csv_href: String,
}

/// A district to choose.
#[derive(Debug, Clone)]
pub struct DistrictOption {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Chosen now.
    pub is_selected: bool,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "reports/crime.html")]
pub struct CrimePage {
    /// Layout data.
    pub ctx: PageContext,
    /// Filter values as typed.
    pub from: String,
    /// Filter values as typed.
    pub to: String,
    /// Filter values as typed.
    pub against: String,
    /// District choices.
    pub districts: Vec<DistrictOption>,
    /// The period and comparison, in words.
    pub caption: String,
    /// Total offences, period and comparison, change and significance.
    pub total: ShownLine,
    /// The region's (or district's) rate against the national reference, in words.
    pub rate_text: String,
    /// Whether the rate is above the national reference.
    pub above_national: bool,
    /// Tables: severity, type, place, district, month.
    pub tables: Vec<ShownTable>,
    /// The monthly chart (SVG), already escaped.
    pub chart: String,
    /// Link to all tables as CSV.
    pub csv_all: String,
}

fn last_full_year(today: NaiveDate) -> Period {
    let year = today.year() - 1;
    Period {
        from: NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today),
        to: NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today),
    }
}

/// Reads the filters: the period (default last full year), the comparison, the district code.
fn read_query(
    query: &CrimeQuery,
    today: NaiveDate,
) -> Result<(Period, Period, Option<String>), AppError> {
    let default = last_full_year(today);
    let day = |text: &str, fallback: NaiveDate| {
        if text.trim().is_empty() {
            Ok(fallback)
        } else {
            crime_trends::parse_day(text).map_err(|e| AppError::BadRequest(e.message_key()))
        }
    };
    let period = Period::new(day(&query.from, default.from)?, day(&query.to, default.to)?)
        .map_err(|e| AppError::BadRequest(e.message_key()))?;
    let against = crime_trends::parse_against(&query.against, period)
        .map_err(|e| AppError::BadRequest(e.message_key()))?;
    let district = Some(query.district.trim().to_owned()).filter(|d| !d.is_empty());
    if let Some(code) = &district
        && !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(AppError::BadRequest("crime-error-district"));
    }
    Ok((period, against, district))
}

/// `GET /reports/crime`.
pub async fn show_crime_trends(
    ctx: PageContext,
    state: web::Data<AppState>,
    query: web::Query<CrimeQuery>,
) -> Result<Either<CrimePage, HttpResponse>, AppError> {
    let today = state.today();
    let (period, against, district) = read_query(&query, today)?;
    let periods = [period, against];
    let refused = super::refuse_long_period(&ctx, &state.settings, &periods, paths::REPORT_CRIME);
    if let Some(refused) = refused {
        return Ok(Either::Right(refused));
    }
    let national = state.settings.national_rate_per_10k;
    let code = district.clone();
    let (report, districts) = db::run(&state.pool, move |conn| {
        let report = reports::crime_trends(conn, period, against, code.as_deref(), national)?;
        Ok((report, db::districts::list_districts(conn)?))
    })
    .await?;
    let report = report.ok_or(AppError::BadRequest("crime-error-district"))?;
    if let Some(csv) = super::csv_request(
        super::CsvStyle::new(&ctx, &query.dialect),
        &query.format,
        &query.table,
        TABLES,
        "crime-trends",
        period,
        |table| report.to_csv(table),
    )? {
        return Ok(Either::Right(csv));
    }
    let names = super::DistrictNames::new(&districts, ctx.lang);
    let base = format!(
        "/reports/crime?from={}&to={}&against={}{}",
        period.from,
        period.to,
        against.to_text(),
        district
            .as_deref()
            .map(|d| format!("&district={d}"))
            .unwrap_or_default()
    );
    Ok(Either::Left(build_page(
        ctx, &report, &names, &query, &base,
    )))
}

fn shown(ctx: &PageContext, line: &Line, label: String) -> ShownLine {
    let lang = ctx.lang;
    let rate = |r: Option<f64>| r.map(|r| lang.decimal(r, 1)).unwrap_or_default();
    ShownLine {
        key: line.key.clone(),
        label,
        previous: ctx.int(line.previous),
        current: ctx.int(line.current),
        change: line
            .change_percent
            .map(|c| {
                let text = lang.decimal(c, 1);
                if c > 0.0 { format!("+{text}") } else { text }
            })
            .unwrap_or_default(),
        z: lang.decimal(line.z, 2),
        significant: line.significant,
        rose: line.current > line.previous,
        rate_current: rate(line.rate_current),
        rate_previous: rate(line.rate_previous),
    }
}

fn build_page(
    ctx: PageContext,
    report: &CrimeTrends,
    names: &super::DistrictNames,
    query: &CrimeQuery,
    base: &str,
) -> CrimePage {
    let lang = ctx.lang;
    let tables = tables(&ctx, report, names, base);
    let caption = format!(
        "{} {} {}",
        period_text(&ctx, report.period),
        ctx.t("crime-against"),
        period_text(&ctx, report.against)
    );
    let rate = report.total.rate_current;
    let rate_text = format!(
        "{} {}; {}: {}",
        rate.map(|r| lang.decimal(r, 1)).unwrap_or_default(),
        ctx.t("crime-rate-unit"),
        ctx.t("crime-rate-national"),
        lang.decimal(report.national_rate_per_10k, 1)
    );
    let chart = chart(&ctx, report);
    let districts = names.options(report.district.as_deref());
    let total = shown(&ctx, &report.total, ctx.t("crime-total"));
    CrimePage {
        from: report.period.from.to_string(),
        to: report.period.to.to_string(),
        against: if query.against.trim().is_empty() {
            "previous".to_owned()
        } else {
            query.against.trim().to_owned()
        },
        districts,
        caption,
        total,
        rate_text,
        above_national: rate.is_some_and(|r| r > report.national_rate_per_10k),
        tables,
        chart,
        csv_all: format!("{base}&format=csv"),
        ctx,
    }
}

/// `first – last` in the page's language.
fn period_text(ctx: &PageContext, p: Period) -> String {
    format!("{} – {}", ctx.lang.date(p.from), ctx.lang.date(p.to))
}

/// A month key `YYYY-MM` as `MM.YYYY`.
fn month_label(key: &str) -> String {
    NaiveDate::parse_from_str(&format!("{key}-01"), "%Y-%m-%d")
        .map(|d| d.format("%m.%Y").to_string())
        .unwrap_or_else(|_| key.to_owned())
}

/// The tables by severity, type, place, district and month, each with its CSV link under
/// `base`.
fn tables(
    ctx: &PageContext,
    report: &CrimeTrends,
    names: &super::DistrictNames,
    base: &str,
) -> Vec<ShownTable> {
    let table = |name: &'static str,
                 title: &str,
                 category: &str,
                 lines: &[Line],
                 label: &dyn Fn(&str) -> String| {
        ShownTable {
            name,
            title: ctx.t(title),
            category: ctx.t(category),
            with_rates: name == "district",
            lines: lines.iter().map(|l| shown(ctx, l, label(&l.key))).collect(),
            csv_href: format!("{base}&format=csv&table={name}"),
        }
    };
    let district_name = |code: &str| names.name(code);
    vec![
        table(
            "severity",
            "crime-by-severity",
            "crime-severity",
            &report.by_severity,
            &|k| ctx.word("severity", k),
        ),
        table(
            "type",
            "crime-by-type",
            "crime-type",
            &report.by_type,
            &|k| ctx.word("offence-type", k),
        ),
        table(
            "place",
            "crime-by-place",
            "crime-place",
            &report.by_place,
            &|k| ctx.word("offence-place", k),
        ),
        table(
            "district",
            "crime-by-district",
            "field-district",
            &report.by_district,
            &district_name,
        ),
        table(
            "month",
            "crime-by-month",
            "crime-month",
            &report.monthly,
            &month_label,
        ),
    ]
}

/// The monthly chart: the period against the comparison.
fn chart(ctx: &PageContext, report: &CrimeTrends) -> String {
    let labels: Vec<String> = report.monthly.iter().map(|l| month_label(&l.key)).collect();
    let series = [
        Series {
            name: period_text(ctx, report.period),
            class: "series-0",
            values: report.monthly.iter().map(|l| l.current as f64).collect(),
        },
        Series {
            name: period_text(ctx, report.against),
            class: "series-1",
            values: report.monthly.iter().map(|l| l.previous as f64).collect(),
        },
    ];
    line_chart(&labels, &series, &ctx.t("crime-chart-label"), &|v| {
        ctx.lang.integer(v.round() as i64)
    })
}
