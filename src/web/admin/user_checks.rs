//! Checks of the user forms: login format, password length, and the role and group rules
//! (officers need a group, other roles have none).

use super::forms::{FieldErrors, checked_line};
use super::users::UserForm;
use crate::accounts;
use crate::domain::MobileGroupId;
use crate::domain::mobile_group::MobileGroup;
use crate::domain::user::Role;

/// Longest login, full name and password accepted.
const MAX_LOGIN: usize = 40;
const MAX_NAME: usize = 200;
const MAX_PASSWORD: usize = 256;

/// Checks name, role and group against the rules (officers need a group, others have none) and
/// the groups that exist. The role and group when they are right.
pub(super) fn check_details(
    form: &UserForm,
    groups: &[MobileGroup],
    errors: &mut FieldErrors,
) -> (String, Option<Role>, Option<MobileGroupId>) {
    let full_name = checked_line(errors, "full_name", &form.full_name, MAX_NAME);
    let role = Role::parse(form.role.trim());
    if role.is_none() {
        errors.add("role", "admin-error-choose");
    }
    let group_id = form.mobile_group.trim();
    let group = groups
        .iter()
        .find(|g| g.id.as_str() == group_id)
        .map(|g| g.id.clone());
    match role {
        Some(Role::Officer) if group_id.is_empty() => {
            errors.add("mobile_group", "admin-error-group-required");
        }
        Some(Role::Officer) if group.is_none() => errors.add("mobile_group", "admin-error-choose"),
        Some(Role::Officer) | None => {}
        Some(_) if !group_id.is_empty() => {
            errors.add("mobile_group", "admin-error-group-not-officer");
        }
        Some(_) => {}
    }
    (
        full_name,
        role,
        group.filter(|_| role == Some(Role::Officer)),
    )
}

/// A login: 2 to 40 Latin letters, digits, `.`, `_` or `-`.
pub(crate) fn check_login(login: &str, errors: &mut FieldErrors) -> String {
    let login = login.trim();
    let is_allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if login.is_empty() {
        errors.add("login", "admin-error-required");
    } else if login.chars().count() < 2
        || login.chars().count() > MAX_LOGIN
        || !login.chars().all(is_allowed)
    {
        errors.add("login", "admin-error-login-format");
    }
    login.to_owned()
}

/// A new password: the rule of `accounts::validate_new_password` (12 characters, not a common
/// one), and not absurdly long (Argon2 reads all of it).
pub(super) fn check_password(field: &'static str, password: &str, errors: &mut FieldErrors) {
    if let Err(key) = accounts::validate_new_password(password) {
        errors.add(field, key);
    } else if password.chars().count() > MAX_PASSWORD {
        errors.add(field, "admin-error-too-long");
    }
}
