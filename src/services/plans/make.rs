//! Making a plan: read the registry, the groups, the standards and past checks; compute and draw
//! the due checks; place them with the optimiser; store the draft plan and its checks.

use chrono::NaiveDateTime;

use super::place::{Effort, place};
use super::travel::{Travel, shared_cache};
use super::{PlanOptions, PlanPhase, PlanTotals, selected_groups};
use crate::db::audit::{AuditAction, AuditKind, AuditRecord};
use crate::db::{self, DbConnection, now_utc};
use crate::domain::check::{Check, CheckStatus};
use crate::domain::mobile_group::MobileGroup;
use crate::domain::plan::{Plan, PlanStatus};
use crate::domain::{CheckId, PlanId, UserId};
use crate::planning::{self, DueCheck, PlanCheck};
use crate::roads::NetworkCache;
use crate::services::Actor;

/// Makes and stores a draft plan, on the imported road network when there is one (loaded
/// through this process's shared cache); returns its id and totals.
pub fn create_plan(
    conn: &mut DbConnection,
    options: &PlanOptions,
    created_by: Option<&UserId>,
) -> anyhow::Result<(PlanId, PlanTotals)> {
    create_plan_with_progress(conn, shared_cache(), options, created_by, &|_| {})
}

/// [`create_plan_with_progress`] for a signed-in user: the plan is theirs, and its making is
/// audited.
pub fn create_plan_for(
    conn: &mut DbConnection,
    roads: &NetworkCache,
    options: &PlanOptions,
    actor: Actor<'_>,
    progress: &dyn Fn(PlanPhase),
) -> anyhow::Result<(PlanId, PlanTotals)> {
    let (id, totals) =
        create_plan_with_progress(conn, roads, options, Some(&actor.user.id), progress)?;
    let details = serde_json::json!({
        "from": options.from, "days": options.days, "totals": totals,
    });
    let record = AuditRecord::by(
        actor.user,
        actor.ip,
        AuditAction::Create,
        AuditKind::Plan,
        id.as_str(),
    );
    db::audit::insert(conn, &record.details(details))?;
    Ok((id, totals))
}

/// [`create_plan`] on the network of `roads`, telling `progress` as each phase begins.
pub fn create_plan_with_progress(
    conn: &mut DbConnection,
    roads: &NetworkCache,
    options: &PlanOptions,
    created_by: Option<&UserId>,
    progress: &dyn Fn(PlanPhase),
) -> anyhow::Result<(PlanId, PlanTotals)> {
    progress(PlanPhase::Reading);
    anyhow::ensure!(
        (1..=14).contains(&options.days),
        "a plan covers 1 to 14 days"
    );
    let all_groups = db::mobile_groups::list_mobile_groups(conn)?;
    let groups = selected_groups(all_groups.clone(), &options.group_ids);
    anyhow::ensure!(!groups.is_empty(), "no mobile group to plan");
    anyhow::ensure!(
        i64::try_from(options.seed).is_ok(),
        "a plan's seed must be below 2^63, got {}",
        options.seed
    );
    let districts = db::districts::list_districts(conn)?;
    let due = due_for_plan(conn, options, &groups, &all_groups)?;
    let now = now_utc();
    let plan = draft(options, &groups, created_by, now);
    let missed = db::checks::last_missed_windows(conn)?;
    let mut checks: Vec<Check> = due
        .iter()
        .map(|d| {
            let avoid = missed.get(&(d.person_id.clone(), d.kind)).copied();
            let drawn = planning::draw(d, options.from, options.days, &groups, options.seed, avoid);
            new_check(&plan, d, drawn, now)
        })
        .collect();
    progress(PlanPhase::Optimising);
    let effort = Effort {
        time_limit: options.time_limit,
        threads: options.threads,
        iterations: options.iterations,
    };
    let travel = Travel::for_new_plan(conn, roads)?;
    let totals = place(
        (&groups, &districts),
        &plan,
        &mut checks,
        None,
        effort,
        &travel,
    )?;
    progress(PlanPhase::Storing);
    let routes = travel.routes(&districts, &groups, &checks);
    db::write_transaction(conn, |conn| {
        db::plans::insert(conn, &plan)?;
        db::checks::insert_all(conn, &checks)?;
        db::plan_travel::save_summary(conn, &plan.id, &totals.travel)?;
        db::plan_travel::save_routes(conn, &plan.id, &routes, true)
    })?;
    Ok((plan.id, totals))
}

/// A new draft plan of `groups` over the options' period, made at `now`.
fn draft(
    options: &PlanOptions,
    groups: &[MobileGroup],
    created_by: Option<&UserId>,
    now: NaiveDateTime,
) -> Plan {
    Plan {
        id: PlanId::new(),
        from_date: options.from,
        days: options.days,
        group_ids: groups.iter().map(|g| g.id.clone()).collect(),
        status: PlanStatus::Draft,
        seed: options.seed,
        version: 1,
        created_by: created_by.cloned(),
        created_at: now,
        updated_at: now,
        published_at: None,
    }
}

/// The checks due in the plan's period, crime-triggered ones raised, that one of `groups` could
/// make (or that no group at all covers, so the plan says so).
fn due_for_plan(
    conn: &mut DbConnection,
    options: &PlanOptions,
    groups: &[MobileGroup],
    all_groups: &[MobileGroup],
) -> anyhow::Result<Vec<DueCheck>> {
    let persons = db::persons::list_all_persons(conn)?;
    let standards = db::contact_standards::list_contact_standards(conn)?;
    let last_done = db::checks::last_done(conn)?;
    let to = options.from + chrono::Duration::days(i64::from(options.days) - 1);
    let mut due = planning::due_checks(&persons, &standards, &last_done, options.from, to);
    let recent_offences = db::offences::points_between(
        conn,
        options.from - chrono::Duration::days(planning::CRIME_WINDOW_DAYS),
        options.from - chrono::Duration::days(1),
    )?;
    planning::raise_crime_triggered(&mut due, &recent_offences);
    // Only checks some planned group could make belong to this plan; the others wait for the
    // plan of their own groups (unless no group at all covers the district: then say so).
    let covers = |groups: &[MobileGroup], d: &DueCheck| {
        groups
            .iter()
            .any(|g| g.district_ids.contains(&d.district_id))
    };
    due.retain(|d| covers(groups, d) || !covers(all_groups, d));
    Ok(due)
}

/// A new, planned check of `plan` for a due check and its draw, made `at`.
pub(super) fn new_check(plan: &Plan, due: &DueCheck, drawn: PlanCheck, at: NaiveDateTime) -> Check {
    Check {
        id: CheckId::new(),
        plan_id: Some(plan.id.clone()),
        person_id: due.person_id.clone(),
        kind: due.kind,
        address: due.address.clone(),
        location: due.location,
        district_id: due.district_id.clone(),
        due_date: due.due,
        allowed_days: drawn.days,
        window_start_min: drawn.window.0,
        window_end_min: drawn.window.1,
        service_min: drawn.service_min,
        priority: drawn.priority,
        status: CheckStatus::Planned,
        mobile_group_id: None,
        planned_date: None,
        position: None,
        planned_arrival_min: None,
        unplaced_reason: None,
        pinned: false,
        created_at: at,
        updated_at: at,
    }
}
