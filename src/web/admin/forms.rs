//! What the administration forms add to the form kit (`web::forms`): the audit entry of a
//! change and the redirect that ends a successful POST.

use actix_session::Session;
use actix_web::HttpResponse;

pub use crate::web::forms::{
    Choice, FieldErrors, FieldMessages, FormPairs, checked_line, parse_decimal, parse_integer,
    parse_version, single_line,
};

use crate::db::DbConnection;
use crate::db::audit::{AuditAction, AuditRecord};
use crate::domain::user::User;
use crate::web::render::see_other;
use crate::web::session::SessionData;

/// An audit entry of a change made by an administrator: before and after as JSON.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// Who made it.
    pub actor: &'a User,
    /// Their address.
    pub ip: Option<&'a str>,
    /// Create or update.
    pub action: AuditAction,
    /// `user`, `mobile_group`, `district` or `contact_standard`.
    pub entity_kind: crate::db::audit::AuditKind,
    /// The record's id.
    pub entity_id: &'a str,
    /// The record before (none for a new one).
    pub before: Option<serde_json::Value>,
    /// The record after.
    pub after: serde_json::Value,
}

impl Change<'_> {
    /// Writes the entry.
    pub fn write(&self, conn: &mut DbConnection) -> diesel::QueryResult<()> {
        let details = serde_json::json!({ "before": self.before, "after": self.after });
        let record = AuditRecord::by(
            self.actor,
            self.ip,
            self.action,
            self.entity_kind,
            self.entity_id,
        );
        crate::db::audit::insert(conn, &record.details(details))
    }
}

/// The end of a successful POST: a flash message and `303` to the list.
pub fn done(session: &Session, flash_key: &str, location: &str) -> HttpResponse {
    SessionData(session).set_flash("success", flash_key);
    see_other(location)
}

/// Whether a diesel error is a unique-key clash (two administrators creating the same login or
/// group name at once), which the form reports like any other taken name.
pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
