//! The periods a supervisor picks most (issue 16, item 11): this month so far, last month, the
//! last full quarter and the last full year, each a [`Period`] counted from today.

use chrono::{Datelike as _, Months, NaiveDate};

use super::period::Period;
use super::text_enum;

text_enum!(
    /// A period one click away on every report page.
    PeriodPreset {
        /// From the first of this month to today.
        ThisMonth = "this_month",
        /// The whole of last month.
        LastMonth = "last_month",
        /// The last whole calendar quarter.
        LastQuarter = "last_quarter",
        /// The last whole calendar year.
        LastYear = "last_year",
    }
);

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The whole months from `from` for `months` months.
fn whole_months(from: NaiveDate, months: u32) -> Period {
    let to = from
        .checked_add_months(Months::new(months))
        .and_then(|next| next.pred_opt())
        .unwrap_or(from);
    Period { from, to }
}

impl PeriodPreset {
    /// The period this preset means on `today`.
    pub fn period(self, today: NaiveDate) -> Period {
        let this_month = first_of_month(today);
        match self {
            PeriodPreset::ThisMonth => Period {
                from: this_month,
                to: today,
            },
            PeriodPreset::LastMonth => whole_months(
                this_month
                    .checked_sub_months(Months::new(1))
                    .unwrap_or(this_month),
                1,
            ),
            PeriodPreset::LastQuarter => {
                let quarter_start = this_month
                    .with_month((today.month0() / 3) * 3 + 1)
                    .unwrap_or(this_month);
                whole_months(
                    quarter_start
                        .checked_sub_months(Months::new(3))
                        .unwrap_or(quarter_start),
                    3,
                )
            }
            PeriodPreset::LastYear => {
                let from = NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).unwrap_or(today);
                whole_months(from, 12)
            }
        }
    }

    /// The same days a year before (this month so far against the same days of last year's
    /// month), for comparisons free of the season.
    pub fn year_before(period: Period) -> Option<Period> {
        Some(Period {
            from: period.from.checked_sub_months(Months::new(12))?,
            to: period.to.checked_sub_months(Months::new(12))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn presets_on_the_third_of_december_and_on_new_years_day() {
        let today = day(2026, 12, 3);
        let period = |p: PeriodPreset| {
            let p = p.period(today);
            (p.from, p.to)
        };
        assert_eq!(
            period(PeriodPreset::ThisMonth),
            (day(2026, 12, 1), day(2026, 12, 3))
        );
        assert_eq!(
            period(PeriodPreset::LastMonth),
            (day(2026, 11, 1), day(2026, 11, 30))
        );
        assert_eq!(
            period(PeriodPreset::LastQuarter),
            (day(2026, 7, 1), day(2026, 9, 30))
        );
        assert_eq!(
            period(PeriodPreset::LastYear),
            (day(2025, 1, 1), day(2025, 12, 31))
        );
        let january = PeriodPreset::LastQuarter.period(day(2027, 1, 1));
        assert_eq!(
            (january.from, january.to),
            (day(2026, 10, 1), day(2026, 12, 31))
        );
        let last_month = PeriodPreset::LastMonth.period(day(2027, 1, 1));
        assert_eq!(
            (last_month.from, last_month.to),
            (day(2026, 12, 1), day(2026, 12, 31))
        );
    }
}
