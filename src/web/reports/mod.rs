//! Reports for supervisors and prosecutors. For now the registry overview by district; coverage,
//! group and crime reports come with the reports issue.

pub mod coverage;
pub mod coverage_vs_crime;
pub mod crime;
pub mod drive;
pub mod groups;
pub mod today;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;

use crate::app::AppState;
use crate::config::Settings;
use crate::db;
use crate::domain::person::{PersonStatus, RiskTier};
use crate::error::AppError;
use crate::reports::crime_trends::Period;
use crate::reports::csv_dialect::{self, Dialect};
use crate::web::context::PageContext;
use crate::web::render::render_with_status;

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

/// A report asked for over a longer period than `max_report_years`.
#[derive(Template)]
#[template(path = "reports/too_long.html")]
pub struct PeriodTooLongPage {
    /// Layout data.
    pub ctx: PageContext,
    /// What was asked and what is allowed.
    pub message: String,
    /// The report with its default period.
    pub back: &'static str,
}

/// The answer when a period of `periods` (the report's, and the comparison of the crime trends)
/// is longer than `max_report_years`: a page that says so (422), with a link back to the report
/// at its default period. `None` when every period fits.
pub fn refuse_long_period(
    ctx: &PageContext,
    settings: &Settings,
    periods: &[Period],
    back: &'static str,
) -> Option<HttpResponse> {
    use fluent_templates::fluent_bundle::FluentValue;
    let years = settings.max_report_years.max(1);
    let long = periods.iter().find(|p| !p.fits_years(years))?;
    let message = ctx.lang.t_args(
        "report-error-too-long",
        &[
            ("years", FluentValue::from(years)),
            ("from", FluentValue::from(ctx.date(long.from))),
            ("to", FluentValue::from(ctx.date(long.to))),
        ],
    );
    let page = PeriodTooLongPage {
        ctx: ctx.clone(),
        message,
        back,
    };
    Some(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

/// How a CSV download is written for the user: the dialect asked for with `?dialect=`, else
/// the interface language's, and the language of the header's units.
#[derive(Debug, Clone, Copy)]
pub struct CsvStyle {
    dialect: Dialect,
    lang: crate::i18n::Lang,
}

impl CsvStyle {
    /// The style for the page's user, `asked` the `?dialect=` value (empty or unknown: the
    /// language's).
    pub fn new(ctx: &PageContext, asked: &str) -> Self {
        Self {
            dialect: Dialect::parse(asked).unwrap_or(Dialect::of_language(ctx.lang.code())),
            lang: ctx.lang,
        }
    }

    /// The language's word for a unit of a header (`km`, `m`, `h`).
    fn unit(&self, unit: &str) -> Option<String> {
        matches!(unit, "km" | "m" | "h").then(|| self.lang.t(&format!("unit-{unit}")))
    }
}

/// A report's CSV (written in the comma dialect) as a download named `name`, in `style`.
pub fn csv_download(name: &str, body: Vec<u8>, style: CsvStyle) -> HttpResponse {
    let body = csv_dialect::convert(&body, style.dialect, &|unit| style.unit(unit));
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body)
}

/// A report's `?format=csv[&table=NAME]`: `Ok(None)` for the page itself, else the CSV of one
/// table of `tables` (all when `table` is empty) named `PREFIX-FROM-TO[-TABLE].csv`; an unknown
/// table is a 400.
pub fn csv_request(
    style: CsvStyle,
    format: &str,
    table: &str,
    tables: &[&str],
    prefix: &str,
    period: crate::reports::crime_trends::Period,
    to_csv: impl FnOnce(Option<&str>) -> Vec<u8>,
) -> Result<Option<HttpResponse>, AppError> {
    if format != "csv" {
        return Ok(None);
    }
    let table = Some(table).filter(|t| !t.is_empty());
    if table.is_some_and(|t| !tables.contains(&t)) {
        return Err(AppError::BadRequest("crime-error-table"));
    }
    let name = format!(
        "{prefix}-{}-{}{}.csv",
        period.from,
        period.to,
        table.map(|t| format!("-{t}")).unwrap_or_default()
    );
    Ok(Some(csv_download(&name, to_csv(table), style)))
}

/// The districts' names by code in the page's language, for labels and the district filter.
pub struct DistrictNames(Vec<(String, String)>);

impl DistrictNames {
    /// The names of `districts` in `lang`.
    pub fn new(districts: &[crate::domain::District], lang: crate::i18n::Lang) -> Self {
        Self(
            districts
                .iter()
                .map(|d| (d.code.clone(), d.name(lang.code()).to_owned()))
                .collect(),
        )
    }

    /// The name of the district with `code` (the code itself when unknown).
    pub fn name(&self, code: &str) -> String {
        self.0
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| code.to_owned())
    }

    /// The filter's choices, `selected` chosen.
    pub fn options(&self, selected: Option<&str>) -> Vec<crime::DistrictOption> {
        self.0
            .iter()
            .map(|(code, name)| crime::DistrictOption {
                code: code.clone(),
                name: name.clone(),
                is_selected: selected == Some(code.as_str()),
            })
            .collect()
    }
}
