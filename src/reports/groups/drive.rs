//! Planned against driven (issue 17, item 6): the drive between two consecutive done checks of a
//! route, as the plan timed it, held against the time the visits' recorded times leave for it,
//! per district and per road class, with the speed factor the data suggest. Pure: the caller
//! reads the legs, checks and visits.
//!
//! - A **leg** joins two done checks that follow each other on one route (group and day) in
//!   the planned order, visited on that day; its **driven** time is the next visit's recorded
//!   time minus the previous visit's, minus the planned service time at the previous stop.
//!   Pairs the plan holds no leg between (a stop between them was skipped or not visited, the
//!   plan kept no legs) or with a visit on another day are **unmatched**, counted apart.
//! - A leg whose driven time is over [`OUTLIER_RATIO`] times the planned one (a lunch break, a
//!   call on the way) or under its inverse (a visit recorded late, service cut short) says
//!   nothing about driving: it is an **outlier**, left out and counted.
//! - The **factor** is the median of driven / planned over the other legs, each weighted by its
//!   planned time (a five-minute leg counts five times a one-minute one, which is mostly
//!   parking): planned times multiplied by it come closest to what was driven.
//! - A leg belongs to the district of the stop it arrives at, and to the road class its planned
//!   path spends most of its time on (chosen when the plan was timed, see
//!   `services::plans::travel`); a leg timed by the straight line belongs to no road class and is
//!   counted under the great circle's word.

use chrono::NaiveDateTime;
use rustc_hash::FxHashMap;

use super::{GroupVisit, PlannedCheck};
use crate::domain::check::CheckStatus;
use crate::domain::travel::TravelSource;
use crate::reports::crime_trends::Period;

/// How many times the planned drive a gap may be (or how small a part of it) and still count
/// as driving.
pub const OUTLIER_RATIO: i64 = 3;

/// A leg from one stop to the next as the plan timed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedLeg {
    /// The stop it arrives at.
    pub check_id: String,
    /// The stop it leaves.
    pub from_check_id: String,
    /// Planned driving, seconds.
    pub planned_s: i64,
    /// Planned service time at the stop it leaves, seconds.
    pub from_service_s: i64,
    /// The code of the arrival stop's district.
    pub district: String,
    /// The road class most of its time is on; `None` when timed by the straight line.
    pub road_class: Option<String>,
}

/// One line: the legs of a district, of a road class, or all.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct DriveLine {
    /// District code, road class word, or `total`.
    pub key: String,
    /// Legs compared (outliers left out).
    pub legs: i64,
    /// Legs left out as outliers.
    pub outliers: i64,
    /// Median planned drive of the compared legs, seconds.
    pub median_planned_s: Option<f64>,
    /// Median driven time of the compared legs, seconds.
    pub median_driven_s: Option<f64>,
    /// Suggested factor: the planned-time-weighted median of driven / planned, two decimals.
    pub factor: Option<f64>,
}

/// The planned-against-driven part of the group report.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct DriveReport {
    /// By district code, in code order.
    pub districts: Vec<DriveLine>,
    /// By road class, major classes first, the straight line last.
    pub road_classes: Vec<DriveLine>,
    /// Every leg.
    pub total: DriveLine,
    /// Consecutive done checks that could not be compared (no planned leg between them, or a
    /// visit not on the route's day).
    pub unmatched: i64,
}

/// A compared pair: planned and driven seconds, district and class.
struct Sample<'a> {
    planned_s: i64,
    driven_s: i64,
    district: &'a str,
    class: &'a str,
}

impl Sample<'_> {
    fn is_outlier(&self) -> bool {
        self.planned_s <= 0
            || self.driven_s * OUTLIER_RATIO < self.planned_s
            || self.driven_s > self.planned_s * OUTLIER_RATIO
    }
}

/// The report over the done checks of `period`; `class_order` lists the road class words,
/// major first (unknown words follow them, the straight line comes last).
pub fn aggregate(
    checks: &[PlannedCheck],
    visits: &[GroupVisit],
    legs: &[PlannedLeg],
    class_order: &[&str],
    period: Period,
) -> DriveReport {
    let done: Vec<&PlannedCheck> = checks
        .iter()
        .filter(|c| c.day >= period.from && c.day <= period.to)
        .filter(|c| CheckStatus::parse(&c.status) == Some(CheckStatus::Done))
        .collect();
    let visited = first_visits(&done, visits);
    let leg_into: FxHashMap<&str, &PlannedLeg> =
        legs.iter().map(|l| (l.check_id.as_str(), l)).collect();
    let mut routes: FxHashMap<(&str, chrono::NaiveDate), Vec<&PlannedCheck>> = FxHashMap::default();
    for c in &done {
        routes
            .entry((c.group_id.as_str(), c.day))
            .or_default()
            .push(c);
    }
    let (mut samples, mut unmatched) = (Vec::new(), 0);
    for stops in routes.values_mut() {
        stops.sort_by_key(|c| (c.position.unwrap_or(i32::MAX), c.id.as_str()));
        for pair in stops.windows(2) {
            let leg = leg_into
                .get(pair[1].id.as_str())
                .filter(|l| l.from_check_id == pair[0].id);
            let times = (
                visited.get(pair[0].id.as_str()),
                visited.get(pair[1].id.as_str()),
            );
            match (leg, times) {
                (Some(leg), (Some(a), Some(b))) => samples.push(sample(leg, *a, *b)),
                _ => unmatched += 1,
            }
        }
    }
    report(&samples, class_order, unmatched)
}

/// The first visit of each done check on its planned day, by check id.
fn first_visits<'a>(
    done: &[&'a PlannedCheck],
    visits: &[GroupVisit],
) -> FxHashMap<&'a str, NaiveDateTime> {
    let by_id: FxHashMap<&str, &PlannedCheck> = done.iter().map(|c| (c.id.as_str(), *c)).collect();
    let mut first: FxHashMap<&'a str, NaiveDateTime> = FxHashMap::default();
    for v in visits {
        let Some(check) = v.check_id.as_deref().and_then(|id| by_id.get(id)) else {
            continue;
        };
        if v.local_at.date() != check.day {
            continue;
        }
        let at = first.entry(check.id.as_str()).or_insert(v.local_at);
        *at = (*at).min(v.local_at);
    }
    first
}

fn sample(leg: &PlannedLeg, left: NaiveDateTime, arrived: NaiveDateTime) -> Sample<'_> {
    Sample {
        planned_s: leg.planned_s,
        driven_s: (arrived - left).num_seconds() - leg.from_service_s,
        district: &leg.district,
        class: leg
            .road_class
            .as_deref()
            .unwrap_or(TravelSource::GreatCircle.as_str()),
    }
}

/// The lines by district and class, and the total.
fn report(samples: &[Sample<'_>], class_order: &[&str], unmatched: i64) -> DriveReport {
    let mut districts: Vec<&str> = samples.iter().map(|s| s.district).collect();
    districts.sort_unstable();
    districts.dedup();
    let rank = |class: &str| {
        let straight = class == TravelSource::GreatCircle.as_str();
        let at = class_order.iter().position(|c| *c == class);
        (straight, at.unwrap_or(usize::MAX), class.to_owned())
    };
    let mut classes: Vec<&str> = samples.iter().map(|s| s.class).collect();
    classes.sort_by_key(|c| rank(c));
    classes.dedup();
    let of = |key: &str, keep: &dyn Fn(&Sample<'_>) -> bool| {
        line(key, samples.iter().filter(|s| keep(s)))
    };
    DriveReport {
        districts: districts
            .iter()
            .map(|d| of(d, &|s| s.district == *d))
            .collect(),
        road_classes: classes.iter().map(|c| of(c, &|s| s.class == *c)).collect(),
        total: of("total", &|_| true),
        unmatched,
    }
}

fn line<'a>(key: &str, samples: impl Iterator<Item = &'a Sample<'a>>) -> DriveLine {
    let (outliers, kept): (Vec<&Sample<'_>>, Vec<&Sample<'_>>) =
        samples.partition(|s| s.is_outlier());
    let planned: Vec<f64> = kept.iter().map(|s| s.planned_s as f64).collect();
    let driven: Vec<f64> = kept.iter().map(|s| s.driven_s as f64).collect();
    let ratios: Vec<(f64, i64)> = kept
        .iter()
        .map(|s| (s.driven_s as f64 / s.planned_s as f64, s.planned_s))
        .collect();
    DriveLine {
        key: key.to_owned(),
        legs: kept.len() as i64,
        outliers: outliers.len() as i64,
        median_planned_s: median(planned),
        median_driven_s: median(driven),
        factor: weighted_median(ratios).map(|f| (f * 100.0).round() / 100.0),
    }
}

/// The median (the mean of the middle two of an even count).
fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

/// The weighted median of `(value, weight)`: the first value at which the weights reach half
/// their sum, or the mean of it and the next when they reach exactly half (so equal weights give
/// the ordinary median).
fn weighted_median(mut values: Vec<(f64, i64)>) -> Option<f64> {
    values.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: i64 = values.iter().map(|v| v.1).sum();
    let mut reached = 0;
    for (i, (value, weight)) in values.iter().enumerate() {
        reached += weight;
        if 2 * reached == total
            && let Some(next) = values.get(i + 1)
        {
            return Some((value + next.0) / 2.0);
        }
        if 2 * reached >= total {
            return Some(*value);
        }
    }
    None
}

impl DriveReport {
    /// The part as CSV: `by,key,legs,outliers,median_planned_s,median_driven_s,factor,unmatched`,
    /// the lines by district, then by road class, then the total (the only one with `unmatched`).
    pub fn to_csv(&self) -> Vec<u8> {
        let number =
            |x: Option<f64>, places: usize| x.map(|x| format!("{x:.places$}")).unwrap_or_default();
        let lines = self
            .districts
            .iter()
            .map(|l| ("district", l))
            .chain(self.road_classes.iter().map(|l| ("road_class", l)))
            .chain(std::iter::once(("total", &self.total)));
        let records = lines.map(|(by, l)| {
            vec![
                by.to_owned(),
                l.key.clone(),
                l.legs.to_string(),
                l.outliers.to_string(),
                number(l.median_planned_s, 1),
                number(l.median_driven_s, 1),
                number(l.factor, 2),
                if by == "total" {
                    self.unmatched.to_string()
                } else {
                    String::new()
                },
            ]
        });
        crate::reports::csv_bytes(
            &[
                "by",
                "key",
                "legs",
                "outliers",
                "median_planned_s",
                "median_driven_s",
                "factor",
                "unmatched",
            ],
            &[1],
            records,
        )
    }
}

#[cfg(test)]
mod tests;
