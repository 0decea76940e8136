//! Checks: one planned visit to a person's home or work, placed on a group's route on a day, or
//! left out with a reason; their status moves from planned to published to done or missed.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::rows::{BadRow, convert_all, small, word};
use super::schema::checks;
use super::{DbConnection, now_utc};
use crate::domain::check::{Check, CheckKind, CheckStatus, UnplacedReason};
use crate::domain::{CheckId, DistrictId, GeoPoint, MobileGroupId, PersonId, PlanId};

/// A row of `checks`; [`Check`] is what the rest of the crate works with.
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

impl TryFrom<CheckRow> for Check {
    type Error = BadRow;

    fn try_from(row: CheckRow) -> Result<Self, BadRow> {
        const T: &str = "checks";
        Ok(Check {
            kind: word(CheckKind::parse(&row.kind), T, "kind", &row.kind)?,
            status: word(CheckStatus::parse(&row.status), T, "status", &row.status)?,
            location: GeoPoint::new(row.lat, row.lon)
                .map_err(|e| BadRow::new(T, "lat, lon", (row.lat, row.lon, e)))?,
            allowed_days: parse_days(&row.allowed_days)?,
            window_start_min: small(row.window_start_min, T, "window_start_min")?,
            window_end_min: small(row.window_end_min, T, "window_end_min")?,
            service_min: small(row.service_min, T, "service_min")?,
            unplaced_reason: match row.unplaced_reason {
                None => None,
                Some(r) => Some(word(UnplacedReason::parse(&r), T, "unplaced_reason", &r)?),
            },
            id: CheckId::from(row.id),
            plan_id: row.plan_id.map(PlanId::from),
            person_id: PersonId::from(row.person_id),
            address: row.address,
            district_id: DistrictId::from(row.district_id),
            due_date: row.due_date,
            priority: row.priority,
            mobile_group_id: row.mobile_group_id.map(MobileGroupId::from),
            planned_date: row.planned_date,
            position: row.position,
            planned_arrival_min: row.planned_arrival_min,
            pinned: row.pinned,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

impl From<&Check> for CheckRow {
    fn from(check: &Check) -> Self {
        CheckRow {
            id: check.id.to_string(),
            plan_id: check.plan_id.as_ref().map(ToString::to_string),
            person_id: check.person_id.to_string(),
            kind: check.kind.as_str().to_owned(),
            address: check.address.clone(),
            lat: check.location.lat,
            lon: check.location.lon,
            district_id: check.district_id.to_string(),
            due_date: check.due_date,
            allowed_days: join_days(&check.allowed_days),
            window_start_min: i32::from(check.window_start_min),
            window_end_min: i32::from(check.window_end_min),
            service_min: i32::from(check.service_min),
            priority: check.priority,
            status: check.status.as_str().to_owned(),
            mobile_group_id: check.mobile_group_id.as_ref().map(ToString::to_string),
            planned_date: check.planned_date,
            position: check.position,
            planned_arrival_min: check.planned_arrival_min,
            unplaced_reason: check.unplaced_reason.map(|r| r.as_str().to_owned()),
            pinned: check.pinned,
            created_at: check.created_at,
            updated_at: check.updated_at,
        }
    }
}

/// The drawn days as stored: ISO dates joined by commas (empty: no day left).
fn join_days(days: &[NaiveDate]) -> String {
    days.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_days(text: &str) -> Result<Vec<NaiveDate>, BadRow> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|d| {
            d.parse()
                .map_err(|e| BadRow::new("checks", "allowed_days", (text, e)))
        })
        .collect()
}

/// Inserts checks.
pub fn insert_all(conn: &mut DbConnection, checks: &[Check]) -> QueryResult<()> {
    // One statement per row: SQLite limits the variables of one statement.
    for check in checks {
        diesel::insert_into(checks::table)
            .values(CheckRow::from(check))
            .execute(conn)?;
    }
    Ok(())
}

/// The checks of a plan, by day, group and position (unplaced last).
pub fn list_for_plan(conn: &mut DbConnection, plan_id: &PlanId) -> QueryResult<Vec<Check>> {
    let rows = checks::table
        .filter(checks::plan_id.eq(plan_id.as_str()))
        .order((
            checks::planned_date.asc(),
            checks::mobile_group_id.asc(),
            checks::position.asc(),
            checks::priority.desc(),
            checks::id.asc(),
        ))
        .select(CheckRow::as_select())
        .load(conn)?;
    convert_all(rows)
}

/// The check with that id.
pub fn find_check(conn: &mut DbConnection, id: &CheckId) -> QueryResult<Option<Check>> {
    let row = checks::table
        .find(id.as_str())
        .select(CheckRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(Check::try_from).transpose()?)
}

/// Writes a check's placement (group, day, position, arrival) or its reason for being left out,
/// its pin, its days and its status.
pub fn update_placement(conn: &mut DbConnection, check: &Check) -> QueryResult<()> {
    let row = CheckRow::from(check);
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
pub fn delete(conn: &mut DbConnection, id: &CheckId) -> QueryResult<usize> {
    diesel::delete(checks::table.find(id.as_str())).execute(conn)
}

/// Sets the status of every check of a plan that is placed (publishing).
pub fn set_status_of_placed(
    conn: &mut DbConnection,
    plan_id: &PlanId,
    status: CheckStatus,
) -> QueryResult<usize> {
    // Only checks that may take the new status: publishing again must not turn a done or
    // missed check back into a published one (it would drop out of coverage).
    let from: Vec<&str> = CheckStatus::ALL
        .iter()
        .filter(|s| s.can_become(status))
        .map(|s| s.as_str())
        .collect();
    diesel::update(
        checks::table
            .filter(checks::plan_id.eq(plan_id.as_str()))
            .filter(checks::planned_date.is_not_null())
            .filter(checks::status.eq_any(from)),
    )
    .set((
        checks::status.eq(status.as_str()),
        checks::updated_at.eq(now_utc()),
    ))
    .execute(conn)
}

/// The published checks of a group on a day, in route order (the officer's "today"): those
/// on the route, not the cancelled ones.
pub fn route_of(
    conn: &mut DbConnection,
    group_id: &MobileGroupId,
    date: NaiveDate,
) -> QueryResult<Vec<Check>> {
    let off_route: Vec<&str> = CheckStatus::ALL
        .iter()
        .filter(|s| !s.is_on_route())
        .map(|s| s.as_str())
        .collect();
    let rows = checks::table
        .filter(checks::mobile_group_id.eq(group_id.as_str()))
        .filter(checks::planned_date.eq(date))
        .filter(checks::status.ne_all(off_route))
        .order((checks::position.asc(), checks::id.asc()))
        .select(CheckRow::as_select())
        .load(conn)?;
    convert_all(rows)
}

/// The day of the last successful check per person and kind.
pub fn last_done(
    conn: &mut DbConnection,
) -> QueryResult<HashMap<(PersonId, CheckKind), NaiveDate>> {
    let rows: Vec<(String, String, Option<NaiveDate>)> = checks::table
        .filter(checks::status.eq(CheckStatus::Done.as_str()))
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
        .filter(checks::status.eq(CheckStatus::Missed.as_str()))
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
