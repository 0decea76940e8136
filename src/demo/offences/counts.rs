//! The demo's offence counts by year and category, solved so that the crime-trend report
//! reproduces the published 2025-over-2024 changes exactly.

use crate::domain::offence::{OffencePlace, OffenceType};
use crate::domain::person::Severity;
use crate::reports::crime_trends::change_percent;

/// The published 2025 rate, offences per 10,000 residents.
pub const RATE_2025: f64 = 32.0;
/// The published overall change of 2025 against 2024, percent.
pub const OVERALL_CHANGE: f64 = -2.5;
/// Published changes by severity (classes without a figure are absent).
pub const SEVERITY_CHANGES: &[(Severity, f64)] = &[
    (Severity::EspeciallyGrave, -2.0),
    (Severity::Medium, -4.8),
    (Severity::Minor, -3.5),
];
/// Published changes by type.
pub const TYPE_CHANGES: &[(OffenceType, f64)] = &[
    (OffenceType::GrievousBodilyHarm, -4.0),
    (OffenceType::Robbery, -48.6),
    (OffenceType::Extortion, -18.8),
    (OffenceType::Theft, -50.0),
];
/// Published changes by place.
pub const PLACE_CHANGES: &[(OffencePlace, f64)] = &[
    (OffencePlace::PublicPlace, -10.8),
    (OffencePlace::Street, -7.7),
];

/// Counts of one year by category, each in its enum's `ALL` order; every dimension sums to the
/// same total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearCounts {
    /// By severity class.
    pub severity: Vec<i64>,
    /// By type.
    pub types: Vec<i64>,
    /// By place.
    pub places: Vec<i64>,
}

impl YearCounts {
    /// All offences of the year.
    pub fn total(&self) -> i64 {
        self.severity.iter().sum()
    }
}

/// 2024 shares of the published categories, and how the rest splits in 2024 and in 2025
/// (fraud grows, as it does: the drop of thefts and robberies is not a drop of everything).
const SEVERITY_SHARES: [f64; 5] = [0.016, 0.0, 0.31, 0.44, 0.0];
const SEVERITY_REST: [[f64; 5]; 2] = [[0.0, 0.55, 0.0, 0.0, 0.45], [0.0, 0.55, 0.0, 0.0, 0.45]];
const TYPE_SHARES: [f64; 7] = [0.22, 0.045, 0.027, 0.0, 0.032, 0.0, 0.0];
const TYPE_REST: [[f64; 7]; 2] = [
    [0.0, 0.0, 0.0, 0.40, 0.0, 0.17, 0.43],
    [0.0, 0.0, 0.0, 0.47, 0.0, 0.15, 0.38],
];
const PLACE_SHARES: [f64; 4] = [0.19, 0.28, 0.0, 0.0];
const PLACE_REST: [[f64; 4]; 2] = [[0.0, 0.0, 0.6, 0.4], [0.0, 0.0, 0.62, 0.38]];

/// Splits `total` by `weights` into integers summing to it exactly (largest remainder).
fn split(total: i64, weights: &[f64]) -> Vec<i64> {
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 || total <= 0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| w / sum * total as f64).collect();
    let mut counts: Vec<i64> = exact.iter().map(|x| x.floor() as i64).collect();
    let mut order: Vec<usize> = (0..weights.len()).filter(|i| weights[*i] > 0.0).collect();
    order.sort_by(|a, b| {
        (exact[*b] - exact[*b].floor()).total_cmp(&(exact[*a] - exact[*a].floor()))
    });
    let mut left = total - counts.iter().sum::<i64>();
    for i in order.iter().cycle() {
        if left <= 0 {
            break;
        }
        counts[*i] += 1;
        left -= 1;
    }
    counts
}

/// A 2024 count near `base` and the 2025 count whose change rounds to `change` exactly.
fn pair_for(base: i64, change: f64) -> (i64, i64) {
    for step in 0..200 {
        let before = base
            + if step % 2 == 0 {
                step / 2
            } else {
                -(step / 2) - 1
            };
        if before <= 0 {
            continue;
        }
        let guess = (before as f64 * (1.0 + change / 100.0)).round() as i64;
        for after in [guess, guess - 1, guess + 1] {
            if after >= 0 && change_percent(before, after) == Some(change) {
                return (before, after);
            }
        }
    }
    (base, base)
}

/// One dimension's 2024 and 2025 counts: the published categories by [`pair_for`], the others
/// splitting what is left of each year's total (`rest` holds their 2024 and 2025 weights).
fn dimension(
    (total_2024, total_2025): (i64, i64),
    shares: &[f64],
    rest: [&[f64]; 2],
    published: &[(usize, f64)],
) -> (Vec<i64>, Vec<i64>) {
    let mut before = vec![0; shares.len()];
    let mut after = vec![0; shares.len()];
    for (index, change) in published {
        let base = (shares[*index] * total_2024 as f64).round() as i64;
        (before[*index], after[*index]) = pair_for(base, *change);
    }
    let rest_2024 = split(total_2024 - before.iter().sum::<i64>(), rest[0]);
    let rest_2025 = split(total_2025 - after.iter().sum::<i64>(), rest[1]);
    for i in 0..shares.len() {
        before[i] += rest_2024[i];
        after[i] += rest_2025[i];
    }
    (before, after)
}

fn indexed<T: PartialEq + Copy>(all: &[T], changes: &[(T, f64)]) -> Vec<(usize, f64)> {
    changes
        .iter()
        .filter_map(|(value, change)| all.iter().position(|v| v == value).map(|i| (i, *change)))
        .collect()
}

/// The 2024 and 2025 counts for a region of `population` residents that reproduce the
/// published figures: 2025 has 32 offences per 10,000 residents, 2024 the total 2.5 % fewer
/// offences fell from, and every published category changes exactly as published.
pub fn plan_counts(population: i64) -> (YearCounts, YearCounts) {
    let total_2025 = if population > 0 {
        (RATE_2025 * population as f64 / 10_000.0).round() as i64
    } else {
        3_100
    };
    let guess = (total_2025 as f64 / (1.0 + OVERALL_CHANGE / 100.0)).round() as i64;
    let total_2024 = (guess - 10..=guess + 10)
        .filter(|n| change_percent(*n, total_2025) == Some(OVERALL_CHANGE))
        .min_by_key(|n| (n - guess).abs())
        .unwrap_or(guess);
    let totals = (total_2024, total_2025);
    let severity = dimension(
        totals,
        &SEVERITY_SHARES,
        [&SEVERITY_REST[0], &SEVERITY_REST[1]],
        &indexed(Severity::ALL, SEVERITY_CHANGES),
    );
    let types = dimension(
        totals,
        &TYPE_SHARES,
        [&TYPE_REST[0], &TYPE_REST[1]],
        &indexed(OffenceType::ALL, TYPE_CHANGES),
    );
    let places = dimension(
        totals,
        &PLACE_SHARES,
        [&PLACE_REST[0], &PLACE_REST[1]],
        &indexed(OffencePlace::ALL, PLACE_CHANGES),
    );
    (
        YearCounts {
            severity: severity.0,
            types: types.0,
            places: places.0,
        },
        YearCounts {
            severity: severity.1,
            types: types.1,
            places: places.1,
        },
    )
}

/// Scales a year's counts to another total, every dimension summing to it.
pub(super) fn scaled(counts: &YearCounts, total: i64) -> YearCounts {
    let weights = |v: &[i64]| v.iter().map(|n| *n as f64).collect::<Vec<_>>();
    YearCounts {
        severity: split(total, &weights(&counts.severity)),
        types: split(total, &weights(&counts.types)),
        places: split(total, &weights(&counts.places)),
    }
}
