//! Crime trends (DESIGN.md section 3, Supervisor 3): offences by severity, type, place and
//! district for a period against a comparison period, as counts, change in percent and the
//! Poisson z of the change, per 10,000 residents against a national reference, and by month.
//! Pure: the caller reads the offences and districts; nothing here touches the database.

use chrono::{Datelike as _, Months, NaiveDate};

use crate::db::offences::OffenceFact;
use crate::domain::offence::{OffencePlace, OffenceType};
use crate::domain::person::Severity;

/// |z| above this marks a change as real rather than noise (DESIGN.md section 3).
pub const SIGNIFICANT_Z: f64 = 3.0;

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

/// Rounds to one decimal, the precision the report shows.
pub fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// The change from `previous` to `current` in percent, rounded to one decimal; `None` when there
/// was nothing before.
pub fn change_percent(previous: i64, current: i64) -> Option<f64> {
    (previous > 0).then(|| round1((current - previous) as f64 * 100.0 / previous as f64))
}

/// The Poisson z of a change of counts: 2(sqrt(current) - sqrt(previous)), the difference of
/// the variance-stabilised counts; |z| > 3 is a real change, a smaller one may be noise.
pub fn poisson_z(previous: i64, current: i64) -> f64 {
    2.0 * ((current.max(0) as f64).sqrt() - (previous.max(0) as f64).sqrt())
}

/// Offences per 10,000 residents a year, rounded to one decimal; `None` without residents.
pub fn rate_per_10k(count: i64, population: i64, period: Period) -> Option<f64> {
    (population > 0)
        .then(|| round1(count as f64 * 10_000.0 / population as f64 * period.per_year_factor()))
}

/// One line of a table: a category, its counts in both periods and the change.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Line {
    /// The category's stored word (severity, type, place), district code or month `YYYY-MM`.
    pub key: String,
    /// Offences in the period.
    pub current: i64,
    /// Offences in the comparison period.
    pub previous: i64,
    /// Change in percent, one decimal; `None` when the comparison had none.
    pub change_percent: Option<f64>,
    /// Poisson z of the change.
    pub z: f64,
    /// |z| > 3.
    pub significant: bool,
    /// Per 10,000 residents a year in the period (districts and the total only).
    pub rate_current: Option<f64>,
    /// The same in the comparison period.
    pub rate_previous: Option<f64>,
}

impl Line {
    fn new(key: impl Into<String>, previous: i64, current: i64) -> Self {
        let z = poisson_z(previous, current);
        Self {
            key: key.into(),
            current,
            previous,
            change_percent: change_percent(previous, current),
            z,
            significant: z.abs() > SIGNIFICANT_Z,
            rate_current: None,
            rate_previous: None,
        }
    }
}

/// A district as the report needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictInfo {
    /// Id, as offences name it.
    pub id: String,
    /// Code shown and used in URLs.
    pub code: String,
    /// Residents.
    pub population: i64,
}

impl DistrictInfo {
    /// The district as the reports need it.
    pub fn of(d: &crate::domain::District) -> Self {
        Self {
            id: d.id.as_str().to_owned(),
            code: d.code.clone(),
            population: d.population,
        }
    }
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CrimeTrends {
    /// The period reported.
    pub period: Period,
    /// The period it is compared with.
    pub against: Period,
    /// The district reported, by code; `None` for the whole region.
    pub district: Option<String>,
    /// Residents of the area reported.
    pub population: i64,
    /// The national reference, offences per 10,000 residents a year.
    pub national_rate_per_10k: f64,
    /// All offences, with the rates per 10,000.
    pub total: Line,
    /// By severity class, in the classes' order.
    pub by_severity: Vec<Line>,
    /// By type.
    pub by_type: Vec<Line>,
    /// By place.
    pub by_place: Vec<Line>,
    /// By district, with rates per 10,000.
    pub by_district: Vec<Line>,
    /// By month of the period (`YYYY-MM`); `previous` is the same month of the comparison.
    pub monthly: Vec<Line>,
}

/// Counts the offences of both periods into the report. `current` and `previous` hold the
/// offences of `period` and `against` (others are ignored); `districts` are those reported (one
/// when `district` is set).
pub fn aggregate(
    current: &[OffenceFact],
    previous: &[OffenceFact],
    districts: &[DistrictInfo],
    period: Period,
    against: Period,
    district: Option<&str>,
    national_rate_per_10k: f64,
) -> CrimeTrends {
    let inside = |p: Period| move |f: &&OffenceFact| f.date >= p.from && f.date <= p.to;
    let current: Vec<&OffenceFact> = current.iter().filter(inside(period)).collect();
    let previous: Vec<&OffenceFact> = previous.iter().filter(inside(against)).collect();
    let count = |facts: &[&OffenceFact], test: &dyn Fn(&OffenceFact) -> bool| {
        facts.iter().filter(|f| test(f)).count() as i64
    };
    let table = |keys: Vec<&'static str>, field: fn(&OffenceFact) -> &str| -> Vec<Line> {
        keys.into_iter()
            .map(|key| {
                Line::new(
                    key,
                    count(&previous, &|f| field(f) == key),
                    count(&current, &|f| field(f) == key),
                )
            })
            .collect()
    };
    let population: i64 = districts.iter().map(|d| d.population).sum();
    let mut total = Line::new("total", previous.len() as i64, current.len() as i64);
    total.rate_current = rate_per_10k(total.current, population, period);
    total.rate_previous = rate_per_10k(total.previous, population, against);
    let by_district = districts
        .iter()
        .map(|d| {
            let mut line = Line::new(
                d.code.clone(),
                count(&previous, &|f| f.district_id == d.id),
                count(&current, &|f| f.district_id == d.id),
            );
            line.rate_current = rate_per_10k(line.current, d.population, period);
            line.rate_previous = rate_per_10k(line.previous, d.population, against);
            line
        })
        .collect();
    let months_before = against.months();
    let monthly = period
        .months()
        .into_iter()
        .enumerate()
        .map(|(i, month)| {
            let same_month = |m: NaiveDate| {
                move |f: &OffenceFact| f.date.year() == m.year() && f.date.month() == m.month()
            };
            let before = months_before
                .get(i)
                .map(|m| count(&previous, &same_month(*m)))
                .unwrap_or(0);
            Line::new(
                month.format("%Y-%m").to_string(),
                before,
                count(&current, &same_month(month)),
            )
        })
        .collect();
    CrimeTrends {
        period,
        against,
        district: district.map(str::to_owned),
        population,
        national_rate_per_10k,
        total,
        by_severity: table(Severity::ALL.iter().map(|s| s.as_str()).collect(), |f| {
            &f.severity
        }),
        by_type: table(OffenceType::ALL.iter().map(|s| s.as_str()).collect(), |f| {
            &f.offence_type
        }),
        by_place: table(
            OffencePlace::ALL.iter().map(|s| s.as_str()).collect(),
            |f| &f.place,
        ),
        by_district,
        monthly,
    }
}

/// The report's tables by name, as `?table=` and the CSV's first column name them.
pub const TABLES: &[&str] = &["total", "severity", "type", "place", "district", "month"];

impl CrimeTrends {
    /// The lines of a table named in [`TABLES`].
    pub fn table(&self, name: &str) -> Vec<&Line> {
        match name {
            "total" => vec![&self.total],
            "severity" => self.by_severity.iter().collect(),
            "type" => self.by_type.iter().collect(),
            "place" => self.by_place.iter().collect(),
            "district" => self.by_district.iter().collect(),
            "month" => self.monthly.iter().collect(),
            _ => Vec::new(),
        }
    }

    /// The report as CSV (one table, or all with the table's name in the first column):
    /// `table,key,current,previous,change_percent,z,significant,per_10k_current,per_10k_previous`.
    pub fn to_csv(&self, only: Option<&str>) -> Vec<u8> {
        let number = |x: Option<f64>| x.map(|x| format!("{x:.1}")).unwrap_or_default();
        let records = TABLES
            .iter()
            .filter(|t| only.is_none_or(|o| o == **t))
            .flat_map(|name| self.table(name).into_iter().map(move |line| (name, line)))
            .map(|(name, line)| {
                vec![
                    name.to_string(),
                    line.key.clone(),
                    line.current.to_string(),
                    line.previous.to_string(),
                    number(line.change_percent),
                    format!("{:.2}", line.z),
                    line.significant.to_string(),
                    number(line.rate_current),
                    number(line.rate_previous),
                ]
            });
        super::csv_bytes(
            &[
                "table",
                "key",
                "current",
                "previous",
                "change_percent",
                "z",
                "significant",
                "per_10k_current",
                "per_10k_previous",
            ],
            &[0, 1],
            records,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_years_end_the_day_before_the_fifth_anniversary() {
        let period = |from: NaiveDate, to: NaiveDate| Period { from, to };
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert!(period(day(2021, 1, 1), day(2025, 12, 31)).fits_years(5));
        assert!(!period(day(2021, 1, 1), day(2026, 1, 1)).fits_years(5));
        assert!(period(day(2024, 2, 29), day(2029, 2, 27)).fits_years(5));
        assert!(!period(day(2015, 1, 1), day(2026, 11, 30)).fits_years(10));
        assert!(
            period(day(2026, 1, 1), day(2026, 1, 1)).fits_years(0),
            "at least a year"
        );
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn fact(
        date: NaiveDate,
        district: &str,
        severity: &str,
        kind: &str,
        place: &str,
    ) -> OffenceFact {
        OffenceFact {
            date,
            district_id: district.to_owned(),
            severity: severity.to_owned(),
            offence_type: kind.to_owned(),
            place: place.to_owned(),
        }
    }

    #[test]
    fn poisson_z_by_hand() {
        // 2(sqrt(64) - sqrt(100)) = 2(8 - 10) = -4: a real fall.
        assert_eq!(poisson_z(100, 64), -4.0);
        // 2(sqrt(121) - sqrt(100)) = 2: may be noise.
        assert_eq!(poisson_z(100, 121), 2.0);
        assert_eq!(poisson_z(0, 0), 0.0);
        assert_eq!(poisson_z(0, 9), 6.0);
        let line = Line::new("x", 100, 64);
        assert!(line.significant);
        assert!(!Line::new("x", 100, 121).significant);
        assert!(!Line::new("x", 16, 25).significant);
    }

    #[test]
    fn changes_round_to_one_decimal_and_need_a_comparison() {
        assert_eq!(change_percent(3184, 3104), Some(-2.5));
        assert_eq!(change_percent(70, 36), Some(-48.6));
        assert_eq!(change_percent(200, 100), Some(-50.0));
        assert_eq!(change_percent(3, 4), Some(33.3));
        assert_eq!(change_percent(0, 4), None);
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

    #[test]
    fn a_small_fixture_is_counted_by_hand() {
        let period = Period {
            from: day(2025, 1, 1),
            to: day(2025, 2, 28),
        };
        let against = period.previous();
        let districts = vec![
            DistrictInfo {
                id: "a".to_owned(),
                code: "A".to_owned(),
                population: 10_000,
            },
            DistrictInfo {
                id: "b".to_owned(),
                code: "B".to_owned(),
                population: 30_000,
            },
            // A district without offences.
            DistrictInfo {
                id: "c".to_owned(),
                code: "C".to_owned(),
                population: 0,
            },
        ];
        let now = vec![
            fact(day(2025, 1, 1), "a", "grave", "robbery", "street"),
            fact(day(2025, 1, 31), "a", "minor", "theft", "street"),
            fact(day(2025, 2, 28), "b", "minor", "theft", "dwelling"),
            // Outside the period: ignored.
            fact(day(2025, 3, 1), "b", "minor", "theft", "dwelling"),
        ];
        let before = vec![
            fact(day(2024, 11, 1), "a", "minor", "theft", "street"),
            fact(day(2024, 11, 2), "b", "minor", "theft", "street"),
            fact(day(2024, 12, 31), "b", "minor", "fraud", "other"),
            fact(day(2024, 12, 30), "b", "medium", "fraud", "other"),
        ];
        let report = aggregate(&now, &before, &districts, period, against, None, 57.0);
        assert_eq!(against.from, day(2024, 11, 1));
        assert_eq!((report.total.current, report.total.previous), (3, 4));
        assert_eq!(report.total.change_percent, Some(-25.0));
        assert_eq!(report.population, 40_000);
        // 3 in two months = 18 a year over 40,000 residents = 4.5 per 10,000.
        assert_eq!(report.total.rate_current, Some(4.5));
        assert_eq!(report.total.rate_previous, Some(6.0));
        let theft = &report.by_type[0];
        assert_eq!(
            (theft.key.as_str(), theft.current, theft.previous),
            ("theft", 2, 2)
        );
        assert_eq!(theft.change_percent, Some(0.0));
        let robbery = &report.by_type[1];
        assert_eq!(
            (robbery.current, robbery.previous, robbery.change_percent),
            (1, 0, None)
        );
        assert_eq!(robbery.z, 2.0);
        let street = &report.by_place[1];
        assert_eq!(
            (street.key.as_str(), street.current, street.previous),
            ("street", 2, 2)
        );
        let minor = &report.by_severity[3];
        assert_eq!(
            (minor.key.as_str(), minor.current, minor.previous),
            ("minor", 2, 3)
        );
        assert_eq!(report.by_district[2].current, 0);
        assert_eq!(report.by_district[2].rate_current, None);
        assert_eq!(report.by_district[0].rate_current, Some(12.0));
        let months: Vec<(&str, i64, i64)> = report
            .monthly
            .iter()
            .map(|l| (l.key.as_str(), l.current, l.previous))
            .collect();
        assert_eq!(months, [("2025-01", 2, 2), ("2025-02", 1, 2)]);
        let csv = String::from_utf8_lossy(&report.to_csv(Some("type"))).into_owned();
        assert!(csv.contains("type,theft,2,2,0.0,0.00,false,,"), "{csv}");
        assert_eq!(csv.lines().count(), 1 + OffenceType::ALL.len());
    }
}
