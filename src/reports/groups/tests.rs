//! The group report's hand-counted fixtures.

use super::*;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, d).unwrap_or_default()
}

fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
    day(d).and_hms_opt(h, m, 0).unwrap_or_default()
}

const BASE: GeoPoint = GeoPoint {
    lat: 53.0,
    lon: 63.0,
};

fn check(id: &str, group: &str, d: u32, status: &str) -> PlannedCheck {
    PlannedCheck {
        id: id.to_owned(),
        group_id: group.to_owned(),
        day: day(d),
        status: status.to_owned(),
        window_start_min: 18 * 60,
        window_end_min: 20 * 60,
        position: None,
        point: BASE,
        urban: false,
    }
}

fn visit(group: &str, check: Option<&str>, when: NaiveDateTime, flagged: bool) -> GroupVisit {
    GroupVisit {
        group_id: group.to_owned(),
        check_id: check.map(str::to_owned),
        local_at: when,
        flagged,
    }
}

#[test]
fn a_small_fixture_is_counted_by_hand() {
    let period = Period {
        from: day(3),
        to: day(9),
    };
    let groups = vec![
        GroupName {
            id: "g1".to_owned(),
            name: "МГ-1".to_owned(),
            base: BASE,
            base_urban: false,
        },
        GroupName {
            id: "g2".to_owned(),
            name: "МГ-2".to_owned(),
            base: BASE,
            base_urban: false,
        },
    ];
    let checks = vec![
        check("c1", "g1", 3, CheckStatus::Done.as_str()),
        check("c2", "g1", 3, CheckStatus::Missed.as_str()),
        check("c3", "g1", 4, CheckStatus::Done.as_str()),
        check("c4", "g1", 9, CheckStatus::Published.as_str()),
        // Outside the period.
        check("c5", "g1", 10, CheckStatus::Done.as_str()),
        check("c6", "g2", 5, CheckStatus::Done.as_str()),
    ];
    let visits = vec![
        // In the window, on the day.
        visit("g1", Some("c1"), at(3, 18, 0), false),
        // At the window's end: still on time.
        visit("g1", Some("c2"), at(3, 20, 0), true),
        // A minute late.
        visit("g1", Some("c3"), at(4, 20, 1), false),
        // Outside the period.
        visit("g1", Some("c5"), at(10, 18, 30), false),
        // On time but on another day.
        visit("g2", Some("c6"), at(6, 19, 0), false),
        // Ad hoc.
        visit("g2", None, at(6, 21, 0), true),
    ];
    let report = aggregate(&checks, &visits, &groups, period);
    let g1 = &report.groups[0];
    assert_eq!(
        (g1.planned, g1.done, g1.missed, g1.open, g1.on_time),
        (4, 2, 1, 1, 2)
    );
    assert_eq!((g1.shifts, g1.visits, g1.flagged), (3, 3, 1));
    assert_eq!(g1.on_time_share(), Some(66.7));
    assert_eq!(g1.visits_per_shift(), Some(1.0));
    assert_eq!(g1.flagged_share(), Some(33.3));
    let g2 = &report.groups[1];
    assert_eq!((g2.planned, g2.done, g2.on_time, g2.visits), (1, 1, 0, 2));
    assert_eq!(g2.visits_per_shift(), Some(2.0));
    assert_eq!((report.total.planned, report.total.visits), (5, 5));
    let csv = String::from_utf8_lossy(&report.to_csv()).into_owned();
    assert!(
        csv.contains("МГ-1,4,2,1,1,2,66.7,3,3,1.0,1,33.3,0.0,0.0"),
        "{csv}"
    );
    assert!(
        csv.trim_end()
            .ends_with("total,5,3,1,1,2,50.0,4,5,1.3,2,40.0,0.0,0.0"),
        "{csv}"
    );
}

#[test]
fn the_distance_follows_the_visited_stops_in_their_order_from_the_base_and_back() {
    let period = Period {
        from: day(3),
        to: day(9),
    };
    let groups = vec![GroupName {
        id: "g1".to_owned(),
        name: "МГ-1".to_owned(),
        base: BASE,
        base_urban: false,
    }];
    let north = |km: f64| GeoPoint {
        lat: 53.0
            + km / BASE.distance_m(GeoPoint {
                lat: 54.0,
                lon: 63.0,
            }) * 1000.0,
        lon: 63.0,
    };
    let stop = |id: &str, d: u32, status: &str, position: i32, km: f64| PlannedCheck {
        position: Some(position),
        point: north(km),
        ..check(id, "g1", d, status)
    };
    let checks = vec![
        // Day 3: 10 km out in order 1, 2 (4 km, then 10 km), back 10: 20 km of road, times
        // 1.2 for country roads: 24 km. The open stop at 30 km is not driven.
        stop("c2", 3, CheckStatus::Missed.as_str(), 2, 10.0),
        stop("c1", 3, CheckStatus::Done.as_str(), 1, 4.0),
        stop("c3", 3, CheckStatus::Published.as_str(), 3, 30.0),
        // Day 4: a stop 5 km out and back: 10 km, 12 by road.
        stop("c4", 4, CheckStatus::Done.as_str(), 1, 5.0),
    ];
    let report = aggregate(&checks, &[], &groups, period);
    let g1 = &report.groups[0];
    assert_eq!(g1.distance_km(), 36.0);
    assert_eq!(g1.shifts, 2);
    assert_eq!(g1.km_per_shift(), Some(18.0));
}
