//! From search result to [`Solution`]: exact schedules with every time window of a job (the
//! search reasons, per vehicle, on the hull of the windows its shift can use: exact with one
//! window a day and one-day shifts), removal of jobs from any route that still violates something,
//! feasible reinsertion where possible, position pins, and the reason for each left-out job.

use crate::routing::problem::{Problem, Route, Solution, Unassigned, UnassignedReason};

/// Jobs no vehicle can serve even alone, and why; the search never touches them.
pub(crate) fn unservable(problem: &Problem) -> (Vec<bool>, Vec<Option<UnassignedReason>>) {
    let reasons: Vec<Option<UnassignedReason>> = (0..problem.jobs.len())
        .map(|j| {
            let job = &problem.jobs[j];
            let allowed: Vec<usize> = (0..problem.vehicles.len())
                .filter(|&v| job.allows(v))
                .collect();
            if allowed.is_empty() {
                return Some(UnassignedReason::NoAllowedVehicle);
            }
            if allowed
                .iter()
                .all(|&v| job.demand > problem.vehicles[v].capacity)
            {
                return Some(UnassignedReason::CapacityExhausted);
            }
            if allowed
                .iter()
                .all(|&v| schedule(problem, v, &[j]).is_none())
            {
                return Some(UnassignedReason::TimeWindowUnreachable);
            }
            None
        })
        .collect();
    (reasons.iter().map(Option::is_some).collect(), reasons)
}

/// A previous solution as job lists per vehicle, dropping what no longer fits the problem.
pub(crate) fn to_routes(problem: &Problem, s: &Solution, skipped: &[bool]) -> Vec<Vec<u32>> {
    let mut routes = vec![Vec::new(); problem.vehicles.len()];
    let mut seen = vec![false; problem.jobs.len()];
    let m = routes.len();
    for r in s.routes.iter().filter(|r| r.vehicle < m) {
        for &j in &r.jobs {
            if j < seen.len() && !seen[j] && !skipped[j] && problem.jobs[j].allows(r.vehicle) {
                seen[j] = true;
                routes[r.vehicle].push(j as u32);
            }
        }
    }
    routes
}

/// Service starts and the arrival at the end, leaving at the shift's start and waiting for
/// each job's next window; `None` if a window or the shift end is missed.
pub(crate) fn schedule(problem: &Problem, v: usize, jobs: &[usize]) -> Option<(Vec<i64>, i64)> {
    let veh = &problem.vehicles[v];
    let (mut at, mut t) = (veh.start, veh.shift.open);
    let mut starts = Vec::with_capacity(jobs.len());
    for &j in jobs {
        let job = &problem.jobs[j];
        let arrival = t + problem.matrix.duration(at, job.location);
        let window = job.time_windows.iter().find(|w| w.close >= arrival)?;
        let begin = arrival.max(window.open);
        starts.push(begin);
        t = begin + job.service;
        at = job.location;
    }
    let back = t + problem.matrix.duration(at, veh.end);
    (back <= veh.shift.close).then_some((starts, back))
}

/// Whether vehicle `v` can serve `jobs` in this order.
fn fits(problem: &Problem, v: usize, jobs: &[usize]) -> bool {
    let load: i64 = jobs.iter().map(|&j| problem.jobs[j].demand).sum();
    load <= problem.vehicles[v].capacity
        && jobs.iter().all(|&j| problem.jobs[j].allows(v))
        && schedule(problem, v, jobs).is_some()
}

fn travel(problem: &Problem, v: usize, jobs: &[usize]) -> i64 {
    let veh = &problem.vehicles[v];
    let mut at = veh.start;
    let mut sum = 0;
    for &j in jobs {
        sum += problem.cost(at, problem.jobs[j].location);
        at = problem.jobs[j].location;
    }
    sum + problem.cost(at, veh.end)
}

/// Turns search results into solutions and ranks them by the objective the caller sees.
pub(crate) struct Finisher<'a> {
    pub problem: &'a Problem,
    /// Why each unservable job is left out (`None` for the others).
    pub reasons: &'a [Option<UnassignedReason>],
}

/// A finished solution and its objective: left-out required jobs (other than unservable ones),
/// then penalties of the other left-out jobs plus travel.
#[derive(Clone, Debug)]
pub(crate) struct Finished {
    pub key: (usize, i64),
    pub solution: Solution,
}

impl Finisher<'_> {
    /// The feasible solution made of `routes` (see [`finish`]) and its objective.
    pub fn finish(&self, routes: Vec<Vec<u32>>) -> Finished {
        let solution = finish(self.problem, routes, self.reasons);
        let mut key = (0, solution.travel);
        for u in solution
            .unassigned
            .iter()
            .filter(|u| self.reasons[u.job].is_none())
        {
            match self.problem.jobs[u.job].penalty {
                Some(p) => key.1 += p,
                None => key.0 += 1,
            }
        }
        Finished { key, solution }
    }
}

/// Builds the final solution from the search's routes.
pub(crate) fn finish(
    problem: &Problem,
    routes: Vec<Vec<u32>>,
    reasons: &[Option<UnassignedReason>],
) -> Solution {
    let mut routes: Vec<Vec<usize>> = routes
        .into_iter()
        .map(|r| r.into_iter().map(|j| j as usize).collect())
        .collect();
    let mut out: Vec<usize> = Vec::new();
    for (v, r) in routes.iter_mut().enumerate() {
        while !r.is_empty() && !fits(problem, v, r) {
            let k = worst_job(problem, v, r);
            out.push(r.remove(k));
        }
    }
    let mut assigned = vec![false; problem.jobs.len()];
    routes.iter().flatten().for_each(|&j| assigned[j] = true);
    // Required jobs first, then the most valuable optional ones.
    let mut left: Vec<usize> = (0..problem.jobs.len())
        .filter(|&j| !assigned[j] && reasons[j].is_none())
        .collect();
    left.sort_by_key(|&j| std::cmp::Reverse(problem.jobs[j].penalty.unwrap_or(i64::MAX)));
    let mut unassigned = Vec::new();
    for j in left {
        match best_feasible_insertion(problem, &routes, j) {
            Some((delta, v, p)) if problem.jobs[j].penalty.is_none_or(|pen| delta < pen) => {
                routes[v].insert(p, j);
            }
            Some(_) => unassigned.push(Unassigned {
                job: j,
                reason: UnassignedReason::PenaltyBelowCost,
            }),
            None => unassigned.push(Unassigned {
                job: j,
                reason: blocked_reason(problem, &routes, j),
            }),
        }
    }
    apply_position_pins(problem, &mut routes);
    for (j, r) in reasons.iter().enumerate() {
        if let Some(reason) = r {
            unassigned.push(Unassigned {
                job: j,
                reason: *reason,
            });
        }
    }
    unassigned.sort_by_key(|u| u.job);
    build(problem, routes, unassigned)
}

/// The job whose removal best reduces the route's violations (optional and cheap ones first).
fn worst_job(problem: &Problem, v: usize, r: &[usize]) -> usize {
    let mut best = (0, (true, i64::MAX));
    for k in 0..r.len() {
        let mut rest = r.to_vec();
        rest.remove(k);
        let penalty = problem.jobs[r[k]].penalty.unwrap_or(i64::MAX);
        let key = (!fits(problem, v, &rest), penalty);
        if key < best.1 {
            best = (k, key);
        }
    }
    if best.1.0 {
        // No single removal suffices: drop the job reached last, where lateness accumulates.
        return r.len() - 1;
    }
    best.0
}

/// Cheapest feasible place for job `j`: (added cost, vehicle, position).
fn best_feasible_insertion(
    problem: &Problem,
    routes: &[Vec<usize>],
    j: usize,
) -> Option<(i64, usize, usize)> {
    let mut best: Option<(i64, usize, usize)> = None;
    let mut trial = Vec::new();
    let job = &problem.jobs[j];
    for (v, r) in routes.iter().enumerate().filter(|(v, _)| job.allows(*v)) {
        // A full vehicle takes nothing more: most routes of a busy plan, checked first.
        let load: i64 = r.iter().map(|&k| problem.jobs[k].demand).sum();
        if load + job.demand > problem.vehicles[v].capacity {
            continue;
        }
        let veh = &problem.vehicles[v];
        let at = |p: usize| problem.jobs[r[p]].location;
        for p in 0..=r.len() {
            // The added travel first (three edges), the schedule only for a better place.
            let prev = if p == 0 { veh.start } else { at(p - 1) };
            let next = if p == r.len() { veh.end } else { at(p) };
            let delta = problem.cost(prev, job.location) + problem.cost(job.location, next)
                - problem.cost(prev, next);
            if best.is_some_and(|b| delta >= b.0) {
                continue;
            }
            trial.clear();
            trial.extend_from_slice(&r[..p]);
            trial.push(j);
            trial.extend_from_slice(&r[p..]);
            if schedule(problem, v, &trial).is_some() {
                best = Some((delta, v, p));
            }
        }
    }
    best
}

/// Why job `j` fits nowhere: no room left in any allowed vehicle, or no time.
fn blocked_reason(problem: &Problem, routes: &[Vec<usize>], j: usize) -> UnassignedReason {
    let has_room = routes.iter().enumerate().any(|(v, r)| {
        let load: i64 = r.iter().map(|&k| problem.jobs[k].demand).sum();
        problem.jobs[j].allows(v) && load + problem.jobs[j].demand <= problem.vehicles[v].capacity
    });
    if has_room {
        UnassignedReason::NoFeasibleInsertion
    } else {
        UnassignedReason::CapacityExhausted
    }
}

/// Moves jobs pinned to a position there, when the route stays feasible.
fn apply_position_pins(problem: &Problem, routes: &mut [Vec<usize>]) {
    for (j, job) in problem.jobs.iter().enumerate() {
        let Some(pin) = job.pin else { continue };
        let (Some(want), Some(r)) = (pin.position, routes.get_mut(pin.vehicle)) else {
            continue;
        };
        let Some(at) = r.iter().position(|&k| k == j) else {
            continue;
        };
        let mut trial = r.clone();
        trial.remove(at);
        trial.insert(want.min(trial.len()), j);
        if fits(problem, pin.vehicle, &trial) {
            *r = trial;
        }
    }
}

/// Schedules the routes and totals the costs.
fn build(problem: &Problem, routes: Vec<Vec<usize>>, unassigned: Vec<Unassigned>) -> Solution {
    let mut solution = Solution::default();
    for (v, jobs) in routes
        .into_iter()
        .enumerate()
        .filter(|(_, r)| !r.is_empty())
    {
        let Some((service_starts, arrival)) = schedule(problem, v, &jobs) else {
            continue;
        };
        let veh = &problem.vehicles[v];
        let first = problem.jobs[jobs[0]].location;
        let departure = service_starts[0] - problem.matrix.duration(veh.start, first);
        let cost = travel(problem, v, &jobs);
        solution.travel += cost;
        solution.routes.push(Route {
            vehicle: v,
            jobs,
            service_starts,
            departure,
            arrival,
            cost,
        });
    }
    solution.penalty = unassigned
        .iter()
        .filter_map(|u| problem.jobs[u.job].penalty)
        .sum();
    solution.unassigned = unassigned;
    solution
}
