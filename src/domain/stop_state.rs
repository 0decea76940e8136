//! How a stop of today's route stands for those watching it live: done, missed, waiting or
//! late, from its check's status and the time of day.

use super::check::{Check, CheckStatus};

/// Minutes past its planned arrival after which a waiting stop counts as late.
pub const LATE_AFTER_MIN: i32 = 30;

/// How a stop of today stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopState {
    /// Visited: the person was there.
    Done,
    /// Visited: nobody (or not the person).
    Missed,
    /// Not visited yet, in time.
    Waiting,
    /// Not visited, its window passed or its arrival more than [`LATE_AFTER_MIN`] ago.
    Late,
}

impl StopState {
    /// The word of the state (CSS class, message key suffix).
    pub fn as_str(self) -> &'static str {
        match self {
            StopState::Done => "done",
            StopState::Missed => "missed",
            StopState::Waiting => "waiting",
            StopState::Late => "late",
        }
    }

    /// The state of `check` at `minute` of the day.
    pub fn of(check: &Check, minute: i32) -> Self {
        match check.status {
            CheckStatus::Done => StopState::Done,
            CheckStatus::Missed => StopState::Missed,
            _ => {
                let arrival = check
                    .planned_arrival_min
                    .unwrap_or(i32::from(check.window_start_min));
                let late =
                    minute > i32::from(check.window_end_min) || minute > arrival + LATE_AFTER_MIN;
                if late {
                    StopState::Late
                } else {
                    StopState::Waiting
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unvisited_stop_turns_late_half_an_hour_after_its_arrival_or_when_its_window_closes() {
        let stop = |status, arrival: Option<i32>, window: (u16, u16)| {
            let at = chrono::NaiveDateTime::default();
            Check {
                id: crate::domain::CheckId::new(),
                plan_id: None,
                person_id: crate::domain::PersonId::new(),
                kind: crate::domain::person::CheckKind::Home,
                address: String::new(),
                location: crate::domain::GeoPoint {
                    lat: 53.2,
                    lon: 63.6,
                },
                district_id: crate::domain::DistrictId::new(),
                due_date: at.date(),
                allowed_days: Vec::new(),
                window_start_min: window.0,
                window_end_min: window.1,
                service_min: 15,
                priority: 1,
                status,
                mobile_group_id: None,
                planned_date: Some(at.date()),
                position: Some(1),
                planned_arrival_min: arrival,
                unplaced_reason: None,
                pinned: false,
                created_at: at,
                updated_at: at,
            }
        };
        let waiting = stop(CheckStatus::Published, Some(600), (540, 1080));
        assert_eq!(StopState::of(&waiting, 630), StopState::Waiting);
        assert_eq!(StopState::of(&waiting, 631), StopState::Late);
        let wide = stop(CheckStatus::Published, None, (540, 600));
        assert_eq!(StopState::of(&wide, 560), StopState::Waiting);
        assert_eq!(StopState::of(&wide, 601), StopState::Late);
        let done = stop(CheckStatus::Done, Some(600), (540, 1080));
        assert_eq!(StopState::of(&done, 1400), StopState::Done);
        let missed = stop(CheckStatus::Missed, Some(600), (540, 1080));
        assert_eq!(StopState::of(&missed, 0), StopState::Missed);
    }
}
