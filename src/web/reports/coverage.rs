//! `GET /reports/coverage`: the coverage report (DESIGN.md section 3, Supervisor 1) with its
//! filters in the URL, its definition on the page, tables by district, group, tier and month, a
//! monthly chart, a district map shaded by coverage, the persons checked far more than their
//! standard beside those left lapsing, CSV export of each table and a print layout.

use std::collections::HashMap;

use actix_web::{Either, HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono::{Datelike as _, Months, NaiveDate};

use crate::app::AppState;
use crate::db;
use crate::domain::location::District;
use crate::error::AppError;
use crate::reports::coverage::{Counts, Coverage, CoverageLine, NO_GROUP, Outlier, TABLES};
use crate::reports::crime_trends::{self, Period};
use crate::services::reports;
use crate::web::charts::{Series, line_chart};
use crate::web::context::PageContext;
use crate::web::map::{self, Shade};
use crate::web::reports::crime::DistrictOption;

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
    /// With `format=csv`: one table of `coverage::TABLES`; all when empty.
    #[serde(default)]
    pub table: String,
}

/// One shown line.
#[derive(Debug, Clone)]
pub struct ShownLine {
    /// The stored key (district code, group name, tier, day), kept in a data attribute.
    pub key: String,
    /// The label in the page's language.
    pub label: String,
    /// Home: covered of counted.
    pub home: String,
    /// Home share, percent.
    pub home_share: String,
    /// Work: covered of counted.
    pub work: String,
    /// Work share, percent.
    pub work_share: String,
    /// Both kinds, percent.
    pub share: String,
    /// Overdue person-kinds.
    pub overdue: String,
    /// Not yet due.
    pub not_yet_due: String,
    /// Below the share of the whole area reported.
    pub below: bool,
}

/// A table of the page.
#[derive(Debug, Clone)]
pub struct ShownTable {
    /// Its name in `?table=`.
    pub name: &'static str,
    /// Heading.
    pub title: String,
    /// Header of the first column.
    pub category: String,
    /// Lines.
    pub lines: Vec<ShownLine>,
    /// The CSV link.
    pub csv_href: String,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "reports/coverage.html")]
pub struct CoveragePage {
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
    /// The total line.
    pub total: ShownLine,
    /// The trend chart (SVG), already escaped.
    pub chart: String,
    /// Tables: district, group, tier, month.
    pub tables: Vec<ShownTable>,
    /// Link to all tables as CSV.
    pub csv_all: String,
    /// The districts shaded by coverage (SVG), already escaped; empty without boundaries.
    pub map: String,
    /// The map's legend: CSS class and range in words.
    pub legend: Vec<(&'static str, String)>,
    /// The top lists: checked far more often than their standard asks, and left lapsing.
    pub lists: Vec<ShownList>,
}

/// A top list of the page.
#[derive(Debug, Clone)]
pub struct ShownList {
    /// `over-checked` or `lapsing` (the table's id).
    pub id: &'static str,
    /// Whether it lists checks against the standard (else days overdue).
    pub is_over: bool,
    /// Heading.
    pub title: String,
    /// What it lists.
    pub note: String,
    /// The persons.
    pub items: Vec<ShownOutlier>,
}

/// A person of a top list, IIN masked; `href` only for roles that may open the person's page.
#[derive(Debug, Clone)]
pub struct ShownOutlier {
    /// Full name.
    pub name: String,
    /// Masked IIN.
    pub iin: String,
    /// The person's page, when the reader may open it.
    pub href: Option<String>,
    /// Home or work, in words.
    pub kind: String,
    /// The standard, days.
    pub interval: String,
    /// Checks in the period.
    pub checks: String,
    /// Checks the standard asks for.
    pub expected: String,
    /// Days since the last check (or since supervision began, when never checked).
    pub days_since: String,
    /// Days past the standard.
    pub days_overdue: String,
    /// Never checked.
    pub never: bool,
}

/// The map's shades: ColorBrewer's five-class "Blues", a sequential palette readable with any
/// colour blindness (lighter is lower coverage), by steps of 20 percent.
const SHADES: [&str; 5] = ["shade-0", "shade-1", "shade-2", "shade-3", "shade-4"];

fn shade(share: Option<f64>) -> &'static str {
    match share {
        None => "shade-none",
        Some(s) => SHADES[((s / 20.0).floor().max(0.0) as usize).min(SHADES.len() - 1)],
    }
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
    let refused = super::refuse_long_period(&ctx, &state.settings, &[period], "/reports/coverage");
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
    let map = coverage_map(&ctx, &report, &districts);
    let lists = top_lists(&ctx, &report, &labels);
    let mut page = build_page(ctx, &report, &names);
    page.map = map;
    page.lists = lists;
    Ok(Either::Left(page))
}

/// The districts reported, each shaded by its coverage at the period's last day.
fn coverage_map(ctx: &PageContext, report: &Coverage, districts: &[District]) -> String {
    let shades: Vec<Shade<'_>> = districts
        .iter()
        .filter_map(|d| {
            let line = report.by_district.iter().find(|l| l.key == d.code)?;
            let share = line.all().share();
            Some(Shade {
                area: &d.boundary,
                class: shade(share),
                label: d.code.clone(),
                title: format!("{}: {}", d.name(ctx.lang.code()), percent(ctx, share)),
            })
        })
        .collect();
    map::draw_shaded(&shades, &ctx.t("coverage-map-label"))
}

fn legend(ctx: &PageContext) -> Vec<(&'static str, String)> {
    let mut legend: Vec<(&'static str, String)> = SHADES
        .iter()
        .enumerate()
        .map(|(i, class)| (*class, format!("{}–{} %", i * 20, (i + 1) * 20)))
        .collect();
    legend.push(("shade-none", ctx.t("coverage-map-none")));
    legend
}

/// The top lists with names and masked IINs; links to the person's page only for the roles that
/// may open it.
fn top_lists(
    ctx: &PageContext,
    report: &Coverage,
    labels: &HashMap<String, (String, String)>,
) -> Vec<ShownList> {
    let may_open = ctx
        .user
        .as_ref()
        .is_some_and(|u| crate::web::REGISTRY_ROLES.contains(&u.role));
    let lang = ctx.lang;
    let shown = |o: &Outlier| {
        let (name, iin) = labels.get(&o.person_id).cloned().unwrap_or_default();
        ShownOutlier {
            name,
            iin,
            href: may_open.then(|| format!("/registry/persons/{}", o.person_id)),
            kind: ctx.word("check-kind", o.kind),
            interval: ctx.int(o.interval_days),
            checks: ctx.int(o.checks),
            expected: lang.decimal(o.expected, 1),
            days_since: ctx.int(o.days_since),
            days_overdue: ctx.int(o.days_overdue),
            never: o.never_visited,
        }
    };
    let list = |id, is_over, key: &str, items: &[Outlier]| ShownList {
        id,
        is_over,
        title: ctx.t(key),
        note: ctx.t(&format!("{key}-note")),
        items: items.iter().map(shown).collect(),
    };
    vec![
        list("over-checked", true, "coverage-over", &report.over_checked),
        list("lapsing", false, "coverage-lapsing", &report.lapsing),
    ]
}

fn percent(ctx: &PageContext, share: Option<f64>) -> String {
    share
        .map(|s| format!("{} %", ctx.lang.decimal(s, 1)))
        .unwrap_or_else(|| "–".to_owned())
}

fn shown(ctx: &PageContext, line: &CoverageLine, label: String, region: Option<f64>) -> ShownLine {
    let of = |c: Counts| format!("{} / {}", ctx.int(c.covered), ctx.int(c.counted()));
    let all = line.all();
    ShownLine {
        key: line.key.clone(),
        label,
        home: of(line.home),
        home_share: percent(ctx, line.home.share()),
        work: of(line.work),
        work_share: percent(ctx, line.work.share()),
        share: percent(ctx, all.share()),
        overdue: ctx.int(all.overdue),
        not_yet_due: ctx.int(all.not_yet_due),
        below: matches!((all.share(), region), (Some(s), Some(r)) if s < r),
    }
}

fn build_page(ctx: PageContext, report: &Coverage, names: &super::DistrictNames) -> CoveragePage {
    let lang = ctx.lang;
    let base = format!(
        "/reports/coverage?from={}&to={}{}",
        report.period.from,
        report.period.to,
        report
            .district
            .as_deref()
            .map(|d| format!("&district={d}"))
            .unwrap_or_default()
    );
    let region = report.total.all().share();
    let district_name = |code: &str| names.name(code);
    let day_label = |key: &str| {
        NaiveDate::parse_from_str(key, "%Y-%m-%d")
            .map(|d| lang.date(d))
            .unwrap_or_else(|_| key.to_owned())
    };
    let group_label = |key: &str| {
        if key == NO_GROUP {
            ctx.t("coverage-no-group")
        } else {
            key.to_owned()
        }
    };
    let tier_label = |key: &str| ctx.word("risk-tier", key);
    let table = |name: &'static str,
                 title: &str,
                 category: &str,
                 lines: &[CoverageLine],
                 label: &dyn Fn(&str) -> String| ShownTable {
        name,
        title: ctx.t(title),
        category: ctx.t(category),
        lines: lines
            .iter()
            .map(|l| shown(&ctx, l, label(&l.key), region))
            .collect(),
        csv_href: format!("{base}&format=csv&table={name}"),
    };
    let tables = vec![
        table(
            "district",
            "coverage-by-district",
            "field-district",
            &report.by_district,
            &district_name,
        ),
        table(
            "group",
            "coverage-by-group",
            "field-mobile-group",
            &report.by_group,
            &group_label,
        ),
        table(
            "tier",
            "coverage-by-tier",
            "field-risk-tier",
            &report.by_tier,
            &tier_label,
        ),
        table(
            "month",
            "coverage-by-month",
            "coverage-month-end",
            &report.monthly,
            &day_label,
        ),
    ];
    let labels: Vec<String> = report
        .monthly
        .iter()
        .map(|l| {
            NaiveDate::parse_from_str(&l.key, "%Y-%m-%d")
                .map(|d| d.format("%m.%Y").to_string())
                .unwrap_or_else(|_| l.key.clone())
        })
        .collect();
    let values = |f: &dyn Fn(&CoverageLine) -> Counts| {
        report
            .monthly
            .iter()
            .map(|l| f(l).share().unwrap_or(0.0))
            .collect()
    };
    let series = [
        Series {
            name: ctx.t("coverage-all"),
            class: "series-0",
            values: values(&|l| l.all()),
        },
        Series {
            name: ctx.t("coverage-home"),
            class: "series-1",
            values: values(&|l| l.home),
        },
        Series {
            name: ctx.t("coverage-work"),
            class: "series-2",
            values: values(&|l| l.work),
        },
    ];
    let chart = line_chart(&labels, &series, &ctx.t("coverage-chart-label"), &|v| {
        format!("{} %", lang.integer(v.round() as i64))
    });
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
    let total = shown(&ctx, &report.total, ctx.t("report-region-total"), None);
    CoveragePage {
        from: report.period.from.to_string(),
        to: report.period.to.to_string(),
        districts,
        caption,
        total,
        chart,
        tables,
        csv_all: format!("{base}&format=csv"),
        map: String::new(),
        legend: legend(&ctx),
        lists: Vec::new(),
        ctx,
    }
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
