//! The coverage page: its view data (tables, chart, map shaded by coverage, top lists) built
//! from a report.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use chrono::NaiveDate;

use crate::reports::coverage::{Counts, Coverage, CoverageLine, NO_GROUP, Outlier};
use crate::web::charts::{Series, line_chart};
use crate::web::context::PageContext;
use crate::web::paths;
use crate::web::reports::DistrictNames;
use crate::web::reports::crime::DistrictOption;

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

/// The top lists with names and masked IINs; links to the person's page only for the roles that
/// may open it.
pub(super) fn top_lists(
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
            href: may_open
                .then(|| paths::person(&crate::domain::PersonId::from(o.person_id.clone()))),
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

/// A share in percent, one decimal, or a dash.
pub(super) fn percent(ctx: &PageContext, share: Option<f64>) -> String {
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

/// The page of a report (its map and top lists are added by the caller).
pub(super) fn build_page(
    ctx: PageContext,
    report: &Coverage,
    names: &DistrictNames,
) -> CoveragePage {
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
    let tables = tables(&ctx, report, names, &base);
    let chart = chart(&ctx, report);
    let district_name = |code: &str| names.name(code);
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
        legend: super::map::legend(&ctx),
        lists: Vec::new(),
        ctx,
    }
}

/// The page's tables: name (as `?table=`), title and first column's header keys.
const SHOWN_TABLES: [(&str, &str, &str); 4] = [
    ("district", "coverage-by-district", "field-district"),
    ("group", "coverage-by-group", "field-mobile-group"),
    ("tier", "coverage-by-tier", "field-risk-tier"),
    ("month", "coverage-by-month", "coverage-month-end"),
];

/// The label of a line's key in a table: a district's name, a group (or "no group"), a tier in
/// words, a month's last day.
fn label(ctx: &PageContext, names: &DistrictNames, table: &str, key: &str) -> String {
    match table {
        "district" => names.name(key),
        "group" if key == NO_GROUP => ctx.t("coverage-no-group"),
        "group" => key.to_owned(),
        "tier" => ctx.word("risk-tier", key),
        _ => NaiveDate::parse_from_str(key, "%Y-%m-%d")
            .map(|d| ctx.lang.date(d))
            .unwrap_or_else(|_| key.to_owned()),
    }
}

/// The tables by district, group, tier and month, each with its CSV link under `base`.
fn tables(
    ctx: &PageContext,
    report: &Coverage,
    names: &DistrictNames,
    base: &str,
) -> Vec<ShownTable> {
    let region = report.total.all().share();
    SHOWN_TABLES
        .iter()
        .map(|&(name, title, category)| ShownTable {
            name,
            title: ctx.t(title),
            category: ctx.t(category),
            lines: report
                .table(name)
                .into_iter()
                .map(|l| shown(ctx, l, label(ctx, names, name, &l.key), region))
                .collect(),
            csv_href: format!("{base}&format=csv&table={name}"),
        })
        .collect()
}

/// The monthly trend of the shares, all kinds, home and work.
fn chart(ctx: &PageContext, report: &Coverage) -> String {
    let lang = ctx.lang;
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
    line_chart(&labels, &series, &ctx.t("coverage-chart-label"), &|v| {
        format!("{} %", lang.integer(v.round() as i64))
    })
}
