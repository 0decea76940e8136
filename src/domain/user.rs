//! Users and their roles (DESIGN.md section 1).

use super::{MobileGroupId, UserId, text_enum};

text_enum!(
    /// What a user may do; every route names the roles it admits.
    Role {
        Administrator = "administrator",
        Prosecutor = "prosecutor",
        Supervisor = "supervisor",
        Officer = "officer",
    }
);

/// A signed-in user as the request handlers see them.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// Identifier.
    pub id: UserId,
    /// Sign-in name.
    pub login: String,
    /// Name shown in the UI and the audit log.
    pub full_name: String,
    /// Role.
    pub role: Role,
    /// The mobile group of an officer.
    pub mobile_group_id: Option<MobileGroupId>,
    /// Disabled users cannot sign in and lose their sessions.
    pub is_active: bool,
}
