//! The field app's plain visit form (without the script), read into the visit the API would
//! have received for the stop's check.

use crate::domain::check::Check;
use crate::domain::visit::VisitOutcome;
use crate::services::visits::VisitInput;

/// The plain visit form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct VisitForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    violation_kind: String,
    #[serde(default)]
    notes: String,
}

impl VisitForm {
    /// The notes as typed.
    pub fn notes(&self) -> &str {
        &self.notes
    }

    /// The visit of `check` this form records, made `now` by the server's clock, without a
    /// position. A violation's kind is its own button (`violation_kind` alone): that is the
    /// outcome "violation". Anything else goes to validation as sent, so that a field no outcome
    /// takes is refused by name rather than dropped.
    pub fn into_input(self, check: &Check, now: chrono::NaiveDateTime) -> VisitInput {
        let outcome = if self.outcome.is_empty() && !self.violation_kind.is_empty() {
            VisitOutcome::Violation.as_str().to_owned()
        } else {
            self.outcome
        };
        VisitInput {
            check_id: Some(check.id.to_string()),
            person_id: check.person_id.to_string(),
            kind: check.kind.to_string(),
            outcome,
            violation_kind: Some(self.violation_kind).filter(|v| !v.is_empty()),
            notes: Some(self.notes),
            recorded_at: now.and_utc().to_rfc3339(),
            lat: None,
            lon: None,
            accuracy_m: None,
        }
    }
}
