//! The prosecutors' follow-ups (DESIGN.md section 3, "Follow-ups"): the queue with its filters,
//! urgency order and pages (`list`), and one follow-up with its assign and close forms
//! (`record`). Templates in `templates/follow_ups/`.

pub mod list;
pub mod record;

use crate::db::follow_ups::FollowUpRow;
use crate::db::users::UserListRow;

/// The name of the user with `id` among `users`, or an empty text.
fn user_name(users: &[UserListRow], id: Option<&str>) -> String {
    id.and_then(|id| users.iter().find(|u| u.id == id))
        .map(|u| u.full_name.clone())
        .unwrap_or_default()
}

/// Whole days a follow-up has been open (or was, until closed), from `now`.
fn age_days(row: &FollowUpRow, now: chrono::NaiveDateTime) -> i64 {
    (row.closed_at.unwrap_or(now) - row.created_at)
        .num_days()
        .max(0)
}
