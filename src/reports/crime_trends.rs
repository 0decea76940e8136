//! Crime trends (DESIGN.md section 3, Supervisor 3): offences by severity, type, place and
//! district for a period against a comparison period, as counts, change in percent and the
//! Poisson z of the change, per 10,000 residents against a national reference, and by month.
//! Pure: the caller reads the offences and districts; nothing here touches the database.

use chrono::{Datelike as _, NaiveDate};

use crate::domain::offence::{OffencePlace, OffenceType};
pub use crate::domain::period::{Period, PeriodError, parse_against, parse_day};
use crate::domain::person::Severity;

/// |z| above this marks a change as real rather than noise (DESIGN.md section 3).
pub const SIGNIFICANT_Z: f64 = 3.0;

/// What the report needs of one offence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffenceFact {
    /// Date committed.
    pub date: NaiveDate,
    /// District id.
    pub district_id: String,
    /// Severity word.
    pub severity: String,
    /// Type word.
    pub offence_type: String,
    /// Place word.
    pub place: String,
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
    let by_district = by_district(&current, &previous, districts, period, against);
    let monthly = monthly(&current, &previous, period, against);
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

/// How many of `facts` pass `test`.
fn count(facts: &[&OffenceFact], test: &dyn Fn(&OffenceFact) -> bool) -> i64 {
    facts.iter().filter(|f| test(f)).count() as i64
}

/// A line per district, with rates per 10,000 residents.
fn by_district(
    current: &[&OffenceFact],
    previous: &[&OffenceFact],
    districts: &[DistrictInfo],
    period: Period,
    against: Period,
) -> Vec<Line> {
    districts
        .iter()
        .map(|d| {
            let mut line = Line::new(
                d.code.clone(),
                count(previous, &|f| f.district_id == d.id),
                count(current, &|f| f.district_id == d.id),
            );
            line.rate_current = rate_per_10k(line.current, d.population, period);
            line.rate_previous = rate_per_10k(line.previous, d.population, against);
            line
        })
        .collect()
}

/// A line per month of the period, against the same month of the comparison.
fn monthly(
    current: &[&OffenceFact],
    previous: &[&OffenceFact],
    period: Period,
    against: Period,
) -> Vec<Line> {
    let months_before = against.months();
    period
        .months()
        .into_iter()
        .enumerate()
        .map(|(i, month)| {
            let same_month = |m: NaiveDate| {
                move |f: &OffenceFact| f.date.year() == m.year() && f.date.month() == m.month()
            };
            let before = months_before
                .get(i)
                .map(|m| count(previous, &same_month(*m)))
                .unwrap_or(0);
            Line::new(
                month.format("%Y-%m").to_string(),
                before,
                count(current, &same_month(month)),
            )
        })
        .collect()
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
    #[expect(
        clippy::too_many_lines,
        reason = "a fixture: its rows, counted by hand in the test, are the content"
    )]
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
