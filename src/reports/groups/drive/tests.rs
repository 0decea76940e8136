//! Planned against driven on a fixture counted by hand.

use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::domain::GeoPoint;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, d).unwrap_or_default()
}

fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
    day(d).and_hms_opt(h, m, 0).unwrap_or_default()
}

fn stop(id: &str, d: u32, position: i32, status: CheckStatus) -> PlannedCheck {
    PlannedCheck {
        id: id.to_owned(),
        group_id: "g1".to_owned(),
        day: day(d),
        status: status.as_str().to_owned(),
        window_start_min: 9 * 60,
        window_end_min: 18 * 60,
        position: Some(position),
        point: GeoPoint {
            lat: 53.0,
            lon: 63.0,
        },
        urban: true,
    }
}

fn leg(into: &str, from: &str, planned_s: i64, service_min: i64, district: &str) -> PlannedLeg {
    PlannedLeg {
        check_id: into.to_owned(),
        from_check_id: from.to_owned(),
        planned_s,
        from_service_s: service_min * 60,
        district: district.to_owned(),
        road_class: None,
    }
}

fn on(class: &str, leg: PlannedLeg) -> PlannedLeg {
    PlannedLeg {
        road_class: Some(class.to_owned()),
        ..leg
    }
}

fn visit(check: &str, when: NaiveDateTime) -> GroupVisit {
    GroupVisit {
        group_id: "g1".to_owned(),
        check_id: Some(check.to_owned()),
        local_at: when,
        flagged: false,
    }
}

const CLASSES: [&str; 3] = ["trunk", "tertiary", "residential"];

fn period() -> Period {
    Period {
        from: day(3),
        to: day(9),
    }
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "a fixture: its checks and visits, counted by hand below, are the content"
)]
fn legs_between_done_checks_give_factors_by_district_and_class_counted_by_hand() {
    use CheckStatus::{Done, Missed};
    let checks = vec![
        // Day 3: c1 -> c2 -> c3 -> (c4 missed) -> c5.
        stop("c1", 3, 1, Done),
        stop("c2", 3, 2, Done),
        stop("c3", 3, 3, Done),
        stop("c4", 3, 4, Missed),
        stop("c5", 3, 5, Done),
        // Day 4: d1 -> d2 -> d3, the last after lunch.
        stop("d1", 4, 1, Done),
        stop("d2", 4, 2, Done),
        stop("d3", 4, 3, Done),
        // Day 5: e2 was visited the day after.
        stop("e1", 5, 1, Done),
        stop("e2", 5, 2, Done),
        // Day 6: a single visit.
        stop("f1", 6, 1, Done),
        // Outside the period.
        stop("x1", 10, 1, Done),
        stop("x2", 10, 2, Done),
    ];
    let legs = vec![
        on("residential", leg("c2", "c1", 600, 15, "W")),
        on("trunk", leg("c3", "c2", 1200, 15, "E")),
        leg("c4", "c3", 300, 15, "E"),
        leg("c5", "c4", 400, 15, "E"),
        on("residential", leg("d2", "d1", 300, 15, "W")),
        leg("d3", "d2", 600, 20, "W"),
        leg("e2", "e1", 600, 15, "W"),
        leg("x2", "x1", 600, 15, "W"),
    ];
    let visits = vec![
        visit("c1", at(3, 10, 0)),
        // 27 minutes later, 15 of them at c1: 12 minutes' drive for 10 planned.
        visit("c2", at(3, 10, 27)),
        // A second visit of c2 does not move its first.
        visit("c2", at(3, 12, 30)),
        // 35 - 15 = 20 minutes for 20 planned.
        visit("c3", at(3, 11, 2)),
        visit("c4", at(3, 11, 30)),
        visit("c5", at(3, 12, 0)),
        visit("d1", at(4, 13, 0)),
        // 20 - 15 = 5 minutes for 5 planned.
        visit("d2", at(4, 13, 20)),
        // 100 - 20 = 80 minutes for 10 planned: lunch, an outlier.
        visit("d3", at(4, 15, 0)),
        visit("e1", at(5, 10, 0)),
        visit("e2", at(6, 10, 20)),
        visit("f1", at(6, 10, 0)),
        visit("x1", at(10, 10, 0)),
        visit("x2", at(10, 10, 30)),
    ];
    let report = aggregate(&checks, &visits, &legs, &CLASSES, period());
    // c3 -> c5 has no planned leg (c4 lies between), e1 -> e2 spans two days.
    assert_eq!(report.unmatched, 2);
    let keys = |lines: &[DriveLine]| lines.iter().map(|l| l.key.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&report.districts), ["E", "W"]);
    assert_eq!(
        keys(&report.road_classes),
        ["trunk", "residential", "great_circle"]
    );
    let w = &report.districts[1];
    assert_eq!((w.legs, w.outliers), (2, 1));
    assert_eq!(
        (w.median_planned_s, w.median_driven_s),
        (Some(450.0), Some(510.0))
    );
    // Ratios 1.0 (weight 300) and 1.2 (weight 600): half the weight is reached at 1.2.
    assert_eq!(w.factor, Some(1.2));
    let e = &report.districts[0];
    assert_eq!((e.legs, e.outliers, e.factor), (1, 0, Some(1.0)));
    let residential = &report.road_classes[1];
    assert_eq!((residential.legs, residential.factor), (2, Some(1.2)));
    let straight = &report.road_classes[2];
    assert_eq!((straight.legs, straight.outliers), (0, 1));
    assert_eq!((straight.median_planned_s, straight.factor), (None, None));
    let t = &report.total;
    assert_eq!((t.legs, t.outliers), (3, 1));
    assert_eq!(
        (t.median_planned_s, t.median_driven_s),
        (Some(600.0), Some(720.0))
    );
    // 1.0 (1,200 s), 1.0 (300 s), 1.2 (600 s): 1,500 of 2,100 reached at 1.0.
    assert_eq!(t.factor, Some(1.0));
    let csv = String::from_utf8_lossy(&report.to_csv()).into_owned();
    assert!(csv.contains("district,W,2,1,450.0,510.0,1.20,\n"), "{csv}");
    assert!(csv.contains("road_class,great_circle,0,1,,,,\n"), "{csv}");
    assert!(
        csv.ends_with("total,total,3,1,600.0,720.0,1.00,2\n"),
        "{csv}"
    );
}

#[test]
fn gaps_up_to_three_times_the_plan_count_and_beyond_or_below_a_third_do_not() {
    let s = |planned_s, driven_s| Sample {
        planned_s,
        driven_s,
        district: "W",
        class: "trunk",
    };
    assert!(!s(600, 1800).is_outlier());
    assert!(s(600, 1801).is_outlier());
    assert!(!s(600, 200).is_outlier());
    assert!(s(600, 199).is_outlier());
    // Recorded before the previous stop's planned service ended.
    assert!(s(600, -60).is_outlier());
    // The same address twice: no drive was planned.
    assert!(s(0, 30).is_outlier());
}

#[test]
fn the_weighted_median_of_equal_weights_is_the_ordinary_median() {
    assert_eq!(weighted_median(vec![(2.0, 5), (1.0, 5)]), Some(1.5));
    assert_eq!(
        weighted_median(vec![(3.0, 1), (1.0, 1), (2.0, 1)]),
        Some(2.0)
    );
    assert_eq!(weighted_median(vec![(1.0, 1), (4.0, 3)]), Some(4.0));
    assert_eq!(weighted_median(Vec::new()), None);
    assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
}

#[test]
fn without_legs_or_pairs_the_report_is_empty_and_says_what_it_could_not_compare() {
    let checks = vec![
        stop("a", 3, 1, CheckStatus::Done),
        stop("b", 3, 2, CheckStatus::Done),
    ];
    let visits = vec![visit("a", at(3, 10, 0)), visit("b", at(3, 10, 40))];
    // The plan kept no legs (made before they were stored).
    let report = aggregate(&checks, &visits, &[], &CLASSES, period());
    assert_eq!(report.unmatched, 1);
    assert!(report.districts.is_empty() && report.road_classes.is_empty());
    assert_eq!((report.total.legs, report.total.factor), (0, None));
    // One visit: nothing to pair.
    let report = aggregate(&checks[..1], &visits[..1], &[], &CLASSES, period());
    assert_eq!((report.unmatched, report.total.legs), (0, 0));
}
