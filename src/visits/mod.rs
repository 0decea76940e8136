//! Recording a visit, shared by the field app's API (`PUT /api/v1/visits/{id}`) and its plain
//! form: validation with a message per field, the officer's scope, exactly-once storage by the
//! device-made id, the check's new status, evidence quality and the follow-ups an outcome opens.

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::db::audit::{AuditAction, AuditRecord};
use crate::db::visits::VisitRow;
use crate::db::{self, DbConnection, now_utc};
use crate::domain::GeoPoint;
use crate::domain::person::CheckKind;
use crate::domain::user::User;
use crate::domain::visit::{
    FAR_FROM_ADDRESS_M, ViolationKind, VisitOutcome, evidence_quality, follow_up_for,
};

pub mod scope;

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    /// A field is wrong: its name and the message key.
    Invalid {
        /// The field.
        field: &'static str,
        /// Catalogue key.
        key: &'static str,
    },
    /// The person or check is not the officer's group's.
    Forbidden,
    /// The id was stored before with other content.
    Conflict,
}

/// A stored visit and whether this call stored it (false: a resubmission of the same visit).
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The visit as stored.
    pub visit: VisitRow,
    /// Whether this call created it.
    pub created: bool,
}

fn invalid<T>(field: &'static str, key: &'static str) -> Result<T, RecordError> {
    Err(RecordError::Invalid { field, key })
}

/// The one spelling a visit id is stored under: lowercase and hyphenated. The same UUID written
/// in upper case, without hyphens, in braces or as `urn:uuid:` is the same visit, so a device
/// (or an attacker) resending it another way cannot store it twice.
pub fn canonical_id(id: &str) -> Option<String> {
    uuid::Uuid::parse_str(id.trim())
        .ok()
        .map(|u| u.hyphenated().to_string())
}

/// What validation makes of the device's fields: outcome, kind, device time, and the point with
/// its accuracy.
pub type Validated = (
    VisitOutcome,
    CheckKind,
    NaiveDateTime,
    Option<(GeoPoint, f64)>,
);

/// Checks the fields that need no database (public for the fuzz target of the visit API).
pub fn validate(
    id: &str,
    input: &VisitInput,
    now: NaiveDateTime,
) -> Result<Validated, RecordError> {
    if canonical_id(id).is_none() {
        return invalid("id", "visit-error-id");
    }
    let Some(kind) = CheckKind::parse(&input.kind) else {
        return invalid("kind", "visit-error-kind");
    };
    let outcome = match VisitOutcome::parse(&input.outcome) {
        Some(o) if VisitOutcome::for_kind(kind).contains(&o) => o,
        _ => return invalid("outcome", "visit-error-outcome"),
    };
    match (
        outcome,
        input.violation_kind.as_deref().filter(|v| !v.is_empty()),
    ) {
        (VisitOutcome::Violation, Some(v)) if ViolationKind::parse(v).is_some() => {}
        (VisitOutcome::Violation, _) => {
            return invalid("violation_kind", "visit-error-violation-kind");
        }
        (_, Some(_)) => return invalid("violation_kind", "visit-error-violation-kind"),
        (_, None) => {}
    }
    if input
        .notes
        .as_deref()
        .is_some_and(|n| n.chars().count() > 2000)
    {
        return invalid("notes", "visit-error-notes");
    }
    let Ok(at) = DateTime::parse_from_rfc3339(input.recorded_at.trim()) else {
        return invalid("recorded_at", "visit-error-time");
    };
    let at = at.with_timezone(&Utc).naive_utc();
    // A tablet may keep a visit for a whole shift offline, or have a clock a little fast; a
    // visit a week old or a day ahead is a broken clock, not a visit.
    if at > now + chrono::Duration::days(1) || at < now - chrono::Duration::days(7) {
        return invalid("recorded_at", "visit-error-time");
    }
    let point = match (input.lat, input.lon, input.accuracy_m) {
        (None, None, _) => None,
        (Some(lat), Some(lon), accuracy) => {
            let Ok(point) = GeoPoint::new(lat, lon) else {
                return invalid("lat", "visit-error-position");
            };
            let accuracy = accuracy.unwrap_or(f64::INFINITY);
            if accuracy.is_nan() || accuracy < 0.0 {
                return invalid("accuracy_m", "visit-error-position");
            }
            Some((point, accuracy))
        }
        _ => return invalid("lat", "visit-error-position"),
    };
    Ok((outcome, kind, at, point))
}

/// What recording needs besides the visit: the follow-up rule, the region's time zone (the
/// visit's day) and the client's address for the audit log.
#[derive(Debug, Clone, Copy)]
pub struct RecordContext<'a> {
    /// Failed checks in a row that open a follow-up.
    pub failures_for_follow_up: u32,
    /// The region's time zone.
    pub tz: chrono_tz::Tz,
    /// The client's address.
    pub ip: Option<&'a str>,
}

/// Why a stored visit deserves the officer's attention at once (the answer names them; never a
/// distance to an address the officer may not see).
pub fn flags_of(visit: &VisitRow) -> Vec<&'static str> {
    let mut flags = Vec::new();
    if visit.far_from_address {
        flags.push("far_from_address");
    }
    match visit.accuracy_m {
        _ if visit.lat.is_none() => flags.push("no_position"),
        Some(accuracy) if accuracy > crate::domain::visit::POOR_ACCURACY_M => {
            flags.push("poor_accuracy");
        }
        None => flags.push("poor_accuracy"),
        Some(_) => {}
    }
    flags
}

/// Records a visit by `officer` under the device-made `id`, exactly once (any spelling of the
/// id is stored as its canonical form).
pub fn record(
    conn: &mut DbConnection,
    officer: &User,
    id: &str,
    input: &VisitInput,
    context: RecordContext<'_>,
) -> anyhow::Result<Result<Recorded, RecordError>> {
    let now = now_utc();
    let (outcome, kind, device_at, point) = match validate(id, input, now) {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    let Some(id) = canonical_id(id) else {
        return Ok(invalid("id", "visit-error-id"));
    };
    let payload = serde_json::to_string(input)?;
    let day = chrono::TimeZone::from_utc_datetime(&context.tz, &device_at).date_naive();
    db::write_transaction(conn, |conn| {
        if let Some(stored) = db::visits::find_visit(conn, &id)? {
            return Ok(
                if stored.payload == payload && stored.officer_id == officer.id.as_str() {
                    Ok(Recorded {
                        visit: stored,
                        created: false,
                    })
                } else {
                    Err(RecordError::Conflict)
                },
            );
        }
        let scope = match scope::of_visit(conn, officer, input, kind, day)? {
            Ok(scope) => scope,
            Err(scope::OutOfScope::Invalid(field, key)) => return Ok(invalid(field, key)),
            Err(scope::OutOfScope::Denied) => {
                deny(conn, officer, &input.person_id, context.ip)?;
                return Ok(Err(RecordError::Forbidden));
            }
        };
        let row = visit_row(
            &id,
            officer,
            input,
            &scope,
            (outcome, kind, device_at, point),
            now,
            payload.clone(),
        );
        store(conn, officer, &row, &scope, outcome, context)?;
        Ok(Ok(Recorded {
            visit: row,
            created: true,
        }))
    })
}

/// The row of a new visit: its evidence and whether it was far from the address.
fn visit_row(
    id: &str,
    officer: &User,
    input: &VisitInput,
    scope: &scope::InScope,
    (outcome, kind, device_at, point): Validated,
    now: NaiveDateTime,
    payload: String,
) -> VisitRow {
    let address = match kind {
        CheckKind::Home => Some(scope.person.home),
        CheckKind::Work => scope.person.work.as_ref().map(|w| w.point),
    };
    let distance_m = match (point, address) {
        (Some((p, _)), Some(a)) => Some(p.distance_m(a)),
        _ => None,
    };
    let skew = (now - device_at).num_seconds();
    let evidence = evidence_quality(
        distance_m,
        point.map(|(_, a)| a).filter(|a| a.is_finite()),
        Some(skew),
    );
    let check = scope.check.as_ref();
    VisitRow {
        id: id.to_owned(),
        check_id: check.map(|c| c.id.clone()),
        person_id: input.person_id.clone(),
        kind: kind.as_str().to_owned(),
        officer_id: officer.id.as_str().to_owned(),
        mobile_group_id: officer
            .mobile_group_id
            .as_ref()
            .map(|g| g.as_str().to_owned()),
        outcome: outcome.as_str().to_owned(),
        violation_kind: input.violation_kind.clone().filter(|v| !v.is_empty()),
        notes: input.notes.clone().filter(|n| !n.trim().is_empty()),
        device_at,
        server_at: now,
        lat: point.map(|(p, _)| p.lat),
        lon: point.map(|(p, _)| p.lon),
        accuracy_m: point.map(|(_, a)| a).filter(|a| a.is_finite()),
        distance_m,
        far_from_address: distance_m.is_some_and(|d| d >= FAR_FROM_ADDRESS_M),
        evidence: evidence.as_str().to_owned(),
        check_was_cancelled: check.is_some_and(|c| c.status == "cancelled"),
        ad_hoc: check.is_none(),
        payload,
    }
}

/// Stores the visit, the check's new status and any follow-up, and audits the change.
fn store(
    conn: &mut DbConnection,
    officer: &User,
    row: &VisitRow,
    scope: &scope::InScope,
    outcome: VisitOutcome,
    context: RecordContext<'_>,
) -> diesel::QueryResult<()> {
    let successes: Vec<&str> = VisitOutcome::ALL
        .iter()
        .filter(|o| o.is_success())
        .map(|o| o.as_str())
        .collect();
    let failures_before =
        db::visits::failures_in_a_row(conn, &row.person_id, &row.kind, &successes)?;
    let follow_up = follow_up_for(outcome, failures_before, context.failures_for_follow_up);
    let check_status = match (&scope.check, outcome.is_success()) {
        (None, _) => None,
        (Some(c), _) if c.status == "cancelled" || c.status == "done" => None,
        (Some(_), true) => Some("done"),
        (Some(_), false) => Some("missed"),
    };
    db::visits::insert(conn, row, check_status, follow_up.map(|f| f.as_str()))?;
    db::audit::insert(
        conn,
        &AuditRecord {
            user: Some(officer),
            login: &officer.login,
            action: AuditAction::Create,
            entity_kind: "visit",
            entity_id: Some(&row.id),
            ip: context.ip,
            details: Some(
                serde_json::json!({ "person": row.person_id, "outcome": row.outcome }).to_string(),
            ),
        },
    )
}

/// Writes the refusal of a person's record to the audit log.
pub fn deny(
    conn: &mut DbConnection,
    officer: &User,
    person_id: &str,
    ip: Option<&str>,
) -> diesel::QueryResult<()> {
    db::audit::insert(
        conn,
        &AuditRecord {
            user: Some(officer),
            login: &officer.login,
            action: AuditAction::Denied,
            entity_kind: "person",
            entity_id: Some(person_id),
            ip,
            details: None,
        },
    )
}
