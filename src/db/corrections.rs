//! A visit's correction as stored: the visit row replaced in place (its id and first server time
//! kept), the check's status set from the new outcome, and the follow-ups the first outcome
//! opened replaced by the ones the new outcome calls for, in the caller's transaction.

use diesel::prelude::*;

use super::DbConnection;
use super::rows::convert_all;
use super::schema::visits;
use super::visits::VisitRow;
use crate::domain::check::CheckKind;
use crate::domain::check::CheckStatus;
use crate::domain::visit::{FollowUpReason, Visit, VisitOutcome};
use crate::domain::{CheckId, PersonId, VisitId};

/// The first visit stored on a check (one outcome per check: there is at most one, apart from
/// history recorded before the rule).
pub fn visit_of_check(conn: &mut DbConnection, check_id: &CheckId) -> QueryResult<Option<Visit>> {
    let rows = visits::table
        .filter(visits::check_id.eq(check_id.as_str()))
        .order((visits::server_at.asc(), visits::id.asc()))
        .limit(1)
        .select(VisitRow::as_select())
        .load(conn)?;
    Ok(convert_all(rows)?.into_iter().next())
}

/// Failed visits of this person and kind since their last successful one (of the last 50),
/// leaving out the visit `except` (the one being corrected).
pub fn failures_in_a_row_except(
    conn: &mut DbConnection,
    person_id: &PersonId,
    kind: CheckKind,
    except: &VisitId,
) -> QueryResult<u32> {
    let outcomes: Vec<String> = visits::table
        .filter(visits::person_id.eq(person_id.as_str()))
        .filter(visits::kind.eq(kind.as_str()))
        .filter(visits::id.ne(except.as_str()))
        .order((visits::device_at.desc(), visits::id.desc()))
        .limit(50)
        .select(visits::outcome)
        .load(conn)?;
    // As `visits::failures_in_a_row`: only a known success ends the run.
    Ok(outcomes
        .iter()
        .take_while(|o| !VisitOutcome::parse(o).is_some_and(VisitOutcome::is_success))
        .count() as u32)
}

/// Replaces the stored visit `row.id` with `row` (all but its id, officer, check, person and
/// first server time), sets the check's status when given, and swaps the open follow-ups the
/// visit opened for `follow_up`.
pub fn replace(
    conn: &mut DbConnection,
    row: &VisitRow,
    check_status: Option<CheckStatus>,
    follow_up: Option<FollowUpReason>,
) -> QueryResult<()> {
    diesel::update(visits::table.find(&row.id))
        .set((
            visits::outcome.eq(&row.outcome),
            visits::violation_kind.eq(&row.violation_kind),
            visits::notes.eq(&row.notes),
            visits::device_at.eq(row.device_at),
            visits::lat.eq(row.lat),
            visits::lon.eq(row.lon),
            visits::accuracy_m.eq(row.accuracy_m),
            visits::distance_m.eq(row.distance_m),
            visits::far_from_address.eq(row.far_from_address),
            visits::evidence.eq(&row.evidence),
            visits::payload.eq(&row.payload),
        ))
        .execute(conn)?;
    // The first outcome was a slip the officer corrected within minutes: what it raised is taken
    // back (what someone already took up stays), and the corrected outcome raises its own.
    super::follow_ups::withdraw(conn, &row.id)?;
    super::visits::settle(conn, row, check_status, follow_up)
}
