//! The solver: iterated local search with ruin and recreate over a granular local search with
//! time-warp penalties (the components of Vidal's hybrid genetic search, driven the way PyVRP
//! 0.14 drives them), run on `threads` seeds that exchange their best at fixed iteration counts.
//! Each new best feasible search state is finished at once (repaired into exact feasibility when
//! a shift holds several windows of a job, left-out jobs reinserted where they pay, a reason for
//! each left-out job) and the best is kept by the objective of that finished solution, so a
//! longer run never returns a worse one.
//!
//! Map: `data` (flat problem, segments), `local_search` and `moves` (the neighbourhood),
//! `ils` (the search loop), `parallel` (several searches and their exchanges), `ruin` (the
//! perturbation), `optional` (moves of left-out jobs), `individual` (a recorded solution),
//! `finish` (turning the search result into a [`Solution`]), `rng` (the seeded generator).

mod data;
mod finish;
mod ils;
mod individual;
mod local_search;
mod moves;
mod optional;
mod parallel;
mod rng;
mod ruin;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::problem::{Problem, ProblemError, Solution};
use data::Data;

/// How long and how the solver searches.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SolverParams {
    /// Seed of the random generator; same seed, threads and iteration limit give the same answer.
    pub seed: u64,
    /// Wall-clock limit; the best solution found so far is returned when it is reached.
    pub time_limit: Duration,
    /// Limit on local-search runs per thread, so that tests do not depend on machine speed.
    pub iterations: usize,
    /// Searches run in parallel, one thread each, with seeds derived from `seed`; they exchange
    /// their best solution every 100 iterations (counted, not timed), so that a seed, a number of
    /// threads and an iteration limit always give the same routes.
    pub threads: usize,
    /// Jobs each job is tried next to in the local search (granular neighbourhood size).
    pub granular: usize,
    /// A previous solution to start from (re-planning).
    pub initial: Option<Solution>,
    /// Set to true from another thread to stop early and get the best so far.
    #[serde(skip)]
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for SolverParams {
    fn default() -> Self {
        Self {
            seed: 1,
            time_limit: Duration::from_secs(10),
            iterations: usize::MAX,
            threads: 1,
            granular: 40,
            initial: None,
            cancel: None,
        }
    }
}

/// How a solve went: iterations per search (thread) and the wall time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolveStats {
    /// Iterations (ruin, recreate, local search) each search made, one entry per thread.
    pub iterations: Vec<usize>,
    /// Wall time of the whole solve, seconds (set-up and finishing included).
    pub seconds: f64,
    /// Each improvement of the best over all searches: the iteration (of the search that found
    /// it), the number of required jobs left out and the objective (penalties plus travel).
    pub progress: Vec<(usize, usize, i64)>,
}

/// Solves `problem`: returns feasible routes only, with each left-out job and its reason.
pub fn solve(problem: &Problem, params: &SolverParams) -> Result<Solution, ProblemError> {
    solve_with_stats(problem, params).map(|(solution, _)| solution)
}

/// [`solve`], also saying how many iterations each search made.
pub fn solve_with_stats(
    problem: &Problem,
    params: &SolverParams,
) -> Result<(Solution, SolveStats), ProblemError> {
    let started = Instant::now();
    problem.validate()?;
    let data = Data::new(problem, params.granular);
    let (skipped, reasons) = finish::unservable(problem);
    let initial = params
        .initial
        .as_ref()
        .map(|s| finish::to_routes(problem, s, &skipped));
    let finisher = finish::Finisher {
        problem,
        reasons: &reasons,
    };
    let outcome = parallel::run(&data, &finisher, &skipped, params, initial);
    let results = &outcome.results;
    // Ties go to the lowest thread, so that the answer does not depend on thread timing.
    let best = results
        .iter()
        .filter_map(|r| r.best.as_ref())
        .min_by_key(|b| b.key)
        .map(|b| b.solution.clone());
    let solution = best.unwrap_or_else(|| {
        let least_penalised = results
            .iter()
            .filter_map(|r| r.any.as_ref())
            .min_by(|a, b| a.penalised.total_cmp(&b.penalised))
            .map(|b| b.routes.clone());
        finisher
            .finish(least_penalised.unwrap_or_else(|| vec![Vec::new(); data.m]))
            .solution
    });
    let mut found: Vec<(usize, (usize, i64))> = results
        .iter()
        .flat_map(|r| r.progress.iter().copied())
        .collect();
    found.sort_unstable();
    let mut progress: Vec<(usize, usize, i64)> = Vec::new();
    for (iter, (missing, objective)) in found {
        if progress
            .last()
            .is_none_or(|l| (missing, objective) < (l.1, l.2))
        {
            progress.push((iter, missing, objective));
        }
    }
    let stats = SolveStats {
        iterations: outcome.iterations,
        seconds: started.elapsed().as_secs_f64(),
        progress,
    };
    Ok((solution, stats))
}

#[cfg(test)]
mod asymmetric_tests;
#[cfg(test)]
mod tests;
