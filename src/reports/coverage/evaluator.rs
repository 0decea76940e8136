//! The coverage rule: whether a person-kind is covered, overdue or not yet due on a day, and how
//! far from their contact standard they are over a period (shared with the coverage-against-crime
//! report).

use chrono::NaiveDate;

use super::{Counts, Outlier, PersonFact, SuccessDays, round1};
use crate::domain::contact_standard::ContactStandard;
use crate::domain::period::Period;
use crate::domain::person::{CheckKind, RiskTier};

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
    pub(crate) fn outlier(
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
