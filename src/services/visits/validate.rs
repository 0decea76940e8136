//! The checks of a visit that need no database: the kind and its outcomes, the violation kind,
//! the notes' length, the device's time and position. Each refusal names the field.

use chrono::{DateTime, NaiveDateTime, Utc};

use super::{RecordError, VisitInput, invalid};
use crate::domain::GeoPoint;
use crate::domain::check::CheckKind;
use crate::domain::visit::{ViolationKind, VisitOutcome};

/// What validation makes of the device's fields.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Validated {
    /// The outcome, one of the kind's.
    pub outcome: VisitOutcome,
    /// Home or work.
    pub kind: CheckKind,
    /// The device's time, UTC.
    pub device_at: NaiveDateTime,
    /// The device's point and its accuracy in metres (infinite when not sent).
    pub position: Option<(GeoPoint, f64)>,
}

/// Checks the fields that need no database (public for the fuzz target of the visit API).
pub fn validate(input: &VisitInput, now: NaiveDateTime) -> Result<Validated, RecordError> {
    let Some(kind) = CheckKind::parse(&input.kind) else {
        return invalid("kind", "visit-error-kind");
    };
    let outcome = match VisitOutcome::parse(&input.outcome) {
        Some(o) if VisitOutcome::for_kind(kind).contains(&o) => o,
        _ => return invalid("outcome", "visit-error-outcome"),
    };
    validate_violation(outcome, input.violation_kind.as_deref())?;
    if input
        .notes
        .as_deref()
        .is_some_and(|n| n.chars().count() > 2000)
    {
        return invalid("notes", "visit-error-notes");
    }
    Ok(Validated {
        outcome,
        kind,
        device_at: device_time(&input.recorded_at, now)?,
        position: position(input)?,
    })
}

/// A violation names its kind; no other outcome does.
fn validate_violation(outcome: VisitOutcome, kind: Option<&str>) -> Result<(), RecordError> {
    match (outcome, kind.filter(|v| !v.is_empty())) {
        (VisitOutcome::Violation, Some(v)) if ViolationKind::parse(v).is_some() => Ok(()),
        (VisitOutcome::Violation, _) | (_, Some(_)) => {
            invalid("violation_kind", "visit-error-violation-kind")
        }
        (_, None) => Ok(()),
    }
}

/// The device's time, UTC, within what a device's clock and an offline shift allow.
fn device_time(recorded_at: &str, now: NaiveDateTime) -> Result<NaiveDateTime, RecordError> {
    let Ok(at) = DateTime::parse_from_rfc3339(recorded_at.trim()) else {
        return invalid("recorded_at", "visit-error-time");
    };
    let at = at.with_timezone(&Utc).naive_utc();
    // A tablet may keep a visit for a whole shift offline, or have a clock a little fast; a
    // visit a week old or a day ahead is a broken clock, not a visit.
    if at > now + chrono::Duration::days(1) || at < now - chrono::Duration::days(7) {
        return invalid("recorded_at", "visit-error-time");
    }
    Ok(at)
}

/// The device's point and accuracy: both coordinates or neither.
fn position(input: &VisitInput) -> Result<Option<(GeoPoint, f64)>, RecordError> {
    match (input.lat, input.lon, input.accuracy_m) {
        (None, None, _) => Ok(None),
        (Some(lat), Some(lon), accuracy) => {
            let Ok(point) = GeoPoint::new(lat, lon) else {
                return invalid("lat", "visit-error-position");
            };
            let accuracy = accuracy.unwrap_or(f64::INFINITY);
            if accuracy.is_nan() || accuracy < 0.0 {
                return invalid("accuracy_m", "visit-error-position");
            }
            Ok(Some((point, accuracy)))
        }
        _ => invalid("lat", "visit-error-position"),
    }
}
