//! Unit tests of the coverage report's aggregation on hand-made facts.

use super::*;
use crate::domain::contact_standard::default_contact_standards;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn person(
    id: &str,
    district: &str,
    tier: RiskTier,
    start: NaiveDate,
    employed: bool,
) -> PersonFact {
    PersonFact {
        id: id.to_owned(),
        district_id: district.to_owned(),
        risk_tier: tier,
        supervision_start: start,
        employed,
    }
}

fn visit(id: &str, kind: CheckKind, on: NaiveDate) -> SuccessFact {
    SuccessFact {
        person_id: id.to_owned(),
        kind,
        day: on,
    }
}

#[test]
fn the_trend_takes_each_month_end_and_the_period_end() {
    let period = Period {
        from: day(2025, 1, 15),
        to: day(2025, 3, 10),
    };
    assert_eq!(
        trend_days(period),
        [day(2025, 1, 31), day(2025, 2, 28), day(2025, 3, 10)]
    );
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "a fixture: its rows, counted by hand in the test, are the content"
)]
fn a_small_fixture_is_counted_by_hand() {
    // Standards: high 7/14, medium 14/30, low 30/60 days (home/work).
    let standards = default_contact_standards();
    let old = day(2024, 1, 1);
    let persons = vec![
        // High, employed, district a: home visited on the boundary day (Mar 31 - 7 = Mar 24:
        // covered), work visited 20 days before (14 allowed: overdue).
        person("p1", "a", RiskTier::High, old, true),
        // Medium, district a: home visited on Mar 16 (15 days before, 14 allowed: overdue);
        // covered at the end of February by the visit of Feb 20.
        person("p2", "a", RiskTier::Medium, old, false),
        // Low, district b (no group): supervision began Mar 20, never visited: not yet due.
        person("p3", "b", RiskTier::Low, day(2025, 3, 20), false),
        // Low, district b: became active mid-period (Feb 10), visited Mar 5: not counted at
        // January's end, not yet due at February's, covered at March's (Mar 5 >= Mar 1).
        person("p4", "b", RiskTier::Low, day(2025, 2, 10), false),
        // Medium, district c: a visit after the period's end does not count.
        person("p5", "c", RiskTier::Medium, old, false),
    ];
    let successes = vec![
        visit("p1", CheckKind::Home, day(2025, 3, 24)),
        visit("p1", CheckKind::Work, day(2025, 3, 11)),
        visit("p2", CheckKind::Home, day(2025, 2, 20)),
        visit("p2", CheckKind::Home, day(2025, 3, 16)),
        visit("p4", CheckKind::Home, day(2025, 3, 5)),
        visit("p5", CheckKind::Home, day(2025, 4, 1)),
    ];
    let districts = vec![
        DistrictRef {
            id: "a".to_owned(),
            code: "A".to_owned(),
        },
        DistrictRef {
            id: "b".to_owned(),
            code: "B".to_owned(),
        },
        DistrictRef {
            id: "c".to_owned(),
            code: "C".to_owned(),
        },
    ];
    let groups = vec![
        GroupRef {
            name: "G1".to_owned(),
            district_ids: vec!["a".to_owned(), "c".to_owned()],
        },
        GroupRef {
            name: "G2".to_owned(),
            district_ids: vec!["c".to_owned()],
        },
    ];
    let period = Period {
        from: day(2025, 1, 1),
        to: day(2025, 3, 31),
    };
    let report = aggregate(
        &persons, &successes, &standards, &districts, &groups, period, None,
    );
    // At Mar 31: p1 home covered, p1 work overdue, p2 overdue, p3 not yet due, p4 covered
    // (Mar 5 >= Mar 1), p5 overdue.
    let t = &report.total;
    assert_eq!(
        t.home,
        Counts {
            covered: 2,
            overdue: 2,
            not_yet_due: 1
        }
    );
    assert_eq!(
        t.work,
        Counts {
            covered: 0,
            overdue: 1,
            not_yet_due: 0
        }
    );
    assert_eq!(t.all().share(), Some(40.0));
    assert_eq!(t.home.share(), Some(50.0));
    assert_eq!(t.work.share(), Some(0.0));
    let a = &report.by_district[0];
    assert_eq!((a.home.covered, a.home.overdue, a.work.overdue), (1, 1, 1));
    let b = &report.by_district[1];
    assert_eq!((b.home.covered, b.home.not_yet_due), (1, 1));
    assert_eq!(report.by_district[2].home.overdue, 1);
    // G1 covers a and c, G2 shares c; b falls to the line without a group.
    assert_eq!(report.by_group.len(), 3);
    assert_eq!(report.by_group[0].all().counted(), 4);
    assert_eq!(report.by_group[1].all().overdue, 1);
    assert_eq!(report.by_group[2].key, NO_GROUP);
    assert_eq!(report.by_group[2].home.covered, 1);
    let tiers: Vec<(String, i64, i64)> = report
        .by_tier
        .iter()
        .map(|l| (l.key.clone(), l.all().covered, l.all().overdue))
        .collect();
    assert_eq!(
        tiers,
        [
            ("high".to_owned(), 1, 1),
            ("medium".to_owned(), 0, 2),
            ("low".to_owned(), 1, 0)
        ]
    );
    // The trend: Jan 31 (p1, p2, p5 overdue; p3, p4 not yet supervised), Feb 28 (p2 covered
    // by Feb 20; p4 not yet due), Mar 31 as the total.
    let trend: Vec<(String, i64, i64, i64)> = report
        .monthly
        .iter()
        .map(|l| {
            let a = l.all();
            (l.key.clone(), a.covered, a.overdue, a.not_yet_due)
        })
        .collect();
    assert_eq!(
        trend,
        [
            ("2025-01-31".to_owned(), 0, 4, 0),
            ("2025-02-28".to_owned(), 1, 3, 1),
            ("2025-03-31".to_owned(), 2, 3, 1),
        ]
    );
    let csv = String::from_utf8_lossy(&report.to_csv(Some("total"))).into_owned();
    assert!(
        csv.contains("total,total,5,2,40.0,3,1,4,2,50.0,1,0,0.0"),
        "{csv}"
    );
}

#[test]
fn persons_checked_far_more_than_their_standard_and_those_left_lapsing_are_listed() {
    let standards = default_contact_standards();
    let persons = vec![
        // High (home every 7 days), visited on ten days of February: 28 days ask for 4.0
        // checks, 10 is 2.5 times that.
        person("q1", "a", RiskTier::High, day(2024, 1, 1), false),
        // Medium (14 days), three visits: 2.0 asked, 1.5 times: not far more, not overdue.
        person("q2", "a", RiskTier::Medium, day(2024, 1, 1), false),
        // Low (30 days), last visited 1 December: 89 days before 28 February, 59 overdue.
        person("q3", "a", RiskTier::Low, day(2024, 1, 1), false),
        // Medium, never visited since 1 January: 58 days, 44 overdue.
        person("q4", "a", RiskTier::Medium, day(2025, 1, 1), false),
        // Medium, supervised since 20 February: not yet due, on neither list.
        person("q5", "a", RiskTier::Medium, day(2025, 2, 20), false),
    ];
    let mut successes: Vec<SuccessFact> = (1..=10)
        .map(|d| visit("q1", CheckKind::Home, day(2025, 2, d)))
        .collect();
    successes.extend([
        visit("q2", CheckKind::Home, day(2025, 2, 3)),
        visit("q2", CheckKind::Home, day(2025, 2, 15)),
        visit("q2", CheckKind::Home, day(2025, 2, 27)),
        visit("q3", CheckKind::Home, day(2024, 12, 1)),
    ]);
    let period = Period {
        from: day(2025, 2, 1),
        to: day(2025, 2, 28),
    };
    let report = aggregate(&persons, &successes, &standards, &[], &[], period, None);
    let over: Vec<(&str, i64, f64)> = report
        .over_checked
        .iter()
        .map(|o| (o.person_id.as_str(), o.checks, o.expected))
        .collect();
    assert_eq!(over, [("q1", 10, 4.0)]);
    let lapsing: Vec<(&str, i64, i64, bool)> = report
        .lapsing
        .iter()
        .map(|o| {
            (
                o.person_id.as_str(),
                o.days_since,
                o.days_overdue,
                o.never_visited,
            )
        })
        .collect();
    assert_eq!(lapsing, [("q3", 89, 59, false), ("q4", 58, 44, true)]);
}
