//! Adding an urgent check to a plan by the person's IIN: any day of the period a covering group
//! works, a drawn window, a priority above any routine check; then the plan is re-optimised
//! around it.

use super::edit::{Applied, PlanEditError};
use super::make::new_check;
use super::plan_groups;
use super::reoptimise::reoptimise;
use crate::db::{self, DbConnection, now_utc};
use crate::domain::check::CheckKind;
use crate::domain::person::RiskTier;
use crate::domain::plan::Plan;
use crate::planning::{self, DueCheck};
use crate::roads::NetworkCache;

/// Adds a check of the person with `iin` of `kind` to `plan` (read at the version the edit was
/// made on) and re-optimises.
pub(super) fn add_check(
    conn: &mut DbConnection,
    roads: &NetworkCache,
    plan: &Plan,
    iin: &str,
    kind: CheckKind,
) -> Result<Applied, PlanEditError> {
    let Some(person) = db::persons::find_by_iin(conn, iin.trim())? else {
        return Err(PlanEditError::UnknownPerson);
    };
    let checks = db::checks::list_for_plan(conn, &plan.id)?;
    if checks
        .iter()
        .any(|c| c.person_id == person.id && c.kind == kind)
    {
        return Err(PlanEditError::AlreadyPlanned);
    }
    let (location, address) = match (kind, &person.work) {
        (CheckKind::Home, _) => (person.home, person.home_address.clone()),
        (CheckKind::Work, Some(w)) => (w.point, format!("{} — {}", w.employer, w.address)),
        (CheckKind::Work, None) => return Err(PlanEditError::NoWorkplace),
    };
    let groups = plan_groups(conn, plan)?;
    let due = DueCheck {
        person_id: person.id.clone(),
        kind,
        location,
        address,
        district_id: person.district_id.clone(),
        curfew: person.curfew.filter(|_| kind == CheckKind::Home),
        earliest: plan.from_date,
        due: plan.from_date,
        overdue_days: 0,
        risk_tier: person.risk_tier,
        // Urgent: above any routine check.
        priority: planning::due_checks::priority(RiskTier::High, 60, 4 * 3600),
    };
    let drawn = planning::draw(&due, plan.from_date, plan.days, &groups, plan.seed, None);
    let check = new_check(plan, &due, drawn, now_utc());
    let added = db::plans::change_if_current(conn, &plan.id, plan.version, |conn| {
        db::checks::insert_all(conn, std::slice::from_ref(&check))
    })?;
    if !added {
        return Err(PlanEditError::Conflict);
    }
    reoptimise(conn, roads, &plan.id, plan.version + 1)?;
    Ok(Applied::Added)
}
