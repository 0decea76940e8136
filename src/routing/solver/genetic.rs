//! One run of the hybrid genetic search: random solutions improved by local search seed the
//! population; then parents are drawn, crossed, the child is educated by local search (and
//! repaired with heavier penalties half the time when infeasible), and penalty weights adapt so
//! that a target share of children comes out feasible.

use std::sync::atomic::Ordering;
use std::time::Instant;

use super::SolverParams;
use super::crossover::crossover;
use super::data::Data;
use super::individual::{Individual, Penalties};
use super::local_search::LocalSearch;
use super::population::{Population, PopulationParams};
use super::rng::Rng;

/// Share of educated children that should be feasible (PyVRP's default).
const TARGET_FEASIBLE: f64 = 0.43;
/// Penalty weights are adapted after this many children.
const PENALTY_UPDATE_EVERY: usize = 100;
/// Iterations without a new best before the population restarts (HGS-CVRP).
const RESTART_AFTER: usize = 20_000;

/// The best solutions one run found.
pub(crate) struct RunResult {
    /// Best feasible solution, if any.
    pub feasible: Option<Individual>,
    /// Least penalised solution overall, for repair when nothing feasible was found.
    pub any: Option<Individual>,
}

/// Runs the search with `seed` until a limit in `params` is hit.
pub(crate) fn run(
    data: &Data,
    skipped: &[bool],
    params: &SolverParams,
    seed: u64,
    initial: Option<Vec<Vec<u32>>>,
) -> RunResult {
    let start = Instant::now();
    let mut rng = Rng::new(seed);
    let mut ls = LocalSearch::new(data, skipped.to_vec());
    let mut pen = initial_penalties(data);
    let mut pop = Population::new(PopulationParams::default());
    let mut out = RunResult {
        feasible: None,
        any: None,
    };
    let mut stats = (0usize, 0usize, 0usize);
    let stop = |iter: usize| {
        iter >= params.iterations
            || start.elapsed() >= params.time_limit
            || params
                .cancel
                .as_ref()
                .is_some_and(|c| c.load(Ordering::Relaxed))
    };
    let init_size = 4 * PopulationParams::default().min_size;
    let mut since_best = 0;
    let mut iter = 0;
    let mut warm = initial;
    while !stop(iter) {
        iter += 1;
        since_best += 1;
        let routes = if let Some(w) = warm.take() {
            w
        } else if pop.len() < init_size || pop.len() < 2 {
            random_routes(data, skipped, &mut rng)
        } else {
            let (Some(a), Some(b)) = (pop.select(&mut rng), pop.select(&mut rng)) else {
                break;
            };
            crossover(data, a, b, &mut rng)
        };
        let child = educate(data, &mut ls, &routes, pen, skipped, &mut rng, &mut stats);
        if record(&mut out, &child) {
            since_best = 0;
        }
        pop.add(child);
        if stats.0 >= PENALTY_UPDATE_EVERY {
            adapt(&mut pen, &mut stats);
            pop.reweigh(&pen);
        }
        if since_best >= RESTART_AFTER {
            pop.clear();
            since_best = 0;
        }
    }
    out
}

/// Local search, then with probability one half a repair under ten times the penalties.
fn educate(
    data: &Data,
    ls: &mut LocalSearch,
    routes: &[Vec<u32>],
    pen: Penalties,
    skipped: &[bool],
    rng: &mut Rng,
    stats: &mut (usize, usize, usize),
) -> Individual {
    let improved = ls.run(routes, pen, rng);
    let child = Individual::new(data, improved, &pen, skipped);
    stats.0 += 1;
    stats.1 += usize::from(child.excess_load == 0);
    stats.2 += usize::from(child.time_warp == 0);
    if child.is_feasible() || rng.below(2) == 0 {
        return child;
    }
    let heavy = Penalties {
        load: pen.load * 10.0,
        warp: pen.warp * 10.0,
    };
    let repaired = ls.run(&child.routes, heavy, rng);
    let fixed = Individual::new(data, repaired, &pen, skipped);
    if fixed.is_feasible() { fixed } else { child }
}

/// Keeps the best feasible and the least penalised solutions; true on a new best.
fn record(out: &mut RunResult, child: &Individual) -> bool {
    let mut improved = false;
    if child.is_feasible()
        && out
            .feasible
            .as_ref()
            .is_none_or(|b| child.objective() < b.objective())
    {
        out.feasible = Some(child.clone());
        improved = true;
    }
    if out
        .any
        .as_ref()
        .is_none_or(|b| child.penalised < b.penalised)
    {
        out.any = Some(child.clone());
    }
    improved
}

/// Starting weights: a unit of excess load costs about as much as the longest edge over the
/// largest demand (HGS-CVRP), and a unit of time warp as much as a unit of travel.
fn initial_penalties(data: &Data) -> Penalties {
    let max_cost = (0..data.n as u32)
        .flat_map(|a| (0..data.n as u32).map(move |b| (a, b)))
        .map(|(a, b)| data.cost(a, b))
        .max()
        .unwrap_or(1) as f64;
    let max_demand = data
        .node_seg
        .iter()
        .map(|s| s.load)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    Penalties {
        load: (max_cost / max_demand).clamp(0.1, 1000.0),
        warp: 1.0,
    }
}

/// Raises a weight when too few children satisfy its constraint, lowers it when too many do.
fn adapt(pen: &mut Penalties, stats: &mut (usize, usize, usize)) {
    let tune = |w: &mut f64, feasible: usize| {
        let share = feasible as f64 / stats.0 as f64;
        if share < TARGET_FEASIBLE - 0.05 {
            *w = (*w * 1.2).min(100_000.0);
        } else if share > TARGET_FEASIBLE + 0.05 {
            *w = (*w * 0.85).max(0.1);
        }
    };
    tune(&mut pen.load, stats.1);
    tune(&mut pen.warp, stats.2);
    *stats = (0, 0, 0);
}

/// A random solution: jobs in random order filled into vehicles up to their capacity, as a
/// random giant tour cut by a split would give (HGS-CVRP); vehicles a job may not use are skipped.
fn random_routes(data: &Data, skipped: &[bool], rng: &mut Rng) -> Vec<Vec<u32>> {
    let mut order: Vec<u32> = (0..data.n as u32)
        .filter(|&j| !skipped[j as usize])
        .collect();
    rng.shuffle(&mut order);
    let mut routes = vec![Vec::new(); data.m];
    let mut load = vec![0; data.m];
    let mut current = 0;
    for j in order {
        let demand = data.node_seg[j as usize].load;
        if current < data.m && load[current] + demand > data.capacity[current] && load[current] > 0
        {
            current += 1;
        }
        let v = if current < data.m && data.allows(j, current) {
            current
        } else {
            let allowed: Vec<usize> = (0..data.m).filter(|&v| data.allows(j, v)).collect();
            if allowed.is_empty() {
                continue;
            }
            allowed[rng.below(allowed.len())]
        };
        routes[v].push(j);
        load[v] += demand;
    }
    routes
}
