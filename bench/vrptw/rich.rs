//! The rich-problem benchmark of issue 4: a 200-job, 12-vehicle problem with time windows and
//! optional jobs, built the way the planner builds one, solved in 2 s and in 60 s.
//!
//! Each seed generates one synthetic problem around Kostanay (a 100 x 80 km area), the way the
//! planner builds one: by default six mobile groups with their own bases, each on two days (12
//! vehicles, shifts 09:00-22:00, at most 18 checks each); home checks (15 min, 18:00-22:00) and
//! work checks (20 min, 09:00-18:00), with one window per day they may be made on (so two
//! windows a day apart); every check optional with a penalty from its priority (risk tier and
//! days overdue); some checks restricted to the groups of their district or to one day. With
//! `--days 1`, twelve groups with their own bases work one day and every check has one window;
//! `--groups G --jobs N` scales it (a city's day: `--jobs 1000 --groups 40 --days 1`). Travel
//! comes from the great-circle provider (circuity 1.3, 40 km/h); objective travel time in
//! seconds. The generator is in `rich_problem.rs`.
//!
//! Each run prints its iterations, wall time per iteration and the peak resident memory.
//!
//! Run: `cargo run --release --example rich_vrptw [-- --seeds 3 --short 2 --long 60 --days 2]`.

use std::time::Duration;

use anyhow::{Context, ensure};
use baqylau::routing::{self, Problem, Solution, SolveStats, SolverParams};
use clap::Parser;

#[path = "rich_problem.rs"]
mod rich_problem;
use rich_problem::build;

/// Command line.
#[derive(Parser)]
struct Args {
    /// Number of problems (seeds first-seed, first-seed + 1, ...).
    #[arg(long, default_value_t = 3)]
    seeds: u64,
    /// The seed of the first problem.
    #[arg(long, default_value_t = 1)]
    first_seed: u64,
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
    /// 2: groups on two days (two windows a job); 1: one day.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
    days: u8,
    /// Number of groups, each a vehicle a day (default: 12 / days, so twelve vehicles).
    #[arg(long)]
    groups: Option<usize>,
    /// Solver threads (searches exchanging their best every 100 iterations).
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Instead of the table: solve each problem with each of these iteration limits (comma
    /// separated, per thread) and print the objective, wall and CPU time of each, to see how
    /// the search converges independently of the machine's load.
    #[arg(long, value_delimiter = ',')]
    ladder: Vec<usize>,
    /// With `--ladder`: also print the best objective each run had after each of these
    /// iteration counts (of one thread), read from the solver's progress.
    #[arg(long, value_delimiter = ',')]
    progress: Vec<usize>,
}

/// One solve: the checked solution, the solver's statistics, the CPU seconds of the process
/// during the solve and its peak resident memory (kB, `None` where the kernel does not say).
struct Run {
    solution: Solution,
    stats: SolveStats,
    cpu: f64,
    peak_kb: Option<u64>,
}

/// CPU seconds (user and system) of this process so far, from `/proc/self/stat` (Linux).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<f64> = after
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    // Fields 14 and 15 of stat(5) (here 11 and 12), in clock ticks of 1/100 s.
    (fields.get(11).unwrap_or(&0.0) + fields.get(12).unwrap_or(&0.0)) / 100.0
}

/// Resets the peak resident size, so that the next reading is the peak of what follows.
fn reset_peak() {
    // "5" resets VmHWM (proc(5)); where refused, the peak is that of the whole process.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident size since the last reset, kB.
fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Solves under `seconds` and checks the answer independently.
fn run(
    problem: &Problem,
    args: &Args,
    seed: u64,
    seconds: f64,
    iterations: Option<usize>,
) -> anyhow::Result<Run> {
    let params = SolverParams {
        seed,
        time_limit: Duration::from_secs_f64(seconds),
        iterations: iterations.unwrap_or(usize::MAX),
        threads: args.threads,
        ..SolverParams::default()
    };
    reset_peak();
    let cpu = cpu_seconds();
    let (solution, stats) = routing::solve_with_stats(problem, &params).context("solve")?;
    let cpu = cpu_seconds() - cpu;
    let peak_kb = peak_kb();
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
    Ok(Run {
        solution,
        stats,
        cpu,
        peak_kb,
    })
}

fn served(s: &Solution) -> usize {
    s.routes.iter().map(|r| r.jobs.len()).sum()
}

fn objective(s: &Solution) -> i64 {
    s.penalty + s.travel
}

/// The objective of each problem after each iteration limit of `--ladder`.
fn ladder(args: &Args, days: usize, groups: usize) -> anyhow::Result<()> {
    println!("seed iterations served objective    wall     cpu");
    for seed in args.first_seed..args.first_seed + args.seeds {
        let problem = build(seed, args.jobs, days, groups);
        for &iterations in &args.ladder {
            let r = run(&problem, args, seed, args.long, Some(iterations))?;
            println!(
                "{seed:>4} {iterations:>10} {:>6} {:>9} {:>7.2} {:>7.2}",
                served(&r.solution),
                objective(&r.solution),
                r.stats.seconds,
                r.cpu
            );
            for &at in &args.progress {
                let best = r.stats.progress.iter().rev().find(|p| p.0 <= at);
                let value = best.map_or(-1, |p| p.2);
                println!("{seed:>4} {at:>10} progress {value:>9}");
            }
        }
    }
    Ok(())
}

#[expect(
    clippy::too_many_lines,
    reason = "a benchmark's run, its phases in the order its report prints them"
)]
fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let days = usize::from(args.days);
    let groups = args.groups.unwrap_or(12 / days);
    println!(
        "{} jobs, {} vehicles ({groups} groups x {days} days), every job optional; objective = \
         penalty + travel (s); threads {}",
        args.jobs,
        groups * days,
        args.threads
    );
    if !args.ladder.is_empty() {
        return ladder(&args, days, groups);
    }
    println!(
        "{:>4} {:>9} {:>15} {:>15} {:>11} {:>11} {:>7} {:>7} {:>8} {:>8} {:>7}",
        "seed",
        "served",
        "penalty",
        "travel",
        format!("obj {}s", args.short),
        format!("obj {}s", args.long),
        "gap %",
        format!("t {}s", args.short),
        "iters",
        "ms/iter",
        "RSS MB"
    );
    let mut gaps = Vec::new();
    for seed in args.first_seed..args.first_seed + args.seeds {
        let problem = build(seed, args.jobs, days, groups);
        let short = match args.short_iterations {
            Some(i) => run(&problem, &args, seed, args.long, Some(i))?,
            None => run(&problem, &args, seed, args.short, None)?,
        };
        let long = run(&problem, &args, seed, args.long, None)?;
        let (s, l) = (&short.solution, &long.solution);
        let gap = (objective(s) - objective(l)) as f64 / objective(l) as f64 * 100.0;
        gaps.push(gap);
        // Iterations of all threads; time per iteration of one thread.
        let iterations: usize = short.stats.iterations.iter().sum();
        let per_thread = iterations as f64 / short.stats.iterations.len().max(1) as f64;
        let peak = short.peak_kb.max(long.peak_kb).unwrap_or(0) as f64 / 1024.0;
        println!(
            "{:>4} {:>9} {:>15} {:>15} {:>11} {:>11} {:>7.2} {:>7.2} {:>8} {:>8.3} {:>7.1}",
            seed,
            format!("{}/{}", served(s), served(l)),
            format!("{}/{}", s.penalty, l.penalty),
            format!("{}/{}", s.travel, l.travel),
            objective(s),
            objective(l),
            gap,
            short.stats.seconds,
            iterations,
            short.stats.seconds * 1000.0 / per_thread.max(1.0),
            peak
        );
    }
    let mean = gaps.iter().sum::<f64>() / gaps.len().max(1) as f64;
    let worst = gaps.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let inverted = gaps.iter().filter(|&&g| g < 0.0).count();
    println!(
        "served, penalty and travel as {}s/{}s; gap = (obj {}s - obj {}s) / obj {}s; iters: \
         iterations of the short run (all threads), ms/iter: its wall time per iteration of one \
         thread; RSS: peak resident memory of the process during the runs; all solutions \
         feasible by routing::check",
        args.short, args.long, args.short, args.long, args.long
    );
    println!(
        "mean gap {mean:.2} %, worst {worst:.2} %, {inverted} of {} seeds with the {}s run worse \
         than the {}s run",
        gaps.len(),
        args.long,
        args.short
    );
    Ok(())
}
