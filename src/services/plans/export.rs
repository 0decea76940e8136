//! A stored plan as data (`baqylau plan --json`): per route the ordered stops with their times,
//! then the checks left out and why.

use anyhow::Context as _;
use chrono::NaiveDate;

use crate::db::{self, DbConnection};
use crate::domain::check::{Check, CheckKind, hhmm};
use crate::domain::mobile_group::MobileGroup;
use crate::domain::plan::PlanStatus;
use crate::domain::{CheckId, MobileGroupId, PersonId, PlanId};

/// The whole plan: per route the ordered stops, then the checks left out.
#[derive(Debug, serde::Serialize)]
pub struct PlanExport {
    /// Plan id.
    pub id: PlanId,
    /// First day.
    pub from: NaiveDate,
    /// Days.
    pub days: u32,
    /// draft or published.
    pub status: PlanStatus,
    /// The seed of the plan's draw (`baqylau plan --seed` reproduces it).
    pub seed: u64,
    /// Routes in day and group order.
    pub routes: Vec<RouteExport>,
    /// Checks left out.
    pub unplaced: Vec<UnplacedExport>,
}

/// One route of [`PlanExport`].
#[derive(Debug, serde::Serialize)]
pub struct RouteExport {
    /// Group id.
    pub group_id: MobileGroupId,
    /// Group name.
    pub group: String,
    /// Day.
    pub date: NaiveDate,
    /// Stops in order.
    pub stops: Vec<StopExport>,
}

/// One stop of [`RouteExport`]; times are local `HH:MM`.
#[derive(Debug, serde::Serialize)]
#[expect(missing_docs, reason = "named as the JSON fields the README documents")]
pub struct StopExport {
    pub check_id: CheckId,
    pub person_id: PersonId,
    pub kind: CheckKind,
    pub latitude: f64,
    pub longitude: f64,
    pub window_start: String,
    pub window_end: String,
    pub arrival: String,
    pub departure: String,
    pub address: String,
}

/// One left-out check of [`PlanExport`].
#[derive(Debug, serde::Serialize)]
#[expect(missing_docs, reason = "named as the JSON fields the README documents")]
pub struct UnplacedExport {
    pub check_id: CheckId,
    pub person_id: PersonId,
    pub kind: CheckKind,
    pub reason: String,
}

/// A stored plan as [`PlanExport`].
pub fn export_plan(conn: &mut DbConnection, plan_id: &PlanId) -> anyhow::Result<PlanExport> {
    let plan = db::plans::find_plan(conn, plan_id)?.context("no such plan")?;
    let groups = db::mobile_groups::list_mobile_groups(conn)?;
    let mut routes: Vec<RouteExport> = Vec::new();
    let mut unplaced = Vec::new();
    for check in db::checks::list_for_plan(conn, plan_id)? {
        let (Some(group_id), Some(date), Some(arrival)) = (
            check.mobile_group_id.clone(),
            check.planned_date,
            check.planned_arrival_min,
        ) else {
            unplaced.push(UnplacedExport {
                reason: check
                    .unplaced_reason
                    .map(|r| r.as_str().to_owned())
                    .unwrap_or_default(),
                check_id: check.id,
                person_id: check.person_id,
                kind: check.kind,
            });
            continue;
        };
        let stop = stop_of(check, arrival);
        match routes.last_mut() {
            Some(r) if r.group_id == group_id && r.date == date => r.stops.push(stop),
            _ => routes.push(RouteExport {
                group: group_name(&groups, &group_id),
                group_id,
                date,
                stops: vec![stop],
            }),
        }
    }
    Ok(PlanExport {
        id: plan.id,
        from: plan.from_date,
        days: plan.days,
        status: plan.status,
        seed: plan.seed,
        routes,
        unplaced,
    })
}

fn group_name(groups: &[MobileGroup], id: &MobileGroupId) -> String {
    groups
        .iter()
        .find(|g| &g.id == id)
        .map(|g| g.name.clone())
        .unwrap_or_default()
}

fn stop_of(check: Check, arrival: i32) -> StopExport {
    StopExport {
        latitude: check.location.lat,
        longitude: check.location.lon,
        window_start: hhmm(i32::from(check.window_start_min)),
        window_end: hhmm(i32::from(check.window_end_min)),
        arrival: hhmm(arrival),
        departure: hhmm(arrival + i32::from(check.service_min)),
        check_id: check.id,
        person_id: check.person_id,
        kind: check.kind,
        address: check.address,
    }
}
