//! The solver on asymmetric travel (road networks with one-way streets): every piece of a route
//! is priced in its own direction, every applied move lowers the true cost, and small problems
//! are solved to their brute-force optimum. Each test fails if a move or a bound prices a
//! reversed piece as if `d(a, b) = d(b, a)`.

use super::data::Data;
use super::individual::{Individual, NONE, Penalties, route_segment};
use super::local_search::{LocalSearch, Piece};
use super::rng::Rng;
use super::tests::assert_brute_force_optimum;
use super::*;
use crate::routing::TravelMatrix;
use crate::routing::check::check;
use crate::routing::problem::{Job, Objective, TimeWindow, Vehicle};

/// Random points on a 100 x 100 grid where going "down" (to a lower index) costs half as much
/// again plus 7: a strongly one-way matrix. Vehicles alternate between ending where they start
/// (location 0) and at location 1, so that 2-opt* must re-cost tails at another depot.
pub(super) fn one_way_problem(seed: u64, jobs: usize, vehicles: usize) -> Problem {
    let mut rng = Rng::new(seed);
    let points: Vec<(i64, i64)> = (0..jobs + 2)
        .map(|_| (rng.below(100) as i64, rng.below(100) as i64))
        .collect();
    let matrix = TravelMatrix::from_fn(points.len(), |a, b| {
        let (dx, dy) = (
            (points[a].0 - points[b].0) as f64,
            (points[a].1 - points[b].1) as f64,
        );
        let d = (dx * dx + dy * dy).sqrt() as i64;
        let d = if a > b { d + d / 2 + 7 } else { d };
        (d, d + (a as i64 % 3))
    });
    let jobs = (2..jobs + 2)
        .map(|i| {
            let open = rng.below(300) as i64;
            Job::new(
                i,
                10,
                TimeWindow::new(open, open + 80 + rng.below(200) as i64),
                1 + rng.below(3) as i64,
            )
        })
        .collect();
    let vehicles = (0..vehicles)
        .map(|v| Vehicle {
            start: 0,
            end: v % 2,
            shift: TimeWindow::new(0, 700),
            capacity: 8,
        })
        .collect();
    Problem {
        matrix,
        jobs,
        vehicles,
        objective: Objective::Distance,
    }
}

#[test]
fn the_matrix_of_the_tests_is_asymmetric() {
    let p = one_way_problem(1, 10, 2);
    let asymmetric = (0..12)
        .flat_map(|a| (0..12).map(move |b| (a, b)))
        .filter(|&(a, b)| p.matrix.distance(a, b) != p.matrix.distance(b, a))
        .count();
    assert!(asymmetric > 100, "{asymmetric}");
}

/// A search over `p` loaded with random routes (every job somewhere), with moderate weights so
/// that routes carry time warp and excess load.
fn loaded(data: &Data, seed: u64) -> LocalSearch<'_> {
    let mut rng = Rng::new(seed);
    let mut routes = vec![Vec::new(); data.m];
    for j in 0..data.n as u32 {
        let v = rng.below(data.m);
        if data.allows(j, v) {
            routes[v].push(j);
        }
    }
    let mut ls = LocalSearch::new(data, vec![false; data.n]);
    ls.load(
        &routes,
        Penalties {
            load: 3.0,
            warp: 2.0,
        },
    );
    ls
}

/// The penalised cost of route `v` visiting `jobs`, from scratch, and the same without time
/// warp (what the bounds of the local search must give exactly).
fn route_cost(data: &Data, ls: &LocalSearch, v: usize, jobs: &[u32]) -> (f64, f64) {
    let s = route_segment(data, v, jobs);
    let excess = (s.load - data.capacity[v]).max(0) as f64;
    let no_warp = s.cost as f64 + ls.pen.load * excess;
    (ls.pen.route_cost(&s, data.capacity[v]), no_warp)
}

#[test]
fn reversed_and_moved_pieces_are_priced_in_their_own_direction() {
    for seed in 0..4 {
        let p = one_way_problem(seed, 24, 3);
        let data = Data::new(&p, 10);
        let ls = loaded(&data, seed);
        for r in 0..data.m {
            let nodes = ls.routes[r].nodes.clone();
            let last = nodes.len() - 2;
            for a in 1..=last {
                for b in a..=last {
                    // Reversal of a..=b (2-opt), priced against the route rebuilt from scratch.
                    let mut jobs: Vec<u32> = nodes[1..=last].to_vec();
                    jobs[a - 1..b].reverse();
                    let pieces = [
                        Piece::Pre(r, a - 1),
                        Piece::Rev(r, a, b),
                        Piece::Suf(r, b + 1),
                    ];
                    let (want, bound) = route_cost(&data, &ls, r, &jobs);
                    assert!((ls.eval(r, &pieces) - want).abs() < 1e-6, "seed {seed}");
                    assert!((ls.bound(r, &pieces) - bound).abs() < 1e-6, "seed {seed}");
                    // The block a..=b moved to the end of the route, in its own order.
                    let mut moved: Vec<u32> = nodes[1..a].to_vec();
                    moved.extend_from_slice(&nodes[b + 1..=last]);
                    moved.extend_from_slice(&nodes[a..=b]);
                    let pieces = [
                        Piece::Pre(r, a - 1),
                        Piece::Mid(r, b + 1, last),
                        Piece::Mid(r, a, b),
                        Piece::Suf(r, last + 1),
                    ];
                    let (want, bound) = route_cost(&data, &ls, r, &moved);
                    assert!((ls.eval(r, &pieces) - want).abs() < 1e-6, "seed {seed}");
                    assert!((ls.bound(r, &pieces) - bound).abs() < 1e-6, "seed {seed}");
                }
            }
        }
    }
}

#[test]
fn every_move_the_local_search_applies_lowers_the_true_cost() {
    for seed in 0..6 {
        let p = one_way_problem(seed, 30, 4);
        let data = Data::new(&p, 12);
        let mut ls = loaded(&data, seed);
        let skipped = vec![false; data.n];
        let mut applied = 0;
        for u in 0..data.n as u32 {
            for k in 0..data.neighbours[u as usize].len() {
                let v = data.neighbours[u as usize][k];
                let before = Individual::new(&data, ls.export(), &ls.pen, &skipped).penalised;
                if !ls.try_moves(u, v) {
                    continue;
                }
                applied += 1;
                let after = Individual::new(&data, ls.export(), &ls.pen, &skipped).penalised;
                assert!(
                    after < before - 1e-9,
                    "seed {seed}: {u} {v}: {before} -> {after}"
                );
                assert!(
                    (ls.total_cost() - after).abs() < 1e-6,
                    "seed {seed}: stale costs"
                );
            }
        }
        assert!(applied > 10, "seed {seed}: only {applied} moves applied");
    }
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "the test builds its asymmetric instance and checks each move kind in one loop"
)]
fn the_bound_of_every_inter_route_move_is_its_exact_change_when_time_warp_is_free() {
    // The bounds leave out time warp only: with a zero weight on it they must be exact, so that
    // an edge priced in the wrong direction shows.
    use super::moves::{Inter, MoveKind};
    let kinds = [
        MoveKind::Relocate,
        MoveKind::RelocatePair,
        MoveKind::RelocatePairReversed,
        MoveKind::Swap,
        MoveKind::SwapPairOne,
        MoveKind::SwapPairs,
    ];
    let mut compared = 0;
    for seed in 0..4 {
        let p = one_way_problem(seed, 30, 4);
        let data = Data::new(&p, 29);
        let mut ls = loaded(&data, seed);
        ls.load(
            &ls.export(),
            Penalties {
                load: 3.0,
                warp: 0.0,
            },
        );
        let is_job = |node: u32| (node as usize) < data.n;
        for u in 0..data.n as u32 {
            for v in (0..data.n as u32).chain((0..data.m).map(|r| data.start(r))) {
                let (ru, rv) = (ls.route_of[u as usize], ls.route_of[v as usize]);
                if ru == NONE || rv == NONE || ru == rv {
                    continue;
                }
                let (ru, rv) = (ru as usize, rv as usize);
                let (pu, pv) = (
                    ls.pos_of[u as usize] as usize,
                    ls.pos_of[v as usize] as usize,
                );
                let (x, y) = (ls.routes[ru].nodes[pu + 1], ls.routes[rv].nodes[pv + 1]);
                let m = Inter {
                    ru,
                    rv,
                    pu,
                    pv,
                    u,
                    v,
                    x,
                    y,
                };
                let bounds = ls.inter_bounds(m, is_job(x), is_job(v), is_job(y));
                for (kind, bound) in kinds.iter().zip(bounds).filter(|(_, b)| b.is_finite()) {
                    let exact = ls.inter_delta(m, *kind);
                    assert!(
                        (bound - exact).abs() < 1e-6,
                        "seed {seed}, {u} {v}: {bound} {exact}"
                    );
                    compared += 1;
                }
                let (bound, exact) = (ls.two_opt_star_bound(m), ls.two_opt_star_delta(m));
                assert!(
                    (bound - exact).abs() < 1e-6,
                    "seed {seed}, 2-opt* {u} {v}: {bound} {exact}"
                );
            }
        }
    }
    assert!(compared > 5000, "{compared}");
}

#[test]
fn the_lower_bounds_of_the_moves_prune_no_improving_move() {
    // After a search with bounds ends, trying every move again at its exact price finds none that
    // improves: each bound really is below the exact cost, in either direction of travel.
    for seed in 0..6 {
        let p = one_way_problem(seed, 30, 4);
        let data = Data::new(&p, 12);
        let mut ls = loaded(&data, seed);
        ls.search(true, &mut Rng::new(seed));
        ls.use_bounds = false;
        for u in 0..data.n as u32 {
            for k in 0..data.neighbours[u as usize].len() {
                let v = data.neighbours[u as usize][k];
                if ls.route_of[u as usize] == NONE || ls.route_of[v as usize] == NONE {
                    continue;
                }
                let (before, ru, rv) = (
                    ls.total_cost(),
                    ls.route_of[u as usize],
                    ls.route_of[v as usize],
                );
                assert!(
                    !ls.try_moves(u, v),
                    "seed {seed}: a move of {u} (route {ru}) and {v} (route {rv}) was pruned: {before} -> {}",
                    ls.total_cost()
                );
            }
        }
    }
}

#[test]
fn small_one_way_problems_are_solved_to_the_brute_force_optimum() -> Result<(), ProblemError> {
    assert_brute_force_optimum(one_way_problem)
}

#[test]
fn solutions_on_one_way_streets_pass_the_checker_at_their_directed_cost() -> Result<(), ProblemError>
{
    for seed in 0..4 {
        let p = one_way_problem(seed, 40, 5);
        let s = solve(
            &p,
            &SolverParams {
                seed,
                iterations: 300,
                ..SolverParams::default()
            },
        )?;
        let report = check(&p, &s);
        assert!(report.is_feasible(), "seed {seed}: {:?}", report.violations);
        assert_eq!(report.travel, s.travel, "seed {seed}");
    }
    Ok(())
}

#[test]
fn a_jobs_granular_neighbours_are_the_first_of_all_its_neighbours_in_order() {
    // The k kept are selected, then sorted: they must be exactly the head of the full order.
    let problem = one_way_problem(23, 60, 4);
    let all = Data::new(&problem, usize::MAX);
    for k in [1, 5, 20] {
        let few = Data::new(&problem, k);
        for (i, kept) in few.neighbours.iter().enumerate() {
            let head: Vec<u32> = all.neighbours[i].iter().take(k).copied().collect();
            assert_eq!(kept, &head, "job {i}, k = {k}");
        }
    }
    assert!(
        all.neighbours.iter().all(|n| n.len() > 20),
        "a full order to compare with"
    );
}
