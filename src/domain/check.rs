//! Checks (DESIGN.md section 2): one planned visit to a person's home or work, placed on a
//! group's route on a day or left out with a reason, and the life of its status: planned in a
//! draft, published to the officers, then done or missed by a visit (or cancelled).

use chrono::{NaiveDate, NaiveDateTime};

pub use super::person::CheckKind;
use super::{CheckId, DistrictId, GeoPoint, MobileGroupId, PersonId, PlanId, text_enum};

text_enum!(
    /// Where a check stands.
    CheckStatus {
        /// In a plan, not shown to officers yet.
        Planned = "planned",
        /// On a published route: the officers see it.
        Published = "published",
        /// A visit found the person where they should be.
        Done = "done",
        /// A visit found nobody (or not the person); a later visit may still make it.
        Missed = "missed",
        /// Called off after it was published.
        Cancelled = "cancelled",
    }
);

impl CheckStatus {
    /// Whether a check in this status may move to `next`. Publishing makes planned checks
    /// published; re-optimising a published plan takes a check it leaves out back to planned;
    /// a visit makes a published check done or missed, and a missed one done or missed again
    /// (the latest attempt counts). Done and cancelled checks are final.
    pub fn can_become(self, next: CheckStatus) -> bool {
        use CheckStatus::{Cancelled, Done, Missed, Planned, Published};
        matches!(
            (self, next),
            (Planned, Published | Cancelled)
                | (Published, Planned | Done | Missed | Cancelled)
                | (Missed, Done | Missed)
        )
    }

    /// Whether officers see the check: it is on a published route (published, done, missed,
    /// or cancelled after it was published).
    pub fn is_published(self) -> bool {
        self != CheckStatus::Planned
    }

    /// Whether the check belongs on the officer's route of its day (not cancelled).
    pub fn is_on_route(self) -> bool {
        !matches!(self, CheckStatus::Planned | CheckStatus::Cancelled)
    }

    /// Whether re-optimising may still move the check: visited and cancelled checks keep their
    /// place.
    pub fn is_movable(self) -> bool {
        matches!(self, CheckStatus::Planned | CheckStatus::Published)
    }

    /// The status a visit gives the check: done when it found the person, missed otherwise;
    /// `None` when the check keeps its status (already done, or cancelled).
    pub fn after_visit(self, success: bool) -> Option<CheckStatus> {
        let next = if success {
            CheckStatus::Done
        } else {
            CheckStatus::Missed
        };
        self.can_become(next).then_some(next)
    }
}

text_enum!(
    /// Why a check is not in any route of a plan.
    UnplacedReason {
        NoGroup = "no_group",
        NoWorkingDay = "no_working_day",
        Capacity = "capacity",
        WindowUnreachable = "window_unreachable",
        NotWorthIt = "not_worth_it",
        NoRoom = "no_room",
    }
);

/// A check of a plan: whom and where, the day and window drawn for it, and where the plan put
/// it (a group's route on a day, at a position and arrival time) or why it left it out.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Id.
    pub id: CheckId,
    /// The plan it belongs to.
    pub plan_id: Option<PlanId>,
    /// Whom.
    pub person_id: PersonId,
    /// Home or work.
    pub kind: CheckKind,
    /// The address shown to officers.
    pub address: String,
    /// Where.
    pub location: GeoPoint,
    /// The district (groups cover districts).
    pub district_id: DistrictId,
    /// The day the contact standard runs out.
    pub due_date: NaiveDate,
    /// The days it may be made (drawn), in order.
    pub allowed_days: Vec<NaiveDate>,
    /// Its window opens, minutes after local midnight.
    pub window_start_min: u16,
    /// Its window closes.
    pub window_end_min: u16,
    /// Minutes on site.
    pub service_min: u16,
    /// What leaving it out costs (seconds of driving).
    pub priority: i64,
    /// Where it stands.
    pub status: CheckStatus,
    /// The group whose route holds it.
    pub mobile_group_id: Option<MobileGroupId>,
    /// The day of that route.
    pub planned_date: Option<NaiveDate>,
    /// Its place on the route, from 1 (`i32::MAX`: just moved there, not ordered yet).
    pub position: Option<i32>,
    /// Planned arrival, minutes after local midnight.
    pub planned_arrival_min: Option<i32>,
    /// Why the plan left it out.
    pub unplaced_reason: Option<UnplacedReason>,
    /// Kept on its group and day by a prosecutor.
    pub pinned: bool,
    /// When it was made.
    pub created_at: NaiveDateTime,
    /// When it last changed.
    pub updated_at: NaiveDateTime,
}

impl Check {
    /// Whether the plan put it on a route.
    pub fn is_placed(&self) -> bool {
        self.planned_date.is_some()
    }

    /// The group and day a prosecutor pinned it to, if pinned (and placed).
    pub fn pin(&self) -> Option<(MobileGroupId, NaiveDate)> {
        match (&self.mobile_group_id, self.planned_date, self.pinned) {
            (Some(group), Some(day), true) => Some((group.clone(), day)),
            _ => None,
        }
    }

    /// Takes it off its route (before the optimiser places it again).
    pub fn clear_placement(&mut self) {
        self.mobile_group_id = None;
        self.planned_date = None;
        self.position = None;
        self.planned_arrival_min = None;
        self.unplaced_reason = None;
    }

    /// Its window, `(open, close)` in minutes after local midnight.
    pub fn window(&self) -> (u16, u16) {
        (self.window_start_min, self.window_end_min)
    }
}

/// `HH:MM` of minutes after local midnight (windows, arrivals, shifts).
pub fn hhmm(minutes: i32) -> String {
    format!(
        "{:02}:{:02}",
        minutes.div_euclid(60),
        minutes.rem_euclid(60)
    )
}

#[cfg(test)]
mod tests {
    use super::CheckStatus::{Cancelled, Done, Missed, Planned, Published};
    use super::*;

    #[test]
    fn publishing_shows_planned_checks_and_a_visit_decides_published_ones() {
        assert!(Planned.can_become(Published));
        assert!(Published.can_become(Done) && Published.can_become(Missed));
        assert!(Published.can_become(Planned), "left out when re-optimised");
        assert!(
            !Planned.can_become(Done),
            "officers never see a planned check"
        );
    }

    #[test]
    fn done_and_cancelled_checks_are_final_and_a_missed_one_may_still_be_made() {
        for next in CheckStatus::ALL {
            assert!(!Done.can_become(*next), "done -> {next}");
            assert!(!Cancelled.can_become(*next), "cancelled -> {next}");
        }
        assert_eq!(Missed.after_visit(true), Some(Done));
        assert_eq!(Missed.after_visit(false), Some(Missed));
        assert_eq!(Done.after_visit(false), None);
        assert_eq!(Cancelled.after_visit(true), None);
        assert_eq!(Published.after_visit(false), Some(Missed));
    }

    #[test]
    fn only_published_checks_reach_officers_and_only_unvisited_ones_move() {
        assert!(!Planned.is_published() && Cancelled.is_published());
        assert!(Done.is_on_route() && !Cancelled.is_on_route() && !Planned.is_on_route());
        assert!(Planned.is_movable() && Published.is_movable());
        assert!(!Done.is_movable() && !Missed.is_movable() && !Cancelled.is_movable());
    }

    #[test]
    fn every_status_reads_back_from_its_stored_word() {
        for status in CheckStatus::ALL {
            assert_eq!(CheckStatus::parse(status.as_str()), Some(*status));
        }
        assert_eq!(CheckStatus::parse("Done"), None);
    }

    #[test]
    fn minutes_print_as_hours_and_minutes() {
        assert_eq!(hhmm(0), "00:00");
        assert_eq!(hhmm(18 * 60 + 5), "18:05");
    }
}
