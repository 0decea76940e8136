//! The planning area's forms, read into what the plans service takes: a new plan's period and
//! groups, and the edits of a plan (every edit names the plan's version). Every field arrives as
//! text, so any input is answered with a message, never a deserialisation error.

use chrono::NaiveDate;

use crate::domain::check::CheckKind;
use crate::domain::person_record::parse_date;
use crate::domain::{CheckId, MobileGroupId};
use crate::services::plans::{INTERACTIVE_TIME, PlanEdit, PlanOptions};

/// The new-plan form.
#[derive(Debug, Default)]
pub struct NewPlanForm {
    from: String,
    days: String,
    /// Ticked groups (repeated field).
    group: Vec<String>,
}

/// A new plan's period and groups.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPlan {
    /// First day.
    pub from: NaiveDate,
    /// Days (1 to 7).
    pub days: u32,
    /// Groups ticked (all when none).
    pub group_ids: Vec<MobileGroupId>,
}

impl NewPlanForm {
    /// Reads the posted pairs (the groups come as a repeated field, which a struct cannot take).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = NewPlanForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "from" => form.from = value,
                "days" => form.days = value,
                "group" => form.group.push(value),
                _ => {}
            }
        }
        form
    }

    /// The plan asked for, or the message key of what is wrong: a period of 1 to 7 days that
    /// does not start before `today`.
    pub fn parse(self, today: NaiveDate) -> Result<NewPlan, &'static str> {
        let from = parse_date(&self.from);
        let days = self
            .days
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=7).contains(d));
        let (Some(from), Some(days)) = (from, days) else {
            return Err("plan-error-period");
        };
        if from < today {
            return Err("plan-error-past");
        }
        Ok(NewPlan {
            from,
            days,
            group_ids: self.group.into_iter().map(MobileGroupId::from).collect(),
        })
    }
}

impl NewPlan {
    /// How the web makes it: drawn from `seed`, in the time a prosecutor waits, one thread.
    pub fn into_options(self, seed: u64) -> PlanOptions {
        PlanOptions {
            from: self.from,
            days: self.days,
            group_ids: self.group_ids,
            seed,
            time_limit: INTERACTIVE_TIME,
            threads: 1,
            iterations: usize::MAX,
        }
    }
}

/// A change to a plan: the version it was made on, for moves the target, and the page of the
/// plan to go back to (with the place on it).
#[derive(Debug, Default, serde::Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    back: String,
}

impl ChangeForm {
    /// The version the change was made on; `None` when the form does not say (a broken request,
    /// not a form to re-render).
    pub fn version(&self) -> Option<i32> {
        self.version.trim().parse().ok()
    }

    /// The edit `action` (`move`, `pin` or `remove`) of `check`; `None` for another action.
    pub fn check_edit(&self, action: &str, check: CheckId) -> Option<PlanEdit> {
        match action {
            "move" => Some(PlanEdit::Move {
                check,
                to: self.target(),
            }),
            "pin" => Some(PlanEdit::TogglePin(check)),
            "remove" => Some(PlanEdit::Remove(check)),
            _ => None,
        }
    }

    /// Where to go after the change: the page it was made on when that is a page of plan `id`
    /// (never another site, nor another plan), else the plan's summary.
    pub fn back(&self, id: &str) -> String {
        back_to(&self.back, id)
    }

    /// The move target, `group|YYYY-MM-DD`.
    fn target(&self) -> Option<(MobileGroupId, NaiveDate)> {
        let (group, day) = self.target.split_once('|')?;
        Some((MobileGroupId::from(group.to_owned()), day.parse().ok()?))
    }
}

/// `back` when it is a path of plan `id`'s pages (with a query and an anchor made of plain
/// characters), else the plan's summary: a form cannot send anyone elsewhere.
pub fn back_to(back: &str, id: &str) -> String {
    let summary = format!("/planning/plans/{id}");
    let plain = back
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/-_?=&#|.%".contains(c));
    let within = back == summary
        || back
            .strip_prefix(&summary)
            .is_some_and(|rest| rest.starts_with(['/', '?', '#']));
    if plain && within && !back.contains("//") && !back.contains("..") {
        back.to_owned()
    } else {
        summary
    }
}

/// The "add a check" form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct AddCheckForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    iin: String,
    #[serde(default)]
    kind: String,
}

impl AddCheckForm {
    /// The version and the edit; `None` when either is unreadable.
    pub fn parse(self) -> Option<(i32, PlanEdit)> {
        let version = self.version.trim().parse().ok()?;
        let kind = CheckKind::parse(self.kind.trim())?;
        Some((
            version,
            PlanEdit::Add {
                iin: self.iin,
                kind,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default()
    }

    fn form(pairs: &[(&str, &str)]) -> NewPlanForm {
        NewPlanForm::from_pairs(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn a_new_plan_takes_a_period_from_today_on_and_the_ticked_groups() {
        let plan = form(&[
            ("from", "04.12.2026"),
            ("days", " 3 "),
            ("group", "g1"),
            ("group", "g2"),
        ])
        .parse(day(3));
        assert_eq!(
            plan.map(|p| (p.from, p.days, p.group_ids.len())),
            Ok((day(4), 3, 2))
        );
    }

    #[test]
    fn a_bad_period_and_a_past_day_are_named() {
        let today = day(3);
        assert_eq!(
            form(&[("from", "x"), ("days", "1")]).parse(today),
            Err("plan-error-period")
        );
        assert_eq!(
            form(&[("from", "2026-12-04"), ("days", "8")]).parse(today),
            Err("plan-error-period")
        );
        assert_eq!(
            form(&[("from", "2026-12-02"), ("days", "1")]).parse(today),
            Err("plan-error-past")
        );
    }

    #[test]
    fn a_move_without_a_readable_target_still_reaches_the_service_to_be_refused() {
        let change = ChangeForm {
            version: "4".into(),
            target: "g1|not-a-day".into(),
            back: String::new(),
        };
        assert_eq!(change.version(), Some(4));
        let check = CheckId::from("c1".to_owned());
        assert_eq!(
            change.check_edit("move", check.clone()),
            Some(PlanEdit::Move {
                check: check.clone(),
                to: None
            })
        );
        assert_eq!(change.check_edit("publish", check), None);
    }

    #[test]
    fn an_added_check_needs_a_version_and_a_kind() {
        let add = |version: &str, kind: &str| {
            AddCheckForm {
                version: version.into(),
                iin: "1".into(),
                kind: kind.into(),
            }
            .parse()
        };
        assert!(add("2", "work").is_some());
        assert!(add("two", "work").is_none());
        assert!(add("2", "office").is_none());
    }

    #[test]
    fn a_change_goes_back_only_to_a_page_of_its_own_plan() {
        let id = "p1";
        for ok in [
            "/planning/plans/p1",
            "/planning/plans/p1/routes/g1/2026-12-04#s-c2",
            "/planning/plans/p1/left-out?reason=capacity&page=2",
        ] {
            assert_eq!(back_to(ok, id), ok);
        }
        for bad in [
            "https://evil.example/",
            "//evil.example/planning/plans/p1",
            "/planning/plans/p10",
            "/planning/plans/p1/../../admin",
            "/planning/plans/p1/\"><script>",
            "",
        ] {
            assert_eq!(back_to(bad, id), "/planning/plans/p1", "{bad}");
        }
    }
}
