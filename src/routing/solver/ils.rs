//! Iterated local search with ruin and recreate: remove a cluster of nearby jobs from the
//! current solution, put them back at their cheapest places, improve with the granular local
//! search (only around what changed), and accept by late acceptance (Burke and Bykov 2017).
//! Penalty weights for excess load and time warp adapt towards a target share of feasible
//! local optima, so the search may cross infeasible space (Vidal et al. 2013); whenever a new
//! best feasible solution appears it gets a full local search. Now and then an infeasible state
//! is repaired and compared with the best too, for the start of a run, when few are feasible.
//! After a while without a new best, the search restarts from the best.

use super::data::Data;
use super::finish::{Finished, Finisher, to_routes};
use super::individual::{Individual, Penalties};
use super::local_search::LocalSearch;
use super::rng::Rng;
use super::ruin::perturb;

/// Share of local optima that should be feasible for each constraint.
const TARGET_FEASIBLE: f64 = 0.65;
/// Penalty weights are adapted after this many local optima. 50 rather than 100: on the
/// city-sized day (every vehicle at its capacity) no better plan than the first was found for
/// some 600 iterations at 100; at 50 it is 4 % lower after 700 iterations, and R2 and RC2 of
/// Solomon at 10 s come closer to the best known (bench/RESULTS.md §13).
const PENALTY_UPDATE_EVERY: usize = 50;
/// Length of the late-acceptance history.
const HISTORY: usize = 300;
/// An infeasible local optimum is repaired and compared with the best this often. Often: on
/// tight problems most local optima are infeasible while the penalty weights settle, and a
/// repaired one is often a new best (rich benchmark: every 10 rather than 50 iterations gave a
/// mean gap to the best known of 2.2 % instead of 2.6 % after 2,500 iterations).
const REPAIR_EVERY: usize = 10;
/// After this many iterations without a new best, the search goes back to the best solution
/// (as PyVRP's iterated local search does). Where left-out jobs' penalties dominate the
/// objective, the late-acceptance walk drifts to states with a job fewer and rarely finds its
/// way back: on the rich benchmark this cut the mean gap after 2,500 iterations from 12 % to
/// 3.5 %; 100, 150 and 300 did worse than 200 (bench/vrptw/README.md).
const RESTART_AFTER: usize = 200;

/// The best solutions one run found.
pub(crate) struct RunResult {
    /// Best solution by the caller's objective, finished (always feasible), if any search
    /// state was feasible.
    pub best: Option<Finished>,
    /// Least penalised solution overall, for repair when nothing feasible was found.
    pub any: Option<Individual>,
    /// The iteration and objective of each new best this search found itself.
    pub progress: Vec<(usize, (usize, i64))>,
}

/// Counts of local optima and how many of them had no excess load and no time warp.
#[derive(Default)]
struct Feasibility {
    seen: usize,
    load_ok: usize,
    warp_ok: usize,
}

/// One search: its generator, local search, penalty weights, current solution and
/// late-acceptance history, resumable so that several searches can run side by side and
/// exchange their best at fixed iteration counts (see `parallel`).
pub(crate) struct Search<'a> {
    data: &'a Data,
    finisher: &'a Finisher<'a>,
    skipped: &'a [bool],
    rng: Rng,
    ls: LocalSearch<'a>,
    pen: Penalties,
    /// What this search found (the best possibly adopted from another search).
    pub out: RunResult,
    current: Vec<Vec<u32>>,
    current_cost: f64,
    history: Vec<f64>,
    feasibility: Feasibility,
    /// Iterations done (the first local search counts as none).
    pub iter: usize,
    last_better: usize,
}

impl<'a> Search<'a> {
    /// A search with `seed`, after its first local search from `initial` (or from nothing).
    pub fn new(
        data: &'a Data,
        finisher: &'a Finisher<'a>,
        skipped: &'a [bool],
        seed: u64,
        initial: Option<Vec<Vec<u32>>>,
    ) -> Self {
        let mut rng = Rng::new(seed);
        let mut ls = LocalSearch::new(data, skipped.to_vec());
        let pen = initial_penalties(data);
        let mut out = RunResult {
            best: None,
            any: None,
            progress: Vec::new(),
        };
        let first = initial.unwrap_or_else(|| vec![Vec::new(); data.m]);
        // A warm start counts as found even if the penalised search first moves away from it.
        ls.load(&first, pen);
        record(data, finisher, &ls, pen, skipped, 0, &mut out);
        let current = ls.run(&first, pen, &mut rng);
        record(data, finisher, &ls, pen, skipped, 0, &mut out);
        ls.load(&current, pen);
        let current_cost = ls.total_cost();
        Self {
            data,
            finisher,
            skipped,
            rng,
            ls,
            pen,
            out,
            current,
            current_cost,
            history: vec![current_cost; HISTORY],
            feasibility: Feasibility::default(),
            iter: 1,
            last_better: 0,
        }
    }

    /// Runs iterations until `until` of them are done or `stop` says so; true when stopped.
    pub fn run_until(&mut self, until: usize, stop: &dyn Fn(usize) -> bool) -> bool {
        while self.iter < until {
            if stop(self.iter) {
                return true;
            }
            self.step();
        }
        stop(self.iter)
    }

    /// One iteration: ruin and recreate, local search, record, accept or go back.
    fn step(&mut self) {
        let (data, finisher, skipped, iter) = (self.data, self.finisher, self.skipped, self.iter);
        let ls = &mut self.ls;
        perturb(ls, &mut self.rng);
        ls.search(false, &mut self.rng);
        note_feasibility(ls, &mut self.feasibility);
        if record(data, finisher, ls, self.pen, skipped, iter, &mut self.out) {
            self.last_better = iter;
            ls.search(true, &mut self.rng);
            record(data, finisher, ls, self.pen, skipped, iter, &mut self.out);
        }
        let cost = ls.total_cost();
        let slot = iter % HISTORY;
        if cost <= self.history[slot] || cost <= self.current_cost {
            self.current = ls.export();
            self.current_cost = cost;
        } else {
            ls.load(&self.current, self.pen);
            ls.mark_all_tested();
        }
        self.history[slot] = self.current_cost;
        if iter - self.last_better > RESTART_AFTER {
            self.restart();
        }
        if self.feasibility.seen >= PENALTY_UPDATE_EVERY {
            adapt(&mut self.pen, &mut self.feasibility);
            self.reset_to_current();
        }
        self.iter += 1;
    }

    /// Goes back to the best solution and forgets the history.
    fn restart(&mut self) {
        if let Some(best) = &self.out.best {
            let routes = to_routes(self.finisher.problem, &best.solution, self.skipped);
            self.ls.load(&routes, self.pen);
            self.current = self.ls.export();
            self.current_cost = self.ls.total_cost();
            let cost = self.current_cost;
            self.history.iter_mut().for_each(|h| *h = cost);
        }
        self.last_better = self.iter;
    }

    /// Reloads the current solution (after a change of weights) and refills the history.
    fn reset_to_current(&mut self) {
        self.ls.load(&self.current, self.pen);
        self.ls.mark_all_tested();
        self.current_cost = self.ls.total_cost();
        let cost = self.current_cost;
        self.history.iter_mut().for_each(|h| *h = cost);
    }

    /// Takes `best` (another search's) as this search's best when it is better; the next
    /// restart then starts from it.
    pub fn adopt(&mut self, best: &Finished) {
        if self.out.best.as_ref().is_none_or(|b| best.key < b.key) {
            self.out.best = Some(best.clone());
        }
    }
}

/// Counts whether the current local optimum respects capacity and time windows.
fn note_feasibility(ls: &LocalSearch, f: &mut Feasibility) {
    let (load, warp, _) = ls.violations();
    f.seen += 1;
    f.load_ok += usize::from(load == 0);
    f.warp_ok += usize::from(warp == 0);
}

/// Keeps the best solution and the least penalised search state; true on a new best.
///
/// A feasible search state (and, at iterations divisible by `REPAIR_EVERY`, any state) whose
/// objective beats the best is finished (exact windows, repair, greedy reinsertion) before it is
/// compared, so that the best is kept by the very objective the caller sees: a longer run never
/// returns worse than a shorter one with the same seed.
fn record(
    data: &Data,
    finisher: &Finisher,
    ls: &LocalSearch,
    pen: Penalties,
    skipped: &[bool],
    iter: usize,
    out: &mut RunResult,
) -> bool {
    let (load, warp, _) = ls.violations();
    let mut better = false;
    // An infeasible state is repaired (violating jobs dropped) now and then: while the penalty
    // weights are still low, early in a run, few states are feasible.
    if (load == 0 && warp == 0) || iter.is_multiple_of(REPAIR_EVERY) {
        let key = ls.objective();
        if out.best.as_ref().is_none_or(|b| key < b.key) {
            let finished = finisher.finish(ls.export());
            if out.best.as_ref().is_none_or(|b| finished.key < b.key) {
                out.progress.push((iter, finished.key));
                out.best = Some(finished);
                better = true;
            }
        }
    }
    if out
        .any
        .as_ref()
        .is_none_or(|b| ls.total_cost() < b.penalised)
    {
        out.any = Some(Individual::new(data, ls.export(), &pen, skipped));
    }
    better
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

/// Raises a weight when too few local optima satisfy its constraint, lowers it when too many do.
fn adapt(pen: &mut Penalties, f: &mut Feasibility) {
    let tune = |w: &mut f64, ok: usize| {
        let share = ok as f64 / f.seen as f64;
        if share < TARGET_FEASIBLE - 0.05 {
            *w = (*w * 1.5).min(100_000.0);
        } else if share > TARGET_FEASIBLE + 0.05 {
            *w = (*w * 0.9).max(0.1);
        }
    };
    tune(&mut pen.load, f.load_ok);
    tune(&mut pen.warp, f.warp_ok);
    *f = Feasibility::default();
}
