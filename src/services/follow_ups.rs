//! Handling follow-ups: assign one to a prosecutor, close it with an outcome and a note. Each
//! change checks the version the prosecutor saw, runs in one write transaction with its audit
//! entry (before and after), and says why when it is refused.

use chrono::NaiveDateTime;

use super::Actor;
use crate::db::audit::{AuditAction, AuditKind, AuditRecord};
use crate::db::follow_ups::{Closing, FollowUpRow};
use crate::db::{self, DbConnection};
use crate::domain::UserId;
use crate::domain::follow_up::{FollowUpOutcome, FollowUpRefusal, FollowUpStatus};
use crate::domain::user::Role;

/// What a change came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    /// Stored and audited.
    Done,
    /// Refused; nothing was written.
    Refused(FollowUpRefusal),
    /// No follow-up has that id.
    Missing,
}

/// A change to make.
#[derive(Debug, Clone)]
pub enum FollowUpChange {
    /// Assign to a prosecutor, or to nobody.
    Assign(Option<UserId>),
    /// Close with an outcome and a note.
    Close {
        /// What came of it.
        outcome: FollowUpOutcome,
        /// The prosecutor's note.
        note: String,
    },
}

/// Whether `user` may be given follow-ups: an active prosecutor.
pub fn is_assignable(conn: &mut DbConnection, user: &UserId) -> diesel::QueryResult<bool> {
    Ok(db::users::find_user_row(conn, user)?
        .is_some_and(|u| u.is_active && u.role == Role::Prosecutor.as_str()))
}

fn snapshot(row: &FollowUpRow) -> serde_json::Value {
    serde_json::json!({
        "status": row.status,
        "assigned_to": row.assigned_to,
        "outcome": row.outcome,
        "note": row.note,
        "version": row.version,
    })
}

/// Makes a change to follow-up `id` as the prosecutor saw it at `version`.
pub fn change(
    conn: &mut DbConnection,
    actor: Actor<'_>,
    id: &str,
    version: i32,
    change: &FollowUpChange,
    now: NaiveDateTime,
) -> diesel::QueryResult<Handled> {
    db::write_transaction(conn, |conn| {
        let Some(before) = db::follow_ups::find(conn, id)? else {
            return Ok(Handled::Missing);
        };
        if before.status != FollowUpStatus::Open.as_str() {
            return Ok(Handled::Refused(FollowUpRefusal::AlreadyClosed));
        }
        if before.version != version {
            return Ok(Handled::Refused(FollowUpRefusal::Changed));
        }
        let changed = match write(conn, actor, id, version, change, now)? {
            Ok(changed) => changed,
            Err(refusal) => return Ok(Handled::Refused(refusal)),
        };
        if changed == 0 {
            return Ok(Handled::Refused(FollowUpRefusal::Changed));
        }
        let Some(after) = db::follow_ups::find(conn, id)? else {
            return Ok(Handled::Missing);
        };
        let details = serde_json::json!({
            "person": before.person_id,
            "reason": before.reason,
            "before": snapshot(&before),
            "after": snapshot(&after),
        });
        let record = AuditRecord::by(
            actor.user,
            actor.ip,
            AuditAction::Update,
            AuditKind::FollowUp,
            id,
        );
        db::audit::insert(conn, &record.details(details))?;
        Ok(Handled::Done)
    })
}

/// Writes `change` to follow-up `id` at `version` under its kind's rule: the rows changed (0 when
/// another change came first), or why it is refused.
fn write(
    conn: &mut DbConnection,
    actor: Actor<'_>,
    id: &str,
    version: i32,
    change: &FollowUpChange,
    now: NaiveDateTime,
) -> diesel::QueryResult<Result<usize, FollowUpRefusal>> {
    Ok(Ok(match change {
        FollowUpChange::Assign(to) => {
            if let Some(user) = to
                && !is_assignable(conn, user)?
            {
                return Ok(Err(FollowUpRefusal::NotAnAssignee));
            }
            db::follow_ups::assign(conn, id, version, to.as_ref(), now)?
        }
        FollowUpChange::Close { outcome, note } => {
            let closing = Closing {
                version,
                outcome: *outcome,
                note,
                by: &actor.user.id,
                at: now,
            };
            db::follow_ups::close(conn, id, &closing)?
        }
    }))
}
