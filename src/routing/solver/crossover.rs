//! Route-exchange crossover in the spirit of SREX (Nagata and Kobayashi 2010): a child takes a
//! cluster of nearby routes from one parent and the remaining routes of the other, without the
//! jobs it already has. Jobs lost on the way are put back by the local search's insertion step.

use super::data::Data;
use super::individual::Individual;
use super::rng::Rng;

/// Builds a child's job lists (one per vehicle) from parents `a` and `b`.
pub(crate) fn crossover(
    data: &Data,
    a: &Individual,
    b: &Individual,
    rng: &mut Rng,
) -> Vec<Vec<u32>> {
    let used: Vec<usize> = (0..data.m).filter(|&v| !a.routes[v].is_empty()).collect();
    if used.is_empty() {
        return b.routes.clone();
    }
    let selected = cluster(data, a, &used, rng);
    let mut covered = vec![false; data.n];
    for &v in &selected {
        for &j in &a.routes[v] {
            covered[j as usize] = true;
        }
    }
    let mut child: Vec<Vec<u32>> = vec![Vec::new(); data.m];
    let mut taken = vec![false; data.m];
    for &va in &selected {
        let target = best_target(data, a, b, va, &taken);
        child[target] = a.routes[va].clone();
        taken[target] = true;
    }
    for v in (0..data.m).filter(|&v| !taken[v]) {
        child[v] = b.routes[v]
            .iter()
            .copied()
            .filter(|&j| !covered[j as usize])
            .collect();
    }
    child
}

/// A random number of routes of `a` that lie near each other: grown from a random route by
/// following the granular neighbours of its jobs.
fn cluster(data: &Data, a: &Individual, used: &[usize], rng: &mut Rng) -> Vec<usize> {
    let want = 1 + rng.below(used.len().div_ceil(2).max(1));
    let mut selected = vec![used[rng.below(used.len())]];
    let mut in_set = vec![false; data.m];
    in_set[selected[0]] = true;
    let route_of = route_index(data, a);
    let mut attempts = 0;
    while selected.len() < want && attempts < 20 * want {
        attempts += 1;
        let from = &a.routes[selected[rng.below(selected.len())]];
        let j = from[rng.below(from.len())] as usize;
        let near = &data.neighbours[j];
        if near.is_empty() {
            break;
        }
        let w = near[rng.below(near.len().min(10))] as usize;
        if let Some(v) = route_of[w].filter(|&v| !in_set[v]) {
            in_set[v] = true;
            selected.push(v);
        }
    }
    selected
}

/// The vehicle of each job in `a`.
fn route_index(data: &Data, a: &Individual) -> Vec<Option<usize>> {
    let mut route_of = vec![None; data.n];
    for (v, r) in a.routes.iter().enumerate() {
        for &j in r {
            route_of[j as usize] = Some(v);
        }
    }
    route_of
}

/// Where route `va` of `a` goes in the child: a vehicle of the same type, not yet taken, whose
/// route in `b` shares the most jobs with it (so that the fewest of `b`'s jobs are displaced).
fn best_target(data: &Data, a: &Individual, b: &Individual, va: usize, taken: &[bool]) -> usize {
    let mut mine = vec![false; data.n];
    for &j in &a.routes[va] {
        mine[j as usize] = true;
    }
    let mut best = va;
    let mut best_key = (i64::MIN, i64::MIN);
    for v in (0..data.m).filter(|&v| !taken[v] && data.vehicle_type[v] == data.vehicle_type[va]) {
        let shared = b.routes[v].iter().filter(|&&j| mine[j as usize]).count() as i64;
        let lost = b.routes[v].len() as i64 - shared;
        let key = (shared - lost, i64::from(v == va));
        if key > best_key {
            best_key = key;
            best = v;
        }
    }
    best
}
