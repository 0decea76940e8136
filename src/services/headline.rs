//! The supervisor's headline figures (issue 16, item 11): coverage against the contact
//! standards today (and at last month's end), persons overdue, and registered crime this year so
//! far against the same days of last year, each with the report period that explains it.

use chrono::{Datelike as _, NaiveDate};

use crate::db::DbConnection;
use crate::domain::period::Period;
use crate::domain::period_presets::PeriodPreset;

/// The figures of the supervisor's home page.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    /// Last month's first day to today: the coverage report behind the figures.
    pub coverage_period: Period,
    /// Share of person-kinds checked within their standard today, percent.
    pub coverage_share: Option<f64>,
    /// The same at last month's end.
    pub coverage_last_month: Option<f64>,
    /// Active persons overdue for a home check today.
    pub home_overdue: i64,
    /// Employed persons overdue for a work check today.
    pub work_overdue: i64,
    /// This year so far.
    pub crime_period: Period,
    /// The same days last year.
    pub crime_against: Period,
    /// Offences registered this year so far.
    pub offences: i64,
    /// In the same days last year.
    pub offences_before: i64,
    /// Change in percent.
    pub crime_change: Option<f64>,
    /// Whether the change is more than noise (|z| > 3).
    pub crime_significant: bool,
}

/// Computes the headline figures as of `today`.
pub fn headline(
    conn: &mut DbConnection,
    today: NaiveDate,
    tz: chrono_tz::Tz,
    national_rate_per_10k: f64,
) -> anyhow::Result<Headline> {
    let coverage_period = Period {
        from: PeriodPreset::LastMonth.period(today).from,
        to: today,
    };
    let coverage = super::reports::coverage(conn, coverage_period, None, tz)?;
    let all = coverage.as_ref().map(|c| c.total.all()).unwrap_or_default();
    let last_month = coverage
        .as_ref()
        .filter(|c| c.monthly.len() > 1)
        .and_then(|c| c.monthly.first())
        .and_then(|line| line.all().share());
    let crime_period = Period {
        from: today.with_ordinal(1).unwrap_or(today),
        to: today,
    };
    let crime_against = PeriodPreset::year_before(crime_period).unwrap_or(crime_period);
    let crime = super::reports::crime_trends(
        conn,
        crime_period,
        crime_against,
        None,
        national_rate_per_10k,
    )?;
    Ok(Headline {
        coverage_period,
        coverage_share: all.share(),
        coverage_last_month: last_month,
        home_overdue: coverage.as_ref().map_or(0, |c| c.total.home.overdue),
        work_overdue: coverage.as_ref().map_or(0, |c| c.total.work.overdue),
        crime_period,
        crime_against,
        offences: crime.as_ref().map_or(0, |c| c.total.current),
        offences_before: crime.as_ref().map_or(0, |c| c.total.previous),
        crime_change: crime.as_ref().and_then(|c| c.total.change_percent),
        crime_significant: crime.as_ref().is_some_and(|c| c.total.significant),
    })
}
