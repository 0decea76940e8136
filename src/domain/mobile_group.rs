//! Mobile groups: a car and its crew, with a base, districts, a shift and a capacity.

use chrono::{Datelike, NaiveDate};

use super::{DistrictId, GeoPoint, MobileGroupId};

/// Days of the week a group works, as a bit set (bit 0 = Monday).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weekdays(pub u8);

impl Weekdays {
    /// Monday to Friday.
    pub const WORKDAYS: Weekdays = Weekdays(0b001_1111);
    /// Every day.
    pub const ALL: Weekdays = Weekdays(0b111_1111);

    /// Whether the group works on that date.
    pub fn includes(self, date: NaiveDate) -> bool {
        self.0 & (1 << date.weekday().num_days_from_monday()) != 0
    }
}

/// How many checks a group may plan in one shift (administration refuses anything else).
pub const CHECKS_PER_SHIFT: std::ops::RangeInclusive<u16> = 1..=40;

/// Reads a local time `HH:MM` (or `H:MM`) as minutes after midnight; `24:00` is the end of the
/// day. `None` for anything else.
pub fn minutes_from_hhmm(text: &str) -> Option<u16> {
    let (hours, minutes) = text.trim().split_once(':')?;
    let is_digits =
        |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !is_digits(hours) || minutes.len() != 2 || !is_digits(minutes) {
        return None;
    }
    let (hours, minutes): (u16, u16) = (hours.parse().ok()?, minutes.parse().ok()?);
    match (hours, minutes) {
        (0..=23, 0..=59) | (24, 0) => Some(hours * 60 + minutes),
        _ => None,
    }
}

/// Writes minutes after midnight as `HH:MM`.
pub fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A mobile group.
#[derive(Debug, Clone, PartialEq)]
pub struct MobileGroup {
    /// Identifier.
    pub id: MobileGroupId,
    /// Name shown to users, e.g. "Group 3 (Rudny)".
    pub name: String,
    /// Address of the base, where routes start and end.
    pub base_address: String,
    /// Base point.
    pub base: GeoPoint,
    /// Shift start, minutes after midnight (local time).
    pub shift_start_min: u16,
    /// Shift end, minutes after midnight (local time).
    pub shift_end_min: u16,
    /// The most checks the group can make in one shift.
    pub max_checks_per_shift: u16,
    /// Days the group works.
    pub active_days: Weekdays,
    /// Districts the group covers.
    pub district_ids: Vec<DistrictId>,
    /// Optimistic-locking version.
    pub version: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workdays_exclude_the_weekend() {
        let saturday = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        assert!(!Weekdays::WORKDAYS.includes(saturday));
        assert!(Weekdays::WORKDAYS.includes(monday));
    }

    #[test]
    fn shift_times_are_read_as_minutes_and_nonsense_is_refused() {
        assert_eq!(minutes_from_hhmm("10:00"), Some(600));
        assert_eq!(minutes_from_hhmm(" 8:30 "), Some(510));
        assert_eq!(minutes_from_hhmm("24:00"), Some(1440));
        for bad in [
            "",
            "10",
            "24:01",
            "10:60",
            "1:5",
            "-1:00",
            "10:0x",
            "+1:00",
            "١٠:٠٠",
        ] {
            assert_eq!(minutes_from_hhmm(bad), None, "{bad}");
        }
        assert_eq!(hhmm(1320), "22:00");
    }
}
