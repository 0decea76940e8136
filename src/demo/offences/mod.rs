//! The demo region's registered offences: all of 2024 and 2025 and the following years up to
//! `today`, deterministic for the seed, whose 2025-over-2024 changes reproduce DESIGN.md section 1
//! exactly as the crime-trend report computes and rounds them (-2.5 % overall, robbery -48.6 %,
//! ...) and whose 2025 rate is 32 per 10,000 residents.
//!
//! The counts are solved by construction ([`plan_counts`]): the 2025 total follows from the
//! population, the 2024 total from the overall change; each published category gets a 2024
//! count near its usual share and the 2025 count that gives exactly the published change; the
//! categories without a published figure take what is left. Each record then gets a type, a
//! severity and a place (correlated as real ones are: robberies are graver than thefts and happen
//! on streets), a day (more in summer), a district (by population, more in towns), a point inside
//! it, and sometimes a suspect, a few of them persons of the registry (re-offending).

use std::collections::HashSet;

use chrono::{Datelike as _, NaiveDate};
use rand::seq::SliceRandom as _;
use rand::{Rng, SeedableRng as _};
use rand_pcg::Pcg64Mcg;

mod counts;

use crate::domain::location::district_of;
use crate::domain::offence::{Offence, OffencePlace, OffenceType, typical_article};
use crate::domain::person::{Person, Severity, Sex};
use crate::domain::{District, DistrictKind, GeoPoint, Iin};
use counts::scaled;
pub use counts::{
    OVERALL_CHANGE, PLACE_CHANGES, RATE_2025, SEVERITY_CHANGES, TYPE_CHANGES, YearCounts,
    plan_counts,
};

/// More offences in summer, fewer in the cold months (weights by month).
const SEASON: [f64; 12] = [
    0.82, 0.78, 0.88, 0.95, 1.05, 1.15, 1.22, 1.2, 1.06, 1.0, 0.94, 0.95,
];

/// How grave a type usually is (lower: graver), to pair types with severities.
fn gravity(t: OffenceType) -> f64 {
    match t {
        OffenceType::GrievousBodilyHarm => 0.0,
        OffenceType::Robbery => 1.0,
        OffenceType::Extortion => 1.5,
        OffenceType::Other => 2.5,
        OffenceType::Fraud => 3.0,
        OffenceType::Theft => 3.5,
        OffenceType::Hooliganism => 4.0,
    }
}

/// How much a type happens outdoors (lower: on streets and in public places).
fn outdoors(t: OffenceType) -> f64 {
    match t {
        OffenceType::Hooliganism => 0.0,
        OffenceType::Robbery => 0.3,
        OffenceType::Theft => 0.8,
        OffenceType::Extortion => 1.5,
        OffenceType::GrievousBodilyHarm => 1.8,
        OffenceType::Other => 2.0,
        OffenceType::Fraud => 2.6,
    }
}

fn expand<T: Copy>(all: &[T], counts: &[i64]) -> Vec<T> {
    all.iter()
        .zip(counts)
        .flat_map(|(value, n)| std::iter::repeat_n(*value, usize::try_from(*n).unwrap_or(0)))
        .collect()
}

/// Everything a year's records are drawn from.
struct Ground<'a> {
    districts: &'a [District],
    weights: Vec<f64>,
    registry: Vec<&'a Iin>,
    taken: HashSet<&'a str>,
}

impl Ground<'_> {
    fn district(&self, rng: &mut Pcg64Mcg) -> usize {
        let total: f64 = self.weights.iter().sum();
        let mut x = rng.random::<f64>() * total;
        for (i, w) in self.weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        self.weights.len().saturating_sub(1)
    }

    /// A point inside the district: drawn in its bounding box until it falls inside.
    fn point(&self, rng: &mut Pcg64Mcg, index: usize) -> Option<GeoPoint> {
        use geo::BoundingRect as _;
        let district = &self.districts[index];
        let rect = district.boundary.bounding_rect()?;
        for _ in 0..200 {
            let lon = rect.min().x + rng.random::<f64>() * rect.width();
            let lat = rect.min().y + rng.random::<f64>() * rect.height();
            let point = GeoPoint::new(lat, lon).ok()?;
            if district.contains(point)
                && district_of(self.districts, point).is_some_and(|d| d.id == district.id)
            {
                return Some(point);
            }
        }
        None
    }

    /// Now and then a suspect: a person of the registry (4 %), someone else (35 %), or unknown.
    fn suspect(&self, rng: &mut Pcg64Mcg) -> Option<Iin> {
        let x = rng.random::<f64>();
        if x < 0.04 && !self.registry.is_empty() {
            let i = rng.random_range(0..self.registry.len());
            return Some(self.registry[i].clone());
        }
        if x < 0.39 {
            for _ in 0..20 {
                let born = NaiveDate::from_ymd_opt(
                    rng.random_range(1960..=2007),
                    rng.random_range(1..=12),
                    rng.random_range(1..=28),
                )?;
                let sex = if rng.random::<f64>() < 0.85 {
                    Sex::Male
                } else {
                    Sex::Female
                };
                if let Some(iin) = Iin::generate(born, sex, rng.random_range(0..10_000))
                    && !self.taken.contains(iin.as_str())
                {
                    return Some(iin);
                }
            }
        }
        None
    }
}

/// The records' categories of one year with exactly these counts, correlated as real ones are,
/// in a random order.
fn categories(
    rng: &mut Pcg64Mcg,
    counts: &YearCounts,
) -> Vec<(OffenceType, Severity, OffencePlace)> {
    // Types sorted by their gravity with jitter, so that severities, handed out in order from
    // especially grave down, follow the types loosely.
    let mut keyed: Vec<(f64, OffenceType)> = expand(OffenceType::ALL, &counts.types)
        .into_iter()
        .map(|t| (gravity(t) + rng.random::<f64>() * 2.5, t))
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let severities = expand(Severity::ALL, &counts.severity);
    // The same for places: street-prone types get the streets and public places first.
    let mut keyed: Vec<(f64, OffenceType, Severity)> = keyed
        .into_iter()
        .zip(severities)
        .map(|((_, t), s)| (outdoors(t) + rng.random::<f64>() * 2.0, t, s))
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let order = [
        OffencePlace::Street,
        OffencePlace::PublicPlace,
        OffencePlace::Dwelling,
        OffencePlace::Other,
    ];
    let ordered: Vec<i64> = order
        .iter()
        .map(|p| {
            OffencePlace::ALL
                .iter()
                .position(|x| x == p)
                .map(|i| counts.places[i])
                .unwrap_or(0)
        })
        .collect();
    let places = expand(&order, &ordered);
    let mut records: Vec<(OffenceType, Severity, OffencePlace)> = keyed
        .into_iter()
        .zip(places)
        .map(|((_, t, s), p)| (t, s, p))
        .collect();
    records.shuffle(rng);
    records
}

/// A day of `year`, months weighted by [`SEASON`].
fn random_day(rng: &mut Pcg64Mcg, year: i32) -> NaiveDate {
    let month_weights: f64 = SEASON.iter().sum();
    let mut x = rng.random::<f64>() * month_weights;
    let mut month = 12;
    for (i, w) in SEASON.iter().enumerate() {
        if x < *w {
            month = i as u32 + 1;
            break;
        }
        x -= w;
    }
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default();
    let days = first
        .checked_add_months(chrono::Months::new(1))
        .map(|next| (next - first).num_days())
        .unwrap_or(28);
    first + chrono::Duration::days(rng.random_range(0..days))
}

/// The records of one year with exactly these counts; with `until`, only those up to that day.
fn year_records(
    rng: &mut Pcg64Mcg,
    ground: &Ground<'_>,
    year: i32,
    counts: &YearCounts,
    until: Option<NaiveDate>,
) -> Vec<Offence> {
    let records = categories(rng, counts);
    let mut out = Vec::with_capacity(records.len());
    for (seq, (offence_type, severity, place)) in records.into_iter().enumerate() {
        let date = random_day(rng, year);
        let district = ground.district(rng);
        let point = if rng.random::<f64>() < 0.9 {
            ground.point(rng, district)
        } else {
            None
        };
        let suspect_iin = ground.suspect(rng);
        if until.is_some_and(|last| date > last) {
            continue;
        }
        out.push(Offence {
            id: format!("{:02}3910{:09}", year % 100, seq + 1),
            offence_date: date,
            district_id: ground.districts[district].id.clone(),
            point,
            article: typical_article(offence_type, severity).to_owned(),
            severity,
            offence_type,
            place,
            suspect_iin,
        });
    }
    out.sort_by(|a, b| (a.offence_date, &a.id).cmp(&(b.offence_date, &b.id)));
    out
}

/// The demo offences of 2024, 2025 and every later year up to `today` (each year after 2025
/// 2 % below the one before), for the region's districts and registry.
pub fn generate(
    seed: u64,
    districts: &[District],
    persons: &[Person],
    today: NaiveDate,
) -> Vec<Offence> {
    if districts.is_empty() {
        return Vec::new();
    }
    let mut rng = Pcg64Mcg::seed_from_u64(seed ^ 0x6f66_6665_6e63_6573);
    let population: i64 = districts.iter().map(|d| d.population).sum();
    let (counts_2024, counts_2025) = plan_counts(population);
    let ground = Ground {
        districts,
        weights: districts
            .iter()
            .map(|d| {
                let town = if d.kind == DistrictKind::Urban {
                    1.5
                } else {
                    0.7
                };
                d.population.max(0) as f64 * town
            })
            .collect(),
        registry: persons.iter().map(|p| &p.iin).collect(),
        taken: persons.iter().map(|p| p.iin.as_str()).collect(),
    };
    let mut out = year_records(&mut rng, &ground, 2024, &counts_2024, None);
    out.extend(year_records(&mut rng, &ground, 2025, &counts_2025, None));
    let mut counts = counts_2025;
    for year in 2026..=today.year() {
        counts = scaled(&counts, (counts.total() as f64 * 0.98).round() as i64);
        out.extend(year_records(&mut rng, &ground, year, &counts, Some(today)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::region;
    use crate::reports::crime_trends::{DistrictInfo, Line, Period, aggregate};
    use crate::reports::crime_trends::{change_percent, round1};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()
    }

    fn facts(offences: &[Offence]) -> Vec<crate::reports::crime_trends::OffenceFact> {
        offences
            .iter()
            .map(|o| crate::reports::crime_trends::OffenceFact {
                date: o.offence_date,
                district_id: o.district_id.as_str().to_owned(),
                severity: o.severity.as_str().to_owned(),
                offence_type: o.offence_type.as_str().to_owned(),
                place: o.place.as_str().to_owned(),
            })
            .collect()
    }

    #[test]
    fn the_counts_reproduce_the_published_figures_for_any_plausible_population() {
        for population in [900_000, 968_000, 970_000, 1_000_000, 1_100_000] {
            let (before, after) = plan_counts(population);
            for counts in [&before, &after] {
                assert_eq!(counts.types.iter().sum::<i64>(), counts.total());
                assert_eq!(counts.places.iter().sum::<i64>(), counts.total());
                assert!(counts.severity.iter().chain(&counts.types).all(|n| *n > 0));
                assert!(counts.places.iter().all(|n| *n > 0));
            }
            let rate = round1(after.total() as f64 * 10_000.0 / population as f64);
            assert_eq!(rate, RATE_2025, "{population}");
            assert_eq!(
                change_percent(before.total(), after.total()),
                Some(OVERALL_CHANGE)
            );
        }
    }

    #[test]
    #[expect(
        clippy::too_many_lines,
        reason = "the test compares every figure of DESIGN.md section 1, one after the other"
    )]
    fn the_demo_offences_reproduce_design_section_1_as_the_report_computes_it() {
        let region = region::generate(2026, 1500, today());
        let offences = generate(2026, &region.districts, &region.persons, today());
        assert_eq!(
            offences,
            generate(2026, &region.districts, &region.persons, today())
        );
        let districts: Vec<DistrictInfo> = region
            .districts
            .iter()
            .map(|d| DistrictInfo {
                id: d.id.as_str().to_owned(),
                code: d.code.clone(),
                population: d.population,
            })
            .collect();
        let all = facts(&offences);
        let year = |y| Period {
            from: NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default(),
            to: NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or_default(),
        };
        let report = aggregate(&all, &all, &districts, year(2025), year(2024), None, 57.0);
        assert_eq!(report.total.change_percent, Some(-2.5));
        assert_eq!(report.total.rate_current, Some(32.0));
        let change = |lines: &[Line], key: &str| {
            lines
                .iter()
                .find(|l| l.key == key)
                .and_then(|l| l.change_percent)
        };
        for (s, c) in SEVERITY_CHANGES {
            assert_eq!(change(&report.by_severity, s.as_str()), Some(*c), "{s}");
        }
        for (t, c) in TYPE_CHANGES {
            assert_eq!(change(&report.by_type, t.as_str()), Some(*c), "{t}");
        }
        for (p, c) in PLACE_CHANGES {
            assert_eq!(change(&report.by_place, p.as_str()), Some(*c), "{p}");
        }
        // Towns have more offences per resident, summer more than winter, 2026 stops today.
        let rate_of = |kind| {
            let chosen: Vec<&District> =
                region.districts.iter().filter(|d| d.kind == kind).collect();
            let people: i64 = chosen.iter().map(|d| d.population).sum();
            let count = offences
                .iter()
                .filter(|o| chosen.iter().any(|d| d.id == o.district_id))
                .count();
            count as f64 / people as f64
        };
        assert!(rate_of(DistrictKind::Urban) > 1.5 * rate_of(DistrictKind::Rural));
        assert!(report.monthly[6].current > report.monthly[1].current);
        assert!(offences.iter().all(|o| o.offence_date <= today()));
        assert!(offences.iter().any(|o| o.offence_date.year() == 2026));
        // Every point lies in its own district; a few suspects are in the registry.
        for o in &offences {
            if let Some(point) = o.point {
                assert_eq!(
                    district_of(&region.districts, point).map(|d| &d.id),
                    Some(&o.district_id)
                );
            }
        }
        let registry: HashSet<&str> = region.persons.iter().map(|p| p.iin.as_str()).collect();
        let repeat = offences
            .iter()
            .filter(|o| {
                o.suspect_iin
                    .as_ref()
                    .is_some_and(|i| registry.contains(i.as_str()))
            })
            .count() as f64
            / offences.len() as f64;
        assert!((0.03..=0.05).contains(&repeat), "{repeat}");
        let ids: HashSet<&str> = offences.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids.len(), offences.len());
    }
}
