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

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::domain::contact_standard::ContactStandard;
use crate::reports::coverage::{
    Counts, Evaluator, PersonFact, SuccessDays, SuccessFact, trend_days,
};
use crate::reports::crime_trends::{DistrictInfo, Period, rate_per_10k, round1};

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

/// A person's state on a day over all their check kinds (the person at place `i`): `None` before
/// supervision began.
fn person_state(
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

/// The Pearson coefficient of the pairs; `None` with fewer than three or without spread.
pub fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 3 {
        return None;
    }
    let n = pairs.len() as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx).powi(2);
        syy += (y - my).powi(2);
    }
    if sxx <= f64::EPSILON || syy <= f64::EPSILON {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// The two-sided p-value of a Pearson `r` over `n` pairs (t = r sqrt((n-2)/(1-r²)) with n - 2
/// degrees of freedom); `None` with fewer than [`MIN_PAIRS`] pairs.
pub fn p_value(r: f64, n: usize) -> Option<f64> {
    if n < MIN_PAIRS {
        return None;
    }
    let df = (n - 2) as f64;
    let rest = 1.0 - r * r;
    if rest <= 0.0 {
        return Some(0.0);
    }
    let t2 = r * r * df / rest;
    Some(incomplete_beta(df / 2.0, 0.5, df / (df + t2)).clamp(0.0, 1.0))
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, nine terms: about 15 digits).
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    let x = x - 1.0;
    let mut sum = G[0];
    for (i, g) in G.iter().enumerate().skip(1) {
        sum += g / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// The regularised incomplete beta function I_x(a, b), by its continued fraction (modified
/// Lentz), using the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where that converges faster.
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut c = 1.0;
    let mut d = 1.0 - (a + b) * x / (a + 1.0);
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..300 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let even = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        for coefficient in [
            even,
            -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0)),
        ] {
            d = 1.0 + coefficient * d;
            if d.abs() < TINY {
                d = TINY;
            }
            c = 1.0 + coefficient / c;
            if c.abs() < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            h *= d * c;
        }
        if (d * c - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

fn round_to(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
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
    aggregate_days(
        persons, &successes, standards, districts, offences, reoffences, period, district,
    )
}

/// [`aggregate`] over successes already grouped by person-kind ([`SuccessDays`] of `persons`).
/// Each person-kind needs its successes from [`crate::reports::coverage::longest_interval`] days
/// before the day before the period to its end (re-offences on the period's first day look at the
/// day before).
#[expect(
    clippy::too_many_arguments,
    reason = "the report's inputs, each a different fact the database layer reads"
)]
pub fn aggregate_days(
    persons: &[PersonFact],
    successes: &SuccessDays,
    standards: &[ContactStandard],
    districts: &[DistrictInfo],
    offences: &[OffenceAt],
    reoffences: &[Reoffence],
    period: Period,
    district: Option<&str>,
) -> CoverageVsCrime {
    let eval = Evaluator::new(standards, successes);
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
    // Coverage per district: at each month's end, and at the period's end.
    let mut monthly = vec![vec![Counts::default(); days.len()]; districts.len()];
    let mut at_end = vec![Counts::default(); districts.len()];
    // Person-months per state (covered, overdue, not yet due).
    let mut person_months = [0_i64; 3];
    for (p, person) in persons.iter().enumerate() {
        let Some(&d) = index.get(person.district_id.as_str()) else {
            continue;
        };
        for &kind in Evaluator::kinds(person) {
            for (m, day) in days.iter().enumerate() {
                if let Some(counts) = eval.state(p, person, kind, *day) {
                    monthly[d][m].add(counts);
                }
            }
            if let Some(counts) = eval.state(p, person, kind, period.to) {
                at_end[d].add(counts);
            }
        }
        for day in &days {
            if let Some(state) = person_state(&eval, p, person, *day) {
                person_months[state] += 1;
            }
        }
    }
    let mut offence_counts = vec![vec![0_i64; days.len()]; districts.len()];
    for o in offences {
        let (Some(&d), Some(m)) = (
            index.get(o.district_id.as_str()),
            slices.iter().position(|s| o.day >= s.from && o.day <= s.to),
        ) else {
            continue;
        };
        offence_counts[d][m] += 1;
    }
    let mut cells = Vec::with_capacity(districts.len() * days.len());
    let mut by_district = Vec::with_capacity(districts.len());
    for (d, info) in districts.iter().enumerate() {
        for (m, slice) in slices.iter().enumerate() {
            cells.push(Cell {
                district: info.code.clone(),
                month: slice.from.format("%Y-%m").to_string(),
                coverage: monthly[d][m],
                coverage_percent: monthly[d][m].share(),
                offences: offence_counts[d][m],
                offences_per_10k: rate_per_10k(offence_counts[d][m], info.population, *slice),
            });
        }
        let total: i64 = offence_counts[d].iter().sum();
        by_district.push(Cell {
            district: info.code.clone(),
            month: String::new(),
            coverage: at_end[d],
            coverage_percent: at_end[d].share(),
            offences: total,
            offences_per_10k: rate_per_10k(total, info.population, period),
        });
    }
    let pair = |c: &Cell, next: &Cell| Some((c.coverage_percent?, next.offences_per_10k?));
    let over_districts: Vec<(f64, f64)> = by_district.iter().filter_map(|c| pair(c, c)).collect();
    let over_months: Vec<(f64, f64)> = cells.iter().filter_map(|c| pair(c, c)).collect();
    let months = days.len();
    let lagged: Vec<(f64, f64)> = cells
        .chunks(months.max(1))
        .flat_map(|row| row.windows(2).filter_map(|w| pair(&w[0], &w[1])))
        .collect();
    let correlations = vec![
        correlation(CORRELATIONS[0], &over_districts),
        correlation(CORRELATIONS[1], &over_months),
        correlation(CORRELATIONS[2], &lagged),
    ];
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
            .and_then(|&(i, p)| person_state(&eval, i, p, before))
            .unwrap_or(3);
        offences_by_state[state] += 1;
        persons_by_state[state].insert(r.person_id.as_str());
    }
    let reoffending = REOFFENDING
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
        .collect();
    CoverageVsCrime {
        period,
        district: district.map(str::to_owned),
        by_district,
        cells,
        correlations,
        reoffending,
    }
}

/// The report's tables by name, as `?table=` and the CSV's first column name them.
pub const TABLES: &[&str] = &["district", "month", "correlation", "reoffending"];

/// The CSV's columns.
const HEADER: [&str; 14] = [
    "table",
    "key",
    "month",
    "coverage_counted",
    "coverage_covered",
    "coverage_percent",
    "offences",
    "offences_per_10k_year",
    "n",
    "r",
    "p_value",
    "persons",
    "person_months",
    "offences_per_100_person_months",
];

fn opt(value: Option<f64>, decimals: usize) -> String {
    value.map(|v| format!("{v:.decimals$}")).unwrap_or_default()
}

/// A CSV record with the given fields (by their place in `HEADER`), the others empty.
fn record(fields: Vec<(usize, String)>) -> Vec<String> {
    let mut record = vec![String::new(); HEADER.len()];
    for (i, value) in fields {
        record[i] = value;
    }
    record
}

impl Cell {
    fn record(&self, table: &str) -> Vec<String> {
        record(vec![
            (0, table.to_owned()),
            (1, self.district.clone()),
            (2, self.month.clone()),
            (3, self.coverage.counted().to_string()),
            (4, self.coverage.covered.to_string()),
            (5, opt(self.coverage_percent, 1)),
            (6, self.offences.to_string()),
            (7, opt(self.offences_per_10k, 1)),
        ])
    }
}

impl CoverageVsCrime {
    /// The report as CSV (one table of [`TABLES`], or all) with the columns of `HEADER`; fields a
    /// table does not have are empty.
    pub fn to_csv(&self, only: Option<&str>) -> Vec<u8> {
        let wanted = |name: &str| only.is_none_or(|o| o == name);
        let mut records = Vec::new();
        if wanted("district") {
            records.extend(self.by_district.iter().map(|c| c.record("district")));
        }
        if wanted("month") {
            records.extend(self.cells.iter().map(|c| c.record("month")));
        }
        if wanted("correlation") {
            records.extend(self.correlations.iter().map(|c| {
                record(vec![
                    (0, "correlation".to_owned()),
                    (1, c.key.to_owned()),
                    (8, c.n.to_string()),
                    (9, opt(c.r, 3)),
                    (10, opt(c.p_value, 4)),
                ])
            }));
        }
        if wanted("reoffending") {
            records.extend(self.reoffending.iter().map(|l| {
                record(vec![
                    (0, "reoffending".to_owned()),
                    (1, l.key.to_owned()),
                    (6, l.offences.to_string()),
                    (11, l.persons.to_string()),
                    (12, l.person_months.to_string()),
                    (13, opt(l.per_100_person_months, 1)),
                ])
            }));
        }
        super::csv_bytes(&HEADER, &[0, 1, 2], records)
    }
}

#[cfg(test)]
mod tests;
