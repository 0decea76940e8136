//! The perturbation of the iterated local search: ruin (remove jobs near a centre) and
//! recreate (put them back at their cheapest places, the most valuable first).

use super::individual::NONE;
use super::local_search::LocalSearch;
use super::rng::Rng;

/// Most jobs removed by one radial ruin.
const MAX_RUIN: usize = 25;

/// Ruin and recreate. Removes a random served job and up to `MAX_RUIN - 1` of its nearest
/// served neighbours, or, half of the time when some job is left out, up to `MAX_RUIN` served
/// neighbours of a left-out job, to make room for it. Then puts the left-out job and the removed
/// ones back at their cheapest places, the most valuable first (required jobs in random order,
/// then optional ones by penalty with some noise; optional jobs only when that costs less than
/// their penalty, but for the ruin's centre, which always goes back in).
pub(crate) fn perturb(ls: &mut LocalSearch, rng: &mut Rng) {
    let data = ls.data;
    let assigned: usize = ls.routes.iter().map(|r| r.nodes.len() - 2).sum();
    if assigned == 0 {
        return;
    }
    let want = 1 + rng.below(MAX_RUIN.min(assigned));
    let left_out: Vec<u32> = (0..data.n as u32)
        .filter(|&j| ls.route_of[j as usize] == NONE && !ls.is_skipped(j))
        .collect();
    let mut removed = Vec::with_capacity(want + 1);
    let centre = if !left_out.is_empty() && rng.below(2) == 0 {
        let j = left_out[rng.below(left_out.len())];
        removed.push(j);
        j
    } else {
        loop {
            let j = rng.below(data.n) as u32;
            if ls.route_of[j as usize] != NONE {
                break j;
            }
        }
    };
    let mut taken = 0;
    for j in std::iter::once(centre).chain(data.neighbours[centre as usize].iter().copied()) {
        if taken >= want {
            break;
        }
        if ls.route_of[j as usize] != NONE {
            ls.remove(j);
            removed.push(j);
            taken += 1;
        }
    }
    let mut keyed: Vec<(bool, f64, u32)> = removed
        .into_iter()
        .map(|j| {
            let noise = 0.8 + 0.4 * (rng.below(1 << 20) as f64 / (1 << 20) as f64);
            let p = data.penalty[j as usize];
            (p.is_none(), p.map_or(noise, |p| p as f64 * noise), j)
        })
        .collect();
    keyed.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
    // The centre (a left-out job the ruin made room for, or a served one it took out) goes back
    // in even where that costs more than its penalty: the local search then moves the others
    // around it, and the acceptance keeps the result only if it is good enough. Inserting a
    // left-out job only when it paid at once left the search stuck where serving it needs
    // several moves together (bench/RESULTS.md §13: 1.6 % lower objectives over 40 rich
    // problems at 3,000 iterations).
    for (_, _, j) in keyed {
        let penalty = if j == centre {
            f64::INFINITY
        } else {
            data.penalty[j as usize].map_or(f64::INFINITY, |p| p as f64)
        };
        let best = ls.best_insertion(j).filter(|(delta, _)| *delta < penalty);
        if let Some((_, after)) = best {
            ls.insert_after(j, after);
        }
    }
}
