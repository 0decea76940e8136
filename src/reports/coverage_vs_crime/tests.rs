//! Unit tests of the coverage vs crime report's aggregation on hand-made facts.

use super::statistics::ln_gamma;
use super::*;
use crate::domain::contact_standard::default_contact_standards;
use crate::domain::person::{CheckKind, RiskTier};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn person(id: &str, district: &str, start: NaiveDate) -> PersonFact {
    PersonFact {
        id: id.to_owned(),
        district_id: district.to_owned(),
        risk_tier: RiskTier::Medium,
        supervision_start: start,
        employed: false,
    }
}

fn offences(district: &str, y: i32, m: u32, n: usize) -> Vec<OffenceAt> {
    (0..n)
        .map(|i| OffenceAt {
            district_id: district.to_owned(),
            day: day(y, m, 1 + i as u32 * 3),
        })
        .collect()
}

/// The fixture of the module's test and of `tests/app/coverage_vs_crime.rs`: three districts
/// of 10,000, 20,000 and 5,000 residents, medium-tier persons (home within 14 days), the first
/// quarter of 2025.
#[expect(
    clippy::too_many_lines,
    reason = "a fixture: its rows, counted by hand in the test, are the content"
)]
fn fixture() -> CoverageVsCrime {
    let old = day(2024, 1, 1);
    let persons = vec![
        person("a1", "a", old),
        person("a2", "a", old),
        person("b1", "b", old),
        // Became active mid-period.
        person("b2", "b", day(2025, 2, 20)),
        person("c1", "c", old),
    ];
    let home = |id: &str, on: NaiveDate| SuccessFact {
        person_id: id.to_owned(),
        kind: CheckKind::Home,
        day: on,
    };
    let successes = vec![
        home("a1", day(2025, 1, 25)),
        home("a1", day(2025, 2, 20)),
        // On the period's last day: counts.
        home("a1", day(2025, 3, 31)),
        home("a2", day(2025, 1, 31)),
        home("b1", day(2025, 1, 10)),
        home("b1", day(2025, 3, 20)),
        home("c1", day(2025, 1, 20)),
        home("c1", day(2025, 2, 27)),
        home("c1", day(2025, 3, 25)),
        // After the period: ignored.
        home("a2", day(2025, 4, 1)),
    ];
    let district = |id: &str, code: &str, population| DistrictInfo {
        id: id.to_owned(),
        code: code.to_owned(),
        population,
    };
    let districts = vec![
        district("a", "A", 10_000),
        district("b", "B", 20_000),
        // No offences at all.
        district("c", "C", 5_000),
    ];
    let mut all = Vec::new();
    for (d, m, n) in [
        ("a", 1, 2),
        ("a", 2, 1),
        ("a", 3, 3),
        ("b", 1, 4),
        ("b", 2, 4),
        ("b", 3, 1),
    ] {
        all.extend(offences(d, 2025, m, n));
    }
    // Outside the period: ignored.
    all.extend(offences("a", 2025, 4, 5));
    let reoffence = |id: &str, on: NaiveDate| Reoffence {
        person_id: id.to_owned(),
        day: on,
    };
    let reoffences = vec![
        // Feb 24: a1 last checked Feb 20 (>= Feb 10): covered.
        reoffence("a1", day(2025, 2, 25)),
        // Mar 2: a2 last checked Jan 31 (< Feb 16): overdue.
        reoffence("a2", day(2025, 3, 3)),
        // Feb 20: b2 under supervision since that day, no check yet: not yet due.
        reoffence("b2", day(2025, 2, 21)),
        // A registry person no longer active: not supervised.
        reoffence("x9", day(2025, 1, 4)),
        // Before the period: ignored.
        reoffence("a2", day(2024, 12, 30)),
    ];
    let period = Period {
        from: day(2025, 1, 1),
        to: day(2025, 3, 31),
    };
    aggregate(
        &persons,
        &successes,
        &default_contact_standards(),
        &districts,
        &all,
        &reoffences,
        period,
        None,
    )
}

#[test]
fn coverage_and_offences_per_district_and_month_are_counted_by_hand() {
    let report = fixture();
    type Shown = (String, String, Option<f64>, i64, Option<f64>);
    let cells: Vec<Shown> = report
        .cells
        .iter()
        .map(|c| {
            (
                c.district.clone(),
                c.month.clone(),
                c.coverage_percent,
                c.offences,
                c.offences_per_10k,
            )
        })
        .collect();
    let cell = |d: &str, m: &str, cov, n, rate| (d.to_owned(), m.to_owned(), cov, n, rate);
    // A: Jan 31 both covered (a1 Jan 25, a2 Jan 31); Feb 28 a2 overdue; Mar 31 a2 overdue,
    // a1 covered by the visit on the last day. Rates: n * 10,000 / 10,000 * 12 a year.
    // B: b1 overdue until its visit of Mar 20; b2 not counted in January, not yet due at
    // February's end, overdue at March's. Rates: n * 10,000 / 20,000 * 12 = 6n.
    // C: covered every month, no offences.
    assert_eq!(
        cells,
        [
            cell("A", "2025-01", Some(100.0), 2, Some(24.0)),
            cell("A", "2025-02", Some(50.0), 1, Some(12.0)),
            cell("A", "2025-03", Some(50.0), 3, Some(36.0)),
            cell("B", "2025-01", Some(0.0), 4, Some(24.0)),
            cell("B", "2025-02", Some(0.0), 4, Some(24.0)),
            cell("B", "2025-03", Some(50.0), 1, Some(6.0)),
            cell("C", "2025-01", Some(100.0), 0, Some(0.0)),
            cell("C", "2025-02", Some(100.0), 0, Some(0.0)),
            cell("C", "2025-03", Some(100.0), 0, Some(0.0)),
        ]
    );
    assert_eq!(report.cells[4].coverage.not_yet_due, 1);
    // The period: 6, 9 and 0 offences a quarter, four quarters a year.
    let districts: Vec<(Option<f64>, i64, Option<f64>)> = report
        .by_district
        .iter()
        .map(|c| (c.coverage_percent, c.offences, c.offences_per_10k))
        .collect();
    assert_eq!(
        districts,
        [
            (Some(50.0), 6, Some(24.0)),
            (Some(50.0), 9, Some(18.0)),
            (Some(100.0), 0, Some(0.0)),
        ]
    );
}

#[test]
fn correlations_are_computed_by_hand_and_a_small_n_gives_no_p_value() {
    let report = fixture();
    let c = &report.correlations;
    // Districts: x = (50, 50, 100), y = (24, 18, 0); deviations (-50/3, -50/3, 100/3) and
    // (10, 4, -14): Sxy = -700, Sxx = 5000/3, Syy = 312, r = -700 / sqrt(520,000) = -0.971.
    // Three pairs: too few for a p-value.
    assert_eq!(
        (c[0].key, c[0].n, c[0].r, c[0].p_value),
        ("district", 3, Some(-0.971), None)
    );
    // District-months: x = (100, 50, 50, 0, 0, 50, 100, 100, 100), y = (24, 12, 36, 24, 24,
    // 6, 0, 0, 0): sums 550 and 126, of products 5,100, of squares 47,500 and 3,204;
    // Sxy = 5,100 - 550 * 126 / 9 = -2,600, Sxx = 47,500 - 550² / 9 = 13,888.9,
    // Syy = 3,204 - 126² / 9 = 1,440: r = -2,600 / sqrt(13,888.9 * 1,440) = -0.581;
    // t = r sqrt(7 / (1 - r²)) = -1.890 with 7 degrees of freedom, two-sided p = 0.1006.
    assert_eq!(c[1].key, "month");
    assert_eq!(c[1].n, 9);
    assert_eq!(c[1].r, Some(-0.581));
    assert_eq!(c[1].p_value, Some(0.1006));
    // Next month: (100, 12), (50, 36), (0, 24), (0, 6), (100, 0), (100, 0): sums 350 and
    // 78, of products 3,000, of squares 32,500 and 2,052; Sxy = 3,000 - 350 * 78 / 6 =
    // -1,550, Sxx = 12,083.3, Syy = 1,038: r = -0.438, t = -0.973 with 4 degrees of freedom,
    // p = 0.3854.
    assert_eq!(c[2].key, "next_month");
    assert_eq!(c[2].n, 6);
    assert_eq!(c[2].r, Some(-0.438));
    assert_eq!(c[2].p_value, Some(0.3854));
}

#[test]
fn reoffending_is_split_by_the_state_the_day_before() {
    let report = fixture();
    // Person-months at the month ends: Jan 31 a1, a2, c1 covered, b1 overdue; Feb 28 a1, c1
    // covered, a2, b1 overdue, b2 not yet due; Mar 31 a1, b1, c1 covered, a2, b2 overdue.
    let lines: Vec<(&str, i64, i64, i64, Option<f64>)> = report
        .reoffending
        .iter()
        .map(|l| {
            (
                l.key,
                l.offences,
                l.persons,
                l.person_months,
                l.per_100_person_months,
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("covered", 1, 1, 8, Some(12.5)),
            ("overdue", 1, 1, 5, Some(20.0)),
            ("not_yet_due", 1, 1, 1, Some(100.0)),
            ("not_supervised", 1, 1, 0, None),
        ]
    );
}

#[test]
fn p_values_match_the_t_distribution() {
    // Critical values of Student's t: r = 0.878 with n = 5 and r = 0.632 with n = 10 lie at
    // p = 0.05 (two-sided); r = 0 is p = 1; a perfect line is p = 0.
    let p = |r, n| p_value(r, n).map(|p| round_to(p, 3));
    assert_eq!(p(0.878, 5), Some(0.05));
    assert_eq!(p(0.632, 10), Some(0.05));
    assert_eq!(p(-0.632, 10), Some(0.05));
    assert_eq!(p(0.0, 30), Some(1.0));
    assert_eq!(p(1.0, 6), Some(0.0));
    assert_eq!(p(0.9, 4), None);
    assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-12);
    assert_eq!(pearson(&[(1.0, 2.0), (1.0, 3.0), (1.0, 4.0)]), None);
    assert_eq!(pearson(&[(1.0, 2.0), (2.0, 3.0)]), None);
}

#[test]
fn the_csv_holds_every_table_with_the_page_figures() {
    let report = fixture();
    let csv = String::from_utf8_lossy(&report.to_csv(None)).into_owned();
    assert!(csv.contains("district,A,,2,1,50.0,6,24.0,,,,,,\n"), "{csv}");
    assert!(
        csv.contains("month,B,2025-02,1,0,0.0,4,24.0,,,,,,\n"),
        "{csv}"
    );
    assert!(
        csv.contains("correlation,district,,,,,,,3,-0.971,,,,\n"),
        "{csv}"
    );
    assert!(
        csv.contains("correlation,month,,,,,,,9,-0.581,0.1006,,,\n"),
        "{csv}"
    );
    assert!(
        csv.contains("reoffending,covered,,,,,1,,,,,1,8,12.5\n"),
        "{csv}"
    );
    assert!(
        csv.contains("reoffending,not_supervised,,,,,1,,,,,1,0,\n"),
        "{csv}"
    );
    let only = String::from_utf8_lossy(&report.to_csv(Some("reoffending"))).into_owned();
    assert_eq!(only.lines().count(), 5);
}
