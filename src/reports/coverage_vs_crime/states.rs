//! The coverage side of the report: each district's state at a day (person-kinds by kind, and
//! persons by their state over all kinds), either evaluated from the successes or taken from
//! days already known (a closed month's stored state), and summed into the report's tables.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::contact_standard::ContactStandard;
use crate::domain::person::CheckKind;
use crate::reports::coverage::{Counts, Evaluator, PersonFact, SuccessDays};

/// One district's active persons on one day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DistrictDay {
    /// Home person-kinds.
    pub home: Counts,
    /// Work person-kinds (employed persons).
    pub work: Counts,
    /// Persons covered (every kind), overdue (some kind), not yet due (the rest), in that order.
    pub persons: [i64; 3],
}

impl DistrictDay {
    /// Home and work together.
    pub fn all(&self) -> Counts {
        let mut all = self.home;
        all.add(self.work);
        all
    }
}

/// Every district's state on one day, by district id (districts without a counted person are
/// left out: their state is all zeros).
pub type DistrictDays = HashMap<String, DistrictDay>;

/// States already known, by day: the report evaluates only the other days.
pub type KnownDays = HashMap<NaiveDate, DistrictDays>;

/// A person's state on a day over all their check kinds (the person at place `i`): 0 covered,
/// 1 overdue, 2 not yet due; `None` before supervision began.
pub(super) fn person_state(
    eval: &Evaluator<'_>,
    i: usize,
    person: &PersonFact,
    day: NaiveDate,
) -> Option<usize> {
    let mut all = Counts::default();
    for &kind in Evaluator::kinds(person) {
        all.add(eval.state(i, person, kind, day)?);
    }
    Some(if all.overdue > 0 {
        1
    } else if all.not_yet_due > 0 {
        2
    } else {
        0
    })
}

/// The state of every district on `day`, evaluated over `persons` and their `successes`
/// ([`SuccessDays`] of `persons`, with every success from the longest standard before `day`).
pub fn district_days(
    persons: &[PersonFact],
    successes: &SuccessDays,
    standards: &[ContactStandard],
    day: NaiveDate,
) -> DistrictDays {
    evaluate(&Evaluator::new(standards, successes), persons, day)
}

fn evaluate(eval: &Evaluator<'_>, persons: &[PersonFact], day: NaiveDate) -> DistrictDays {
    let mut days = DistrictDays::new();
    for (p, person) in persons.iter().enumerate() {
        let Some(state) = person_state(eval, p, person, day) else {
            continue;
        };
        let district = days.entry(person.district_id.clone()).or_default();
        district.persons[state] += 1;
        for &kind in Evaluator::kinds(person) {
            if let Some(counts) = eval.state(p, person, kind, day) {
                match kind {
                    CheckKind::Home => district.home.add(counts),
                    CheckKind::Work => district.work.add(counts),
                }
            }
        }
    }
    days
}

/// Coverage per district (by place in the report's list), at each month's end and at the
/// period's end, and person-months per state (covered, overdue, not yet due).
pub(super) struct States {
    pub(super) monthly: Vec<Vec<Counts>>,
    pub(super) at_end: Vec<Counts>,
    pub(super) person_months: [i64; 3],
}

impl States {
    /// Sums the states of the districts in `index` on the trend `days` and on `end`, taken from
    /// `known` where it has the day, evaluated otherwise.
    pub(super) fn count(
        eval: &Evaluator<'_>,
        persons: &[PersonFact],
        index: &HashMap<&str, usize>,
        (days, end): (&[NaiveDate], NaiveDate),
        known: &KnownDays,
    ) -> Self {
        let districts = index.values().max().map_or(0, |d| d + 1);
        let mut states = Self {
            monthly: vec![vec![Counts::default(); days.len()]; districts],
            at_end: vec![Counts::default(); districts],
            person_months: [0; 3],
        };
        let mut evaluated = HashMap::new();
        let mut at = |day: NaiveDate| -> DistrictDays {
            match known.get(&day) {
                Some(states) => states.clone(),
                None => evaluated
                    .entry(day)
                    .or_insert_with(|| evaluate(eval, persons, day))
                    .clone(),
            }
        };
        for (m, day) in days.iter().enumerate() {
            for (id, state) in at(*day) {
                let Some(&d) = index.get(id.as_str()) else {
                    continue;
                };
                states.monthly[d][m].add(state.all());
                for (sum, n) in states.person_months.iter_mut().zip(state.persons) {
                    *sum += n;
                }
            }
        }
        for (id, state) in at(end) {
            if let Some(&d) = index.get(id.as_str()) {
                states.at_end[d].add(state.all());
            }
        }
        states
    }
}
