//! Solves a routing problem given as JSON (`routing::Problem`, any matrix, asymmetric ones
//! included) and writes the solution as JSON; `run.py --asymmetric` hands the asymmetric
//! variants of the Solomon instances to our solver through it, with the same matrix it gives
//! PyVRP and its own re-check.
//!
//! Run: `cargo run --release --example vrptw_json -- PROBLEM.json --seconds 10 --out OUT.json`;
//! prints one JSON line: distance (the problem's objective), routes, iterations, seconds,
//! feasibility by `routing::check`.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use baqylau::routing::{self, Problem, SolverParams};
use clap::Parser;

/// Command line.
#[derive(Parser)]
struct Args {
    /// The problem, as `routing::Problem` in JSON.
    problem: PathBuf,
    /// Time limit, seconds.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Solver threads.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Where to write the solution (`routing::Solution` in JSON).
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(
        args.seconds.is_finite() && args.seconds >= 0.0,
        "--seconds must be a number of seconds"
    );
    let text = std::fs::read_to_string(&args.problem)
        .with_context(|| format!("reading {}", args.problem.display()))?;
    let problem: Problem = serde_json::from_str(&text).context("parsing the problem")?;
    let params = SolverParams {
        seed: args.seed,
        threads: args.threads.max(1),
        time_limit: Duration::from_secs_f64(args.seconds),
        ..SolverParams::default()
    };
    let (solution, stats) = routing::solve_with_stats(&problem, &params).context("solving")?;
    let report = routing::check::check(&problem, &solution);
    if let Some(out) = &args.out {
        std::fs::write(out, serde_json::to_string(&solution)?)
            .with_context(|| format!("writing {}", out.display()))?;
    }
    let summary = serde_json::json!({
        "distance": report.travel,
        "routes": report.vehicles_used,
        "unassigned": solution.unassigned.len(),
        "feasible": report.is_feasible(),
        "iterations": stats.iterations,
        "seconds": stats.seconds,
    });
    println!("{summary}");
    Ok(())
}
