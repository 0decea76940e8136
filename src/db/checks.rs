//! Checks: one planned visit to a person's home or work, placed on a group's route on a day, or
//! left out with a reason; their status moves from planned to published to done or missed.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::checks;
use super::{DbConnection, now_utc};
use crate::domain::PersonId;
use crate::domain::person::CheckKind;

/// A row of `checks`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = checks)]
#[expect(
    missing_docs,
    reason = "the fields mirror the columns of the migration"
)]
pub struct CheckRow {
    pub id: String,
    pub plan_id: Option<String>,
    pub person_id: String,
    pub kind: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub district_id: String,
    pub due_date: NaiveDate,
    pub allowed_days: String,
    pub window_start_min: i32,
    pub window_end_min: i32,
    pub service_min: i32,
    pub priority: i64,
    pub status: String,
    pub mobile_group_id: Option<String>,
    pub planned_date: Option<NaiveDate>,
    pub position: Option<i32>,
    pub planned_arrival_min: Option<i32>,
    pub unplaced_reason: Option<String>,
    pub pinned: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl CheckRow {
    /// The drawn days.
    pub fn days(&self) -> Vec<NaiveDate> {
        self.allowed_days
            .split(',')
            .filter_map(|d| d.parse().ok())
            .collect()
    }
}

/// Inserts checks.
pub fn insert_all(conn: &mut DbConnection, rows: &[CheckRow]) -> QueryResult<()> {
    // One statement per row: SQLite limits the variables of one statement.
    for row in rows {
        diesel::insert_into(checks::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// The checks of a plan, by day, group and position (unplaced last).
pub fn list_for_plan(conn: &mut DbConnection, plan_id: &str) -> QueryResult<Vec<CheckRow>> {
    checks::table
        .filter(checks::plan_id.eq(plan_id))
        .order((
            checks::planned_date.asc(),
            checks::mobile_group_id.asc(),
            checks::position.asc(),
            checks::priority.desc(),
            checks::id.asc(),
        ))
        .select(CheckRow::as_select())
        .load(conn)
}

/// The check with that id.
pub fn find_check(conn: &mut DbConnection, id: &str) -> QueryResult<Option<CheckRow>> {
    checks::table
        .find(id)
        .select(CheckRow::as_select())
        .first(conn)
        .optional()
}

/// Writes a check's placement (group, day, position, arrival) or its reason for being left out.
pub fn update_placement(conn: &mut DbConnection, row: &CheckRow) -> QueryResult<()> {
    diesel::update(checks::table.find(&row.id))
        .set((
            checks::mobile_group_id.eq(&row.mobile_group_id),
            checks::planned_date.eq(row.planned_date),
            checks::position.eq(row.position),
            checks::planned_arrival_min.eq(row.planned_arrival_min),
            checks::unplaced_reason.eq(&row.unplaced_reason),
            checks::pinned.eq(row.pinned),
            checks::allowed_days.eq(&row.allowed_days),
            checks::status.eq(&row.status),
            checks::updated_at.eq(now_utc()),
        ))
        .execute(conn)
        .map(drop)
}

/// Removes a check from its plan.
pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<usize> {
    diesel::delete(checks::table.find(id)).execute(conn)
}

/// Sets the status of every check of a plan that is placed (publishing).
pub fn set_status_of_placed(
    conn: &mut DbConnection,
    plan_id: &str,
    status: &str,
) -> QueryResult<usize> {
    diesel::update(
        checks::table
            .filter(checks::plan_id.eq(plan_id))
            .filter(checks::planned_date.is_not_null()),
    )
    .set((checks::status.eq(status), checks::updated_at.eq(now_utc())))
    .execute(conn)
}

/// The published checks of a group on a day, in route order (the officer's "today").
pub fn route_of(
    conn: &mut DbConnection,
    group_id: &str,
    date: NaiveDate,
) -> QueryResult<Vec<CheckRow>> {
    checks::table
        .filter(checks::mobile_group_id.eq(group_id))
        .filter(checks::planned_date.eq(date))
        .filter(checks::status.ne_all(["planned", "cancelled"]))
        .order((checks::position.asc(), checks::id.asc()))
        .select(CheckRow::as_select())
        .load(conn)
}

/// The day of the last successful check per person and kind.
pub fn last_done(
    conn: &mut DbConnection,
) -> QueryResult<HashMap<(PersonId, CheckKind), NaiveDate>> {
    let rows: Vec<(String, String, Option<NaiveDate>)> = checks::table
        .filter(checks::status.eq("done"))
        .group_by((checks::person_id, checks::kind))
        .select((
            checks::person_id,
            checks::kind,
            diesel::dsl::max(checks::planned_date),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(person, kind, day)| {
            Some(((PersonId::from(person), CheckKind::parse(&kind)?), day?))
        })
        .collect())
}

/// The window of the latest missed check per person and kind (nobody found), so that the
/// re-check is drawn at another time of day.
pub fn last_missed_windows(
    conn: &mut DbConnection,
) -> QueryResult<HashMap<(PersonId, CheckKind), (u16, u16)>> {
    let rows: Vec<(String, String, i32, i32)> = checks::table
        .filter(checks::status.eq("missed"))
        .order((checks::planned_date.asc(), checks::updated_at.asc()))
        .select((
            checks::person_id,
            checks::kind,
            checks::window_start_min,
            checks::window_end_min,
        ))
        .load(conn)?;
    // Later rows overwrite earlier ones: the latest miss wins.
    Ok(rows
        .into_iter()
        .filter_map(|(person, kind, start, end)| {
            Some((
                (PersonId::from(person), CheckKind::parse(&kind)?),
                (u16::try_from(start).ok()?, u16::try_from(end).ok()?),
            ))
        })
        .collect())
}
