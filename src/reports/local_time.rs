//! The region's local times of stored UTC moments: visits are stored in UTC, and the reports
//! count them by the region's days.

use chrono::{NaiveDate, NaiveDateTime, Offset as _, TimeZone as _, Timelike as _};

/// Turns UTC moments into the region's local times and days, remembering the offset of the last
/// UTC hour that has no change of offset inside it: visits read in time order mostly fall in an
/// hour already seen, and a time-zone look-up per visit was a good share of a report's time.
pub struct LocalTimes {
    tz: chrono_tz::Tz,
    /// The first moment of a UTC hour and the offset throughout it.
    hour: Option<(NaiveDateTime, chrono::Duration)>,
}

impl LocalTimes {
    /// Local times in `tz`.
    pub fn new(tz: chrono_tz::Tz) -> Self {
        Self { tz, hour: None }
    }

    /// The local day of a UTC moment.
    pub fn day(&mut self, utc: NaiveDateTime) -> NaiveDate {
        self.local(utc).date()
    }

    /// The local time of a UTC moment.
    pub fn local(&mut self, utc: NaiveDateTime) -> NaiveDateTime {
        let offset = |at: NaiveDateTime| {
            chrono::Duration::seconds(i64::from(
                self.tz
                    .offset_from_utc_datetime(&at)
                    .fix()
                    .local_minus_utc(),
            ))
        };
        let hour_start = utc
            .with_minute(0)
            .and_then(|t| t.with_second(0))
            .and_then(|t| t.with_nanosecond(0))
            .unwrap_or(utc);
        if let Some((h, shift)) = self.hour
            && h == hour_start
        {
            return utc + shift;
        }
        let shift = offset(utc);
        // Offsets change at most once an hour: the same at both ends, the same throughout.
        let hour_end = hour_start + chrono::Duration::hours(1) - chrono::Duration::nanoseconds(1);
        self.hour = (offset(hour_start) == shift && offset(hour_end) == shift)
            .then_some((hour_start, shift));
        utc + shift
    }
}

/// UTC bounds that hold every local moment from `from` to the end of `to` (a day of margin on
/// each side; the exact local day is checked afterwards).
pub fn utc_bounds(from: NaiveDate, to: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    let start = from.pred_opt().unwrap_or(from).and_hms_opt(0, 0, 0);
    let end = to
        .succ_opt()
        .and_then(|d| d.succ_opt())
        .unwrap_or(to)
        .and_hms_opt(0, 0, 0);
    (start.unwrap_or_default(), end.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|day| day.and_hms_opt(h, min, 0))
            .unwrap_or_default()
    }

    #[test]
    fn local_days_follow_the_zone_across_kazakhstans_change_of_offset() {
        let mut times = LocalTimes::new(chrono_tz::Asia::Almaty);
        // +06:00 before 1 March 2024, +05:00 after: 18:30 UTC is the next day before, the same
        // day after.
        assert_eq!(
            times.day(at(2024, 2, 1, 18, 30)),
            at(2024, 2, 2, 0, 0).date()
        );
        assert_eq!(
            times.day(at(2024, 2, 1, 18, 45)),
            at(2024, 2, 2, 0, 0).date()
        );
        assert_eq!(
            times.day(at(2024, 6, 1, 18, 30)),
            at(2024, 6, 1, 0, 0).date()
        );
        assert_eq!(times.local(at(2024, 6, 1, 18, 30)), at(2024, 6, 1, 23, 30));
    }

    #[test]
    fn the_bounds_hold_a_day_of_margin_on_each_side() {
        let (start, end) = utc_bounds(at(2025, 3, 1, 0, 0).date(), at(2025, 3, 31, 0, 0).date());
        assert_eq!((start, end), (at(2025, 2, 28, 0, 0), at(2025, 4, 2, 0, 0)));
    }
}
