//! Plans (DESIGN.md section 2): the checks of a period for a set of mobile groups, a draft
//! until a prosecutor publishes it, with the seed of its draw and a version that makes a second
//! editor's change a conflict instead of a silent overwrite.

use chrono::{NaiveDate, NaiveDateTime};

use super::{MobileGroupId, PlanId, UserId, text_enum};

text_enum!(
    /// Whether officers see a plan.
    PlanStatus {
        /// Being prepared: only prosecutors see it.
        Draft = "draft",
        /// Its placed checks are on the officers' routes.
        Published = "published",
    }
);

text_enum!(
    /// Where a plan being made in the background stands.
    PlanJobStatus {
        /// Its server is making it (while its heartbeat is fresh).
        Running = "running",
        /// The plan is stored.
        Done = "done",
        /// It could not be made, or its server stopped while making it.
        Failed = "failed",
    }
);

text_enum!(
    /// What a plan job is doing.
    PlanJobPhase {
        /// Reading persons and past checks, drawing the due checks.
        Reading = "reading",
        /// The optimiser at work (up to the plan's time limit).
        Optimising = "optimising",
        /// Writing the plan and its checks.
        Storing = "storing",
    }
);

impl PlanStatus {
    /// Whether a plan in this status may move to `next`: a draft is published, and a published
    /// plan may be published again after changes; nothing goes back to draft.
    pub fn can_become(self, next: PlanStatus) -> bool {
        next == PlanStatus::Published
    }
}

/// A stored plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Id.
    pub id: PlanId,
    /// First day.
    pub from_date: NaiveDate,
    /// Days in the period (1 to 14).
    pub days: u32,
    /// The groups planned.
    pub group_ids: Vec<MobileGroupId>,
    /// Draft or published.
    pub status: PlanStatus,
    /// The seed of the draw and of the optimiser (below 2^63, as stored).
    pub seed: u64,
    /// Grows with every change; a change names the version it was made on.
    pub version: i32,
    /// Who made it (none: the command line).
    pub created_by: Option<UserId>,
    /// When it was made.
    pub created_at: NaiveDateTime,
    /// When it last changed.
    pub updated_at: NaiveDateTime,
    /// When it was last published.
    pub published_at: Option<NaiveDateTime>,
}

impl Plan {
    /// The last day of the period.
    pub fn to_date(&self) -> NaiveDate {
        self.from_date + chrono::Duration::days(i64::from(self.days.max(1)) - 1)
    }

    /// The days of the period, in order.
    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> {
        self.from_date.iter_days().take(self.days.max(1) as usize)
    }

    /// Whether a day falls in the period.
    pub fn covers(&self, day: NaiveDate) -> bool {
        day >= self.from_date && day <= self.to_date()
    }

    /// Whether officers see it.
    pub fn is_published(&self) -> bool {
        self.status == PlanStatus::Published
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(days: u32) -> Plan {
        let at = NaiveDateTime::default();
        Plan {
            id: PlanId::new(),
            from_date: NaiveDate::from_ymd_opt(2026, 3, 30).unwrap_or_default(),
            days,
            group_ids: Vec::new(),
            status: PlanStatus::Draft,
            seed: 1,
            version: 1,
            created_by: None,
            created_at: at,
            updated_at: at,
            published_at: None,
        }
    }

    #[test]
    fn a_three_day_plan_covers_its_first_and_last_day_and_nothing_else() {
        let p = plan(3);
        let day = |d| NaiveDate::from_ymd_opt(2026, 4, d).unwrap_or_default();
        assert_eq!(p.to_date(), day(1));
        assert_eq!(p.dates().count(), 3);
        assert!(p.covers(p.from_date) && p.covers(day(1)) && !p.covers(day(2)));
        assert!(!p.covers(p.from_date.pred_opt().unwrap_or_default()));
    }

    #[test]
    fn a_plan_is_published_again_but_never_goes_back_to_draft() {
        assert!(PlanStatus::Draft.can_become(PlanStatus::Published));
        assert!(PlanStatus::Published.can_become(PlanStatus::Published));
        assert!(!PlanStatus::Published.can_become(PlanStatus::Draft));
        assert!(!plan(1).is_published());
    }
}
