//! The clock: "now" in UTC and "today" in the region's time zone, the one place the web and the
//! services read the time. `AppState` holds one; a test pins it with `AppState::with_clock` to
//! see the pages of a chosen day. The pure cores (`planning`, `reports`) never read a clock:
//! they take `today` as an argument. The demo moves a clock of its own on its thread
//! ([`ThreadPin`]), so that what it writes is stamped with the demo's times, not the wall clock's.

use std::cell::Cell;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

thread_local! {
    /// The moment this thread's system clock answers while a [`ThreadPin`] lives.
    static THREAD_NOW: Cell<Option<DateTime<Utc>>> = const { Cell::new(None) };
}

/// While it lives, the system clock on this thread (and so `db::now_utc`, which every database
/// write stamps with) answers a moment the holder sets: the demo stamps its rows with the demo's
/// own times, and the same seed makes the same database. Other threads keep the real time.
/// Dropping it restores what was there before.
#[derive(Debug)]
pub struct ThreadPin {
    previous: Option<DateTime<Utc>>,
}

impl ThreadPin {
    /// Pins this thread's system clock to `at` (UTC) until the value is dropped.
    #[must_use = "the clock is pinned only while the value lives"]
    pub fn start(at: NaiveDateTime) -> Self {
        let previous = THREAD_NOW.replace(Some(at.and_utc()));
        Self { previous }
    }

    /// Moves the pinned moment to `at` (UTC).
    pub fn set(&self, at: NaiveDateTime) {
        THREAD_NOW.set(Some(at.and_utc()));
    }
}

impl Drop for ThreadPin {
    fn drop(&mut self) {
        THREAD_NOW.set(self.previous);
    }
}

/// The system clock, or a moment pinned by a test.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    /// The moment a test pinned; `None` for the system clock.
    pinned: Option<DateTime<Utc>>,
}

impl Clock {
    /// The operating system's clock.
    pub fn system() -> Self {
        Self { pinned: None }
    }

    /// A clock that always answers `at`.
    pub fn pinned(at: DateTime<Utc>) -> Self {
        Self { pinned: Some(at) }
    }

    /// A clock pinned to noon UTC of `day` (the same day in every time zone of Kazakhstan).
    pub fn pinned_to_day(day: NaiveDate) -> Self {
        Self::pinned(day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc())
    }

    /// The current moment (for the system clock: the [`ThreadPin`]'s while one lives).
    pub fn now(&self) -> DateTime<Utc> {
        self.pinned
            .or_else(|| THREAD_NOW.get())
            .unwrap_or_else(Utc::now)
    }

    /// The current moment as stored in `TIMESTAMP` columns: UTC, truncated to microseconds so
    /// that both backends store exactly the same value.
    pub fn now_utc(&self) -> NaiveDateTime {
        let now = self.now().naive_utc();
        chrono::DurationRound::duration_trunc(now, chrono::TimeDelta::microseconds(1))
            .unwrap_or(now)
    }

    /// Today's date in `tz` (the region's time zone: scheduling days are local days).
    pub fn today(&self, tz: chrono_tz::Tz) -> NaiveDate {
        self.now().with_timezone(&tz).date_naive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_clock_gives_the_local_day_of_its_moment() {
        let late = NaiveDate::from_ymd_opt(2026, 3, 1)
            .and_then(|d| d.and_hms_opt(20, 30, 0))
            .map(|t| t.and_utc());
        let clock = Clock::pinned(late.unwrap_or_default());
        // 20:30 UTC is 01:30 the next morning in Almaty (UTC+5).
        assert_eq!(
            clock.today(chrono_tz::Asia::Almaty),
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default()
        );
        assert_eq!(
            clock.today(chrono_tz::UTC),
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default()
        );
        assert_eq!(clock.now_utc(), clock.now().naive_utc());
    }

    #[test]
    fn a_thread_pin_moves_this_threads_system_clock_only_while_it_lives() {
        let at = |h| {
            NaiveDate::from_ymd_opt(2025, 1, 6)
                .and_then(|d| d.and_hms_opt(h, 0, 0))
                .unwrap_or_default()
        };
        {
            let pin = ThreadPin::start(at(9));
            assert_eq!(Clock::system().now_utc(), at(9));
            pin.set(at(10));
            assert_eq!(Clock::system().now_utc(), at(10));
            let elsewhere = std::thread::spawn(|| Clock::system().now_utc()).join();
            assert!(elsewhere.is_ok_and(|t| t > at(10) + chrono::TimeDelta::days(300)));
            // A clock pinned by a test keeps its own moment.
            assert_eq!(
                Clock::pinned_to_day(NaiveDate::MIN).now().date_naive(),
                NaiveDate::MIN
            );
        }
        assert!(Clock::system().now_utc() > at(10) + chrono::TimeDelta::days(300));
    }

    #[test]
    fn the_system_clock_reads_the_operating_systems_time() {
        let before = Utc::now();
        let read = Clock::system().now();
        assert!(read >= before && read - before < chrono::TimeDelta::seconds(5));
        assert_ne!(Clock::pinned_to_day(NaiveDate::MIN).now(), read);
    }
}
