//! Follow-ups as a workflow (DESIGN.md sections 2 and 3, "Follow-ups"): one open follow-up per
//! person and kind, which a new cause adds to; how urgent each kind is; how old one is; and the
//! outcomes a prosecutor closes one with.

use chrono::NaiveDateTime;

use super::text_enum;
pub use super::visit::{FollowUpReason, FollowUpStatus};

text_enum!(
    /// What came of a follow-up, chosen when it is closed.
    FollowUpOutcome {
        /// The matter is settled (the person was found, the doubt cleared).
        Resolved = "resolved",
        /// The person was warned.
        Warned = "warned",
        /// The registry was corrected (a new address, employment ended).
        RecordUpdated = "record_updated",
        /// Handed on: to the police, the probation service or a court.
        Referred = "referred",
        /// Nothing to act on (a mistaken record, a one-off).
        Unfounded = "unfounded",
    }
);

text_enum!(
    /// How long a follow-up has been open, as the list filters it.
    FollowUpAge {
        /// Opened in the last seven days.
        Week = "week",
        /// Eight to thirty days ago.
        Month = "month",
        /// More than thirty days ago.
        Older = "older",
    }
);

/// The longest note a follow-up is closed with, in characters.
pub const NOTE_MAX_CHARS: usize = 1000;

/// Days after which an open follow-up counts as lingering (the home page's figure, the "older"
/// age).
pub const LINGERING_DAYS: i64 = 30;

impl FollowUpAge {
    /// The opening days this age takes, as (at least, at most) whole days before `now`: the
    /// list filters `created_at` between them.
    pub fn opened_between(
        self,
        now: NaiveDateTime,
    ) -> (Option<NaiveDateTime>, Option<NaiveDateTime>) {
        let days = |n: i64| now - chrono::Duration::days(n);
        match self {
            FollowUpAge::Week => (Some(days(7)), None),
            FollowUpAge::Month => (Some(days(LINGERING_DAYS)), Some(days(7))),
            FollowUpAge::Older => (None, Some(days(LINGERING_DAYS))),
        }
    }
}

/// How urgent a kind of follow-up is, 0 the most: a violation calls for action at once, a
/// person who moved away is lost to supervision until the address is verified, repeated
/// absences come next, employment to verify last.
pub fn urgency_rank(reason: FollowUpReason) -> i32 {
    match reason {
        FollowUpReason::Violation => 0,
        FollowUpReason::MovedAway => 1,
        FollowUpReason::RepeatedAbsence => 2,
        FollowUpReason::EmploymentToVerify => 3,
    }
}

/// Why a close or an assignment was refused, before anything is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpRefusal {
    /// It was closed already (by someone else, or in another tab).
    AlreadyClosed,
    /// It changed since the form was shown (assigned or closed by someone else).
    Changed,
    /// The chosen user cannot take follow-ups (not an active prosecutor).
    NotAnAssignee,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_violation_is_more_urgent_than_employment_to_verify() {
        let mut reasons = FollowUpReason::ALL.to_vec();
        reasons.sort_by_key(|r| urgency_rank(*r));
        assert_eq!(reasons.first(), Some(&FollowUpReason::Violation));
        assert_eq!(reasons.last(), Some(&FollowUpReason::EmploymentToVerify));
    }

    #[test]
    fn the_ages_split_the_past_without_gaps() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 3)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .unwrap_or_default();
        let (week_from, week_to) = FollowUpAge::Week.opened_between(now);
        let (month_from, month_to) = FollowUpAge::Month.opened_between(now);
        let (older_from, older_to) = FollowUpAge::Older.opened_between(now);
        assert_eq!((week_to, older_from), (None, None));
        assert_eq!(month_to, week_from);
        assert_eq!(older_to, month_from);
    }
}
