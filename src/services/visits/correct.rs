//! One outcome per check: a visit's id sent again is the same visit (the same content answers as
//! the first time), or its correction (other content from the same officer within
//! `visit_correction_minutes` of its first storing replaces it, audited as one correction), or,
//! after the window, refused: the check is closed.

use super::{RecordContext, RecordError, Recorded, Validated, VisitInput, in_scope, new_visit};
use crate::db::audit::{AuditAction, AuditKind, AuditRecord};
use crate::db::visits::VisitRow;
use crate::db::{self, DbConnection};
use crate::domain::CheckId;
use crate::domain::check::CheckStatus;
use crate::domain::user::User;
use crate::domain::visit::{Visit, follow_up_for};

/// The visit on a check, if it has one.
pub(super) fn visit_of_check(
    conn: &mut DbConnection,
    check_id: &CheckId,
) -> anyhow::Result<Option<Visit>> {
    Ok(db::corrections::visit_of_check(conn, check_id)?)
}

/// The answer to an id stored before: the same visit, its correction, or a refusal.
pub(super) fn resubmitted(
    conn: &mut DbConnection,
    officer: &User,
    stored: Visit,
    input: &VisitInput,
    validated: &Validated,
    context: RecordContext<'_>,
) -> anyhow::Result<Result<Recorded, RecordError>> {
    let payload = serde_json::to_string(input)?;
    let until = context.correctable_until(stored.server_at);
    if stored.officer_id != officer.id {
        return Ok(Err(RecordError::Conflict));
    }
    if stored.payload == payload {
        return Ok(Ok(Recorded {
            visit: stored,
            created: false,
            corrected: false,
            correctable_until: until,
        }));
    }
    // A correction changes what was found, never which check, person or kind it was found at.
    let same_place = input.check_id.as_deref().filter(|c| !c.is_empty())
        == stored.check_id.as_ref().map(CheckId::as_str)
        && input.person_id == stored.person_id.as_str()
        && validated.kind == stored.kind;
    if !same_place {
        return Ok(Err(RecordError::Conflict));
    }
    if context.now > until {
        return Ok(Err(RecordError::Closed));
    }
    let scope = match in_scope(conn, officer, input, validated, context)? {
        Ok(scope) => scope,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let mut visit = new_visit(
        &stored.id,
        officer,
        input,
        &scope,
        validated,
        context.now,
        payload,
    );
    // The window runs from the first storing; a correction does not extend it.
    visit.server_at = stored.server_at;
    replace(conn, officer, &stored, &visit, context)?;
    Ok(Ok(Recorded {
        visit,
        created: false,
        corrected: true,
        correctable_until: until,
    }))
}

/// Stores the correction, the check's status and follow-ups after it, and one audit entry.
fn replace(
    conn: &mut DbConnection,
    officer: &User,
    stored: &Visit,
    visit: &Visit,
    context: RecordContext<'_>,
) -> anyhow::Result<()> {
    let check = match &visit.check_id {
        Some(id) => db::checks::find_check(conn, id)?,
        None => None,
    };
    // Done and missed follow the outcome both ways; a cancelled check stays cancelled.
    let check_status = check.and_then(|c| match c.status {
        CheckStatus::Done | CheckStatus::Missed if visit.outcome.is_success() => {
            Some(CheckStatus::Done)
        }
        CheckStatus::Done | CheckStatus::Missed => Some(CheckStatus::Missed),
        _ => None,
    });
    let failures =
        db::corrections::failures_in_a_row_except(conn, &visit.person_id, visit.kind, &visit.id)?;
    let follow_up = follow_up_for(visit.outcome, failures, context.failures_for_follow_up);
    db::corrections::replace(conn, &VisitRow::from(visit), check_status, follow_up)?;
    let details = serde_json::json!({
        "person": visit.person_id,
        "correction": true,
        "from": stored.outcome,
        "outcome": visit.outcome,
    });
    let record = AuditRecord::by(
        officer,
        context.ip,
        AuditAction::Update,
        AuditKind::Visit,
        visit.id.as_str(),
    );
    db::audit::insert(conn, &record.details(details))?;
    Ok(())
}
