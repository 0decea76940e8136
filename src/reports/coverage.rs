//! Coverage (DESIGN.md section 3, Supervisor 1): the share of active persons checked within their
//! contact standard, home and work apart, by district, mobile group and risk tier, and its
//! monthly trend. Pure: the caller reads persons, successful visits, standards, districts and
//! groups; nothing here touches the database.
//!
//! The definition, as the page states it: a person-kind (a person's home, or the work of an
//! employed person) is **covered** on a day D when a successful visit (present, violation found,
//! employment confirmed) of that kind was made on a day L with D - interval <= L <= D, the
//! interval being the contact standard of the person's risk tier and the kind (so a check on its
//! due day is still on time, as the planner counts it). A person-kind that is not covered is
//! **overdue**, unless the person's supervision began less than an interval before D and no visit
//! was made yet (**not yet due**: left out of the share). A person whose supervision begins after
//! D does not count on D. The period's coverage is the share covered at its last day; the trend is
//! the same at each month's end. Simplification: the registry as it is now (status, tier,
//! district, employment) stands for every day of the period, so a person who left supervision is
//! left out of earlier days too.

mod evaluator;
mod success_days;
mod tally;

use chrono::{Months, NaiveDate};

use crate::domain::contact_standard::ContactStandard;
use crate::domain::period::Period;
use crate::domain::person::{CheckKind, RiskTier};
pub(crate) use evaluator::Evaluator;
pub use evaluator::longest_interval;
pub use success_days::SuccessDays;
use tally::{Tally, top_lists};

/// An active person as the report needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFact {
    /// Id, as visits name it.
    pub id: String,
    /// District of the home.
    pub district_id: String,
    /// Risk tier (sets the contact standard).
    pub risk_tier: RiskTier,
    /// First day of supervision.
    pub supervision_start: NaiveDate,
    /// Whether the person has a workplace to check.
    pub employed: bool,
}

/// A successful visit: whom, which kind, on which local day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuccessFact {
    /// The person.
    pub person_id: String,
    /// Home or work.
    pub kind: CheckKind,
    /// The local day of the visit.
    pub day: NaiveDate,
}

/// A district to report on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictRef {
    /// Id, as persons name it.
    pub id: String,
    /// Code, the key of its line.
    pub code: String,
}

/// A mobile group and the districts it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRef {
    /// Name, the key of its line.
    pub name: String,
    /// District ids covered.
    pub district_ids: Vec<String>,
}

/// Key of the line of persons whose district no group covers.
pub const NO_GROUP: &str = "-";

/// Person-kinds of one kind on one day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Covered: a successful visit within the standard.
    pub covered: i64,
    /// Overdue: due and not covered.
    pub overdue: i64,
    /// Not yet due: supervision began less than an interval ago, no visit yet (not in the share).
    pub not_yet_due: i64,
}

impl Counts {
    /// Covered and overdue: those the share is taken of.
    pub fn counted(self) -> i64 {
        self.covered + self.overdue
    }

    /// Covered in percent of those counted, one decimal; `None` when none are counted.
    pub fn share(self) -> Option<f64> {
        let counted = self.counted();
        (counted > 0).then(|| round1(self.covered as f64 * 100.0 / counted as f64))
    }

    pub(crate) fn add(&mut self, other: Counts) {
        self.covered += other.covered;
        self.overdue += other.overdue;
        self.not_yet_due += other.not_yet_due;
    }
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// One line of a table: home and work apart.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CoverageLine {
    /// District code, group name, tier word, `total`, or the day of a trend point.
    pub key: String,
    /// Home checks.
    pub home: Counts,
    /// Work checks (employed persons).
    pub work: Counts,
}

impl CoverageLine {
    fn new(key: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            home: Counts::default(),
            work: Counts::default(),
        }
    }

    /// Home and work together.
    pub fn all(&self) -> Counts {
        let mut all = self.home;
        all.add(self.work);
        all
    }

    fn add(&mut self, kind: CheckKind, counts: Counts) {
        match kind {
            CheckKind::Home => self.home.add(counts),
            CheckKind::Work => self.work.add(counts),
        }
    }
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Coverage {
    /// The period reported.
    pub period: Period,
    /// The district reported, by code; `None` for the whole region.
    pub district: Option<String>,
    /// At the period's last day.
    pub total: CoverageLine,
    /// By district (code), at the period's last day.
    pub by_district: Vec<CoverageLine>,
    /// By mobile group (name; [`NO_GROUP`] for districts no group covers); a person counts for
    /// every group covering their district.
    pub by_group: Vec<CoverageLine>,
    /// By risk tier.
    pub by_tier: Vec<CoverageLine>,
    /// At each month's end within the period (the period's last day for its last month).
    pub monthly: Vec<CoverageLine>,
    /// Person-kinds checked at least [`OVER_FACTOR`] times as often as their standard asks,
    /// most over first (at most [`OUTLIERS`]).
    pub over_checked: Vec<Outlier>,
    /// Person-kinds overdue at the period's last day, longest overdue first (at most
    /// [`OUTLIERS`]).
    pub lapsing: Vec<Outlier>,
}

/// How many persons each top list holds.
pub const OUTLIERS: usize = 10;

/// Checked this many times as often as the standard asks (and at least [`OVER_MIN_CHECKS`]
/// times) is "far more".
pub const OVER_FACTOR: f64 = 2.0;

/// Fewer checks in the period than this are never "far more".
pub const OVER_MIN_CHECKS: i64 = 3;

/// A person-kind far from their standard, one way or the other.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Outlier {
    /// The person.
    pub person_id: String,
    /// `home` or `work`.
    pub kind: &'static str,
    /// The contact standard, days.
    pub interval_days: i64,
    /// Successful visits in the period (from the start of supervision when later).
    pub checks: i64,
    /// The checks the standard asks for in that time, one decimal.
    pub expected: f64,
    /// Days from the last successful visit (or the start of supervision, when never visited)
    /// to the period's last day.
    pub days_since: i64,
    /// Days past the standard at the period's last day (zero when not overdue).
    pub days_overdue: i64,
    /// Whether the person was never visited (successfully) before the period's end.
    pub never_visited: bool,
}

/// The days of the trend: each month's last day, or the period's last day when sooner.
pub fn trend_days(period: Period) -> Vec<NaiveDate> {
    period
        .months()
        .into_iter()
        .filter_map(|first| {
            let end = first.checked_add_months(Months::new(1))?.pred_opt()?;
            Some(end.min(period.to))
        })
        .filter(|d| *d >= period.from)
        .collect()
}

/// Aggregates the report. `persons` are the active persons of the area reported; `successes`
/// their successful visits (any before the period's end; later ones are ignored); `districts`
/// and `groups` name the lines (one district when `district` is set).
pub fn aggregate(
    persons: &[PersonFact],
    successes: &[SuccessFact],
    standards: &[ContactStandard],
    districts: &[DistrictRef],
    groups: &[GroupRef],
    period: Period,
    district: Option<&str>,
) -> Coverage {
    let successes = SuccessDays::from_facts(persons, successes);
    aggregate_days(
        persons, &successes, standards, districts, groups, period, district,
    )
}

/// [`aggregate`] over successes already grouped by person-kind ([`SuccessDays`] of `persons`).
/// Each person-kind needs its successes from [`longest_interval`] days before the period to its
/// end, and its last success before that (for the days since it in the lapsing list).
pub fn aggregate_days(
    persons: &[PersonFact],
    successes: &SuccessDays,
    standards: &[ContactStandard],
    districts: &[DistrictRef],
    groups: &[GroupRef],
    period: Period,
    district: Option<&str>,
) -> Coverage {
    let eval = Evaluator::new(standards, successes);
    let end = period.to;
    let mut tally = Tally::new(districts, groups, period);
    let mut over_checked = Vec::new();
    let mut lapsing = Vec::new();
    for (p, person) in persons.iter().enumerate() {
        for &kind in Evaluator::kinds(person) {
            if let Some(o) = eval.outlier(p, person, kind, period) {
                if o.checks >= OVER_MIN_CHECKS && o.checks as f64 >= OVER_FACTOR * o.expected {
                    over_checked.push(o);
                } else if o.days_overdue > 0
                    && eval
                        .state(p, person, kind, end)
                        .is_some_and(|c| c.overdue > 0)
                {
                    lapsing.push(o);
                }
            }
            tally.add(&eval, (p, person), kind, end);
        }
    }
    let mut by_group = tally.by_group;
    if tally.no_group.all() != Counts::default() {
        by_group.push(tally.no_group);
    }
    let [over_checked, lapsing] = top_lists(over_checked, lapsing);
    Coverage {
        period,
        district: district.map(str::to_owned),
        total: tally.total,
        by_district: tally.by_district,
        by_group,
        by_tier: tally.by_tier,
        monthly: tally.monthly,
        over_checked,
        lapsing,
    }
}

/// The report's tables by name, as `?table=` and the CSV's first column name them.
pub const TABLES: &[&str] = &["total", "district", "group", "tier", "month"];

impl Coverage {
    /// The lines of a table named in [`TABLES`].
    pub fn table(&self, name: &str) -> Vec<&CoverageLine> {
        match name {
            "total" => vec![&self.total],
            "district" => self.by_district.iter().collect(),
            "group" => self.by_group.iter().collect(),
            "tier" => self.by_tier.iter().collect(),
            "month" => self.monthly.iter().collect(),
            _ => Vec::new(),
        }
    }

    /// The report as CSV (one table, or all), with the columns `table,key,counted,covered,
    /// share_percent,overdue,not_yet_due,home_counted,home_covered,home_share_percent,
    /// work_counted,work_covered,work_share_percent`.
    pub fn to_csv(&self, only: Option<&str>) -> Vec<u8> {
        let share = |c: Counts| c.share().map(|x| format!("{x:.1}")).unwrap_or_default();
        let records = TABLES
            .iter()
            .filter(|t| only.is_none_or(|o| o == **t))
            .flat_map(|name| self.table(name).into_iter().map(move |line| (name, line)))
            .map(|(name, line)| {
                let all = line.all();
                vec![
                    name.to_string(),
                    line.key.clone(),
                    all.counted().to_string(),
                    all.covered.to_string(),
                    share(all),
                    all.overdue.to_string(),
                    all.not_yet_due.to_string(),
                    line.home.counted().to_string(),
                    line.home.covered.to_string(),
                    share(line.home),
                    line.work.counted().to_string(),
                    line.work.covered.to_string(),
                    share(line.work),
                ]
            });
        super::csv_bytes(
            &[
                "table",
                "key",
                "counted",
                "covered",
                "share_percent",
                "overdue",
                "not_yet_due",
                "home_counted",
                "home_covered",
                "home_share_percent",
                "work_counted",
                "work_covered",
                "work_share_percent",
            ],
            &[0, 1],
            records,
        )
    }
}

#[cfg(test)]
mod tests;
