//! Coverage against crime (issue 7, part 5): per district and month, the coverage by checks
//! beside the offences per 10,000 residents; the Pearson correlation of the two over districts,
//! over district-months and with the offences of the next month (a lag); and the offences of
//! supervised persons split by whether they were checked within their standard before. Pure:
//! the caller reads persons, successful visits, standards, districts and offences.
//!
//! Definitions, as the page states them. Coverage of a district at a day is the coverage
//! report's share (`crate::reports::coverage`): covered person-kinds in percent of covered and
//! overdue ones. A month's coverage is taken at its last day within the period; the period's at
//! its last day. Offences per 10,000 residents are a year's rate (as the crime-trend report
//! states them), so a part of a month at the period's edge compares with whole months. An
//! offence is a **re-offence** when its suspect's IIN matches a person of the registry living in
//! the area reported (any status); it is split by the person's state on the day before the
//! offence: **covered** (every check kind covered), **overdue** (some kind overdue), **not yet
//! due**, or **not supervised** (the person is not active now, or supervision began on the
//! offence's day or later). Its rate is per 100 person-months of the same state, counted at each
//! month's end (the coverage trend's days).

mod csv;
mod states;
mod statistics;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::domain::contact_standard::ContactStandard;
use crate::reports::coverage::{
    Counts, Evaluator, PersonFact, SuccessDays, SuccessFact, trend_days,
};
use crate::reports::crime_trends::{DistrictInfo, Period, rate_per_10k, round1};
pub use csv::TABLES;
pub use states::{DistrictDay, DistrictDays, KnownDays, district_days};
use states::{States, person_state};
use statistics::round_to;
pub use statistics::{p_value, pearson};

/// Fewer pairs than this give a correlation but no p-value: too few to judge.
pub const MIN_PAIRS: usize = 5;

/// A p-value below this is called significant on the page.
pub const SIGNIFICANCE: f64 = 0.05;

/// An offence of the area: where and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffenceAt {
    /// District id.
    pub district_id: String,
    /// Day committed.
    pub day: NaiveDate,
}

/// An offence whose suspect is a person of the registry living in the area reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reoffence {
    /// The person (of any status).
    pub person_id: String,
    /// Day committed.
    pub day: NaiveDate,
}

/// One district in one month (or over the whole period).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Cell {
    /// District code.
    pub district: String,
    /// `YYYY-MM`, or empty for the whole period.
    pub month: String,
    /// Person-kinds at the month's (period's) last day.
    pub coverage: Counts,
    /// Coverage in percent, one decimal; `None` when no one is counted.
    pub coverage_percent: Option<f64>,
    /// Offences in the month (period).
    pub offences: i64,
    /// Offences per 10,000 residents a year; `None` without residents.
    pub offences_per_10k: Option<f64>,
}

/// Which pairs a correlation is taken over.
pub const CORRELATIONS: &[&str] = &["district", "month", "next_month"];

/// A Pearson correlation of coverage (x) against offences per 10,000 (y).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Correlation {
    /// One of [`CORRELATIONS`]: districts over the period, district-months, or a district-month's
    /// coverage against the next month's offences.
    pub key: &'static str,
    /// Pairs with both values.
    pub n: usize,
    /// The coefficient, three decimals; `None` with fewer than three pairs or no spread.
    pub r: Option<f64>,
    /// Two-sided p-value of r = 0 (Student's t, n - 2 degrees of freedom), four decimals; `None`
    /// with fewer than [`MIN_PAIRS`] pairs.
    pub p_value: Option<f64>,
}

/// Re-offending states, in the table's order.
pub const REOFFENDING: &[&str] = &["covered", "overdue", "not_yet_due", "not_supervised"];

/// Offences of supervised persons in one state.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReoffendingLine {
    /// One of [`REOFFENDING`].
    pub key: &'static str,
    /// Offences.
    pub offences: i64,
    /// Distinct persons who committed them.
    pub persons: i64,
    /// Active persons in this state at the month ends (zero for `not_supervised`).
    pub person_months: i64,
    /// Offences per 100 person-months, one decimal; `None` without person-months.
    pub per_100_person_months: Option<f64>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CoverageVsCrime {
    /// The period reported.
    pub period: Period,
    /// The district reported, by code; `None` for the whole region.
    pub district: Option<String>,
    /// By district over the whole period.
    pub by_district: Vec<Cell>,
    /// By district and month, districts in order, months within.
    pub cells: Vec<Cell>,
    /// The correlations, in the order of [`CORRELATIONS`].
    pub correlations: Vec<Correlation>,
    /// Re-offending, in the order of [`REOFFENDING`].
    pub reoffending: Vec<ReoffendingLine>,
}

fn correlation(key: &'static str, pairs: &[(f64, f64)]) -> Correlation {
    let r = pearson(pairs);
    Correlation {
        key,
        n: pairs.len(),
        r: r.map(|r| round_to(r, 3)),
        p_value: r
            .and_then(|r| p_value(r, pairs.len()))
            .map(|p| round_to(p, 4)),
    }
}

/// Aggregates the report. `persons` are the active persons of the area reported; `successes`
/// their successful visits (any before the period's end); `districts` those reported (one when
/// `district` is set); `offences` the offences of the area (others and those outside the period
/// are ignored); `reoffences` those whose suspect is a registry person of the area.
#[expect(
    clippy::too_many_arguments,
    reason = "the report's inputs, each a different fact the database layer reads"
)]
pub fn aggregate(
    persons: &[PersonFact],
    successes: &[SuccessFact],
    standards: &[ContactStandard],
    districts: &[DistrictInfo],
    offences: &[OffenceAt],
    reoffences: &[Reoffence],
    period: Period,
    district: Option<&str>,
) -> CoverageVsCrime {
    let successes = SuccessDays::from_facts(persons, successes);
    let facts = Facts {
        persons,
        successes: &successes,
        standards,
    };
    aggregate_known(
        &facts,
        districts,
        (offences, reoffences),
        period,
        district,
        &KnownDays::new(),
    )
}

/// The coverage facts of the report: the active persons of the area, their successes grouped
/// by person-kind ([`SuccessDays`] of `persons`) and the contact standards.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// The active persons of the area reported.
    pub persons: &'a [PersonFact],
    /// Their successes: on each day the report evaluates (those not in the known days, and the
    /// day before each re-offence), every one from the longest standard before it.
    pub successes: &'a SuccessDays,
    /// The contact standards.
    pub standards: &'a [ContactStandard],
}

/// [`aggregate`] over facts with successes already grouped by person-kind, and with the states
/// of some days (the trend's month ends, the period's end) already `known`: by district id,
/// for every district of the area (a district without an entry counts zero).
pub fn aggregate_known(
    facts: &Facts<'_>,
    districts: &[DistrictInfo],
    (offences, reoffences): (&[OffenceAt], &[Reoffence]),
    period: Period,
    district: Option<&str>,
    known: &KnownDays,
) -> CoverageVsCrime {
    let eval = Evaluator::new(facts.standards, facts.successes);
    let days = trend_days(period);
    let slices: Vec<Period> = period
        .months()
        .into_iter()
        .zip(&days)
        .map(|(first, last)| Period {
            from: first.max(period.from),
            to: *last,
        })
        .collect();
    let index: HashMap<&str, usize> = districts
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let states = States::count(&eval, facts.persons, &index, (&days, period.to), known);
    let offence_counts = offence_counts(offences, &index, &slices);
    let (by_district, cells) = cells(districts, &slices, &states, &offence_counts, period);
    let correlations = correlations(&by_district, &cells, days.len());
    let reoffending = reoffending(
        &eval,
        facts.persons,
        reoffences,
        period,
        &states.person_months,
    );
    CoverageVsCrime {
        period,
        district: district.map(str::to_owned),
        by_district,
        cells,
        correlations,
        reoffending,
    }
}

/// Offences per district (by place in `index`) and month slice.
fn offence_counts(
    offences: &[OffenceAt],
    index: &HashMap<&str, usize>,
    slices: &[Period],
) -> Vec<Vec<i64>> {
    let districts = index.values().max().map_or(0, |d| d + 1);
    let mut counts = vec![vec![0_i64; slices.len()]; districts];
    for o in offences {
        let (Some(&d), Some(m)) = (
            index.get(o.district_id.as_str()),
            slices.iter().position(|s| o.day >= s.from && o.day <= s.to),
        ) else {
            continue;
        };
        counts[d][m] += 1;
    }
    counts
}

/// The district cells over the whole period, and the district-month cells.
fn cells(
    districts: &[DistrictInfo],
    slices: &[Period],
    states: &States,
    offence_counts: &[Vec<i64>],
    period: Period,
) -> (Vec<Cell>, Vec<Cell>) {
    let mut cells = Vec::with_capacity(districts.len() * slices.len());
    let mut by_district = Vec::with_capacity(districts.len());
    for (d, info) in districts.iter().enumerate() {
        for (m, slice) in slices.iter().enumerate() {
            let coverage = states.monthly[d][m];
            cells.push(Cell {
                district: info.code.clone(),
                month: slice.from.format("%Y-%m").to_string(),
                coverage,
                coverage_percent: coverage.share(),
                offences: offence_counts[d][m],
                offences_per_10k: rate_per_10k(offence_counts[d][m], info.population, *slice),
            });
        }
        let total: i64 = offence_counts[d].iter().sum();
        by_district.push(Cell {
            district: info.code.clone(),
            month: String::new(),
            coverage: states.at_end[d],
            coverage_percent: states.at_end[d].share(),
            offences: total,
            offences_per_10k: rate_per_10k(total, info.population, period),
        });
    }
    (by_district, cells)
}

/// The correlations of [`CORRELATIONS`]: over districts, district-months, and a month's coverage
/// against the next month's offences.
fn correlations(by_district: &[Cell], cells: &[Cell], months: usize) -> Vec<Correlation> {
    let pair = |c: &Cell, next: &Cell| Some((c.coverage_percent?, next.offences_per_10k?));
    let over_districts: Vec<(f64, f64)> = by_district.iter().filter_map(|c| pair(c, c)).collect();
    let over_months: Vec<(f64, f64)> = cells.iter().filter_map(|c| pair(c, c)).collect();
    let lagged: Vec<(f64, f64)> = cells
        .chunks(months.max(1))
        .flat_map(|row| row.windows(2).filter_map(|w| pair(&w[0], &w[1])))
        .collect();
    vec![
        correlation(CORRELATIONS[0], &over_districts),
        correlation(CORRELATIONS[1], &over_months),
        correlation(CORRELATIONS[2], &lagged),
    ]
}

/// The re-offences of the period by the person's state the day before.
fn reoffending(
    eval: &Evaluator<'_>,
    persons: &[PersonFact],
    reoffences: &[Reoffence],
    period: Period,
    person_months: &[i64; 3],
) -> Vec<ReoffendingLine> {
    let by_id: HashMap<&str, (usize, &PersonFact)> = persons
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), (i, p)))
        .collect();
    let mut offences_by_state = [0_i64; 4];
    let mut persons_by_state: [HashSet<&str>; 4] = Default::default();
    for r in reoffences
        .iter()
        .filter(|r| r.day >= period.from && r.day <= period.to)
    {
        let before = r.day.pred_opt().unwrap_or(r.day);
        let state = by_id
            .get(r.person_id.as_str())
            .and_then(|&(i, p)| person_state(eval, i, p, before))
            .unwrap_or(3);
        offences_by_state[state] += 1;
        persons_by_state[state].insert(r.person_id.as_str());
    }
    REOFFENDING
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let exposure = person_months.get(i).copied().unwrap_or(0);
            ReoffendingLine {
                key,
                offences: offences_by_state[i],
                persons: persons_by_state[i].len() as i64,
                person_months: exposure,
                per_100_person_months: (exposure > 0)
                    .then(|| round1(offences_by_state[i] as f64 * 100.0 / exposure as f64)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
