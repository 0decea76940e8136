//! `GET /reports/coverage`: the coverage report (DESIGN.md section 3, Supervisor 1) with its
//! filters in the URL, its definition on the page, tables by district, group, tier and month, a
//! monthly chart, a district map shaded by coverage, the persons checked far more than their
//! standard beside those left lapsing, CSV export of each table and a print layout.

mod map;
mod page;

use actix_web::{Either, HttpResponse, web};
use chrono::{Datelike as _, Months, NaiveDate};

use crate::app::AppState;
use crate::db;
use crate::error::AppError;
use crate::reports::coverage::TABLES;
use crate::reports::crime_trends::{self, Period};
use crate::services::reports;
use crate::web::context::PageContext;
use crate::web::paths;
use map::coverage_map;
pub use page::{CoveragePage, ShownLine, ShownList, ShownOutlier, ShownTable};
use page::{build_page, top_lists};

/// The URL's filters, all text so that any input reaches validation.
#[derive(Debug, Default, serde::Deserialize)]
pub struct CoverageQuery {
    /// First day, `YYYY-MM-DD` (default: the first day of the last full quarter).
    #[serde(default)]
    pub from: String,
    /// Last day (default: the last day of the last full quarter).
    #[serde(default)]
    pub to: String,
    /// A district code; empty for the region.
    #[serde(default)]
    pub district: String,
    /// `csv` for a download.
    #[serde(default)]
    pub format: String,
    /// With `format=csv`: `comma` or `semicolon` (default: the interface language's).
    #[serde(default)]
    pub dialect: String,
    /// With `format=csv`: one table of `coverage::TABLES`; all when empty.
    #[serde(default)]
    pub table: String,
}

/// The last full quarter before `today`.
fn last_full_quarter(today: NaiveDate) -> Period {
    let quarter_start =
        NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1).unwrap_or(today);
    let from = quarter_start
        .checked_sub_months(Months::new(3))
        .unwrap_or(quarter_start);
    Period {
        from,
        to: quarter_start.pred_opt().unwrap_or(quarter_start),
    }
}

/// Reads the filters: the period (`default` where a day is not given) and the district code
/// (also read by the coverage-against-crime page, whose filters are the same).
pub(super) fn read_query(
    query: &CoverageQuery,
    default: Period,
) -> Result<(Period, Option<String>), AppError> {
    let day = |text: &str, fallback: NaiveDate| {
        if text.trim().is_empty() {
            Ok(fallback)
        } else {
            crime_trends::parse_day(text).map_err(|e| AppError::BadRequest(e.message_key()))
        }
    };
    let period = Period::new(day(&query.from, default.from)?, day(&query.to, default.to)?)
        .map_err(|e| AppError::BadRequest(e.message_key()))?;
    let district = Some(query.district.trim().to_owned()).filter(|d| !d.is_empty());
    if let Some(code) = &district
        && !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(AppError::BadRequest("crime-error-district"));
    }
    Ok((period, district))
}

/// `GET /reports/coverage`.
pub async fn show_coverage(
    req: actix_web::HttpRequest,
    ctx: PageContext,
    user: crate::web::auth::CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<CoverageQuery>,
) -> Result<Either<CoveragePage, HttpResponse>, AppError> {
    let today = state.today();
    let (period, district) = read_query(&query, last_full_quarter(today))?;
    let refused =
        super::refuse_long_period(&ctx, &state.settings, &[period], paths::REPORT_COVERAGE);
    if let Some(refused) = refused {
        return Ok(Either::Right(refused));
    }
    let tz = state.tz;
    let code = district.clone();
    let ip = crate::web::auth::client_ip(&req);
    let asked = req.query_string().to_owned();
    let (report, districts, labels) = db::run(&state.pool, move |conn| {
        let report = reports::coverage(conn, period, code.as_deref(), tz)?;
        let ids: Vec<String> = report
            .iter()
            .flat_map(|r| r.over_checked.iter().chain(&r.lapsing))
            .map(|o| o.person_id.clone())
            .collect();
        // The report names the persons checked far too often and those left lapsing.
        let read = db::audit::ListRead {
            via: "coverage_report",
            query: &asked,
            person_ids: &ids,
        };
        db::audit::insert_list_read(conn, &user.0, &read, ip.as_deref())?;
        let labels = reports::person_labels(conn, &ids)?;
        Ok((report, db::districts::list_districts(conn)?, labels))
    })
    .await?;
    let report = report.ok_or(AppError::BadRequest("crime-error-district"))?;
    if let Some(csv) = super::csv_request(
        super::CsvStyle::new(&ctx, &query.dialect),
        &query.format,
        &query.table,
        TABLES,
        "coverage",
        period,
        |table| report.to_csv(table),
    )? {
        return Ok(Either::Right(csv));
    }
    let names = super::DistrictNames::new(&districts, ctx.lang);
    let roads = crate::web::map::roads_for(&state).await;
    let map = coverage_map(&ctx, &report, &districts, roads.as_deref());
    let lists = top_lists(&ctx, &report, &labels);
    let mut page = build_page(ctx, &report, &names);
    page.map = map;
    page.lists = lists;
    Ok(Either::Left(page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_the_last_full_quarter() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(
            last_full_quarter(day(2026, 5, 14)),
            Period {
                from: day(2026, 1, 1),
                to: day(2026, 3, 31)
            }
        );
        assert_eq!(
            last_full_quarter(day(2026, 1, 1)),
            Period {
                from: day(2025, 10, 1),
                to: day(2025, 12, 31)
            }
        );
    }
}
