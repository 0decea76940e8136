//! The planning benchmark of issue 5: day and week plans of the demo region (12 mobile groups),
//! built exactly as `services::plans::create_plan` builds them, solved with the planner's 2 s limit and
//! against the same problem solved for 60 s.
//!
//! It makes a temporary SQLite database, loads the demo region, and builds the problems from the
//! registry, the contact standards and the last successful checks (`planning::due_checks`, the
//! seeded `planning::draw` of each check, `planning::build_problem`):
//!
//! - `day cold` and `week cold`: the demo region without history, where every person is overdue
//!   (thousands of due checks, far above the groups' capacity);
//! - `day steady` and `week steady`: after the demo history (a published weekly plan with visits
//!   for every week since January 2025, as `demo-data` makes it), the checks due on the next
//!   working day or week, as they are in the steady state the issue means.
//!
//! Each problem is solved once with one local-search run (`iterations = 1`, the first plan the
//! search returns), `--seeds` times with the short limit and once with the long limit, on one
//! thread; every answer goes through the independent checker. Last, the whole
//! `services::plans::create_plan` call (reading, drawing, solving and storing) is timed for the day plan.
//!
//! Run: `cargo run --release --example planning_bench [-- --short 2 --long 60 --seeds 3]`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{Context as _, ensure};
use baqylau::db::{self, DbConnection};
use baqylau::domain::PersonId;
use baqylau::domain::contact_standard::ContactStandard;
use baqylau::domain::person::{CheckKind, Person};
use baqylau::planning::{self, PlanCheck, PlanRequest, plan::BuiltProblem};
use baqylau::routing::{self, SolverParams};
use baqylau::services::plans::{self, PlanOptions};
use chrono::NaiveDate;
use clap::Parser;

/// Command line.
#[derive(Parser)]
struct Args {
    /// The short (planner's) time limit, seconds.
    #[arg(long, default_value_t = 2.0)]
    short: f64,
    /// The reference time limit, seconds.
    #[arg(long, default_value_t = 60.0)]
    long: f64,
    /// Short runs per problem (optimiser seeds 1..=N).
    #[arg(long, default_value_t = 3)]
    seeds: u64,
    /// The day planned (a Monday: the week plan runs Monday to Friday); the demo's "today".
    #[arg(long, default_value = "2026-11-30")]
    day: NaiveDate,
    /// Persons in the demo region.
    #[arg(long, default_value_t = 1500)]
    persons: usize,
    /// Skip the demo history (and so the steady-state problems).
    #[arg(long)]
    no_history: bool,
    /// Skip the problems without history.
    #[arg(long)]
    no_cold: bool,
    /// Further time limits, seconds, run with seed 1 on the day problems (how the plan improves
    /// between the short and the long limit).
    #[arg(long, value_delimiter = ',', default_values_t = [5.0, 10.0, 20.0])]
    curve: Vec<f64>,
    /// Skip the ideal steady-state problems.
    #[arg(long)]
    no_ideal: bool,
}

/// The demo's seed (`demo_seed` default) and the seed of the draw.
const DEMO_SEED: u64 = 2026;
const DRAW_SEED: u64 = 1;

/// One planning problem as the planner would hand it to the optimiser.
struct Case {
    name: String,
    built: BuiltProblem,
    /// Due checks by `planning::due_checks` (all in the problem).
    due: usize,
    /// Of them, overdue at the period's start.
    overdue: usize,
    /// Of them, due (standard running out) within the period.
    due_in_period: usize,
    /// Of them, known unplaceable before solving (no group, no working day).
    known_out: usize,
}

/// A stable number from a text (FNV-1a).
fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The last successful checks of an ideal steady state on `day`: every check made exactly when
/// its standard runs out, the phases spread evenly, so that the standard of each person and kind
/// runs out on `day + phase` with the phase drawn (by a hash of the person) in `0..interval`.
fn ideal_last_done(
    persons: &[Person],
    standards: &[ContactStandard],
    day: NaiveDate,
) -> HashMap<(PersonId, CheckKind), NaiveDate> {
    let mut last = HashMap::new();
    for p in persons {
        for kind in [CheckKind::Home, CheckKind::Work] {
            let interval = standards
                .iter()
                .find(|s| s.risk_tier == p.risk_tier && s.check_kind == kind)
                .map_or(30, |s| u64::from(s.max_interval_days.max(1)));
            let phase = stable_hash(&format!("{}:{kind}", p.id)) % interval;
            let days = i64::try_from(interval - phase).unwrap_or(0);
            last.insert((p.id.clone(), kind), day - chrono::Duration::days(days));
        }
    }
    last
}

/// Builds the problem of a plan for all groups from `from` over `days` days, as
/// `services::plans::create_plan` does (same reads, same filter, same draw). With `ideal`, the last
/// checks are those of [`ideal_last_done`] and only the checks whose standard runs out in the
/// first `ideal` days from `from` are kept (the demand of those days in a steady state).
fn build_case(
    conn: &mut DbConnection,
    name: &str,
    from: NaiveDate,
    days: u32,
    ideal: Option<i64>,
) -> anyhow::Result<Case> {
    let groups = db::mobile_groups::list_mobile_groups(conn)?;
    let districts = db::districts::list_districts(conn)?;
    let persons = db::persons::list_all_persons(conn)?;
    let standards = db::contact_standards::list_contact_standards(conn)?;
    let (last_done, missed) = match ideal {
        Some(_) => (ideal_last_done(&persons, &standards, from), HashMap::new()),
        None => (
            db::checks::last_done(conn)?,
            db::checks::last_missed_windows(conn)?,
        ),
    };
    let to = from + chrono::Duration::days(i64::from(days) - 1);
    // All groups are planned, so the planner's filter (checks some planned group could make, or
    // that no group covers) keeps every due check.
    let mut due = planning::due_checks(&persons, &standards, &last_done, from, to);
    if let Some(demand_days) = ideal {
        due.retain(|d| d.due < from + chrono::Duration::days(demand_days));
    }
    let checks: Vec<PlanCheck> = due
        .iter()
        .map(|d| {
            let avoid = missed.get(&(d.person_id.clone(), d.kind)).copied();
            planning::draw(d, from, days, &groups, DRAW_SEED, avoid)
        })
        .collect();
    let built = planning::build_problem(&PlanRequest {
        from,
        days,
        groups: &groups,
        districts: &districts,
        checks: &checks,
        travel: None,
    });
    Ok(Case {
        name: name.to_owned(),
        due: due.len(),
        overdue: due.iter().filter(|d| d.overdue_days > 0).count(),
        due_in_period: due.iter().filter(|d| d.due >= from && d.due <= to).count(),
        known_out: built.known.iter().filter(|k| k.is_some()).count(),
        built,
    })
}

/// One solve, checked.
struct Run {
    label: String,
    seconds: f64,
    placed: usize,
    left_out: usize,
    penalty: i64,
    driving_s: i64,
    distance_m: i64,
    routes: usize,
}

impl Run {
    fn objective(&self) -> i64 {
        self.penalty + self.driving_s
    }
}

fn solve(case: &Case, label: &str, params: &SolverParams) -> anyhow::Result<Run> {
    let problem = &case.built.problem;
    let started = Instant::now();
    let solution = routing::solve(problem, params).context("the optimiser refused the problem")?;
    let seconds = started.elapsed().as_secs_f64();
    let report = routing::check::check(problem, &solution);
    ensure!(
        report.is_feasible(),
        "{} {label}: infeasible: {:?}",
        case.name,
        report.violations
    );
    let (routes, unplaced) = planning::read_solution(&case.built, &solution);
    let placed: usize = routes.iter().map(|r| r.stops.len()).sum();
    let driving_s: i64 = routes.iter().map(|r| r.driving_s).sum();
    ensure!(
        driving_s == report.travel,
        "{} {label}: driving {driving_s} s but the checker counts {} s",
        case.name,
        report.travel
    );
    ensure!(
        placed + unplaced.len() == problem.jobs.len(),
        "{} {label}: {placed} placed and {} left out of {} checks",
        case.name,
        unplaced.len(),
        problem.jobs.len()
    );
    Ok(Run {
        label: label.to_owned(),
        seconds,
        placed,
        left_out: unplaced.len(),
        penalty: report.penalty,
        driving_s,
        distance_m: routes.iter().map(|r| r.distance_m).sum(),
        routes: routes.len(),
    })
}

fn params(seed: u64, seconds: f64, iterations: usize) -> SolverParams {
    SolverParams {
        seed,
        time_limit: Duration::from_secs_f64(seconds),
        threads: 1,
        iterations,
        ..SolverParams::default()
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".to_owned())
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "?".to_owned())
}

#[expect(
    clippy::too_many_lines,
    reason = "a benchmark's run, its phases in the order its report prints them"
)]
fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    ensure!(args.seeds >= 1, "--seeds must be at least 1");
    println!(
        "machine: {} x {}, load average {}",
        std::thread::available_parallelism().map_or(0, usize::from),
        cpu_model(),
        load_average()
    );
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.db");
    let url = db::DatabaseUrl::parse(&format!("sqlite://{}", path.display()))?;
    let pool = db::connect(&url, 2)?;
    let mut conn = pool.get()?;
    db::migrations::run_pending(&mut conn)?;
    let started = Instant::now();
    let demo = baqylau::demo::load_if_empty(&mut conn, DEMO_SEED, args.persons, args.day, "x")?
        .context("the new database was not empty")?;
    println!(
        "demo region: {} persons, {} groups, {} districts ({:.1} s)",
        demo.persons,
        demo.groups,
        demo.districts,
        started.elapsed().as_secs_f64()
    );

    let mut cases = Vec::new();
    if !args.no_cold {
        cases.push(build_case(&mut conn, "day cold", args.day, 1, None)?);
        cases.push(build_case(&mut conn, "week cold", args.day, 5, None)?);
    }
    let mut end_to_end = "day cold";
    if !args.no_ideal {
        cases.push(build_case(&mut conn, "day ideal", args.day, 1, Some(1))?);
        // A Monday-to-Friday plan carries the week's demand, the weekend's included.
        cases.push(build_case(&mut conn, "week ideal", args.day, 5, Some(7))?);
    }
    if !args.no_history {
        let started = Instant::now();
        let history = baqylau::demo::history::generate_if_absent(
            &mut conn,
            DEMO_SEED,
            args.day,
            2,
            &mut |_, _| {},
        )?
        .context("the new database already had plans")?;
        println!(
            "demo history: {} weekly plans, {} checks placed, {} visits ({:.1} s)",
            history.plans,
            history.checks,
            history.visits,
            started.elapsed().as_secs_f64()
        );
        cases.push(build_case(&mut conn, "day history", args.day, 1, None)?);
        cases.push(build_case(&mut conn, "week history", args.day, 5, None)?);
        end_to_end = "day history";
    }

    println!();
    println!(
        "{:<12} {:>6} {:>8} {:>8} {:>9} {:>10} {:>9}",
        "problem", "due", "overdue", "due in", "known out", "vehicles", "period"
    );
    for c in &cases {
        let days = if c.name.starts_with("day") { 1 } else { 5 };
        println!(
            "{:<12} {:>6} {:>8} {:>8} {:>9} {:>10} {:>7} d",
            c.name,
            c.due,
            c.overdue,
            c.due_in_period,
            c.known_out,
            c.built.problem.vehicles.len(),
            days
        );
    }
    let capacity: HashMap<&str, i64> = cases
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.built.problem.vehicles.iter().map(|v| v.capacity).sum(),
            )
        })
        .collect();

    println!();
    println!(
        "{:<12} {:>5} {:>4} {:<12} {:>7} {:>6} {:>5} {:>6} {:>9} {:>8} {:>7} {:>10} {:>8}",
        "problem",
        "jobs",
        "veh",
        "run",
        "seconds",
        "placed",
        "out",
        "routes",
        "penalty",
        "drive s",
        "km",
        "objective",
        "gap %"
    );
    let mut summary = Vec::new();
    for case in &cases {
        let mut runs = vec![solve(case, "first plan", &params(1, args.long, 1))?];
        for seed in 1..=args.seeds {
            runs.push(solve(
                case,
                &format!("{}s seed {seed}", args.short),
                &params(seed, args.short, usize::MAX),
            )?);
        }
        if case.name.starts_with("day") {
            for seconds in &args.curve {
                runs.push(solve(
                    case,
                    &format!("{seconds}s seed 1"),
                    &params(1, *seconds, usize::MAX),
                )?);
            }
        }
        let reference = solve(
            case,
            &format!("{}s seed 1", args.long),
            &params(1, args.long, usize::MAX),
        )?;
        runs.push(reference);
        let best = runs
            .last()
            .map(Run::objective)
            .context("no reference run")?;
        for run in &runs {
            let gap = 100.0 * (run.objective() - best) as f64 / best.max(1) as f64;
            println!(
                "{:<12} {:>5} {:>4} {:<12} {:>7.2} {:>6} {:>5} {:>6} {:>9} {:>8} {:>7.1} {:>10} {:>8.3}",
                case.name,
                case.built.problem.jobs.len(),
                case.built.problem.vehicles.len(),
                run.label,
                run.seconds,
                run.placed,
                run.left_out,
                run.routes,
                run.penalty,
                run.driving_s,
                run.distance_m as f64 / 1000.0,
                run.objective(),
                gap
            );
        }
        let short: Vec<f64> = runs[1..=args.seeds as usize]
            .iter()
            .map(|r| 100.0 * (r.objective() - best) as f64 / best.max(1) as f64)
            .collect();
        let worst = short.iter().copied().fold(f64::MIN, f64::max);
        let mean = short.iter().sum::<f64>() / short.len() as f64;
        summary.push((case.name.clone(), mean, worst));
    }
    println!();
    for (name, mean, worst) in &summary {
        println!(
            "{name}: {}s against {}s: gap mean {mean:.3} %, worst {worst:.3} % (capacity {} checks) -> {}",
            args.short,
            args.long,
            capacity.get(name.as_str()).copied().unwrap_or(0),
            if *worst <= 1.0 {
                "within 1 %"
            } else {
                "NOT within 1 %"
            }
        );
    }

    {
        let name = end_to_end;
        let options = PlanOptions {
            from: args.day,
            days: 1,
            group_ids: Vec::new(),
            seed: DRAW_SEED,
            time_limit: Duration::from_secs_f64(args.short),
            threads: 1,
            iterations: usize::MAX,
        };
        let started = Instant::now();
        let (plan_id, totals) = plans::create_plan(&mut conn, &options, None)?;
        let seconds = started.elapsed().as_secs_f64();
        let problems = plans::check_stored(&mut conn, &plan_id)?;
        ensure!(problems.is_empty(), "the stored plan: {problems:?}");
        println!();
        println!(
            "services::plans::create_plan ({name}, {}s limit, end to end with storing): {seconds:.2} s, \
             {} placed, {} left out, {} routes, {:.1} km, {} s driving; stored plan checked",
            args.short,
            totals.placed,
            totals.unplaced,
            totals.routes,
            totals.distance_m as f64 / 1000.0,
            totals.driving_s
        );
    }
    println!("load average at the end: {}", load_average());
    Ok(())
}
