//! A span of days, both ends included: the period a report covers and the one it is compared
//! with, read from `YYYY-MM-DD` text (web filters and the command line alike).

use chrono::{Datelike as _, Months, NaiveDate};

/// A span of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

/// Why a period or comparison cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// Not a date as `YYYY-MM-DD`.
    #[error("not a date: write YYYY-MM-DD")]
    Date,
    /// The last day comes before the first.
    #[error("the period ends before it starts")]
    Order,
    /// The comparison is neither `previous` nor `YYYY-MM-DD..YYYY-MM-DD`.
    #[error("the comparison must be `previous` or YYYY-MM-DD..YYYY-MM-DD")]
    Against,
}

impl PeriodError {
    /// Catalogue key of the message.
    pub fn message_key(self) -> &'static str {
        match self {
            PeriodError::Date => "crime-error-date",
            PeriodError::Order => "crime-error-order",
            PeriodError::Against => "crime-error-against",
        }
    }
}

impl Period {
    /// A period; the last day may not come before the first.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, PeriodError> {
        if to < from {
            return Err(PeriodError::Order);
        }
        Ok(Self { from, to })
    }

    /// Days in the period.
    pub fn days(self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The number of calendar months when the period is whole months (starts on a first, ends
    /// on a last day), else `None`.
    pub fn whole_months(self) -> Option<u32> {
        let next = self.to.succ_opt()?;
        if self.from.day() != 1 || next.day() != 1 {
            return None;
        }
        let months =
            (next.year() - self.from.year()) * 12 + next.month() as i32 - self.from.month() as i32;
        u32::try_from(months).ok()
    }

    /// The period just before, of the same length: the same number of calendar months when the
    /// period is whole months (so 2025 compares with all of 2024), else the same number of days.
    pub fn previous(self) -> Self {
        if let Some(months) = self.whole_months()
            && let Some(from) = self.from.checked_sub_months(Months::new(months))
            && let Some(to) = self.from.pred_opt()
        {
            return Self { from, to };
        }
        let days = chrono::Duration::days(self.days());
        Self {
            from: self.from - days,
            to: self.to - days,
        }
    }

    /// How many times the period fits in a year (1 for a calendar year), to state rates per year.
    pub fn per_year_factor(self) -> f64 {
        match self.whole_months() {
            Some(months) if months > 0 => 12.0 / f64::from(months),
            _ => 365.0 / self.days() as f64,
        }
    }

    /// Whether the period covers at most `years` years (at least 1): it ends before the same day
    /// `years` years after its first (2021-01-01..2025-12-31 is five years).
    pub fn fits_years(self, years: u32) -> bool {
        let months = Months::new(12 * years.max(1));
        self.from
            .checked_add_months(months)
            .is_none_or(|limit| self.to < limit)
    }

    /// `YYYY-MM-DD..YYYY-MM-DD`.
    pub fn to_text(self) -> String {
        format!("{}..{}", self.from, self.to)
    }

    /// The first day of each month the period touches.
    pub fn months(self) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut month = self.from.with_day(1).unwrap_or(self.from);
        while month <= self.to {
            out.push(month);
            match month.checked_add_months(Months::new(1)) {
                Some(next) => month = next,
                None => break,
            }
        }
        out
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Result<NaiveDate, PeriodError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_not_a_date| PeriodError::Date)
}

/// The comparison period: `previous` (or empty) for the period just before, or
/// `YYYY-MM-DD..YYYY-MM-DD`.
pub fn parse_against(text: &str, period: Period) -> Result<Period, PeriodError> {
    let text = text.trim();
    if text.is_empty() || text == "previous" {
        return Ok(period.previous());
    }
    let (from, to) = text.split_once("..").ok_or(PeriodError::Against)?;
    let from = parse_day(from).map_err(|_not_a_date| PeriodError::Against)?;
    let to = parse_day(to).map_err(|_not_a_date| PeriodError::Against)?;
    Period::new(from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn five_years_end_the_day_before_the_fifth_anniversary() {
        let period = |from: NaiveDate, to: NaiveDate| Period { from, to };
        assert!(period(day(2021, 1, 1), day(2025, 12, 31)).fits_years(5));
        assert!(!period(day(2021, 1, 1), day(2026, 1, 1)).fits_years(5));
        assert!(period(day(2024, 2, 29), day(2029, 2, 27)).fits_years(5));
        assert!(!period(day(2015, 1, 1), day(2026, 11, 30)).fits_years(10));
        assert!(
            period(day(2026, 1, 1), day(2026, 1, 1)).fits_years(0),
            "at least a year"
        );
    }

    #[test]
    fn the_previous_period_of_a_year_is_the_year_before_and_of_days_the_days_before() {
        let year = Period::new(day(2025, 1, 1), day(2025, 12, 31)).unwrap_or(Period {
            from: day(2025, 1, 1),
            to: day(2025, 1, 1),
        });
        assert_eq!(year.whole_months(), Some(12));
        assert_eq!(
            year.previous(),
            Period {
                from: day(2024, 1, 1),
                to: day(2024, 12, 31)
            }
        );
        let quarter = Period {
            from: day(2026, 1, 1),
            to: day(2026, 3, 31),
        };
        assert_eq!(
            quarter.previous(),
            Period {
                from: day(2025, 10, 1),
                to: day(2025, 12, 31)
            }
        );
        let days = Period {
            from: day(2026, 3, 10),
            to: day(2026, 3, 19),
        };
        assert_eq!(
            days.previous(),
            Period {
                from: day(2026, 2, 28),
                to: day(2026, 3, 9)
            }
        );
        assert_eq!(
            parse_against("2024-01-01..2024-06-30", days),
            Ok(Period {
                from: day(2024, 1, 1),
                to: day(2024, 6, 30)
            })
        );
        assert_eq!(parse_against("last year", days), Err(PeriodError::Against));
        assert_eq!(
            Period::new(day(2026, 2, 1), day(2026, 1, 1)),
            Err(PeriodError::Order)
        );
        assert_eq!(year.per_year_factor(), 1.0);
        assert_eq!(quarter.per_year_factor(), 4.0);
    }
}
