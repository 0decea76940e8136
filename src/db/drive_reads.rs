//! What the group report's planned-against-driven part reads (issue 17, item 6): the legs
//! between two stops of published plans' routes as their plans timed them (`plan_legs`), with
//! the district of the stop each leg arrives at and the planned service time at the stop it
//! leaves. Facts only; `crate::reports::groups::drive` compares them with the visits.

use chrono::NaiveDate;
use diesel::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::DbConnection;
use super::schema::{checks, plan_legs, plans};
use crate::domain::plan::PlanStatus;

/// Check ids per `eq_any` list: well under SQLite's and PostgreSQL's limits on bound values.
const ID_BATCH: usize = 1000;

/// A leg from one stop to the next, as its published plan timed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedLegRow {
    /// The stop it arrives at.
    pub check_id: String,
    /// The stop it leaves.
    pub from_check_id: String,
    /// Planned driving, seconds.
    pub driving_s: i64,
    /// The road class most of its time is on; `None` when timed by the straight line.
    pub road_class: Option<String>,
    /// The district of the stop it arrives at.
    pub district_id: String,
    /// The planned service time at the stop it leaves, minutes.
    pub from_service_min: i32,
}

/// The legs between two stops of the published plans' routes of the days `from..=to` (the
/// legs from a base are left out: no visit starts them).
pub fn planned_legs(
    conn: &mut DbConnection,
    (from, to): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<PlannedLegRow>> {
    let published: FxHashSet<String> = plans::table
        .filter(plans::status.eq(PlanStatus::Published.as_str()))
        .select(plans::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    type LegTuple = (String, String, Option<String>, i64, Option<String>);
    let legs: Vec<LegTuple> = plan_legs::table
        .filter(plan_legs::day.ge(from))
        .filter(plan_legs::day.le(to))
        .filter(plan_legs::from_check_id.is_not_null())
        .select((
            plan_legs::plan_id,
            plan_legs::check_id,
            plan_legs::from_check_id,
            plan_legs::driving_s,
            plan_legs::road_class,
        ))
        .load(conn)?;
    let legs: Vec<LegTuple> = legs
        .into_iter()
        .filter(|l| published.contains(&l.0))
        .collect();
    let mut ids: Vec<&str> = legs
        .iter()
        .flat_map(|l| std::iter::once(l.1.as_str()).chain(l.2.as_deref()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut stops: FxHashMap<String, (String, i32)> = FxHashMap::default();
    for chunk in ids.chunks(ID_BATCH) {
        let rows: Vec<(String, String, i32)> = checks::table
            .filter(checks::id.eq_any(chunk))
            .select((checks::id, checks::district_id, checks::service_min))
            .load(conn)?;
        stops.extend(rows.into_iter().map(|(id, d, s)| (id, (d, s))));
    }
    Ok(legs
        .into_iter()
        .filter_map(|(_, check_id, from_check_id, driving_s, road_class)| {
            let from_check_id = from_check_id?;
            let (district_id, _) = stops.get(&check_id)?.clone();
            let (_, from_service_min) = stops.get(&from_check_id)?;
            Some(PlannedLegRow {
                from_service_min: *from_service_min,
                check_id,
                from_check_id,
                driving_s,
                road_class,
                district_id,
            })
        })
        .collect())
}
