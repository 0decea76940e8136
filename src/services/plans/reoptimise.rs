//! Re-optimising a stored plan, and moving a check (which re-optimises the plan around it): the
//! optimiser runs on the plan's checks in memory, and the result is stored only if the plan is
//! still at the version it was read at, and, for a move, only if every pin holds.

use chrono::NaiveDate;

use super::edit::{Applied, PlanEditError, check_of, save};
use super::place::{Effort, current_solution, place};
use super::travel::Travel;
use super::{INTERACTIVE_TIME, PlanTotals, plan_groups};
use crate::db::{self, DbConnection};
use crate::domain::check::{Check, CheckStatus};
use crate::domain::plan::Plan;
use crate::domain::travel::RouteTravel;
use crate::domain::{CheckId, MobileGroupId, PlanId};
use crate::roads::NetworkCache;

/// Re-optimises a stored plan whose version is still `version`: pins stay on their group and
/// day, the optimiser starts from the current routes and gets [`INTERACTIVE_TIME`]; the routes
/// are timed on the plan's own travel source.
pub fn reoptimise(
    conn: &mut DbConnection,
    roads: &NetworkCache,
    plan_id: &PlanId,
    version: i32,
) -> Result<Applied, PlanEditError> {
    let plan = db::plans::find_plan(conn, plan_id)?.ok_or(PlanEditError::PlanNotFound)?;
    if plan.version != version {
        return Err(PlanEditError::Conflict);
    }
    let checks = db::checks::list_for_plan(conn, plan_id)?;
    let result = reoptimised(conn, roads, &plan, checks)?;
    store(conn, &plan, &result)?;
    Ok(Applied::Reoptimised(result.totals))
}

/// A plan's checks and routes after the optimiser ran on them, not yet stored.
struct Reoptimised {
    checks: Vec<Check>,
    totals: PlanTotals,
    routes: Vec<RouteTravel>,
}

/// Runs the optimiser on `checks` (all of `plan`'s, as they would be stored) from their current
/// routes; only planned and published checks move, pins hold their group and day.
fn reoptimised(
    conn: &mut DbConnection,
    roads: &NetworkCache,
    plan: &Plan,
    mut checks: Vec<Check>,
) -> Result<Reoptimised, PlanEditError> {
    let groups = plan_groups(conn, plan)?;
    let districts = db::districts::list_districts(conn)?;
    // Done, missed and cancelled checks keep their place; only planned and published ones move.
    let movable: Vec<usize> = (0..checks.len())
        .filter(|i| checks[*i].status.is_movable())
        .collect();
    let mut subset: Vec<Check> = movable.iter().map(|i| checks[*i].clone()).collect();
    let initial = current_solution(&groups, plan, &subset);
    let effort = Effort {
        time_limit: INTERACTIVE_TIME,
        threads: 1,
        iterations: usize::MAX,
    };
    let travel = Travel::of_plan(conn, roads, &plan.id)?;
    let totals = place(
        (&groups, &districts),
        plan,
        &mut subset,
        Some(initial),
        effort,
        &travel,
    )?;
    for (i, mut check) in movable.iter().zip(subset) {
        if plan.is_published() {
            // Officers see what is placed; what was left out waits for the next plan.
            check.status = if check.is_placed() {
                CheckStatus::Published
            } else {
                CheckStatus::Planned
            };
        }
        checks[*i] = check;
    }
    let routes = travel.routes(&districts, &groups, &checks);
    Ok(Reoptimised {
        checks,
        totals,
        routes,
    })
}

/// Stores a re-optimised plan if it is still at the version it was read at.
fn store(conn: &mut DbConnection, plan: &Plan, result: &Reoptimised) -> Result<(), PlanEditError> {
    save(conn, plan, |conn| {
        result
            .checks
            .iter()
            .try_for_each(|check| db::checks::update_placement(conn, check))?;
        db::plan_travel::save_summary(conn, &plan.id, &result.totals.travel)?;
        db::plan_travel::save_routes(conn, &plan.id, &result.routes, true)
    })
}

/// Moves a check onto a group's route of a day and pins it there, re-optimising the plan around
/// it. All or nothing: the move is stored only if the check is placed where it was put and
/// every check pinned before keeps its place; otherwise nothing changes
/// ([`PlanEditError::NoRoom`]). An earlier pin is a prosecutor's decision too, so a later move
/// never pushes it out.
pub(super) fn move_check(
    conn: &mut DbConnection,
    roads: &NetworkCache,
    plan: &Plan,
    id: &CheckId,
    to: Option<&(MobileGroupId, NaiveDate)>,
) -> Result<Applied, PlanEditError> {
    let check = check_of(conn, plan, id)?;
    let groups = plan_groups(conn, plan)?;
    let fits = to.is_some_and(|(group_id, day)| {
        groups.iter().any(|g| {
            &g.id == group_id
                && plan.covers(*day)
                && g.active_days.includes(*day)
                && g.district_ids.contains(&check.district_id)
        })
    });
    let (Some((group_id, day)), true) = (to, fits) else {
        return Err(PlanEditError::MoveTarget);
    };
    let mut checks = db::checks::list_for_plan(conn, &plan.id)?;
    let pins_before: Vec<(CheckId, (MobileGroupId, NaiveDate))> = checks
        .iter()
        .filter(|c| c.id != check.id)
        .filter_map(|c| c.pin().map(|pin| (c.id.clone(), pin)))
        .collect();
    let target = (group_id.clone(), *day);
    for c in checks.iter_mut().filter(|c| c.id == check.id) {
        // Moved checks are pinned there, and that day becomes their day.
        c.allowed_days = vec![*day];
        c.mobile_group_id = Some(group_id.clone());
        c.planned_date = Some(*day);
        c.position = Some(i32::MAX);
        c.unplaced_reason = None;
        c.pinned = true;
    }
    let result = reoptimised(conn, roads, plan, checks)?;
    let pin_of = |id: &CheckId| {
        result
            .checks
            .iter()
            .find(|c| &c.id == id)
            .and_then(Check::pin)
    };
    let held = pin_of(&check.id) == Some(target)
        && pins_before
            .iter()
            .all(|(id, pin)| pin_of(id).as_ref() == Some(pin));
    if !held {
        return Err(PlanEditError::NoRoom);
    }
    store(conn, plan, &result)?;
    Ok(Applied::Moved)
}
