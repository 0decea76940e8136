//! Every page the app links or redirects to, typed: a constant for a fixed page, a function
//! taking the record's id for one of a record. Handlers and views build their links here
//! instead of typing URLs, so a moved page is changed in two places (this file and the route
//! table in `web/mod.rs`), and `tests/app/routes.rs` checks each of these against the table.

use std::fmt::Display;

use chrono::NaiveDate;

use crate::domain::{CheckId, FollowUpId, MobileGroupId, PersonId, PlanId, UserId};

/// Sign-in.
pub const SIGN_IN: &str = "/login";
/// The user's own account: password and sessions.
pub const ACCOUNT: &str = "/account";
/// The registry of persons.
pub const PERSONS: &str = "/registry/persons";
/// The person import.
pub const PERSON_IMPORT: &str = "/registry/import";
/// The offence import.
pub const OFFENCE_IMPORT: &str = "/registry/offences/import";
/// The plan form and the list of plans.
pub const PLANNING: &str = "/planning";
/// The follow-ups list.
pub const FOLLOW_UPS: &str = "/follow-ups";
/// The reports' index.
pub const REPORTS: &str = "/reports";
/// Today, live.
pub const REPORT_TODAY: &str = "/reports/today";
/// Crime trends.
pub const REPORT_CRIME: &str = "/reports/crime";
/// Coverage.
pub const REPORT_COVERAGE: &str = "/reports/coverage";
/// Mobile groups' work.
pub const REPORT_GROUPS: &str = "/reports/groups";
/// Coverage against crime.
pub const REPORT_COVERAGE_VS_CRIME: &str = "/reports/coverage-vs-crime";
/// The officer's route of today.
pub const FIELD_TODAY: &str = "/field/today";
/// Users.
pub const USERS: &str = "/admin/users";
/// Mobile groups.
pub const MOBILE_GROUPS: &str = "/admin/mobile-groups";
/// Districts.
pub const DISTRICTS: &str = "/admin/districts";
/// Contact standards.
pub const CONTACT_STANDARDS: &str = "/admin/contact-standards";
/// The audit log.
pub const AUDIT: &str = "/admin/audit";

/// A person's record.
pub fn person(id: &PersonId) -> String {
    format!("{PERSONS}/{id}")
}

/// A person's edit form.
pub fn person_edit(id: &PersonId) -> String {
    format!("{PERSONS}/{id}/edit")
}

/// A plan's summary.
pub fn plan(id: &PlanId) -> String {
    format!("{PLANNING}/plans/{id}")
}

/// One route of a plan: a group's day.
pub fn plan_route(plan: &PlanId, group: &MobileGroupId, day: NaiveDate) -> String {
    format!("{PLANNING}/plans/{plan}/routes/{group}/{day}")
}

/// A plan's left-out checks, of one reason (its key) or all.
pub fn plan_left_out(plan: &PlanId, reason: Option<&str>) -> String {
    match reason {
        Some(r) => format!("{PLANNING}/plans/{plan}/left-out?reason={r}"),
        None => format!("{PLANNING}/plans/{plan}/left-out"),
    }
}

/// Where a plan's publish form posts.
pub fn plan_publish(plan: &PlanId) -> String {
    format!("{PLANNING}/plans/{plan}/publish")
}

/// Where a plan's re-optimise form posts.
pub fn plan_reoptimise(plan: &PlanId) -> String {
    format!("{PLANNING}/plans/{plan}/reoptimise")
}

/// Where the form adding an urgent check to a plan posts.
pub fn plan_add_check(plan: &PlanId) -> String {
    format!("{PLANNING}/plans/{plan}/checks")
}

/// A change to one check of a plan, as its form posts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckChange {
    /// To another group and day.
    Move,
    /// Pinned to its group and day, or unpinned.
    Pin,
    /// Out of the plan.
    Remove,
}

/// Where the form of `change` to `check` of `plan` posts.
pub fn plan_check(plan: &PlanId, check: &CheckId, change: CheckChange) -> String {
    let action = match change {
        CheckChange::Move => "move",
        CheckChange::Pin => "pin",
        CheckChange::Remove => "remove",
    };
    format!("{PLANNING}/plans/{plan}/checks/{check}/{action}")
}

/// The progress page of a plan being made (the job's id is not a record id).
pub fn plan_job(job: impl Display) -> String {
    format!("{PLANNING}/jobs/{job}")
}

/// One follow-up.
pub fn follow_up(id: &FollowUpId) -> String {
    format!("{FOLLOW_UPS}/{id}")
}

/// Where a follow-up's assign form posts.
pub fn follow_up_assign(id: &FollowUpId) -> String {
    format!("{FOLLOW_UPS}/{id}/assign")
}

/// Where a follow-up's close form posts.
pub fn follow_up_close(id: &FollowUpId) -> String {
    format!("{FOLLOW_UPS}/{id}/close")
}

/// A stop of the officer's route.
pub fn stop(check: &CheckId) -> String {
    format!("/field/stops/{check}")
}

/// Where a stop's plain visit form posts (the form without script).
pub fn stop_visit(check: &CheckId) -> String {
    format!("/field/stops/{check}/visit")
}

/// A user's edit form (administrator).
pub fn user_edit(id: &UserId) -> String {
    format!("{USERS}/{id}/edit")
}

/// Where a user's form posts `action`: `password` (a new one), `disable` or `enable`.
pub fn user_action(id: &UserId, action: UserAction) -> String {
    let action = match action {
        UserAction::Password => "password",
        UserAction::Disable => "disable",
        UserAction::Enable => "enable",
    };
    format!("{USERS}/{id}/{action}")
}

/// A change to a user account that has a form of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserAction {
    /// A new password.
    Password,
    /// No more signing in.
    Disable,
    /// Signing in again.
    Enable,
}

/// Where the edit form of a user posts.
pub fn user(id: &UserId) -> String {
    format!("{USERS}/{id}")
}

/// Where the form ending every session of a user posts.
pub fn user_end_sessions(id: &UserId) -> String {
    format!("{USERS}/{id}/sessions/end-all")
}

/// A mobile group's edit form.
pub fn mobile_group_edit(id: &MobileGroupId) -> String {
    format!("{MOBILE_GROUPS}/{id}/edit")
}

/// A user's sessions (administrator).
pub fn user_sessions(id: &UserId) -> String {
    format!("{USERS}/{id}/sessions")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_paths_put_the_id_where_the_route_table_has_it() {
        let id = PersonId::from("p1".to_owned());
        assert_eq!(person(&id), "/registry/persons/p1");
        assert_eq!(person_edit(&id), "/registry/persons/p1/edit");
        let plan_id = PlanId::from("x".to_owned());
        let group = MobileGroupId::from("g".to_owned());
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
        assert_eq!(
            plan_route(&plan_id, &group, day),
            "/planning/plans/x/routes/g/2026-12-03"
        );
        assert_eq!(
            plan_left_out(&plan_id, Some("capacity")),
            "/planning/plans/x/left-out?reason=capacity"
        );
    }
}
