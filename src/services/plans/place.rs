//! Placing a plan's checks with the optimiser: checks -> routing problem -> solution -> each
//! check's group, day, position and arrival (or its reason for being left out); and the stored
//! routes read back as a solution, to start re-optimising from or to check.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Context as _;

use super::PlanTotals;
use super::travel::Travel;
use crate::domain::District;
use crate::domain::check::Check;
use crate::domain::mobile_group::MobileGroup;
use crate::domain::plan::Plan;
use crate::domain::travel::TravelSummary;
use crate::planning::{self, PlanCheck, PlanRequest, plan::BuiltProblem};
use crate::routing::{self, SolverParams};

/// How long and how hard the optimiser may work.
#[derive(Debug, Clone, Copy)]
pub struct Effort {
    /// Time limit.
    pub time_limit: Duration,
    /// Threads.
    pub threads: usize,
    /// Limit on local-search runs (`usize::MAX`: only the time limit).
    pub iterations: usize,
}

/// A check as the pure planner sees it.
pub fn plan_check_of(check: &Check) -> PlanCheck {
    PlanCheck {
        person_id: check.person_id.clone(),
        kind: check.kind,
        location: check.location,
        address: check.address.clone(),
        district_id: check.district_id.clone(),
        days: check.allowed_days.clone(),
        window: check.window(),
        service_min: check.service_min,
        priority: check.priority,
        pin: check.pin(),
    }
}

/// The routing problem of `checks` in `plan` for `groups`, timed on `travel` (`None`: the
/// great circle, for callers that need only the problem's structure), and what it was timed on.
pub fn problem_of(
    plan: &Plan,
    groups: &[MobileGroup],
    districts: &[District],
    checks: &[Check],
    travel: Option<&Travel>,
) -> (BuiltProblem, TravelSummary) {
    let checks: Vec<PlanCheck> = checks.iter().map(plan_check_of).collect();
    let points = planning::locations(groups, &checks);
    // On the great circle the planner prices the legs itself (no second copy of the matrix).
    let (matrix, summary) = match travel {
        Some(t) if t.is_roads() => {
            let (m, s) = t.matrix(districts, &points);
            (Some(m), s)
        }
        _ => (None, Travel::great_circle().summary_of(points.len())),
    };
    let built = planning::build_problem(&PlanRequest {
        from: plan.from_date,
        days: plan.days,
        groups,
        districts,
        checks: &checks,
        travel: matrix.as_ref(),
    });
    (built, summary)
}

/// Places `checks` on the groups' routes, timed on `travel`, and writes each check's placement
/// or reason.
pub fn place(
    (groups, districts): (&[MobileGroup], &[District]),
    plan: &Plan,
    checks: &mut [Check],
    initial: Option<routing::Solution>,
    effort: Effort,
    travel: &Travel,
) -> anyhow::Result<PlanTotals> {
    let (built, summary) = problem_of(plan, groups, districts, checks, Some(travel));
    let params = SolverParams {
        seed: plan.seed,
        time_limit: effort.time_limit,
        threads: effort.threads.max(1),
        iterations: effort.iterations,
        initial,
        ..SolverParams::default()
    };
    let solution =
        routing::solve(&built.problem, &params).context("the optimiser refused the plan")?;
    let report = routing::check::check(&built.problem, &solution);
    anyhow::ensure!(
        report.is_feasible(),
        "the optimiser returned an infeasible plan: {:?}",
        report.violations
    );
    let (routes, unplaced) = planning::read_solution(&built, &solution);
    let mut totals = write_placements(checks, &routes, &unplaced)?;
    totals.travel = summary;
    Ok(totals)
}

/// Puts the solution's routes and reasons on the checks.
fn write_placements(
    checks: &mut [Check],
    routes: &[planning::PlannedRoute],
    unplaced: &[planning::Unplaced],
) -> anyhow::Result<PlanTotals> {
    let mut totals = PlanTotals {
        routes: routes.len(),
        ..PlanTotals::default()
    };
    checks.iter_mut().for_each(Check::clear_placement);
    for route in routes {
        totals.distance_m += route.distance_m;
        totals.driving_s += route.driving_s;
        for (position, stop) in route.stops.iter().enumerate() {
            let check = &mut checks[stop.check];
            check.mobile_group_id = Some(route.group_id.clone());
            check.planned_date = Some(route.date);
            check.position = Some(i32::try_from(position)? + 1);
            check.planned_arrival_min = Some(i32::from(stop.arrival_min));
            totals.placed += 1;
        }
    }
    for u in unplaced {
        checks[u.check].unplaced_reason = Some(u.reason);
        checks[u.check].pinned = false;
        totals.unplaced += 1;
    }
    Ok(totals)
}

/// The current routes of a plan as the optimiser's solution, to start re-optimising from.
pub fn current_solution(
    groups: &[MobileGroup],
    plan: &Plan,
    checks: &[Check],
) -> routing::Solution {
    // Travel speeds do not matter here: only which vehicle holds which job, in which order.
    let (built, _) = problem_of(plan, groups, &[], checks, None);
    let mut by_vehicle: HashMap<usize, Vec<(i32, usize)>> = HashMap::new();
    for (j, check) in checks.iter().enumerate() {
        if let (Some(g), Some(d), Some(p)) =
            (&check.mobile_group_id, check.planned_date, check.position)
            && let Some(v) = built
                .vehicles
                .iter()
                .position(|(vg, vd)| vg == g && *vd == d)
        {
            by_vehicle.entry(v).or_default().push((p, j));
        }
    }
    let routes = by_vehicle
        .into_iter()
        .map(|(vehicle, jobs)| starting_route(&built.problem, vehicle, jobs))
        .collect();
    routing::Solution {
        routes,
        unassigned: Vec::new(),
        penalty: 0,
        travel: 0,
    }
}

/// One vehicle's starting route from its stored `(position, job)` pairs.
fn starting_route(
    problem: &routing::Problem,
    vehicle: usize,
    jobs: Vec<(i32, usize)>,
) -> routing::Route {
    // A check just moved here (position i32::MAX) goes in by its window, not last: after the
    // last stop whose window opens no later (keys: 2p for stops, 2p+1 for it).
    let opens = |j: usize| problem.jobs[j].time_windows.first().map_or(0, |w| w.open);
    let placed: Vec<(i32, usize)> = jobs
        .iter()
        .copied()
        .filter(|(p, _)| *p < i32::MAX)
        .collect();
    let mut jobs: Vec<(i64, usize)> = jobs
        .into_iter()
        .map(|(p, j)| {
            if p < i32::MAX {
                return (2 * i64::from(p), j);
            }
            let after = placed
                .iter()
                .filter(|(_, k)| opens(*k) <= opens(j))
                .map(|(q, _)| *q)
                .max()
                .unwrap_or(0);
            (2 * i64::from(after) + 1, j)
        })
        .collect();
    jobs.sort();
    // Over the shift's capacity (a check moved onto a full route): the least urgent unpinned
    // check leaves the starting routes, so the pin starts where it was put.
    while jobs.len() as i64 > problem.vehicles[vehicle].capacity {
        let Some(drop) = jobs
            .iter()
            .enumerate()
            .filter(|(_, (_, j))| problem.jobs[*j].pin.is_none())
            .min_by_key(|(_, (_, j))| problem.jobs[*j].penalty.unwrap_or(i64::MAX))
            .map(|(i, _)| i)
        else {
            break;
        };
        jobs.remove(drop);
    }
    routing::Route {
        vehicle,
        jobs: jobs.into_iter().map(|(_, j)| j).collect(),
        service_starts: Vec::new(),
        departure: 0,
        arrival: 0,
        cost: 0,
    }
}
