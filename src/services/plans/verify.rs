//! Checking a stored plan with the independent checker (`routing::check`): the stored routes,
//! re-timed from the problem alone, must keep every window, shift, capacity, allowed day and
//! district, and every pin.

use std::collections::HashSet;

use anyhow::Context as _;

use super::place::{current_solution, problem_of};
use super::plan_groups;
use super::travel::{Travel, shared_cache};
use crate::db::{self, DbConnection};
use crate::domain::PlanId;
use crate::routing;

/// The violations found in a stored plan (none for a sound plan), its routes re-timed on the
/// plan's own travel source (through the process's shared network cache).
pub fn check_stored(conn: &mut DbConnection, plan_id: &PlanId) -> anyhow::Result<Vec<String>> {
    let plan = db::plans::find_plan(conn, plan_id)?.context("no such plan")?;
    let groups = plan_groups(conn, &plan)?;
    let districts = db::districts::list_districts(conn)?;
    let checks = db::checks::list_for_plan(conn, plan_id)?;
    let travel = Travel::of_plan(conn, shared_cache(), plan_id)?;
    let (built, _) = problem_of(&plan, &groups, &districts, &checks, Some(&travel));
    let mut solution = current_solution(&groups, &plan, &checks);
    let placed: HashSet<usize> = solution
        .routes
        .iter()
        .flat_map(|r| r.jobs.iter().copied())
        .collect();
    solution.unassigned = (0..checks.len())
        .filter(|j| !placed.contains(j))
        .map(|job| routing::Unassigned {
            job,
            reason: routing::UnassignedReason::NoFeasibleInsertion,
        })
        .collect();
    let report = routing::check::check(&built.problem, &solution);
    // Stored plans keep no route costs, so a cost mismatch says nothing here.
    let mut problems: Vec<String> = report
        .violations
        .iter()
        .filter(|v| !matches!(v, routing::check::Violation::TravelMismatch { .. }))
        .map(|v| format!("{v:?}"))
        .collect();
    for (j, check) in checks.iter().enumerate() {
        if placed.contains(&j) && check.planned_arrival_min.is_none() {
            problems.push(format!(
                "check {} is placed without an arrival time",
                check.id
            ));
        }
    }
    Ok(problems)
}
