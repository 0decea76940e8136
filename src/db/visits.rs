//! Visits as stored: inserted once per device-made id (a resubmission with the same content is
//! recognised, a different one refused), with the check's outcome and the follow-ups it opens
//! written in the same transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{checks, follow_ups, visits};
use super::{DbConnection, now_utc};
use crate::domain::FollowUpId;

/// A row of `visits`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = visits)]
#[expect(
    missing_docs,
    reason = "the fields mirror the columns of the migration"
)]
pub struct VisitRow {
    pub id: String,
    pub check_id: Option<String>,
    pub person_id: String,
    pub kind: String,
    pub officer_id: String,
    pub mobile_group_id: Option<String>,
    pub outcome: String,
    pub violation_kind: Option<String>,
    pub notes: Option<String>,
    pub device_at: NaiveDateTime,
    pub server_at: NaiveDateTime,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub distance_m: Option<f64>,
    pub far_from_address: bool,
    pub evidence: String,
    pub check_was_cancelled: bool,
    pub ad_hoc: bool,
    pub payload: String,
}

/// The visit with that id.
pub fn find_visit(conn: &mut DbConnection, id: &str) -> QueryResult<Option<VisitRow>> {
    visits::table
        .find(id)
        .select(VisitRow::as_select())
        .first(conn)
        .optional()
}

/// The newest visits of a person.
pub fn list_for_person(
    conn: &mut DbConnection,
    person_id: &str,
    limit: i64,
) -> QueryResult<Vec<VisitRow>> {
    visits::table
        .filter(visits::person_id.eq(person_id))
        .order((visits::device_at.desc(), visits::id.desc()))
        .limit(limit)
        .select(VisitRow::as_select())
        .load(conn)
}

/// Failed visits of this person and kind since their last successful one.
pub fn failures_in_a_row(
    conn: &mut DbConnection,
    person_id: &str,
    kind: &str,
    successes: &[&str],
) -> QueryResult<u32> {
    let outcomes: Vec<String> = visits::table
        .filter(visits::person_id.eq(person_id))
        .filter(visits::kind.eq(kind))
        .order((visits::device_at.desc(), visits::id.desc()))
        .limit(50)
        .select(visits::outcome)
        .load(conn)?;
    Ok(outcomes
        .iter()
        .take_while(|o| !successes.contains(&o.as_str()))
        .count() as u32)
}

/// Stores a visit, the check's new status and, when called for, a follow-up.
pub fn insert(
    conn: &mut DbConnection,
    row: &VisitRow,
    check_status: Option<&str>,
    follow_up: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(visits::table)
        .values(row)
        .execute(conn)?;
    if let (Some(check), Some(status)) = (&row.check_id, check_status) {
        diesel::update(checks::table.find(check))
            .set((checks::status.eq(status), checks::updated_at.eq(now_utc())))
            .execute(conn)?;
    }
    if let Some(reason) = follow_up {
        diesel::insert_into(follow_ups::table)
            .values((
                follow_ups::id.eq(FollowUpId::new().as_str()),
                follow_ups::person_id.eq(&row.person_id),
                follow_ups::visit_id.eq(Some(&row.id)),
                follow_ups::reason.eq(reason),
                follow_ups::status.eq("open"),
                follow_ups::created_at.eq(row.server_at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Open follow-ups of a person: (reason, opened at).
pub fn open_follow_ups(
    conn: &mut DbConnection,
    person_id: &str,
) -> QueryResult<Vec<(String, NaiveDateTime)>> {
    follow_ups::table
        .filter(follow_ups::person_id.eq(person_id))
        .filter(follow_ups::status.eq("open"))
        .order(follow_ups::created_at.desc())
        .select((follow_ups::reason, follow_ups::created_at))
        .load(conn)
}

/// Whether the officer's group has a check of this person (in any plan), so the officer may see
/// the person; or the officer recorded them ad hoc.
pub fn officer_may_see(
    conn: &mut DbConnection,
    person_id: &str,
    group_id: Option<&str>,
    officer_id: &str,
) -> QueryResult<bool> {
    if let Some(group) = group_id {
        let on_checks: i64 = checks::table
            .filter(checks::person_id.eq(person_id))
            .filter(checks::mobile_group_id.eq(group))
            .filter(checks::status.ne("planned"))
            .count()
            .get_result(conn)?;
        if on_checks > 0 {
            return Ok(true);
        }
    }
    let ad_hoc: i64 = visits::table
        .filter(visits::person_id.eq(person_id))
        .filter(visits::officer_id.eq(officer_id))
        .count()
        .get_result(conn)?;
    Ok(ad_hoc > 0)
}
