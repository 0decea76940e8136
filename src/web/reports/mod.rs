//! Reports for supervisors and prosecutors. For now the registry overview by district; coverage,
//! group and crime reports come with the reports issue.

pub mod coverage;
pub mod coverage_vs_crime;
pub mod crime;
pub mod groups;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;

use crate::app::AppState;
use crate::db;
use crate::domain::person::{PersonStatus, RiskTier};
use crate::error::AppError;
use crate::web::context::PageContext;

/// One district's line of the overview.
#[derive(Debug, Clone, Default)]
pub struct DistrictLine {
    /// District name.
    pub name: String,
    /// Residents.
    pub population: i64,
    /// Active supervised persons.
    pub active: i64,
    /// Active persons per 10,000 residents, formatted.
    pub per_10k: String,
    /// Active persons by tier: high, medium, low.
    pub by_tier: [i64; 3],
}

/// `GET /reports`.
#[derive(Template, WebTemplate)]
#[template(path = "reports/overview.html")]
pub struct OverviewPage {
    /// Layout data.
    pub ctx: PageContext,
    /// One line per district.
    pub lines: Vec<DistrictLine>,
    /// The region's totals.
    pub total: DistrictLine,
}

/// `GET /reports`: active persons per district, per 10,000 residents and by tier.
pub async fn show_overview(
    ctx: PageContext,
    state: web::Data<AppState>,
) -> Result<OverviewPage, AppError> {
    let (districts, counts) = db::run(&state.pool, |conn| {
        Ok((
            db::districts::list_districts(conn)?,
            db::persons::count_by_district_tier_status(conn)?,
        ))
    })
    .await?;
    let lang = ctx.lang;
    let per_10k = |active: i64, population: i64| {
        if population > 0 {
            lang.decimal(active as f64 * 10_000.0 / population as f64, 1)
        } else {
            String::new()
        }
    };
    let mut total = DistrictLine {
        name: ctx.t("report-region-total"),
        ..DistrictLine::default()
    };
    let mut lines = Vec::with_capacity(districts.len());
    for d in &districts {
        let mut line = DistrictLine {
            name: d.name(lang.code()).to_owned(),
            population: d.population,
            ..Default::default()
        };
        for (district, tier, status, n) in &counts {
            if district != d.id.as_str() || status != PersonStatus::Active.as_str() {
                continue;
            }
            line.active += n;
            let slot = match RiskTier::parse(tier) {
                Some(RiskTier::High) => 0,
                Some(RiskTier::Medium) => 1,
                _ => 2,
            };
            line.by_tier[slot] += n;
        }
        line.per_10k = per_10k(line.active, line.population);
        total.population += line.population;
        total.active += line.active;
        for i in 0..3 {
            total.by_tier[i] += line.by_tier[i];
        }
        lines.push(line);
    }
    total.per_10k = per_10k(total.active, total.population);
    Ok(OverviewPage { ctx, lines, total })
}

/// A report's CSV as a download named `name`.
pub fn csv_download(name: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body)
}
