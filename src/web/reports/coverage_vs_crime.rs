//! `GET /reports/coverage-vs-crime`: coverage by checks beside offences per 10,000 residents
//! per district and month (issue 7, part 5), a scatter chart, the correlations with their
//! p-values and caveat, re-offending by supervised persons, CSV export of each table, filters in
//! the URL and a print layout.

use actix_web::{Either, HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono::{Datelike as _, Months, NaiveDate};

use crate::app::AppState;
use crate::db;
use crate::error::AppError;
use crate::reports::coverage_vs_crime::{Cell, CoverageVsCrime, SIGNIFICANCE, TABLES};
use crate::reports::crime_trends::Period;
use crate::services::reports;
use crate::web::charts::{Point, scatter_chart};
use crate::web::context::PageContext;
use crate::web::paths;
use crate::web::reports::coverage::{CoverageQuery, read_query};
use crate::web::reports::crime::DistrictOption;

/// One shown line of the district or month table.
#[derive(Debug, Clone)]
pub struct ShownCell {
    /// District code, kept in a data attribute.
    pub key: String,
    /// `YYYY-MM` (empty for the period), kept in a data attribute.
    pub month: String,
    /// District name.
    pub district: String,
    /// Month in words (empty for the period).
    pub month_label: String,
    /// Coverage, percent.
    pub coverage: String,
    /// Covered of counted.
    pub covered: String,
    /// Offences.
    pub offences: String,
    /// Offences per 10,000 a year.
    pub rate: String,
}

/// One correlation as shown.
#[derive(Debug, Clone)]
pub struct ShownCorrelation {
    /// `district`, `month`, `next_month`.
    pub key: &'static str,
    /// What the pairs are.
    pub label: String,
    /// Pairs.
    pub n: String,
    /// r, three decimals, or a dash.
    pub r: String,
    /// p, four decimals, or a dash.
    pub p: String,
    /// How to read it.
    pub verdict: String,
}

/// One re-offending line as shown.
#[derive(Debug, Clone)]
pub struct ShownReoffending {
    /// The state's word.
    pub key: &'static str,
    /// The state in words.
    pub label: String,
    /// Offences.
    pub offences: String,
    /// Distinct persons.
    pub persons: String,
    /// Person-months.
    pub person_months: String,
    /// Offences per 100 person-months, or a dash.
    pub per_100: String,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "reports/coverage_vs_crime.html")]
pub struct CoverageVsCrimePage {
    /// Layout data.
    pub ctx: PageContext,
    /// Filter values.
    pub from: String,
    /// Filter values.
    pub to: String,
    /// District choices.
    pub districts: Vec<DistrictOption>,
    /// The period (and district) in words.
    pub caption: String,
    /// The scatter chart (SVG), already escaped.
    pub chart: String,
    /// The correlations.
    pub correlations: Vec<ShownCorrelation>,
    /// By district over the period.
    pub by_district: Vec<ShownCell>,
    /// By district and month.
    pub cells: Vec<ShownCell>,
    /// Re-offending.
    pub reoffending: Vec<ShownReoffending>,
    /// `?from=..&to=..[&district=..]` of this report, for the CSV links.
    pub base: String,
}

/// The twelve full months before `today`'s month.
fn last_twelve_months(today: NaiveDate) -> Period {
    let this_month = today.with_day(1).unwrap_or(today);
    Period {
        from: this_month
            .checked_sub_months(Months::new(12))
            .unwrap_or(this_month),
        to: this_month.pred_opt().unwrap_or(this_month),
    }
}

/// `GET /reports/coverage-vs-crime`.
pub async fn show_coverage_vs_crime(
    ctx: PageContext,
    state: web::Data<AppState>,
    query: web::Query<CoverageQuery>,
) -> Result<Either<CoverageVsCrimePage, HttpResponse>, AppError> {
    let today = state.today();
    let (period, district) = read_query(&query, last_twelve_months(today))?;
    let back = paths::REPORT_COVERAGE_VS_CRIME;
    if let Some(refused) = super::refuse_long_period(&ctx, &state.settings, &[period], back) {
        return Ok(Either::Right(refused));
    }
    let tz = state.tz;
    let code = district.clone();
    let (report, districts) = db::run(&state.pool, move |conn| {
        let report = reports::coverage_vs_crime(conn, period, code.as_deref(), tz, today)?;
        Ok((report, db::districts::list_districts(conn)?))
    })
    .await?;
    let report = report.ok_or(AppError::BadRequest("crime-error-district"))?;
    if let Some(csv) = super::csv_request(
        super::CsvStyle::new(&ctx, &query.dialect),
        &query.format,
        &query.table,
        TABLES,
        "coverage-vs-crime",
        period,
        |table| report.to_csv(table),
    )? {
        return Ok(Either::Right(csv));
    }
    let names = super::DistrictNames::new(&districts, ctx.lang);
    Ok(Either::Left(build_page(ctx, &report, &names)))
}

fn month_label(key: &str) -> String {
    NaiveDate::parse_from_str(&format!("{key}-01"), "%Y-%m-%d")
        .map(|d| d.format("%m.%Y").to_string())
        .unwrap_or_else(|_| key.to_owned())
}

fn build_page(
    ctx: PageContext,
    report: &CoverageVsCrime,
    names: &super::DistrictNames,
) -> CoverageVsCrimePage {
    let lang = ctx.lang;
    let district_name = |code: &str| names.name(code);
    let shown = |c: &Cell| shown_cell(&ctx, names, c);
    let districts = names.options(report.district.as_deref());
    let area = report
        .district
        .as_deref()
        .map(district_name)
        .unwrap_or_else(|| ctx.t("report-region-total"));
    let caption = format!(
        "{}: {} – {}",
        area,
        lang.date(report.period.from),
        lang.date(report.period.to)
    );
    let base = format!(
        "/reports/coverage-vs-crime?from={}&to={}{}",
        report.period.from,
        report.period.to,
        report
            .district
            .as_deref()
            .map(|d| format!("&district={d}"))
            .unwrap_or_default()
    );
    CoverageVsCrimePage {
        from: report.period.from.to_string(),
        to: report.period.to.to_string(),
        districts,
        caption,
        chart: chart(&ctx, report, names),
        correlations: correlations(&ctx, report),
        by_district: report.by_district.iter().map(shown).collect(),
        cells: report.cells.iter().map(shown).collect(),
        reoffending: reoffending(&ctx, report),
        base,
        ctx,
    }
}

fn dash() -> String {
    "–".to_owned()
}

/// A district's (district-month's) line.
fn shown_cell(ctx: &PageContext, names: &super::DistrictNames, c: &Cell) -> ShownCell {
    let lang = ctx.lang;
    ShownCell {
        key: c.district.clone(),
        month: c.month.clone(),
        district: names.name(&c.district),
        month_label: month_label(&c.month),
        coverage: c
            .coverage_percent
            .map(|s| lang.decimal(s, 1))
            .unwrap_or_else(dash),
        covered: format!(
            "{} / {}",
            ctx.int(c.coverage.covered),
            ctx.int(c.coverage.counted())
        ),
        offences: ctx.int(c.offences),
        rate: c
            .offences_per_10k
            .map(|r| lang.decimal(r, 1))
            .unwrap_or_else(dash),
    }
}

/// The correlations with their verdicts in words.
fn correlations(ctx: &PageContext, report: &CoverageVsCrime) -> Vec<ShownCorrelation> {
    let lang = ctx.lang;
    report
        .correlations
        .iter()
        .map(|c| {
            let verdict = match (c.r, c.p_value) {
                (None, _) => "cvc-verdict-none",
                (Some(_), None) => "cvc-verdict-few",
                (Some(_), Some(p)) if p < SIGNIFICANCE => "cvc-verdict-significant",
                (Some(_), Some(_)) => "cvc-verdict-chance",
            };
            ShownCorrelation {
                key: c.key,
                label: ctx.word("cvc-corr", c.key),
                n: ctx.int(c.n as i64),
                r: c.r.map(|r| lang.decimal(r, 3)).unwrap_or_else(dash),
                p: c.p_value.map(|p| lang.decimal(p, 4)).unwrap_or_else(dash),
                verdict: ctx.t(verdict),
            }
        })
        .collect()
}

/// The re-offending table.
fn reoffending(ctx: &PageContext, report: &CoverageVsCrime) -> Vec<ShownReoffending> {
    report
        .reoffending
        .iter()
        .map(|l| ShownReoffending {
            key: l.key,
            label: ctx.word("cvc-state", l.key),
            offences: ctx.int(l.offences),
            persons: ctx.int(l.persons),
            person_months: ctx.int(l.person_months),
            per_100: l
                .per_100_person_months
                .map(|r| ctx.lang.decimal(r, 1))
                .unwrap_or_else(dash),
        })
        .collect()
}

/// The scatter chart of the district-months: coverage against offences per 10,000.
fn chart(ctx: &PageContext, report: &CoverageVsCrime, names: &super::DistrictNames) -> String {
    let lang = ctx.lang;
    let points: Vec<Point> = report
        .cells
        .iter()
        .filter_map(|c| {
            Some(Point {
                x: c.coverage_percent?,
                y: c.offences_per_10k?,
                label: format!("{} {}", names.name(&c.district), month_label(&c.month)),
            })
        })
        .collect();
    scatter_chart(
        &points,
        100.0,
        (&ctx.t("cvc-axis-coverage"), &ctx.t("cvc-axis-rate")),
        &ctx.t("cvc-chart-label"),
        &|v| format!("{} %", lang.integer(v.round() as i64)),
        &|v| lang.decimal(v, 1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_last_twelve_full_months() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(
            last_twelve_months(day(2026, 11, 25)),
            Period {
                from: day(2025, 11, 1),
                to: day(2026, 10, 31)
            }
        );
        assert_eq!(
            last_twelve_months(day(2026, 1, 1)),
            Period {
                from: day(2025, 1, 1),
                to: day(2025, 12, 31)
            }
        );
    }
}
