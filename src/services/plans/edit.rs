//! Changing a stored plan. Every edit names the version it was made on: made on an older one it
//! is refused ([`PlanEditError::Conflict`]), never applied over someone else's change. A change
//! that moves checks re-optimises the plan at once, so the routes' times stay true. Applied
//! edits are written to the audit log. Re-optimising, and the move that re-optimises around
//! the moved check, are in `reoptimise`.

use chrono::NaiveDate;

use super::travel::Travel;
use super::{PlanTotals, plan_groups};
use crate::db::audit::{AuditAction, AuditKind, AuditRecord};
use crate::db::{self, DbConnection};
use crate::domain::check::{Check, CheckKind, CheckStatus};
use crate::domain::plan::Plan;
use crate::domain::travel::RouteTravel;
use crate::domain::{CheckId, MobileGroupId, PlanId};
use crate::roads::NetworkCache;
use crate::services::Actor;

/// A change to a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanEdit {
    /// Its placed checks become what officers see (again, after changes).
    Publish,
    /// The optimiser runs again from the current routes; pins hold.
    Reoptimise,
    /// The check leaves the plan.
    Remove(CheckId),
    /// The check stays on its group and day whatever the optimiser does.
    Pin(CheckId),
    /// The optimiser may move the check again.
    Unpin(CheckId),
    /// Pins an unpinned check, unpins a pinned one (the plan page's one button).
    TogglePin(CheckId),
    /// The check goes to a group's route on a day and is pinned there; `to` is `None` when the
    /// request named no readable target (refused like a wrong one).
    Move {
        /// The check.
        check: CheckId,
        /// The group and day.
        to: Option<(MobileGroupId, NaiveDate)>,
    },
    /// An urgent check of the person with this IIN joins the plan, above any routine check.
    Add {
        /// The person's IIN, as typed.
        iin: String,
        /// Home or work.
        kind: CheckKind,
    },
}

/// What an applied edit did.
#[derive(Debug, Clone)]
pub enum Applied {
    /// Published.
    Published,
    /// Re-optimised.
    Reoptimised(PlanTotals),
    /// A check removed.
    Removed,
    /// A check pinned or unpinned.
    PinChanged,
    /// A check moved and placed where it was put.
    Moved,
    /// A check added.
    Added,
}

impl Applied {
    /// The stable word of the change: the audit log's and the message's key.
    pub fn key(&self) -> &'static str {
        match self {
            Applied::Published => "plan-published",
            Applied::Reoptimised(_) => "plan-reoptimised",
            Applied::Removed => "plan-check-removed",
            Applied::PinChanged => "plan-pin-changed",
            Applied::Moved => "plan-check-moved",
            Applied::Added => "plan-check-added",
        }
    }
}

/// Why an edit was not applied (nothing was written).
#[derive(Debug, thiserror::Error)]
pub enum PlanEditError {
    /// No plan has that id.
    #[error("no such plan")]
    PlanNotFound,
    /// The plan has no check with that id.
    #[error("no such check in the plan")]
    CheckNotFound,
    /// The plan changed since the version the edit was made on.
    #[error("the plan changed since that version")]
    Conflict,
    /// Only a placed check can be pinned.
    #[error("a check left out cannot be pinned")]
    PinUnplaced,
    /// The target is not a working day of the plan of a group covering the check's district.
    #[error("no such group and day for this check")]
    MoveTarget,
    /// The moved check does not fit that route (its window against the shift, or beside the
    /// checks already pinned there); nothing was changed.
    #[error("the check does not fit that route beside the checks pinned there")]
    NoRoom,
    /// No person has that IIN.
    #[error("no person has that IIN")]
    UnknownPerson,
    /// A work check of a person without a workplace.
    #[error("the person has no workplace")]
    NoWorkplace,
    /// The plan already holds that check.
    #[error("the plan already holds that check")]
    AlreadyPlanned,
    /// The database failed.
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    /// The optimiser or a read failed.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Applies `edit` to the plan if it is still at `version`, and audits it as `actor`'s.
pub fn apply(
    conn: &mut DbConnection,
    roads: &NetworkCache,
    plan_id: &PlanId,
    version: i32,
    edit: PlanEdit,
    actor: Actor<'_>,
) -> Result<Applied, PlanEditError> {
    let plan = db::plans::find_plan(conn, plan_id)?.ok_or(PlanEditError::PlanNotFound)?;
    if plan.version != version {
        return Err(PlanEditError::Conflict);
    }
    let applied = match &edit {
        PlanEdit::Publish => publish(conn, plan_id, version)?
            .then_some(Applied::Published)
            .ok_or(PlanEditError::Conflict)?,
        PlanEdit::Reoptimise => super::reoptimise::reoptimise(conn, roads, plan_id, version)?,
        PlanEdit::Remove(check) => remove(conn, roads, &plan, check)?,
        PlanEdit::Pin(check) => set_pin(conn, &plan, check, Some(true))?,
        PlanEdit::Unpin(check) => set_pin(conn, &plan, check, Some(false))?,
        PlanEdit::TogglePin(check) => set_pin(conn, &plan, check, None)?,
        PlanEdit::Move { check, to } => {
            super::reoptimise::move_check(conn, roads, &plan, check, to.as_ref())?
        }
        PlanEdit::Add { iin, kind } => super::add::add_check(conn, roads, &plan, iin, *kind)?,
    };
    let details = audit_details(&edit, &applied);
    let record = AuditRecord::by(
        actor.user,
        actor.ip,
        AuditAction::Update,
        AuditKind::Plan,
        plan_id.as_str(),
    );
    db::audit::insert(conn, &record.details(details))?;
    Ok(applied)
}

/// Publishes a plan whose version is still `version`: its placed checks become what officers
/// see. `false` when the version moved on.
pub fn publish(
    conn: &mut DbConnection,
    plan_id: &PlanId,
    version: i32,
) -> diesel::QueryResult<bool> {
    db::plans::change_if_current(conn, plan_id, version, |conn| {
        db::plans::publish(conn, plan_id)?;
        db::checks::set_status_of_placed(conn, plan_id, CheckStatus::Published).map(drop)
    })
}

/// The check `id` of `plan`.
pub(super) fn check_of(
    conn: &mut DbConnection,
    plan: &Plan,
    id: &CheckId,
) -> Result<Check, PlanEditError> {
    db::checks::find_check(conn, id)?
        .filter(|c| c.plan_id.as_ref() == Some(&plan.id))
        .ok_or(PlanEditError::CheckNotFound)
}

/// Writes `change` if the plan is still at the version it was read at.
pub(super) fn save(
    conn: &mut DbConnection,
    plan: &Plan,
    change: impl FnOnce(&mut DbConnection) -> diesel::QueryResult<()>,
) -> Result<(), PlanEditError> {
    if db::plans::change_if_current(conn, &plan.id, plan.version, change)? {
        Ok(())
    } else {
        Err(PlanEditError::Conflict)
    }
}

/// Removes a check; the others keep their places and times, and its route's driving is
/// re-timed on the plan's travel source (the route now goes straight past where it was).
fn remove(
    conn: &mut DbConnection,
    roads: &NetworkCache,
    plan: &Plan,
    id: &CheckId,
) -> Result<Applied, PlanEditError> {
    let check = check_of(conn, plan, id)?;
    let mut route = Vec::new();
    if let (Some(group_id), Some(day)) = (&check.mobile_group_id, check.planned_date) {
        let groups = plan_groups(conn, plan)?;
        let districts = db::districts::list_districts(conn)?;
        let mut rest = db::checks::list_for_plan(conn, &plan.id)?;
        rest.retain(|c| {
            c.id != check.id
                && c.mobile_group_id.as_ref() == Some(group_id)
                && c.planned_date == Some(day)
        });
        let travel = Travel::of_plan(conn, roads, &plan.id)?;
        route = travel.routes(&districts, &groups, &rest);
        if route.is_empty() {
            // The route emptied: no driving that day.
            route.push(RouteTravel {
                group_id: group_id.clone(),
                date: day,
                distance_m: 0,
                driving_s: 0,
                legs: Vec::new(),
            });
        }
    }
    save(conn, plan, |conn| {
        db::checks::delete(conn, &check.id)?;
        db::plan_travel::save_routes(conn, &plan.id, &route, false)
    })?;
    Ok(Applied::Removed)
}

/// Pins (`Some(true)`), unpins (`Some(false)`) or toggles (`None`) a placed check.
fn set_pin(
    conn: &mut DbConnection,
    plan: &Plan,
    id: &CheckId,
    pinned: Option<bool>,
) -> Result<Applied, PlanEditError> {
    let mut check = check_of(conn, plan, id)?;
    if !check.is_placed() {
        return Err(PlanEditError::PinUnplaced);
    }
    check.pinned = pinned.unwrap_or(!check.pinned);
    save(conn, plan, |conn| {
        db::checks::update_placement(conn, &check)
    })?;
    Ok(Applied::PinChanged)
}

/// What the audit log says of an applied edit.
fn audit_details(edit: &PlanEdit, applied: &Applied) -> serde_json::Value {
    match edit {
        PlanEdit::Add { kind, .. } => serde_json::json!({ "change": applied.key(), "kind": kind }),
        PlanEdit::Publish | PlanEdit::Reoptimise => {
            serde_json::json!({ "change": applied.key(), "check": null })
        }
        PlanEdit::Remove(check)
        | PlanEdit::Pin(check)
        | PlanEdit::Unpin(check)
        | PlanEdit::TogglePin(check)
        | PlanEdit::Move { check, .. } => {
            serde_json::json!({ "change": applied.key(), "check": check })
        }
    }
}
