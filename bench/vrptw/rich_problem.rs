//! The synthetic problems of the rich benchmark, built the way the planner builds one (see
//! `rich.rs`): group bases, villages, home and work checks with one window per day, penalties
//! from priority, some checks restricted to their district's groups or to one day.

use baqylau::routing::{self, GreatCircle, Job, LatLon, Problem, TimeWindow, Vehicle};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;
const CENTRE: LatLon = LatLon {
    lat: 53.2,
    lon: 63.6,
};

/// Group bases (km from the centre) of the first twelve groups: half in town, half in district
/// centres. Further groups get bases drawn by [`bases`].
const FIRST_BASES: [(f64, f64); 12] = [
    (0.0, 0.0),
    (3.0, -2.0),
    (-2.5, 2.0),
    (-30.0, 25.0),
    (-32.0, -25.0),
    (38.0, 12.0),
    (1.5, 4.0),
    (-4.0, -3.0),
    (4.5, 1.0),
    (15.0, -30.0),
    (-45.0, 0.0),
    (20.0, 30.0),
];

/// A point `east_km` east and `north_km` north of Kostanay.
fn offset(east_km: f64, north_km: f64) -> LatLon {
    let lat = CENTRE.lat + north_km / 111.2;
    let lon = CENTRE.lon + east_km / (111.2 * CENTRE.lat.to_radians().cos());
    LatLon { lat, lon }
}

/// A standard normal draw (Box-Muller).
fn normal(rng: &mut Pcg64) -> f64 {
    let u: f64 = rng.random_range(f64::EPSILON..1.0);
    let v: f64 = rng.random_range(0.0..1.0);
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// The bases of `groups` groups: the twelve fixed ones first, then (the same for every seed)
/// alternately one in town (about 4 km spread) and one anywhere in the 100 x 80 km area.
fn bases(groups: usize) -> Vec<(f64, f64)> {
    let mut rng = Pcg64::seed_from_u64(0xBA5E);
    let mut out: Vec<(f64, f64)> = FIRST_BASES.iter().copied().take(groups).collect();
    while out.len() < groups {
        let base = if out.len().is_multiple_of(2) {
            (4.0 * normal(&mut rng), 3.5 * normal(&mut rng))
        } else {
            (rng.random_range(-50.0..50.0), rng.random_range(-40.0..40.0))
        };
        out.push(base);
    }
    out
}

/// The synthetic problem of one seed: `groups` groups x `days` days, `n` optional checks.
#[expect(
    clippy::too_many_lines,
    reason = "the synthetic problem's parts (groups, days, checks, matrix) built in order"
)]
pub fn build(seed: u64, n: usize, days: usize, groups: usize) -> Problem {
    let mut rng = Pcg64::seed_from_u64(seed);
    let bases = bases(groups);
    // Villages: uniform over the 100 x 80 km area.
    let villages: Vec<(f64, f64)> = (0..14)
        .map(|_| (rng.random_range(-50.0..50.0), rng.random_range(-40.0..40.0)))
        .collect();
    // The two groups whose bases are nearest: the groups of the place's district.
    let district = |p: (f64, f64)| {
        let mut near: Vec<usize> = (0..bases.len()).collect();
        near.sort_by(|&a, &b| {
            let da = (bases[a].0 - p.0).hypot(bases[a].1 - p.1);
            let db = (bases[b].0 - p.0).hypot(bases[b].1 - p.1);
            da.total_cmp(&db)
        });
        near.truncate(2);
        near
    };
    let mut points: Vec<LatLon> = bases.iter().map(|&(e, n)| offset(e, n)).collect();
    let mut jobs = Vec::with_capacity(n);
    for _ in 0..n {
        // 55 % in town (about 4 km spread), the rest in the villages (about 1 km spread).
        let place = if rng.random_bool(0.55) {
            (4.0 * normal(&mut rng), 3.5 * normal(&mut rng))
        } else {
            let v = villages[rng.random_range(0..villages.len())];
            (v.0 + normal(&mut rng), v.1 + normal(&mut rng))
        };
        let location = points.len();
        points.push(offset(place.0, place.1));
        let home = rng.random_bool(0.6);
        let (service, open, close) = if home {
            (15 * 60, 18 * HOUR, 22 * HOUR)
        } else {
            (20 * 60, 9 * HOUR, 18 * HOUR)
        };
        let windows = (0..days as i64)
            .map(|d| TimeWindow::new(d * DAY + open, d * DAY + close))
            .collect();
        // Priority: risk tier 1-3 and 0-5 days overdue, as seconds of travel worth saving.
        let tier: i64 = rng.random_range(1..=3);
        let overdue: i64 = rng.random_range(0..=5);
        let penalty = tier * 2 * HOUR + overdue * 20 * 60;
        // Some checks are restricted: to their district's groups (every day), or to one day.
        let allowed = match rng.random_range(0..100) {
            0..10 => Some(
                (0..days)
                    .flat_map(|d| district(place).into_iter().map(move |g| g + d * groups))
                    .collect(),
            ),
            10..16 if days > 1 => {
                let day = rng.random_range(0..days);
                Some((0..groups).map(|g| g + day * groups).collect())
            }
            _ => None,
        };
        jobs.push(Job {
            location,
            service,
            time_windows: windows,
            demand: 1,
            penalty: Some(penalty),
            allowed_vehicles: allowed,
            pin: None,
        });
    }
    // Vehicle v = group g on day d, with v = d * groups + g.
    let vehicles = (0..days as i64)
        .flat_map(|d| {
            (0..groups).map(move |g| Vehicle {
                start: g,
                end: g,
                shift: TimeWindow::new(d * DAY + 9 * HOUR, d * DAY + 22 * HOUR),
                capacity: 18,
            })
        })
        .collect();
    let provider = GreatCircle {
        circuity: 1.3,
        speed_kmh: 40.0,
    };
    Problem {
        matrix: provider.matrix(&points),
        jobs,
        vehicles,
        objective: routing::Objective::Duration,
    }
}
