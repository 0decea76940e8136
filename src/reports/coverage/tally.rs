//! The coverage report's lines, filled person-kind by person-kind, and its top lists.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{
    CoverageLine, DistrictRef, Evaluator, GroupRef, NO_GROUP, OUTLIERS, Outlier, PersonFact,
    trend_days,
};
use crate::domain::period::Period;
use crate::domain::person::{CheckKind, RiskTier};

/// The lines of the report filled person-kind by person-kind.
pub(super) struct Tally<'a> {
    pub(super) total: CoverageLine,
    pub(super) by_district: Vec<CoverageLine>,
    district_index: HashMap<&'a str, usize>,
    pub(super) by_group: Vec<CoverageLine>,
    pub(super) no_group: CoverageLine,
    /// Every group covering a district answers for its persons (groups sharing a district show
    /// the same persons, so the group lines may add up to more than the total).
    group_of: HashMap<&'a str, Vec<usize>>,
    pub(super) by_tier: Vec<CoverageLine>,
    days: Vec<NaiveDate>,
    pub(super) monthly: Vec<CoverageLine>,
}

/// The tiers in the table's order.
const TIERS: [RiskTier; 3] = [RiskTier::High, RiskTier::Medium, RiskTier::Low];

impl<'a> Tally<'a> {
    pub(super) fn new(
        districts: &'a [DistrictRef],
        groups: &'a [GroupRef],
        period: Period,
    ) -> Self {
        let mut group_of: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, g) in groups.iter().enumerate() {
            for d in &g.district_ids {
                group_of.entry(d.as_str()).or_default().push(i);
            }
        }
        let days = trend_days(period);
        Self {
            total: CoverageLine::new("total"),
            by_district: districts
                .iter()
                .map(|d| CoverageLine::new(d.code.clone()))
                .collect(),
            district_index: districts
                .iter()
                .enumerate()
                .map(|(i, d)| (d.id.as_str(), i))
                .collect(),
            by_group: groups
                .iter()
                .map(|g| CoverageLine::new(g.name.clone()))
                .collect(),
            no_group: CoverageLine::new(NO_GROUP),
            group_of,
            by_tier: TIERS
                .iter()
                .map(|t| CoverageLine::new(t.as_str()))
                .collect(),
            monthly: days
                .iter()
                .map(|d| CoverageLine::new(d.to_string()))
                .collect(),
            days,
        }
    }

    /// Counts one person-kind (the person at place `p`): on each trend day, and at `end` in the
    /// lines of the period.
    pub(super) fn add(
        &mut self,
        eval: &Evaluator<'_>,
        (p, person): (usize, &PersonFact),
        kind: CheckKind,
        end: NaiveDate,
    ) {
        for (line, day) in self.monthly.iter_mut().zip(&self.days) {
            if let Some(counts) = eval.state(p, person, kind, *day) {
                line.add(kind, counts);
            }
        }
        let Some(counts) = eval.state(p, person, kind, end) else {
            return;
        };
        self.total.add(kind, counts);
        if let Some(&i) = self.district_index.get(person.district_id.as_str()) {
            self.by_district[i].add(kind, counts);
        }
        match self.group_of.get(person.district_id.as_str()) {
            Some(covering) => {
                for &i in covering {
                    self.by_group[i].add(kind, counts);
                }
            }
            None => self.no_group.add(kind, counts),
        }
        if let Some(i) = TIERS.iter().position(|t| *t == person.risk_tier) {
            self.by_tier[i].add(kind, counts);
        }
    }
}

/// The top lists: the most over-checked first, the longest overdue first, [`OUTLIERS`] each.
pub(super) fn top_lists(
    mut over_checked: Vec<Outlier>,
    mut lapsing: Vec<Outlier>,
) -> [Vec<Outlier>; 2] {
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
    [over_checked, lapsing]
}
