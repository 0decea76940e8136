//! The closed months' coverage state: read from `db::coverage_months` when fresh, recomputed
//! from the raw records (and stored) when a write marked the month stale, when it was never
//! stored, or when it was made with another time zone or other contact standards. A month is
//! closed when it ends before the first day of today's month; its state is taken at its last
//! day, the day the report's trend asks about.

use chrono::{Datelike, Duration, Months, NaiveDate};

use super::active_person_facts;
use crate::db::coverage_months::{DistrictCounts, MonthMark};
use crate::db::{self, DbConnection};
use crate::domain::contact_standard::ContactStandard;
use crate::domain::person::CheckKind;
use crate::reports::coverage::{Counts, SuccessDays, longest_interval};
use crate::reports::coverage_vs_crime::{DistrictDay, DistrictDays, KnownDays, district_days};
use crate::reports::local_time::{LocalTimes, utc_bounds};

/// The last day of the month beginning on `first`.
fn last_day(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first)
}

/// What the stored counts depend on besides the records: the time zone that makes local days
/// of visit times, and the contact standards.
fn basis(tz: chrono_tz::Tz, standards: &[ContactStandard]) -> String {
    let mut words: Vec<String> = standards
        .iter()
        .map(|s| {
            let (tier, kind) = (s.risk_tier.as_str(), s.check_kind.as_str());
            format!("{tier}/{kind}={}", s.max_interval_days)
        })
        .collect();
    words.sort();
    format!("{};{}", tz.name(), words.join(","))
}

/// The states of the closed months among `days` (month ends before today's month), by day,
/// for the district with id `district_id` or all: stored ones where fresh, the others
/// recomputed over the region and stored.
pub(super) fn closed_days(
    conn: &mut DbConnection,
    days: &[NaiveDate],
    today: NaiveDate,
    tz: chrono_tz::Tz,
    standards: &[ContactStandard],
    district_id: Option<&str>,
) -> anyhow::Result<KnownDays> {
    let this_month = today.with_day(1).unwrap_or(today);
    let mut months: Vec<NaiveDate> = days
        .iter()
        .filter(|d| **d < this_month && d.succ_opt().is_some_and(|n| n.day() == 1))
        .filter_map(|d| d.with_day(1))
        .collect();
    months.sort_unstable();
    months.dedup();
    let mut known = KnownDays::new();
    if months.is_empty() {
        return Ok(known);
    }
    let basis = basis(tz, standards);
    db::coverage_months::add_missing(conn, &months)?;
    let (fresh, due): (Vec<MonthMark>, Vec<MonthMark>) = db::coverage_months::marks(conn, &months)?
        .into_iter()
        .partition(|m| !m.stale && m.basis == basis);
    let fresh: Vec<NaiveDate> = fresh.into_iter().map(|m| m.month).collect();
    for month in &fresh {
        known.insert(last_day(*month), DistrictDays::new());
    }
    for (month, counts) in db::coverage_months::counts_of(conn, &fresh, district_id)? {
        let states = known.entry(last_day(month)).or_default();
        states.insert(counts.district_id.clone(), district_day(&counts));
    }
    let due: Vec<(NaiveDate, i64)> = due.into_iter().map(|m| (m.month, m.version)).collect();
    for (month, mut states) in recompute(conn, &due, tz, standards)? {
        db::coverage_months::store(
            conn,
            (month, version_of(&due, month)),
            &basis,
            &rows(&states),
        )?;
        if let Some(d) = district_id {
            states.retain(|id, _| id == d);
        }
        known.insert(last_day(month), states);
    }
    Ok(known)
}

fn version_of(due: &[(NaiveDate, i64)], month: NaiveDate) -> i64 {
    due.iter()
        .find(|(m, _)| *m == month)
        .map_or(-1, |(_, v)| *v)
}

/// The states of these months (first days) at their last days, over the region, from the raw
/// records: the active persons and every success from the longest standard before the first
/// month's end to the last one's.
fn recompute(
    conn: &mut DbConnection,
    due: &[(NaiveDate, i64)],
    tz: chrono_tz::Tz,
    standards: &[ContactStandard],
) -> anyhow::Result<Vec<(NaiveDate, DistrictDays)>> {
    let ends: Vec<NaiveDate> = due.iter().map(|(m, _)| last_day(*m)).collect();
    let (Some(first), Some(last)) = (ends.iter().min(), ends.iter().max()) else {
        return Ok(Vec::new());
    };
    let persons = active_person_facts(conn, None)?;
    let index = db::report_reads::PersonIndex::new(persons.iter().map(|p| p.id.as_str()));
    let since = *first - Duration::days(longest_interval(standards) + 1);
    let mut local_times = LocalTimes::new(tz);
    let mut successes: Vec<(u32, CheckKind, NaiveDate)> = Vec::new();
    db::report_reads::for_each_success(
        conn,
        &index,
        None,
        utc_bounds(since, *last),
        &mut |i, kind, at| successes.push((i, kind, local_times.day(at))),
    )?;
    let successes = SuccessDays::build(persons.len(), &successes);
    Ok(due
        .iter()
        .map(|(month, _)| {
            let states = district_days(&persons, &successes, standards, last_day(*month));
            (*month, states)
        })
        .collect())
}

fn counts(c: &[i64; 3]) -> Counts {
    Counts {
        covered: c[0],
        overdue: c[1],
        not_yet_due: c[2],
    }
}

fn triple(c: Counts) -> [i64; 3] {
    [c.covered, c.overdue, c.not_yet_due]
}

fn district_day(c: &DistrictCounts) -> DistrictDay {
    DistrictDay {
        home: counts(&c.home),
        work: counts(&c.work),
        persons: c.persons,
    }
}

fn rows(states: &DistrictDays) -> Vec<DistrictCounts> {
    let mut rows: Vec<DistrictCounts> = states
        .iter()
        .map(|(id, s)| DistrictCounts {
            district_id: id.clone(),
            home: triple(s.home),
            work: triple(s.work),
            persons: s.persons,
        })
        .collect();
    rows.sort_by(|a, b| a.district_id.cmp(&b.district_id));
    rows
}

/// Every stored month: its first day, whether it is stale, and its states by district (for the
/// tests that compare the store with [`recomputed_coverage_months`]).
pub fn stored_coverage_months(
    conn: &mut DbConnection,
) -> anyhow::Result<Vec<(NaiveDate, bool, DistrictDays)>> {
    Ok(db::coverage_months::all(conn)?
        .into_iter()
        .map(|(mark, counts)| {
            let states = counts
                .iter()
                .map(|c| (c.district_id.clone(), district_day(c)))
                .collect();
            (mark.month, mark.stale, states)
        })
        .collect())
}

/// The states of these months (first days) recomputed from the raw records, neither read from
/// the store nor stored.
pub fn recomputed_coverage_months(
    conn: &mut DbConnection,
    months: &[NaiveDate],
    tz: chrono_tz::Tz,
) -> anyhow::Result<Vec<(NaiveDate, DistrictDays)>> {
    let standards = db::contact_standards::list_contact_standards(conn)?;
    let due: Vec<(NaiveDate, i64)> = months.iter().map(|m| (*m, 0)).collect();
    recompute(conn, &due, tz, &standards)
}
