//! Visits as stored: inserted once per device-made id (a resubmission with the same content is
//! recognised, a different one refused), with the check's outcome and the follow-ups it opens
//! written in the same transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rows::{BadRow, convert_all, word};
use super::schema::{checks, follow_ups, visits};
use super::{DbConnection, now_utc};
use crate::domain::check::{CheckKind, CheckStatus};
use crate::domain::visit::{
    EvidenceQuality, FollowUpReason, FollowUpStatus, ViolationKind, Visit, VisitOutcome,
};
use crate::domain::{CheckId, GeoPoint, MobileGroupId, PersonId, UserId, VisitId};

/// A row of `visits`; [`Visit`] is what the rest of the crate works with.
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

impl TryFrom<VisitRow> for Visit {
    type Error = BadRow;

    fn try_from(row: VisitRow) -> Result<Self, BadRow> {
        const T: &str = "visits";
        let position = match (row.lat, row.lon) {
            (None, None) => None,
            (Some(lat), Some(lon)) => Some(
                GeoPoint::new(lat, lon).map_err(|e| BadRow::new(T, "lat, lon", (lat, lon, e)))?,
            ),
            (lat, lon) => return Err(BadRow::new(T, "lat, lon", (lat, lon))),
        };
        Ok(Visit {
            id: word(VisitId::parse(&row.id), T, "id", &row.id)?,
            kind: word(CheckKind::parse(&row.kind), T, "kind", &row.kind)?,
            outcome: word(
                VisitOutcome::parse(&row.outcome),
                T,
                "outcome",
                &row.outcome,
            )?,
            violation_kind: match row.violation_kind {
                None => None,
                Some(v) => Some(word(ViolationKind::parse(&v), T, "violation_kind", &v)?),
            },
            evidence: word(
                EvidenceQuality::parse(&row.evidence),
                T,
                "evidence",
                &row.evidence,
            )?,
            position,
            check_id: row.check_id.map(CheckId::from),
            person_id: PersonId::from(row.person_id),
            officer_id: UserId::from(row.officer_id),
            mobile_group_id: row.mobile_group_id.map(MobileGroupId::from),
            notes: row.notes,
            device_at: row.device_at,
            server_at: row.server_at,
            accuracy_m: row.accuracy_m,
            distance_m: row.distance_m,
            far_from_address: row.far_from_address,
            check_was_cancelled: row.check_was_cancelled,
            ad_hoc: row.ad_hoc,
            payload: row.payload,
        })
    }
}

impl From<&Visit> for VisitRow {
    fn from(visit: &Visit) -> Self {
        VisitRow {
            id: visit.id.to_string(),
            check_id: visit.check_id.as_ref().map(ToString::to_string),
            person_id: visit.person_id.to_string(),
            kind: visit.kind.as_str().to_owned(),
            officer_id: visit.officer_id.to_string(),
            mobile_group_id: visit.mobile_group_id.as_ref().map(ToString::to_string),
            outcome: visit.outcome.as_str().to_owned(),
            violation_kind: visit.violation_kind.map(|v| v.as_str().to_owned()),
            notes: visit.notes.clone(),
            device_at: visit.device_at,
            server_at: visit.server_at,
            lat: visit.position.map(|p| p.lat),
            lon: visit.position.map(|p| p.lon),
            accuracy_m: visit.accuracy_m,
            distance_m: visit.distance_m,
            far_from_address: visit.far_from_address,
            evidence: visit.evidence.as_str().to_owned(),
            check_was_cancelled: visit.check_was_cancelled,
            ad_hoc: visit.ad_hoc,
            payload: visit.payload.clone(),
        }
    }
}

/// The visit with that id.
pub fn find_visit(conn: &mut DbConnection, id: &VisitId) -> QueryResult<Option<Visit>> {
    let row = visits::table
        .find(id.as_str())
        .select(VisitRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(Visit::try_from).transpose()?)
}

/// The newest visits of a person.
pub fn list_for_person(
    conn: &mut DbConnection,
    person_id: &PersonId,
    limit: i64,
) -> QueryResult<Vec<Visit>> {
    let rows = visits::table
        .filter(visits::person_id.eq(person_id.as_str()))
        .order((visits::device_at.desc(), visits::id.desc()))
        .limit(limit)
        .select(VisitRow::as_select())
        .load(conn)?;
    convert_all(rows)
}

/// Failed visits of this person and kind since their last successful one (of the last 50).
pub fn failures_in_a_row(
    conn: &mut DbConnection,
    person_id: &PersonId,
    kind: CheckKind,
) -> QueryResult<u32> {
    let outcomes: Vec<String> = visits::table
        .filter(visits::person_id.eq(person_id.as_str()))
        .filter(visits::kind.eq(kind.as_str()))
        .order((visits::device_at.desc(), visits::id.desc()))
        .limit(50)
        .select(visits::outcome)
        .load(conn)?;
    // A word no outcome has counts as a failure: only a known success ends the run.
    Ok(outcomes
        .iter()
        .take_while(|o| !VisitOutcome::parse(o).is_some_and(VisitOutcome::is_success))
        .count() as u32)
}

/// Stores a visit (as a row: [`VisitRow::from`] makes one of a [`Visit`]), the check's new
/// status and, when called for, an open follow-up, in the caller's transaction.
pub fn insert(
    conn: &mut DbConnection,
    row: &VisitRow,
    check_status: Option<CheckStatus>,
    follow_up: Option<FollowUpReason>,
) -> QueryResult<()> {
    diesel::insert_into(visits::table)
        .values(row)
        .execute(conn)?;
    settle(conn, row, check_status, follow_up)
}

/// What a stored (or corrected) visit does to the rest: its check's new status, and the
/// follow-up its outcome raises.
pub(super) fn settle(
    conn: &mut DbConnection,
    row: &VisitRow,
    check_status: Option<CheckStatus>,
    follow_up: Option<FollowUpReason>,
) -> QueryResult<()> {
    if let (Some(check), Some(status)) = (&row.check_id, check_status) {
        diesel::update(checks::table.find(check))
            .set((
                checks::status.eq(status.as_str()),
                checks::updated_at.eq(now_utc()),
            ))
            .execute(conn)?;
    }
    if let Some(reason) = follow_up {
        super::follow_ups::raise(
            conn,
            &super::follow_ups::Cause {
                person_id: &row.person_id,
                reason,
                visit_id: &row.id,
                at: row.server_at,
            },
        )?;
    }
    Ok(())
}

/// Open follow-ups of a person: why, and when opened.
pub fn open_follow_ups(
    conn: &mut DbConnection,
    person_id: &PersonId,
) -> QueryResult<Vec<(FollowUpReason, NaiveDateTime)>> {
    let rows: Vec<(String, NaiveDateTime)> = follow_ups::table
        .filter(follow_ups::person_id.eq(person_id.as_str()))
        .filter(follow_ups::status.eq(FollowUpStatus::Open.as_str()))
        .order(follow_ups::created_at.desc())
        .select((follow_ups::reason, follow_ups::created_at))
        .load(conn)?;
    rows.into_iter()
        .map(|(reason, at)| {
            let reason = word(
                FollowUpReason::parse(&reason),
                "follow_ups",
                "reason",
                &reason,
            )?;
            Ok((reason, at))
        })
        .collect()
}
