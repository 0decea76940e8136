//! The field app's plain visit form (without the script), read into the visit the API would
//! have received for the stop's check.

use crate::domain::check::Check;
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
    /// The visit of `check` this form records, made now by the server's clock, without a
    /// position.
    pub fn into_input(self, check: &Check) -> VisitInput {
        VisitInput {
            check_id: Some(check.id.to_string()),
            person_id: check.person_id.to_string(),
            kind: check.kind.to_string(),
            outcome: self.outcome,
            violation_kind: Some(self.violation_kind).filter(|v| !v.is_empty()),
            notes: Some(self.notes),
            recorded_at: chrono::Utc::now().to_rfc3339(),
            lat: None,
            lon: None,
            accuracy_m: None,
        }
    }
}
