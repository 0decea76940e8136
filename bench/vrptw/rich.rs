//! The rich-problem benchmark of issue 4: a 200-job, 12-vehicle problem with time windows and
//! optional jobs, built the way the planner builds one, solved in 2 s and in 60 s.
//!
//! Each seed generates one synthetic problem around Kostanay (a 100 x 80 km area), the way the
//! planner builds one: by default six mobile groups with their own bases, each on two days (12
//! vehicles, shifts 09:00-22:00, at most 18 checks each); home checks (15 min, 18:00-22:00) and
//! work checks (20 min, 09:00-18:00), with one window per day they may be made on (so two
//! windows a day apart); every check optional with a penalty from its priority (risk tier and
//! days overdue); some checks restricted to the groups of their district or to one day. With
//! `--days 1`, twelve groups with their own bases work one day and every check has one window.
//! Travel comes from the great-circle provider (circuity 1.3, 40 km/h); objective travel time in
//! seconds.
//!
//! Run: `cargo run --release --example rich_vrptw [-- --seeds 3 --short 2 --long 60 --days 2]`.

use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use baqylau::routing::{
    self, GreatCircle, Job, LatLon, Problem, Solution, SolverParams, TimeWindow, Vehicle,
};
use clap::Parser;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;
const CENTRE: LatLon = LatLon {
    lat: 53.2,
    lon: 63.6,
};

/// Command line.
#[derive(Parser)]
struct Args {
    /// Number of problems (seeds 1..=N).
    #[arg(long, default_value_t = 3)]
    seeds: u64,
    /// The short time limit, seconds.
    #[arg(long, default_value_t = 2.0)]
    short: f64,
    /// The reference time limit, seconds.
    #[arg(long, default_value_t = 60.0)]
    long: f64,
    /// Number of jobs.
    #[arg(long, default_value_t = 200)]
    jobs: usize,
    /// Stop the short run after this many iterations instead (time limit: the long one), to
    /// compare solver versions independently of the machine's load.
    #[arg(long)]
    short_iterations: Option<usize>,
    /// 2: six groups on two days; 1: twelve groups on one day. Twelve vehicles either way.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
    days: u8,
    /// Instead of the table: solve each problem with each of these iteration limits (comma
    /// separated) and print the objective and time of each, to see how the search converges.
    #[arg(long, value_delimiter = ',')]
    ladder: Vec<usize>,
}

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

/// The synthetic problem of one seed: 12 / `days` groups x `days` days, `n` optional checks.
fn build(seed: u64, n: usize, days: usize) -> Problem {
    let mut rng = Pcg64::seed_from_u64(seed);
    // Group bases (km from the centre): half in town, half in district centres.
    let all_bases = [
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
    let bases = &all_bases[..12 / days];
    // Villages: uniform over the 100 x 80 km area.
    let villages: Vec<(f64, f64)> = (0..14)
        .map(|_| (rng.random_range(-50.0..50.0), rng.random_range(-40.0..40.0)))
        .collect();
    // The two groups whose bases are nearest: the groups of the place's district.
    let district = |p: (f64, f64)| {
        let mut groups: Vec<usize> = (0..bases.len()).collect();
        groups.sort_by(|&a, &b| {
            let da = (bases[a].0 - p.0).hypot(bases[a].1 - p.1);
            let db = (bases[b].0 - p.0).hypot(bases[b].1 - p.1);
            da.total_cmp(&db)
        });
        groups.truncate(2);
        groups
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
                    .flat_map(|d| {
                        district(place)
                            .into_iter()
                            .map(move |g| g + d * bases.len())
                    })
                    .collect(),
            ),
            10..16 if days > 1 => {
                let day = rng.random_range(0..days);
                Some((0..bases.len()).map(|g| g + day * bases.len()).collect())
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
            (0..bases.len()).map(move |g| Vehicle {
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

/// Solves under `seconds` and checks the answer independently; returns it and the wall time.
fn run(
    problem: &Problem,
    seed: u64,
    seconds: f64,
    iterations: Option<usize>,
) -> anyhow::Result<(Solution, f64)> {
    let params = SolverParams {
        seed,
        time_limit: Duration::from_secs_f64(seconds),
        iterations: iterations.unwrap_or(usize::MAX),
        threads: 1,
        ..SolverParams::default()
    };
    let started = Instant::now();
    let solution = routing::solve(problem, &params).context("solve")?;
    let wall = started.elapsed().as_secs_f64();
    let report = routing::check::check(problem, &solution);
    ensure!(
        report.is_feasible(),
        "seed {seed}, {seconds} s: infeasible: {:?}",
        report.violations
    );
    ensure!(
        report.travel == solution.travel && report.penalty == solution.penalty,
        "seed {seed}, {seconds} s: cost mismatch"
    );
    Ok((solution, wall))
}

/// The objective of each problem after each iteration limit of `--ladder`.
fn ladder(args: &Args, days: usize) -> anyhow::Result<()> {
    println!("seed iterations served objective seconds");
    for seed in 1..=args.seeds {
        let problem = build(seed, args.jobs, days);
        for &iterations in &args.ladder {
            let (s, wall) = run(&problem, seed, args.long, Some(iterations))?;
            let served: usize = s.routes.iter().map(|r| r.jobs.len()).sum();
            println!(
                "{seed:>4} {iterations:>10} {served:>6} {:>9} {wall:>7.2}",
                s.penalty + s.travel
            );
        }
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let days = usize::from(args.days);
    println!(
        "{} jobs, 12 vehicles ({} groups x {days} days), every job optional; objective = penalty + travel (s); threads 1",
        args.jobs,
        12 / days
    );
    println!(
        "{:>4} {:>9} {:>15} {:>15} {:>11} {:>11} {:>7} {:>7}",
        "seed",
        "served",
        "penalty",
        "travel",
        format!("obj {}s", args.short),
        format!("obj {}s", args.long),
        "gap %",
        format!("t {}s", args.short)
    );
    if !args.ladder.is_empty() {
        return ladder(&args, days);
    }
    let mut gaps = Vec::new();
    for seed in 1..=args.seeds {
        let problem = build(seed, args.jobs, days);
        let (short, wall) = match args.short_iterations {
            Some(i) => run(&problem, seed, args.long, Some(i))?,
            None => run(&problem, seed, args.short, None)?,
        };
        let (long, _) = run(&problem, seed, args.long, None)?;
        let served = |s: &Solution| s.routes.iter().map(|r| r.jobs.len()).sum::<usize>();
        let objective = |s: &Solution| s.penalty + s.travel;
        let gap = (objective(&short) - objective(&long)) as f64 / objective(&long) as f64 * 100.0;
        gaps.push(gap);
        println!(
            "{:>4} {:>9} {:>15} {:>15} {:>11} {:>11} {:>7.2} {:>7.2}",
            seed,
            format!("{}/{}", served(&short), served(&long)),
            format!("{}/{}", short.penalty, long.penalty),
            format!("{}/{}", short.travel, long.travel),
            objective(&short),
            objective(&long),
            gap,
            wall
        );
    }
    let mean = gaps.iter().sum::<f64>() / gaps.len().max(1) as f64;
    let worst = gaps.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let inverted = gaps.iter().filter(|&&g| g < 0.0).count();
    println!(
        "served, penalty and travel as {}s/{}s; gap = (obj {}s - obj {}s) / obj {}s; \
         all solutions feasible by routing::check",
        args.short, args.long, args.short, args.long, args.long
    );
    println!(
        "mean gap {mean:.2} %, worst {worst:.2} %, {inverted} of {} seeds with the {}s run worse \
         than the {}s run; target: every gap under 1 %",
        gaps.len(),
        args.long,
        args.short
    );
    Ok(())
}
