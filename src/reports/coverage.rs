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

use std::collections::HashMap;

use chrono::{Months, NaiveDate};

use crate::domain::contact_standard::ContactStandard;
use crate::domain::person::{CheckKind, RiskTier};
use crate::reports::crime_trends::Period;

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

/// The successful visits of each person-kind, day-sorted, found by the person's place in the
/// persons list (not by id: at 100,000 persons and millions of visits, hashing an id per visit and
/// per look-up was most of the report's time). Holds any subset of the successes that keeps, for
/// every person-kind and every day the report asks about, the last success up to that day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SuccessDays {
    /// Where each person-kind's days start in `days` (person `i`, kind `k`: slot `2i + k`), one
    /// more than the slots at the end.
    starts: Vec<usize>,
    days: Vec<NaiveDate>,
}

/// The slot of a person-kind in [`SuccessDays`].
fn slot(person: usize, kind: CheckKind) -> usize {
    person * 2 + usize::from(kind == CheckKind::Work)
}

impl SuccessDays {
    /// Groups `(person index, kind, day)` triples of `persons` persons; triples of a person out
    /// of range are ignored.
    pub fn build(persons: usize, successes: &[(u32, CheckKind, NaiveDate)]) -> Self {
        let slots = persons * 2;
        let placed = || {
            successes.iter().filter_map(move |&(person, kind, day)| {
                let person = usize::try_from(person).ok().filter(|p| *p < persons)?;
                Some((slot(person, kind), day))
            })
        };
        // A counting sort by slot: two passes, no hashing, no per-slot allocation.
        let mut starts = vec![0_usize; slots + 1];
        for (s, _) in placed() {
            starts[s + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut days = vec![NaiveDate::MIN; starts[slots]];
        for (s, day) in placed() {
            days[next[s]] = day;
            next[s] += 1;
        }
        for w in starts.windows(2) {
            let range = &mut days[w[0]..w[1]];
            // Rows read in time order arrive sorted; only the rest pays for a sort.
            if !range.is_sorted() {
                range.sort_unstable();
            }
        }
        Self { starts, days }
    }

    /// Groups successes named by person id; those of persons not in `persons` are ignored.
    pub fn from_facts(persons: &[PersonFact], successes: &[SuccessFact]) -> Self {
        let index: HashMap<&str, u32> = persons
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((p.id.as_str(), u32::try_from(i).ok()?)))
            .collect();
        let triples: Vec<(u32, CheckKind, NaiveDate)> = successes
            .iter()
            .filter_map(|s| Some((*index.get(s.person_id.as_str())?, s.kind, s.day)))
            .collect();
        Self::build(persons.len(), &triples)
    }

    /// The days of one person-kind, earliest first.
    pub fn days(&self, person: usize, kind: CheckKind) -> &[NaiveDate] {
        let s = slot(person, kind);
        match (self.starts.get(s), self.starts.get(s + 1)) {
            (Some(&from), Some(&to)) => &self.days[from..to],
            _ => &[],
        }
    }
}

/// Tells, for a person-kind and a day, whether it was covered, overdue or not yet due (shared
/// with the coverage-against-crime report). Persons are named by their place in the persons
/// list the [`SuccessDays`] were built for.
pub(crate) struct Evaluator<'a> {
    /// Contact standards, days, by tier (high, medium, low) and kind (home, work).
    interval: [[Option<i64>; 2]; 3],
    successes: &'a SuccessDays,
}

fn tier_index(tier: RiskTier) -> usize {
    match tier {
        RiskTier::High => 0,
        RiskTier::Medium => 1,
        RiskTier::Low => 2,
    }
}

/// The contact standard a person-kind is held to when none is configured, days.
const DEFAULT_INTERVAL_DAYS: i64 = 30;

/// The longest interval the evaluation uses with these standards, days: a success further back
/// than this before a day can never cover it.
pub fn longest_interval(standards: &[ContactStandard]) -> i64 {
    standards
        .iter()
        .map(|s| i64::from(s.max_interval_days.max(1)))
        .fold(DEFAULT_INTERVAL_DAYS, i64::max)
}

impl<'a> Evaluator<'a> {
    pub(crate) fn new(standards: &[ContactStandard], successes: &'a SuccessDays) -> Self {
        let mut interval = [[None; 2]; 3];
        for s in standards {
            interval[tier_index(s.risk_tier)][usize::from(s.check_kind == CheckKind::Work)] =
                Some(i64::from(s.max_interval_days.max(1)));
        }
        Self {
            interval,
            successes,
        }
    }

    /// The state of one person-kind on `day` (the person at place `i`): `None` when the person
    /// does not count yet.
    pub(crate) fn state(
        &self,
        i: usize,
        person: &PersonFact,
        kind: CheckKind,
        day: NaiveDate,
    ) -> Option<Counts> {
        if person.supervision_start > day {
            return None;
        }
        let interval = self.interval(person, kind);
        let since = day - chrono::Duration::days(interval);
        let days = self.successes.days(i, kind);
        let upto = days.partition_point(|d| *d <= day);
        let last = upto.checked_sub(1).map(|i| days[i]);
        let mut counts = Counts::default();
        if last.is_some_and(|l| l >= since) {
            counts.covered = 1;
        } else if person.supervision_start > since {
            counts.not_yet_due = 1;
        } else {
            counts.overdue = 1;
        }
        Some(counts)
    }

    /// The contact standard of a person-kind, days.
    fn interval(&self, person: &PersonFact, kind: CheckKind) -> i64 {
        self.interval[tier_index(person.risk_tier)][usize::from(kind == CheckKind::Work)]
            .unwrap_or(DEFAULT_INTERVAL_DAYS)
    }

    /// A person-kind against its standard over `period`: `None` when supervision had not begun
    /// by its last day.
    fn outlier(
        &self,
        i: usize,
        person: &PersonFact,
        kind: CheckKind,
        period: Period,
    ) -> Option<Outlier> {
        if person.supervision_start > period.to {
            return None;
        }
        let interval = self.interval(person, kind);
        let days = self.successes.days(i, kind);
        let from = period.from.max(person.supervision_start);
        let checks = days
            .iter()
            .filter(|d| **d >= from && **d <= period.to)
            .count() as i64;
        let last = days.iter().rev().find(|d| **d <= period.to).copied();
        let days_since = (period.to - last.unwrap_or(person.supervision_start)).num_days();
        let supervised = (period.to - from).num_days() + 1;
        Some(Outlier {
            person_id: person.id.clone(),
            kind: kind.as_str(),
            interval_days: interval,
            checks,
            expected: round1(supervised as f64 / interval as f64),
            days_since,
            days_overdue: (days_since - interval).max(0),
            never_visited: last.is_none(),
        })
    }

    pub(crate) fn kinds(person: &PersonFact) -> &'static [CheckKind] {
        if person.employed {
            &[CheckKind::Home, CheckKind::Work]
        } else {
            &[CheckKind::Home]
        }
    }
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
    let mut total = CoverageLine::new("total");
    let mut by_district: Vec<CoverageLine> = districts
        .iter()
        .map(|d| CoverageLine::new(d.code.clone()))
        .collect();
    let district_index: HashMap<&str, usize> = districts
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let mut by_group: Vec<CoverageLine> = groups
        .iter()
        .map(|g| CoverageLine::new(g.name.clone()))
        .collect();
    let mut no_group = CoverageLine::new(NO_GROUP);
    // Every group covering a district answers for its persons (groups sharing a district show
    // the same persons, so the group lines may add up to more than the total).
    let mut group_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, g) in groups.iter().enumerate() {
        for d in &g.district_ids {
            group_of.entry(d.as_str()).or_default().push(i);
        }
    }
    let tiers = [RiskTier::High, RiskTier::Medium, RiskTier::Low];
    let mut by_tier: Vec<CoverageLine> = tiers
        .iter()
        .map(|t| CoverageLine::new(t.as_str()))
        .collect();
    let days = trend_days(period);
    let mut monthly: Vec<CoverageLine> = days
        .iter()
        .map(|d| CoverageLine::new(d.to_string()))
        .collect();
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
            for (line, day) in monthly.iter_mut().zip(&days) {
                if let Some(counts) = eval.state(p, person, kind, *day) {
                    line.add(kind, counts);
                }
            }
            let Some(counts) = eval.state(p, person, kind, end) else {
                continue;
            };
            total.add(kind, counts);
            if let Some(&i) = district_index.get(person.district_id.as_str()) {
                by_district[i].add(kind, counts);
            }
            match group_of.get(person.district_id.as_str()) {
                Some(covering) => {
                    for &i in covering {
                        by_group[i].add(kind, counts);
                    }
                }
                None => no_group.add(kind, counts),
            }
            if let Some(i) = tiers.iter().position(|t| *t == person.risk_tier) {
                by_tier[i].add(kind, counts);
            }
        }
    }
    if no_group.all() != Counts::default() {
        by_group.push(no_group);
    }
    let ratio = |o: &Outlier| o.checks as f64 / o.expected.max(0.1);
    over_checked.sort_by(|a, b| {
        ratio(b)
            .total_cmp(&ratio(a))
            .then(b.checks.cmp(&a.checks))
            .then(a.person_id.cmp(&b.person_id))
    });
    over_checked.truncate(OUTLIERS);
    lapsing.sort_by(|a, b| {
        b.days_overdue
            .cmp(&a.days_overdue)
            .then(a.person_id.cmp(&b.person_id))
    });
    lapsing.truncate(OUTLIERS);
    Coverage {
        period,
        district: district.map(str::to_owned),
        total,
        by_district,
        by_group,
        by_tier,
        monthly,
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
