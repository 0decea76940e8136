//! Several searches side by side, deterministically: search `t` of `N` runs with a seed derived
//! from the caller's seed and `t`, and every [`EXCHANGE_EVERY`] iterations all searches stop at
//! that same iteration count and each adopts the best solution any of them has found (ties go to
//! the lowest search). Exchanges happen at iteration counts, never at times, so a seed, a number
//! of threads and an iteration limit give the same routes on any machine under any load; only
//! where a time limit cuts a run short depends on the clock (as with one thread).

use std::sync::atomic::Ordering;
use std::time::Instant;

use super::SolverParams;
use super::data::Data;
use super::finish::Finisher;
use super::ils::{RunResult, Search};

/// Iterations between two exchanges of the best solution. Each exchange waits for the slowest
/// search, so it should not come too often; the best found should spread before a search
/// restarts from its own best (`ils::RESTART_AFTER`).
pub(crate) const EXCHANGE_EVERY: usize = 100;

/// The seed of search `t`: the caller's seed for the first, so that one thread behaves as
/// before; then SplitMix-like steps, so that neighbouring seeds do not share searches.
pub(crate) fn seed_of(seed: u64, t: usize) -> u64 {
    if t == 0 {
        return seed;
    }
    let mut z = seed ^ (t as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// What the searches found, and how many iterations each made.
pub(crate) struct Outcome {
    pub results: Vec<RunResult>,
    pub iterations: Vec<usize>,
}

/// Runs `params.threads` searches until a limit in `params` is hit.
pub(crate) fn run(
    data: &Data,
    finisher: &Finisher,
    skipped: &[bool],
    params: &SolverParams,
    initial: Option<Vec<Vec<u32>>>,
) -> Outcome {
    let start = Instant::now();
    let stop = |iter: usize| {
        iter >= params.iterations
            || start.elapsed() >= params.time_limit
            || params
                .cancel
                .as_ref()
                .is_some_and(|c| c.load(Ordering::Relaxed))
    };
    let threads = params.threads.max(1);
    let mut searches: Vec<Search> = if threads == 1 {
        vec![Search::new(data, finisher, skipped, params.seed, initial)]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let initial = initial.clone();
                    let seed = seed_of(params.seed, t);
                    scope.spawn(move || Search::new(data, finisher, skipped, seed, initial))
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        })
    };
    if let [one] = searches.as_mut_slice() {
        one.run_until(usize::MAX, &stop);
    } else {
        let mut until = 0;
        loop {
            until += EXCHANGE_EVERY;
            let stopped: Vec<bool> = std::thread::scope(|scope| {
                let handles: Vec<_> = searches
                    .iter_mut()
                    .map(|s| scope.spawn(|| s.run_until(until, &stop)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or(true))
                    .collect()
            });
            if stopped.iter().any(|s| *s) {
                break;
            }
            exchange(&mut searches);
        }
    }
    let iterations = searches.iter().map(|s| s.iter - 1).collect();
    Outcome {
        results: searches.into_iter().map(|s| s.out).collect(),
        iterations,
    }
}

/// Gives every search the best solution found by any (the first of equals).
fn exchange(searches: &mut [Search]) {
    let best = searches
        .iter()
        .filter_map(|s| s.out.best.as_ref())
        .min_by_key(|b| b.key)
        .cloned();
    if let Some(best) = best {
        searches.iter_mut().for_each(|s| s.adopt(&best));
    }
}
