//! The supervisor's headline on the home page (issue 16, item 11): coverage against the contact
//! standards today and at last month's end, persons overdue, crime this year so far against the
//! same days of last year; each figure links to the report behind it.

use crate::services::headline::Headline;
use crate::web::context::PageContext;

/// The headline, ready to print.
#[derive(Debug, Clone, Default)]
pub struct HeadlineView {
    /// Coverage today, `72,4 %`, or `–`.
    pub coverage: String,
    /// Coverage at last month's end, or `–`.
    pub coverage_last_month: String,
    /// Persons overdue at home, formatted.
    pub home_overdue: String,
    /// Persons overdue at work, formatted.
    pub work_overdue: String,
    /// Offences this year so far, and in the same days last year.
    pub offences: String,
    /// The same days last year.
    pub offences_before: String,
    /// `+3,2 %`, `−48,6 %` or `–`.
    pub crime_change: String,
    /// Whether the change is more than noise.
    pub crime_significant: bool,
    /// The coverage report of the figures.
    pub coverage_href: String,
    /// The crime-trend report of the figures.
    pub crime_href: String,
}

fn percent(ctx: &PageContext, value: Option<f64>) -> String {
    value
        .map(|v| format!("{} %", ctx.lang.decimal(v, 1)))
        .unwrap_or_else(|| "–".to_owned())
}

impl HeadlineView {
    /// The headline in the page's language.
    pub fn of(ctx: &PageContext, h: &Headline) -> Self {
        let crime_change = h
            .crime_change
            .map(|c| {
                let sign = if c > 0.0 { "+" } else { "" };
                format!("{sign}{} %", ctx.lang.decimal(c, 1))
            })
            .unwrap_or_else(|| "–".to_owned());
        HeadlineView {
            coverage: percent(ctx, h.coverage_share),
            coverage_last_month: percent(ctx, h.coverage_last_month),
            home_overdue: ctx.int(h.home_overdue),
            work_overdue: ctx.int(h.work_overdue),
            offences: ctx.int(h.offences),
            offences_before: ctx.int(h.offences_before),
            crime_change,
            crime_significant: h.crime_significant,
            coverage_href: format!(
                "/reports/coverage?from={}&to={}",
                h.coverage_period.from, h.coverage_period.to
            ),
            crime_href: format!(
                "/reports/crime?from={}&to={}&against={}",
                h.crime_period.from,
                h.crime_period.to,
                h.crime_against.to_text()
            ),
        }
    }
}
