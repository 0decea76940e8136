//! Solver tests on small hand-made and random instances.

use super::rng::Rng;
use super::*;
use crate::routing::TravelMatrix;
use crate::routing::check::check;
use crate::routing::problem::{Job, Objective, Pin, TimeWindow, UnassignedReason, Vehicle};

/// Random jobs on a 100 x 100 grid with random windows; vehicles at the centre.
fn random_problem(seed: u64, jobs: usize, vehicles: usize) -> Problem {
    let mut rng = Rng::new(seed);
    let points: Vec<(i64, i64)> = (0..=jobs)
        .map(|_| (rng.below(100) as i64, rng.below(100) as i64))
        .collect();
    let matrix = TravelMatrix::from_fn(points.len(), |a, b| {
        let (dx, dy) = (
            (points[a].0 - points[b].0) as f64,
            (points[a].1 - points[b].1) as f64,
        );
        let d = (dx * dx + dy * dy).sqrt() as i64;
        (d, d)
    });
    let jobs = (1..=jobs)
        .map(|i| {
            let open = rng.below(300) as i64;
            Job::new(
                i,
                10,
                TimeWindow::new(open, open + 60 + rng.below(200) as i64),
                1 + rng.below(3) as i64,
            )
        })
        .collect();
    let vehicle = Vehicle {
        start: 0,
        end: 0,
        shift: TimeWindow::new(0, 600),
        capacity: 8,
    };
    Problem {
        matrix,
        jobs,
        vehicles: vec![vehicle; vehicles],
        objective: Objective::Distance,
    }
}

fn quick(seed: u64) -> SolverParams {
    SolverParams {
        seed,
        iterations: 1000,
        ..SolverParams::default()
    }
}

/// The cheapest feasible way to serve every job, by trying every order and every split.
fn brute_force(p: &Problem) -> Option<i64> {
    let n = p.jobs.len();
    let mut perm: Vec<usize> = (0..n).collect();
    let mut best: Option<i64> = None;
    permutations(&mut perm, 0, &mut |order| {
        for cut in 0..=n {
            let (a, b) = order.split_at(cut);
            let cost = route_cost(p, 0, a)
                .zip(route_cost(p, 1, b))
                .map(|(x, y)| x + y);
            if let Some(c) = cost {
                best = Some(best.map_or(c, |b| b.min(c)));
            }
        }
    });
    best
}

fn route_cost(p: &Problem, v: usize, jobs: &[usize]) -> Option<i64> {
    let load: i64 = jobs.iter().map(|&j| p.jobs[j].demand).sum();
    if load > p.vehicles[v].capacity || finish::schedule(p, v, jobs).is_none() {
        return None;
    }
    let vehicle = &p.vehicles[v];
    let stops: Vec<usize> = std::iter::once(vehicle.start)
        .chain(jobs.iter().map(|&j| p.jobs[j].location))
        .chain([vehicle.end])
        .collect();
    Some(if jobs.is_empty() {
        0
    } else {
        stops.windows(2).map(|w| p.cost(w[0], w[1])).sum()
    })
}

fn permutations(items: &mut Vec<usize>, k: usize, visit: &mut impl FnMut(&[usize])) {
    if k == items.len() {
        visit(items);
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permutations(items, k + 1, visit);
        items.swap(k, i);
    }
}

/// Solves the small problems `make(seed, jobs, 2)` of twelve seeds and compares each feasible
/// one with the brute-force optimum.
pub(super) fn assert_brute_force_optimum(
    make: fn(u64, usize, usize) -> Problem,
) -> Result<(), ProblemError> {
    let mut compared = 0;
    for seed in 0..12 {
        let p = make(seed, 6 + (seed as usize % 2), 2);
        let Some(optimum) = brute_force(&p) else {
            continue;
        };
        let s = solve(&p, &quick(seed))?;
        assert!(check(&p, &s).is_feasible(), "seed {seed}");
        assert!(s.unassigned.is_empty(), "seed {seed}");
        assert_eq!(s.travel, optimum, "seed {seed}");
        compared += 1;
    }
    assert!(
        compared >= 6,
        "only {compared} instances had a feasible solution"
    );
    Ok(())
}

#[test]
fn on_small_random_instances_the_solver_finds_the_brute_force_optimum() -> Result<(), ProblemError>
{
    assert_brute_force_optimum(random_problem)
}

#[test]
fn the_same_seed_and_threads_give_the_same_routes() -> Result<(), ProblemError> {
    let p = random_problem(99, 40, 6);
    // 350 iterations a search: three exchanges of the best between the searches.
    for threads in [1, 2, 3] {
        let params = SolverParams {
            iterations: 350,
            threads,
            ..quick(5)
        };
        let (first, stats) = solve_with_stats(&p, &params)?;
        assert_eq!(stats.iterations.len(), threads);
        assert!(stats.iterations.iter().all(|&i| i + 1 == 350), "{stats:?}");
        assert_eq!(first, solve(&p, &params)?, "threads {threads}");
    }
    Ok(())
}

#[test]
fn pinned_jobs_stay_on_their_vehicle_and_position() -> Result<(), ProblemError> {
    let mut p = random_problem(3, 20, 4);
    p.vehicles.iter_mut().for_each(|v| v.capacity = 100);
    for j in 0..20 {
        p.jobs[j].time_windows = vec![TimeWindow::new(0, 600)];
    }
    p.jobs[4].pin = Some(Pin {
        vehicle: 2,
        position: None,
    });
    p.jobs[9].pin = Some(Pin {
        vehicle: 3,
        position: Some(0),
    });
    let s = solve(&p, &quick(1))?;
    assert!(
        check(&p, &s).is_feasible(),
        "{:?}",
        check(&p, &s).violations
    );
    let route_of = |v: usize| s.routes.iter().find(|r| r.vehicle == v);
    assert!(route_of(2).is_some_and(|r| r.jobs.contains(&4)));
    assert!(route_of(3).is_some_and(|r| r.jobs.first() == Some(&9)));
    Ok(())
}

#[test]
fn optional_jobs_are_left_out_only_when_they_cost_more_than_their_penalty()
-> Result<(), ProblemError> {
    // Jobs at 1 and 2 on a line, and one far away at 50; travel = |a - b|.
    let matrix = TravelMatrix::from_fn(4, |a, b| {
        let at = [0i64, 1, 2, 50];
        let d = (at[a] - at[b]).abs();
        (d, d)
    });
    let mut jobs: Vec<Job> = (1..4)
        .map(|i| Job::new(i, 0, TimeWindow::new(0, 1000), 1))
        .collect();
    jobs[1].penalty = Some(10); // costs 2 more to serve: kept
    jobs[2].penalty = Some(90); // costs 96 more: left out
    let vehicle = Vehicle {
        start: 0,
        end: 0,
        shift: TimeWindow::new(0, 1000),
        capacity: 5,
    };
    let mut p = Problem {
        matrix,
        jobs,
        vehicles: vec![vehicle],
        objective: Objective::Duration,
    };
    let s = solve(&p, &quick(1))?;
    // Either order of the first two costs 4.
    let mut served = s.routes[0].jobs.clone();
    served.sort_unstable();
    assert_eq!(served, vec![0, 1]);
    assert_eq!(s.unassigned.len(), 1);
    assert_eq!(
        (s.unassigned[0].job, s.unassigned[0].reason),
        (2, UnassignedReason::PenaltyBelowCost)
    );
    assert_eq!((s.travel, s.penalty), (4, 90));

    p.jobs[2].penalty = Some(200);
    p.jobs[2].time_windows = vec![TimeWindow::new(0, 10)];
    let s = solve(&p, &quick(1))?;
    assert_eq!(
        s.unassigned[0].reason,
        UnassignedReason::TimeWindowUnreachable
    );

    p.jobs[2].time_windows = vec![TimeWindow::new(0, 1000)];
    p.jobs[2].allowed_vehicles = Some(vec![]);
    let s = solve(&p, &quick(1))?;
    assert_eq!(s.unassigned[0].reason, UnassignedReason::NoAllowedVehicle);

    p.jobs[2].allowed_vehicles = None;
    p.jobs[2].demand = 4;
    p.jobs[1].penalty = None;
    let s = solve(&p, &quick(1))?;
    assert_eq!(
        (s.unassigned[0].job, s.unassigned[0].reason),
        (2, UnassignedReason::CapacityExhausted)
    );
    Ok(())
}

#[test]
fn a_job_with_two_windows_is_served_in_the_second_when_the_first_is_missed()
-> Result<(), ProblemError> {
    let mut p = random_problem(8, 10, 2);
    p.vehicles.iter_mut().for_each(|v| v.capacity = 100);
    p.jobs[0].time_windows = vec![TimeWindow::new(0, 0), TimeWindow::new(400, 450)];
    let s = solve(&p, &quick(2))?;
    assert!(
        check(&p, &s).is_feasible(),
        "{:?}",
        check(&p, &s).violations
    );
    let served = s
        .routes
        .iter()
        .flat_map(|r| r.jobs.iter().zip(&r.service_starts))
        .find(|(j, _)| **j == 0);
    assert!(served.is_none_or(|(_, &t)| (400..=450).contains(&t)));
    Ok(())
}

#[test]
fn a_warm_start_from_a_previous_solution_is_never_worse() -> Result<(), ProblemError> {
    let p = random_problem(21, 30, 5);
    let first = solve(&p, &quick(1))?;
    let params = SolverParams {
        initial: Some(first.clone()),
        iterations: 5,
        ..quick(2)
    };
    let again = solve(&p, &params)?;
    assert!(check(&p, &again).is_feasible());
    assert!(again.penalty + again.travel <= first.penalty + first.travel);
    Ok(())
}

/// `random_problem` spread over two days: vehicle `v` works on day `v % 2` (days 1000 apart),
/// and every job has its window on each day, as the planner's two-day plans have.
fn two_day_problem(seed: u64, jobs: usize, vehicles: usize) -> Problem {
    let mut p = random_problem(seed, jobs, vehicles);
    for (v, vehicle) in p.vehicles.iter_mut().enumerate() {
        let day = 1000 * (v as i64 % 2);
        vehicle.shift = TimeWindow::new(day, day + 600);
    }
    for job in &mut p.jobs {
        let w = job.time_windows[0];
        job.time_windows = vec![w, TimeWindow::new(w.open + 1000, w.close + 1000)];
    }
    p
}

fn objective(s: &Solution) -> i64 {
    s.penalty + s.travel
}

#[test]
fn jobs_with_one_window_a_day_are_solved_to_the_brute_force_optimum() -> Result<(), ProblemError> {
    // On the hull of its two windows, a job seems open all night between them: the search then
    // plans day-two routes that miss the real windows.
    assert_brute_force_optimum(two_day_problem)
}

#[test]
fn a_longer_search_never_returns_a_worse_solution() -> Result<(), ProblemError> {
    // Two windows a day, so that even within a shift the search reasons on a hull: the best must
    // still be kept by the objective of the solution returned.
    for seed in 0..6 {
        let mut p = two_day_problem(seed, 40, 4);
        for (j, job) in p.jobs.iter_mut().enumerate() {
            job.penalty = Some(50 + 40 * (j as i64 % 7));
            let w = job.time_windows[0];
            let day = |d: i64| {
                [
                    TimeWindow::new(w.open + d, w.open + d + 30),
                    TimeWindow::new(w.open + d + 200, w.open + d + 260),
                ]
            };
            job.time_windows = day(0).into_iter().chain(day(1000)).collect();
        }
        let mut last = i64::MAX;
        for iterations in [1, 10, 50, 200, 800] {
            let params = SolverParams {
                iterations,
                ..quick(seed)
            };
            let s = solve(&p, &params)?;
            assert!(check(&p, &s).is_feasible(), "seed {seed}");
            assert!(
                objective(&s) <= last,
                "seed {seed}: {iterations} iterations give {} after {last}",
                objective(&s)
            );
            last = objective(&s);
        }
    }
    Ok(())
}

/// Two optional jobs, both at distance 5 from the depot and only at time 10, and one vehicle: one
/// of them can be served. Job `low` has penalty 20, job `high` 30.
fn exclusive_pair(low: usize, high: usize) -> Problem {
    let matrix = TravelMatrix::from_fn(3, |a, b| {
        let d = if a == b { 0 } else { 5 };
        (d, d)
    });
    let mut jobs: Vec<Job> = (1..3)
        .map(|i| Job::new(i, 1, TimeWindow::new(10, 10), 1))
        .collect();
    jobs[low].penalty = Some(20);
    jobs[high].penalty = Some(30);
    Problem {
        matrix,
        jobs,
        vehicles: vec![Vehicle {
            start: 0,
            end: 0,
            shift: TimeWindow::new(0, 100),
            capacity: 5,
        }],
        objective: Objective::Duration,
    }
}

#[test]
fn of_two_optional_jobs_that_exclude_each_other_the_more_valuable_is_served()
-> Result<(), ProblemError> {
    for (low, high) in [(0, 1), (1, 0)] {
        let p = exclusive_pair(low, high);
        let s = solve(&p, &quick(1))?;
        assert_eq!(s.routes[0].jobs, vec![high]);
        assert_eq!((s.travel, s.penalty), (10, 20));
        assert_eq!(
            s.unassigned[0].reason,
            UnassignedReason::NoFeasibleInsertion
        );
    }
    Ok(())
}

#[test]
fn the_local_search_swaps_a_served_job_for_a_more_valuable_left_out_one() {
    // The route serves the cheaper of two exclusive jobs, and violations cost so much that only
    // the swap move (not an insertion through an infeasible route) can improve it.
    let p = exclusive_pair(0, 1);
    let data = data::Data::new(&p, 10);
    let mut ls = local_search::LocalSearch::new(&data, vec![false; 2]);
    let pen = individual::Penalties {
        load: 1e6,
        warp: 1e6,
    };
    let routes = ls.run(&[vec![0]], pen, &mut Rng::new(1));
    assert_eq!(routes, vec![vec![1]]);
}
