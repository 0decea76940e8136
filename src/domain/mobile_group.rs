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
}
