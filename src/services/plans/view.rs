//! A plan as its pages show it: the plan, its checks, the groups and districts to draw them on,
//! and the names of the persons a page shows; reading it is audited as one read of those
//! persons (the plan's summary shows none, a route or a page of left-out checks a few).

use std::collections::HashMap;

use crate::db::{self, DbConnection};
use crate::domain::check::Check;
use crate::domain::mobile_group::MobileGroup;
use crate::domain::plan::Plan;
use crate::domain::travel::{RouteTravel, TravelSummary};
use crate::domain::{District, PlanId};
use crate::services::Actor;

/// What the plan page shows.
#[derive(Debug, Clone)]
pub struct PlanView {
    /// The plan.
    pub plan: Plan,
    /// Its checks, by day, group and position (unplaced last).
    pub checks: Vec<Check>,
    /// The groups planned.
    pub groups: Vec<MobileGroup>,
    /// The region's districts.
    pub districts: Vec<District>,
    /// Full names by person id.
    pub names: HashMap<String, String>,
    /// Where its travel times come from (`None` for a plan made before plans kept it).
    pub travel: Option<TravelSummary>,
    /// Its routes' driving on that source (empty for such an old plan).
    pub routes: Vec<RouteTravel>,
}

/// The plan `plan_id` with the names of all its persons, the read audited as `actor`'s; `None`
/// when there is no such plan.
pub fn view_plan(
    conn: &mut DbConnection,
    plan_id: &PlanId,
    actor: Actor<'_>,
) -> anyhow::Result<Option<PlanView>> {
    view_plan_part(conn, plan_id, actor, |checks| {
        checks.iter().map(|c| c.person_id.to_string()).collect()
    })
}

/// The plan `plan_id` with the names of the persons `shown` picks (their ids) from its
/// checks, the read of those audited as `actor`'s; `None` when there is no such plan.
pub fn view_plan_part(
    conn: &mut DbConnection,
    plan_id: &PlanId,
    actor: Actor<'_>,
    shown: impl FnOnce(&[Check]) -> Vec<String>,
) -> anyhow::Result<Option<PlanView>> {
    let Some(plan) = db::plans::find_plan(conn, plan_id)? else {
        return Ok(None);
    };
    let checks = db::checks::list_for_plan(conn, &plan.id)?;
    let groups = super::plan_groups(conn, &plan)?;
    let districts = db::districts::list_districts(conn)?;
    let ids = shown(&checks);
    let read = db::audit::ListRead {
        via: "plan",
        query: plan.id.as_str(),
        person_ids: &ids,
    };
    db::audit::insert_list_read(conn, actor.user, &read, actor.ip)?;
    let names = db::persons::names_of(conn, &ids)?;
    let travel = db::plan_travel::find_summary(conn, &plan.id)?;
    let routes = db::plan_travel::list_routes(conn, &plan.id)?;
    Ok(Some(PlanView {
        plan,
        checks,
        groups,
        districts,
        names,
        travel,
        routes,
    }))
}
