//! An independent feasibility checker and cost evaluator. It recomputes every route's schedule,
//! load and cost from the problem alone (ignoring the schedule the solution claims) and lists
//! every violation, so tests and benchmarks never have to trust the solver's own bookkeeping.

use serde::Serialize;

use super::problem::{Problem, Solution};

/// Something a solution does that the problem forbids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Violation {
    /// A route names a vehicle that does not exist.
    UnknownVehicle {
        /// The bad vehicle index.
        vehicle: usize,
    },
    /// Two routes use the same vehicle.
    VehicleUsedTwice {
        /// The vehicle.
        vehicle: usize,
    },
    /// A route or the unassigned list names a job that does not exist.
    UnknownJob {
        /// The bad job index.
        job: usize,
    },
    /// A job is served more than once, or both served and listed as unassigned.
    JobServedTwice {
        /// The job.
        job: usize,
    },
    /// A job is neither served nor listed as unassigned.
    JobMissing {
        /// The job.
        job: usize,
    },
    /// A job rides on a vehicle its allowed set or pin forbids.
    VehicleNotAllowed {
        /// The job.
        job: usize,
        /// The vehicle.
        vehicle: usize,
    },
    /// A job pinned to a position is elsewhere in its route.
    PinPositionMoved {
        /// The job.
        job: usize,
        /// Where it is.
        position: usize,
    },
    /// The vehicle arrives after the last window that could still open.
    TimeWindowMissed {
        /// The job.
        job: usize,
        /// Earliest possible arrival.
        arrival: i64,
    },
    /// The vehicle is back after its shift ends.
    ShiftExceeded {
        /// The vehicle.
        vehicle: usize,
        /// Earliest possible return.
        arrival: i64,
    },
    /// The route carries more than the vehicle holds.
    CapacityExceeded {
        /// The vehicle.
        vehicle: usize,
        /// Total demand of the route.
        load: i64,
    },
    /// The solution's stated travel cost differs from the recomputed one.
    TravelMismatch {
        /// What the solution says.
        claimed: i64,
        /// What the routes cost.
        actual: i64,
    },
}

/// The checker's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Every violation found; empty means feasible.
    pub violations: Vec<Violation>,
    /// Recomputed travel cost of all routes under the problem's objective.
    pub travel: i64,
    /// Penalties of the jobs in no route (required jobs count 0 here but are violations too).
    pub penalty: i64,
    /// Number of non-empty routes.
    pub vehicles_used: usize,
}

impl CheckReport {
    /// True when nothing is violated.
    pub fn is_feasible(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Checks `solution` against `problem`. Required jobs left out are reported as `JobMissing`
/// unless they are in the unassigned list (the solver says why it could not serve them).
pub fn check(problem: &Problem, solution: &Solution) -> CheckReport {
    let mut violations = Vec::new();
    let mut times_seen = vec![0usize; problem.jobs.len()];
    let mut vehicle_seen = vec![false; problem.vehicles.len()];
    let mut travel = 0;
    let mut vehicles_used = 0;
    for route in &solution.routes {
        let v = route.vehicle;
        let Some(seen) = vehicle_seen.get_mut(v) else {
            violations.push(Violation::UnknownVehicle { vehicle: v });
            continue;
        };
        if *seen {
            violations.push(Violation::VehicleUsedTwice { vehicle: v });
        }
        *seen = true;
        if let Some(&bad) = route.jobs.iter().find(|&&j| j >= problem.jobs.len()) {
            violations.push(Violation::UnknownJob { job: bad });
            continue;
        }
        for &j in &route.jobs {
            times_seen[j] += 1;
        }
        vehicles_used += usize::from(!route.jobs.is_empty());
        travel += check_route(problem, v, &route.jobs, &mut violations);
    }
    for u in &solution.unassigned {
        match times_seen.get_mut(u.job) {
            Some(t) => *t += 1,
            None => violations.push(Violation::UnknownJob { job: u.job }),
        }
    }
    for (job, &t) in times_seen.iter().enumerate() {
        match t {
            0 => violations.push(Violation::JobMissing { job }),
            1 => {}
            _ => violations.push(Violation::JobServedTwice { job }),
        }
    }
    if solution.travel != travel {
        violations.push(Violation::TravelMismatch {
            claimed: solution.travel,
            actual: travel,
        });
    }
    let penalty = solution
        .unassigned
        .iter()
        .filter_map(|u| problem.jobs.get(u.job).and_then(|j| j.penalty))
        .sum();
    CheckReport {
        violations,
        travel,
        penalty,
        vehicles_used,
    }
}

/// Simulates one route, leaving at the shift's start and waiting for windows; returns its cost.
fn check_route(problem: &Problem, v: usize, jobs: &[usize], out: &mut Vec<Violation>) -> i64 {
    if jobs.is_empty() {
        return 0;
    }
    let vehicle = &problem.vehicles[v];
    let (mut here, mut clock, mut cost, mut load) = (vehicle.start, vehicle.shift.open, 0, 0);
    for (position, &j) in jobs.iter().enumerate() {
        let job = &problem.jobs[j];
        if !job.allows(v) {
            out.push(Violation::VehicleNotAllowed { job: j, vehicle: v });
        }
        if job
            .pin
            .and_then(|p| p.position)
            .is_some_and(|w| w != position)
        {
            out.push(Violation::PinPositionMoved { job: j, position });
        }
        let arrival = clock + problem.matrix.duration(here, job.location);
        cost += problem.cost(here, job.location);
        let start = match job.time_windows.iter().find(|w| arrival <= w.close) {
            Some(w) => arrival.max(w.open),
            None => {
                out.push(Violation::TimeWindowMissed { job: j, arrival });
                arrival
            }
        };
        clock = start + job.service;
        load += job.demand;
        here = job.location;
    }
    let back = clock + problem.matrix.duration(here, vehicle.end);
    cost += problem.cost(here, vehicle.end);
    if back > vehicle.shift.close {
        out.push(Violation::ShiftExceeded {
            vehicle: v,
            arrival: back,
        });
    }
    if load > vehicle.capacity {
        out.push(Violation::CapacityExceeded { vehicle: v, load });
    }
    cost
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::TravelMatrix;
    use crate::routing::problem::{
        Job, Objective, Pin, Route, TimeWindow, Unassigned, UnassignedReason, Vehicle,
    };

    /// Three jobs on a line at 1, 2 and 3; vehicles at 0; travel = distance = |a - b|.
    fn line_problem() -> Problem {
        let matrix = TravelMatrix::from_fn(4, |a, b| {
            let d = (a as i64 - b as i64).abs();
            (d, d)
        });
        let jobs = (1..4)
            .map(|i| Job::new(i, 1, TimeWindow::new(0, 10), 1))
            .collect();
        let vehicle = Vehicle {
            start: 0,
            end: 0,
            shift: TimeWindow::new(0, 20),
            capacity: 3,
        };
        Problem {
            matrix,
            jobs,
            vehicles: vec![vehicle.clone(), vehicle],
            objective: Objective::Distance,
        }
    }

    fn route(vehicle: usize, jobs: &[usize]) -> Route {
        Route {
            vehicle,
            jobs: jobs.to_vec(),
            service_starts: Vec::new(),
            departure: 0,
            arrival: 0,
            cost: 0,
        }
    }

    fn solution(routes: Vec<Route>, travel: i64) -> Solution {
        Solution {
            routes,
            unassigned: Vec::new(),
            penalty: 0,
            travel,
        }
    }

    #[test]
    fn a_good_solution_passes_with_its_exact_cost() {
        let report = check(&line_problem(), &solution(vec![route(0, &[0, 1, 2])], 6));
        assert_eq!(report.violations, vec![]);
        assert_eq!((report.travel, report.vehicles_used), (6, 1));
    }

    #[test]
    fn a_late_arrival_is_a_missed_time_window() {
        let mut p = line_problem();
        p.jobs[0].time_windows = vec![TimeWindow::new(0, 2)];
        let report = check(&p, &solution(vec![route(0, &[2, 1, 0])], 6));
        assert_eq!(
            report.violations,
            vec![Violation::TimeWindowMissed { job: 0, arrival: 7 }]
        );
    }

    #[test]
    fn a_gap_between_two_windows_is_waited_out_not_violated() {
        let mut p = line_problem();
        p.jobs[0].time_windows = vec![TimeWindow::new(0, 0), TimeWindow::new(5, 6)];
        assert!(check(&p, &solution(vec![route(0, &[0, 1, 2])], 6)).is_feasible());
    }

    #[test]
    fn a_late_return_exceeds_the_shift() {
        let mut p = line_problem();
        p.vehicles[0].shift = TimeWindow::new(0, 5);
        let report = check(&p, &solution(vec![route(0, &[0, 1, 2])], 6));
        assert_eq!(
            report.violations,
            vec![Violation::ShiftExceeded {
                vehicle: 0,
                arrival: 9
            }]
        );
    }

    #[test]
    fn too_much_load_exceeds_capacity() {
        let mut p = line_problem();
        p.vehicles[1].capacity = 2;
        let report = check(&p, &solution(vec![route(1, &[0, 1, 2])], 6));
        assert_eq!(
            report.violations,
            vec![Violation::CapacityExceeded {
                vehicle: 1,
                load: 3
            }]
        );
    }

    #[test]
    fn missing_duplicated_and_unknown_jobs_are_reported() {
        let s = solution(vec![route(0, &[0, 0]), route(1, &[7])], 4);
        let v = check(&line_problem(), &s).violations;
        assert!(v.contains(&Violation::JobServedTwice { job: 0 }));
        assert!(v.contains(&Violation::JobMissing { job: 1 }));
        assert!(v.contains(&Violation::UnknownJob { job: 7 }));
    }

    #[test]
    fn vehicles_that_do_not_exist_or_are_used_twice_are_reported() {
        let s = solution(vec![route(0, &[0]), route(0, &[1]), route(5, &[2])], 6);
        let v = check(&line_problem(), &s).violations;
        assert!(v.contains(&Violation::VehicleUsedTwice { vehicle: 0 }));
        assert!(v.contains(&Violation::UnknownVehicle { vehicle: 5 }));
    }

    #[test]
    fn forbidden_vehicles_and_broken_pins_are_reported() {
        let mut p = line_problem();
        p.jobs[0].allowed_vehicles = Some(vec![1]);
        p.jobs[1].pin = Some(Pin {
            vehicle: 0,
            position: Some(0),
        });
        let v = check(&p, &solution(vec![route(0, &[0, 1, 2])], 6)).violations;
        assert!(v.contains(&Violation::VehicleNotAllowed { job: 0, vehicle: 0 }));
        assert!(v.contains(&Violation::PinPositionMoved {
            job: 1,
            position: 1
        }));
    }

    #[test]
    fn a_wrong_stated_cost_and_left_out_penalties_are_accounted() {
        let mut p = line_problem();
        p.jobs[2].penalty = Some(50);
        let mut s = solution(vec![route(0, &[0, 1])], 5);
        s.unassigned.push(Unassigned {
            job: 2,
            reason: UnassignedReason::PenaltyBelowCost,
        });
        let report = check(&p, &s);
        assert_eq!(
            report.violations,
            vec![Violation::TravelMismatch {
                claimed: 5,
                actual: 4
            }]
        );
        assert_eq!(report.penalty, 50);
    }

    #[test]
    fn travel_and_lateness_are_counted_in_the_direction_driven() {
        // A one-way line: going up costs |a - b|, coming back down costs 10 |a - b|.
        let mut p = line_problem();
        p.matrix = TravelMatrix::from_fn(4, |a, b| {
            let d = (a as i64 - b as i64).abs();
            (
                if b < a { 10 * d } else { d },
                d + 100 * usize::from(b < a) as i64,
            )
        });
        p.objective = Objective::Duration;
        p.vehicles[0].shift = TimeWindow::new(0, 100);
        for job in &mut p.jobs {
            job.time_windows = vec![TimeWindow::new(0, 100)];
        }
        p.jobs[0].time_windows = vec![TimeWindow::new(0, 20)];
        // Up the line and back: 1 + 1 + 1 up, 30 down. Job 0 (at 1) is reached at 1.
        let up = check(&p, &solution(vec![route(0, &[0, 1, 2])], 33));
        assert_eq!((up.violations, up.travel), (vec![], 33));
        // The other way round: 3 up, then 10 + 10 down and 10 back. Job 0 is reached at
        // 3 + 1 + 10 + 1 + 10 = 25, after its window.
        let down = check(&p, &solution(vec![route(0, &[2, 1, 0])], 33));
        assert_eq!(
            (down.violations, down.travel),
            (
                vec![Violation::TimeWindowMissed {
                    job: 0,
                    arrival: 25
                }],
                33
            )
        );
        // Under the distance objective the same routes cost their own directed distances.
        p.objective = Objective::Distance;
        assert_eq!(
            check(&p, &solution(vec![route(0, &[0, 1, 2])], 106)).travel,
            106
        );
        assert_eq!(
            check(&p, &solution(vec![route(0, &[2, 1, 0])], 306)).travel,
            306
        );
    }
}
