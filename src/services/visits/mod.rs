//! Recording a visit, shared by the field app's API (`PUT /api/v1/visits/{id}`) and its plain
//! form: validation with a message per field (`validate`), the officer's scope (`scope`),
//! exactly-once storage by the device-made id, the check's new status, evidence quality and the
//! follow-ups an outcome opens; and what the officer reads on the way (`route`: today's route
//! and a stop).

use chrono::NaiveDateTime;

use crate::db::audit::{AuditAction, AuditKind, AuditRecord};
use crate::db::visits::VisitRow;
use crate::db::{self, DbConnection};
use crate::domain::check::{CheckKind, CheckStatus};
use crate::domain::user::User;
use crate::domain::visit::{
    FAR_FROM_ADDRESS_M, ViolationKind, Visit, evidence_quality, follow_up_for,
};
use crate::domain::{PersonId, VisitId};

mod correct;
pub mod route;
pub mod scope;
mod validate;

pub use validate::{Validated, validate};

/// A visit as the device sends it. Every field is optional text or number so that any body
/// reaches validation and gets a message naming the field.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct VisitInput {
    /// The check visited; none for an ad-hoc visit.
    pub check_id: Option<String>,
    /// The person.
    pub person_id: String,
    /// home or work.
    pub kind: String,
    /// One of the outcomes of the kind.
    pub outcome: String,
    /// For a violation: intoxication, curfew_breach or other.
    pub violation_kind: Option<String>,
    /// Free text.
    pub notes: Option<String>,
    /// When the officer recorded it, RFC 3339, by the device's clock.
    pub recorded_at: String,
    /// Device position, degrees.
    pub lat: Option<f64>,
    /// Device position, degrees.
    pub lon: Option<f64>,
    /// Device position accuracy, metres.
    pub accuracy_m: Option<f64>,
}

/// Why a visit was not stored.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// A field is wrong: its name and the message key.
    #[error("{field} is wrong: {key}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// Catalogue key.
        key: &'static str,
    },
    /// The person or check is not the officer's group's (the refusal is audited).
    #[error("not the officer's to record")]
    Forbidden,
    /// The id was stored before with other content that is not a correction of it (another
    /// officer's visit, or another check, person or kind).
    #[error("the visit was stored before with other content")]
    Conflict,
    /// The check has a visit already (another id): one outcome per check. `closed`: its
    /// correction window is over too.
    #[error("the check has a visit already")]
    CheckVisited {
        /// The visit on the check, which a correction is sent under.
        visit_id: VisitId,
        /// Whether that visit's correction window is over.
        closed: bool,
    },
    /// A correction (same id, other content) after the correction window: the check is closed.
    #[error("the visit's correction window is over")]
    Closed,
    /// The database or the encoding failed.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// A stored visit and whether this call stored it (false: a resubmission of the same visit).
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The visit as stored.
    pub visit: Visit,
    /// Whether this call created it.
    pub created: bool,
    /// Whether this call corrected it (replaced its outcome within the window).
    pub corrected: bool,
    /// Until when (server time, UTC) it may still be corrected.
    pub correctable_until: NaiveDateTime,
}

fn invalid<T>(field: &'static str, key: &'static str) -> Result<T, RecordError> {
    Err(RecordError::Invalid { field, key })
}

/// Reads the device-made id of a visit (any spelling of a UUID); a message naming the field
/// otherwise.
pub fn parse_id(id: &str) -> Result<VisitId, RecordError> {
    VisitId::parse(id).map_or_else(|| invalid("id", "visit-error-id"), Ok)
}

/// What recording needs besides the visit: the follow-up rule, the correction window, the
/// region's time zone (the visit's day), the server's "now" and the client's address for the
/// audit log.
#[derive(Debug, Clone, Copy)]
pub struct RecordContext<'a> {
    /// Failed checks in a row that open a follow-up.
    pub failures_for_follow_up: u32,
    /// Minutes after a visit is first stored in which its officer may correct it.
    pub correction_minutes: u32,
    /// The region's time zone.
    pub tz: chrono_tz::Tz,
    /// The server's time, UTC (the app's clock).
    pub now: NaiveDateTime,
    /// The client's address.
    pub ip: Option<&'a str>,
}

impl RecordContext<'_> {
    /// Until when a visit first stored at `server_at` may be corrected.
    pub fn correctable_until(&self, server_at: NaiveDateTime) -> NaiveDateTime {
        server_at + chrono::Duration::minutes(i64::from(self.correction_minutes))
    }
}

/// Records a visit by `officer` under the device-made `id`, exactly once, and one visit per
/// check: the same id with the same content answers as the first time; the same id with other
/// content from the same officer within the correction window replaces it (a correction); a
/// second id on a check that has a visit is refused.
pub fn record(
    conn: &mut DbConnection,
    officer: &User,
    id: &VisitId,
    input: &VisitInput,
    context: RecordContext<'_>,
) -> Result<Recorded, RecordError> {
    let now = context.now;
    let validated = validate(input, now)?;
    let payload = serde_json::to_string(input).map_err(anyhow::Error::from)?;
    // A refusal is an answer, not a failure: its audit entry is committed with the transaction.
    db::write_transaction(
        conn,
        |conn| -> anyhow::Result<Result<Recorded, RecordError>> {
            if let Some(stored) = db::visits::find_visit(conn, id)? {
                return correct::resubmitted(conn, officer, stored, input, &validated, context);
            }
            let scope = match in_scope(conn, officer, input, &validated, context)? {
                Ok(scope) => scope,
                Err(refusal) => return Ok(Err(refusal)),
            };
            if let Some(check) = &scope.check
                && let Some(other) = correct::visit_of_check(conn, &check.id)?
            {
                let closed = now > context.correctable_until(other.server_at);
                return Ok(Err(RecordError::CheckVisited {
                    visit_id: other.id,
                    closed,
                }));
            }
            let visit = new_visit(id, officer, input, &scope, &validated, now, payload.clone());
            store(conn, officer, &visit, &scope, context)?;
            Ok(Ok(Recorded {
                correctable_until: context.correctable_until(visit.server_at),
                visit,
                created: true,
                corrected: false,
            }))
        },
    )?
}

/// The id a plain form (made without a device id) records under on `check_id`: the check's
/// visit when `officer` made it (a second tap is its correction), none otherwise (a new id; a
/// second officer's visit is refused as the check's second).
pub fn visit_id_for_form(
    conn: &mut DbConnection,
    officer: &User,
    check_id: &crate::domain::CheckId,
) -> anyhow::Result<Option<VisitId>> {
    Ok(correct::visit_of_check(conn, check_id)?
        .filter(|v| v.officer_id == officer.id)
        .map(|v| v.id))
}

/// The officer's scope for the visit, a refusal audited.
fn in_scope(
    conn: &mut DbConnection,
    officer: &User,
    input: &VisitInput,
    validated: &Validated,
    context: RecordContext<'_>,
) -> anyhow::Result<Result<scope::InScope, RecordError>> {
    let day = chrono::TimeZone::from_utc_datetime(&context.tz, &validated.device_at).date_naive();
    Ok(
        match scope::of_visit(conn, officer, input, validated.kind, day)? {
            Ok(scope) => Ok(scope),
            Err(scope::OutOfScope::Invalid(field, key)) => Err(RecordError::Invalid { field, key }),
            Err(scope::OutOfScope::Denied) => {
                let person = PersonId::from(input.person_id.clone());
                scope::deny(conn, officer, &person, context.ip)?;
                Err(RecordError::Forbidden)
            }
        },
    )
}

/// A new visit: its evidence and whether it was far from the address.
fn new_visit(
    id: &VisitId,
    officer: &User,
    input: &VisitInput,
    scope: &scope::InScope,
    validated: &Validated,
    now: NaiveDateTime,
    payload: String,
) -> Visit {
    let address = match validated.kind {
        CheckKind::Home => Some(scope.person.home),
        CheckKind::Work => scope.person.work.as_ref().map(|w| w.point),
    };
    let point = validated.position;
    let distance_m = match (point, address) {
        (Some((p, _)), Some(a)) => Some(p.distance_m(a)),
        _ => None,
    };
    let accuracy_m = point.map(|(_, a)| a).filter(|a| a.is_finite());
    let skew = (now - validated.device_at).num_seconds();
    let check = scope.check.as_ref();
    Visit {
        id: id.clone(),
        check_id: check.map(|c| c.id.clone()),
        person_id: scope.person.id.clone(),
        kind: validated.kind,
        officer_id: officer.id.clone(),
        mobile_group_id: officer.mobile_group_id.clone(),
        outcome: validated.outcome,
        violation_kind: input
            .violation_kind
            .as_deref()
            .and_then(ViolationKind::parse),
        notes: input.notes.clone().filter(|n| !n.trim().is_empty()),
        device_at: validated.device_at,
        server_at: now,
        position: point.map(|(p, _)| p),
        accuracy_m,
        distance_m,
        far_from_address: distance_m.is_some_and(|d| d >= FAR_FROM_ADDRESS_M),
        evidence: evidence_quality(distance_m, accuracy_m, Some(skew)),
        check_was_cancelled: check.is_some_and(|c| c.status == CheckStatus::Cancelled),
        ad_hoc: check.is_none(),
        payload,
    }
}

/// Stores the visit, the check's new status and any follow-up, and audits the change.
fn store(
    conn: &mut DbConnection,
    officer: &User,
    visit: &Visit,
    scope: &scope::InScope,
    context: RecordContext<'_>,
) -> diesel::QueryResult<()> {
    let failures_before = db::visits::failures_in_a_row(conn, &visit.person_id, visit.kind)?;
    let follow_up = follow_up_for(
        visit.outcome,
        failures_before,
        context.failures_for_follow_up,
    );
    let check_status = scope
        .check
        .as_ref()
        .and_then(|c| c.status.after_visit(visit.outcome.is_success()));
    db::visits::insert(conn, &VisitRow::from(visit), check_status, follow_up)?;
    let record = AuditRecord::by(
        officer,
        context.ip,
        AuditAction::Create,
        AuditKind::Visit,
        visit.id.as_str(),
    );
    let details = serde_json::json!({ "person": visit.person_id, "outcome": visit.outcome });
    db::audit::insert(conn, &record.details(details))
}
