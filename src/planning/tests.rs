//! Crafted cases: each reason for leaving a check out is the right one; unannounced draws spread
//! over the window and the days; due checks follow the standards.

use std::collections::HashMap;

use chrono::NaiveDate;
use geo::{LineString, Polygon};

use super::draw::{base_window, draw};
use super::plan::{PlanCheck, PlanRequest, UnplacedReason, build_problem, read_solution};
use super::{CRIME_RADIUS_M, CRIME_RAISE, DueCheck, due_checks, raise_crime_triggered};
use crate::domain::contact_standard::default_contact_standards;
use crate::domain::location::{District, DistrictKind};
use crate::domain::mobile_group::{MobileGroup, Weekdays};
use crate::domain::person::{CheckKind, RiskTier};
use crate::domain::{DistrictId, GeoPoint, MobileGroupId, PersonId};
use crate::routing::{self, SolverParams};

fn day(d: u32) -> NaiveDate {
    // 2026-11-30 is a Monday.
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default() + chrono::Duration::days(i64::from(d))
}

fn district(code: &str, lon0: f64) -> District {
    District {
        id: DistrictId::from(code.to_owned()),
        code: code.to_owned(),
        name_kk: code.to_owned(),
        name_ru: code.to_owned(),
        name_en: code.to_owned(),
        kind: DistrictKind::Urban,
        population: 100_000,
        boundary: Polygon::new(
            LineString::from(vec![
                (lon0, 53.0),
                (lon0 + 0.5, 53.0),
                (lon0 + 0.5, 53.5),
                (lon0, 53.5),
                (lon0, 53.0),
            ]),
            vec![],
        ),
    }
}

fn group(name: &str, districts: &[&str], days: u8, capacity: u16) -> MobileGroup {
    MobileGroup {
        id: MobileGroupId::from(name.to_owned()),
        name: name.to_owned(),
        base_address: String::new(),
        base: GeoPoint {
            lat: 53.2,
            lon: 63.2,
        },
        shift_start_min: 9 * 60,
        shift_end_min: 22 * 60,
        max_checks_per_shift: capacity,
        active_days: Weekdays(days),
        district_ids: districts
            .iter()
            .map(|d| DistrictId::from((*d).to_owned()))
            .collect(),
        version: 1,
    }
}

fn check(n: u32, district: &str, window: (u16, u16), days: Vec<NaiveDate>) -> PlanCheck {
    PlanCheck {
        person_id: PersonId::from(format!("p{n}")),
        kind: CheckKind::Home,
        location: GeoPoint {
            lat: 53.2 + f64::from(n) * 0.001,
            lon: 63.25,
        },
        address: String::new(),
        district_id: DistrictId::from(district.to_owned()),
        days,
        window,
        service_min: 15,
        priority: 50_000,
        pin: None,
    }
}

fn solve(groups: &[MobileGroup], checks: &[PlanCheck], days: u32) -> Vec<(usize, UnplacedReason)> {
    let districts = vec![district("A", 63.0), district("B", 64.0)];
    let req = PlanRequest {
        from: day(0),
        days,
        groups,
        districts: &districts,
        checks,
        travel: None,
    };
    let built = build_problem(&req);
    let params = SolverParams {
        iterations: 50,
        ..SolverParams::default()
    };
    let solution = routing::solve(&built.problem, &params).unwrap_or_else(|_| routing::Solution {
        routes: Vec::new(),
        unassigned: Vec::new(),
        penalty: 0,
        travel: 0,
    });
    assert!(routing::check::check(&built.problem, &solution).is_feasible());
    let (_, unplaced) = read_solution(&built, &solution);
    unplaced.into_iter().map(|u| (u.check, u.reason)).collect()
}

const WEEKDAYS: u8 = 0b001_1111;

#[test]
fn a_district_no_group_covers_is_named_as_such() {
    let groups = [group("g", &["A"], WEEKDAYS, 10)];
    let checks = [
        check(1, "A", (18 * 60, 20 * 60), vec![day(0)]),
        check(2, "B", (18 * 60, 20 * 60), vec![day(0)]),
    ];
    assert_eq!(solve(&groups, &checks, 1), [(1, UnplacedReason::NoGroup)]);
}

#[test]
fn a_check_whose_days_no_group_works_is_named_as_such() {
    // Saturday only, and the group works Monday to Friday.
    let groups = [group("g", &["A"], WEEKDAYS, 10)];
    let checks = [check(1, "A", (18 * 60, 20 * 60), vec![day(5)])];
    assert_eq!(
        solve(&groups, &checks, 7),
        [(0, UnplacedReason::NoWorkingDay)]
    );
}

#[test]
fn checks_beyond_the_shifts_capacity_are_left_out_for_capacity() {
    let groups = [group("g", &["A"], WEEKDAYS, 2)];
    let checks: Vec<_> = (0..4)
        .map(|n| check(n, "A", (18 * 60, 21 * 60), vec![day(0)]))
        .collect();
    let unplaced = solve(&groups, &checks, 1);
    assert_eq!(unplaced.len(), 2);
    assert!(
        unplaced.iter().all(|(_, r)| *r == UnplacedReason::Capacity),
        "{unplaced:?}"
    );
}

#[test]
fn a_window_outside_every_shift_is_unreachable() {
    let groups = [group("g", &["A"], WEEKDAYS, 10)];
    let checks = [check(1, "A", (3 * 60, 4 * 60), vec![day(0)])];
    assert_eq!(
        solve(&groups, &checks, 1),
        [(0, UnplacedReason::WindowUnreachable)]
    );
}

fn due(n: u32) -> DueCheck {
    DueCheck {
        person_id: PersonId::from(format!("person-{n}")),
        kind: CheckKind::Home,
        location: GeoPoint {
            lat: 53.2,
            lon: 63.2,
        },
        address: String::new(),
        district_id: DistrictId::from("A".to_owned()),
        curfew: None,
        earliest: day(0),
        due: day(20),
        overdue_days: 0,
        risk_tier: RiskTier::Medium,
        priority: 1,
    }
}

#[test]
fn unannounced_draws_spread_over_the_window_and_the_days_and_repeat_for_a_seed() {
    let groups = [group("g", &["A"], WEEKDAYS, 10)];
    let draws: Vec<PlanCheck> = (0..200)
        .map(|n| draw(&due(n), day(0), 7, &groups, 42, None))
        .collect();
    let (open, close) = base_window(CheckKind::Home, None);
    let starts: std::collections::BTreeSet<u16> = draws.iter().map(|d| d.window.0).collect();
    assert!(starts.len() >= 5, "window starts {starts:?}");
    assert!(
        draws
            .iter()
            .all(|d| d.window.0 >= open && d.window.1 <= close && d.window.1 - d.window.0 == 120)
    );
    let first_days: std::collections::BTreeSet<NaiveDate> = draws
        .iter()
        .filter_map(|d| d.days.first().copied())
        .collect();
    assert!(first_days.len() >= 3, "drawn days {first_days:?}");
    // Weekends are never drawn for a group that does not work them; one day is drawn.
    assert!(
        draws
            .iter()
            .all(|d| d.days.iter().all(|x| groups[0].active_days.includes(*x)))
    );
    assert!(draws.iter().all(|d| d.days.len() == 1), "one day drawn");
    let again: Vec<PlanCheck> = (0..200)
        .map(|n| draw(&due(n), day(0), 7, &groups, 42, None))
        .collect();
    assert_eq!(draws, again);
    let other: Vec<PlanCheck> = (0..200)
        .map(|n| draw(&due(n), day(0), 7, &groups, 43, None))
        .collect();
    assert_ne!(draws, other);
}

#[test]
fn a_check_falls_due_when_the_standard_runs_out_and_overdue_raises_priority() {
    let standards = default_contact_standards();
    let person = crate::demo::region::generate(2026, 30, day(0))
        .persons
        .remove(0);
    let mut person = person;
    person.status = crate::domain::person::PersonStatus::Active;
    person.risk_tier = RiskTier::High;
    person.work = None;
    let mut last = HashMap::new();
    // Checked at home two days ago: high tier, 7 days: due in 5 days, worth it from tomorrow.
    last.insert(
        (person.id.clone(), CheckKind::Home),
        day(0) - chrono::Duration::days(2),
    );
    let found = due_checks(
        std::slice::from_ref(&person),
        &standards,
        &last,
        day(0),
        day(0),
    );
    assert!(found.is_empty(), "not worth checking yet: {found:?}");
    let found = due_checks(
        std::slice::from_ref(&person),
        &standards,
        &last,
        day(0),
        day(5),
    );
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].earliest, found[0].due), (day(1), day(5)));
    assert_eq!(found[0].overdue_days, 0);
    last.insert(
        (person.id.clone(), CheckKind::Home),
        day(0) - chrono::Duration::days(17),
    );
    let overdue = due_checks(
        std::slice::from_ref(&person),
        &standards,
        &last,
        day(0),
        day(0),
    );
    assert_eq!(overdue[0].overdue_days, 10);
    assert!(overdue[0].priority > found[0].priority);
}

#[test]
fn a_recheck_after_a_miss_is_drawn_at_another_time_of_day() {
    let groups = [group("g", &["A"], WEEKDAYS, 10)];
    for n in 0..100 {
        let missed = (18 * 60, 20 * 60);
        let drawn = draw(&due(n), day(0), 7, &groups, 42, Some(missed));
        assert!(
            drawn.window.0 >= missed.1 || drawn.window.1 <= missed.0,
            "{:?} overlaps {missed:?}",
            drawn.window
        );
    }
}

#[test]
fn a_new_offence_near_a_check_raises_its_priority_once_and_far_ones_do_not() {
    let mut checks = vec![due(1), due(2), due(3)];
    // About 0.0027 degrees of latitude is 300 m; 0.009 is 1 km.
    checks[1].location.lat = 53.2 + 0.009;
    checks[2].location.lat = 53.2 + 0.09;
    let near = GeoPoint {
        lat: 53.2 + 0.0027,
        lon: 63.2,
    };
    let also_near = GeoPoint {
        lat: 53.2 - 0.0018,
        lon: 63.2,
    };
    let raised = raise_crime_triggered(&mut checks, &[near, also_near]);
    assert_eq!(raised, 1, "only the check within 500 m");
    assert_eq!(
        checks[0].priority,
        1 + CRIME_RAISE,
        "raised once, not per offence"
    );
    assert_eq!(checks[1].priority, 1, "1 km away: not triggered");
    assert_eq!(checks[2].priority, 1);
    assert!(
        checks[1].location.distance_m(near) > CRIME_RADIUS_M,
        "the fixture's far check is beyond the radius"
    );
    assert_eq!(raise_crime_triggered(&mut checks, &[]), 0);
}

#[test]
fn a_pinned_check_takes_a_full_routes_place_from_a_higher_priority_one() {
    // Capacity two, three checks; the pinned one has the lowest priority of all and still
    // stays: the prosecutor's pin outranks the optimiser's trade-offs.
    let groups = [group("g", &["A"], WEEKDAYS, 2)];
    let mut checks: Vec<_> = (0..3)
        .map(|n| check(n, "A", (18 * 60, 21 * 60), vec![day(0)]))
        .collect();
    checks[2].priority = 10;
    checks[2].pin = Some((MobileGroupId::from("g".to_owned()), day(0)));
    let unplaced = solve(&groups, &checks, 1);
    assert_eq!(unplaced.len(), 1, "{unplaced:?}");
    assert_ne!(unplaced[0].0, 2, "the pinned check is on the route");
}

#[test]
fn a_travel_matrix_given_is_the_problems_and_one_of_another_size_is_not() {
    let districts = vec![district("A", 63.0)];
    let groups = vec![group("G", &["A"], 0b1_1111, 10)];
    let checks = vec![
        check(1, "A", (9 * 60, 20 * 60), vec![day(0)]),
        check(2, "A", (9 * 60, 20 * 60), vec![day(0)]),
    ];
    assert_eq!(super::locations(&groups, &checks).len(), 3);
    // Asymmetric, as one-way streets make it: 0 -> 1 is short, 1 -> 0 long.
    let roads = routing::TravelMatrix::from_fn(3, |i, j| {
        let s = if i < j { 60 } else { 600 } * i64::from(i != j);
        (s, s * 10)
    });
    let req = |travel| PlanRequest {
        from: day(0),
        days: 1,
        groups: &groups,
        districts: &districts,
        checks: &checks,
        travel,
    };
    assert_eq!(build_problem(&req(Some(&roads))).problem.matrix, roads);
    let great_circle = super::GreatCircleLegs::new(&districts, &super::locations(&groups, &checks));
    let wrong = routing::TravelMatrix::from_fn(2, |_, _| (1, 1));
    for travel in [None, Some(&wrong)] {
        assert_eq!(
            build_problem(&req(travel)).problem.matrix,
            great_circle.matrix()
        );
    }
    assert_eq!(great_circle.leg(0, 7), (0, 0), "an index out of range");
}
