//! The successful visits of each person-kind, grouped for the coverage evaluation without a
//! hash look-up per visit.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{PersonFact, SuccessFact};
use crate::domain::person::CheckKind;

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
