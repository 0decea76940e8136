//! Planned against driven in the group report (issue 17, item 6), on SQLite and PostgreSQL: a
//! published route whose plan kept its legs (times and road classes chosen by hand), visits
//! recorded at chosen times, and the factors worked out by hand on the page (English and
//! Russian), in the CSV and from the command line; a lunch break left out as an outlier; pairs
//! the report cannot compare (a plan without legs, a visit the day after) counted; a single visit
//! compares nothing; an officer may not read it.

use baqylau::db::{self, visits::VisitRow};
use baqylau::domain::check::{Check, CheckStatus};
use baqylau::domain::person::Person;
use baqylau::domain::travel::{LegTravel, RouteTravel};
use chrono::{NaiveDate, NaiveDateTime};

use crate::support::builders::{Office, person};
use crate::support::{TestApp, csv_rows, signed_in, signed_in_english};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
}

/// A local time in the region (UTC+5), as stored (UTC).
fn local(d: u32, h: u32, m: u32) -> NaiveDateTime {
    day(d).and_hms_opt(h, m, 0).unwrap() - chrono::Duration::hours(5)
}

const PERIOD: &str = "from=2026-03-01&to=2026-03-31";

/// A done visit of `check` by its group at `at` (UTC), stored as the field API stores one.
pub fn visit(app: &TestApp, check: &Check, at: NaiveDateTime) {
    let officer: String = {
        use baqylau::db::schema::users;
        use diesel::prelude::*;
        users::table
            .filter(users::login.eq("officer01"))
            .select(users::id)
            .first(&mut app.conn())
            .unwrap()
    };
    let row = VisitRow {
        id: format!("v-{}", check.id),
        check_id: Some(check.id.to_string()),
        person_id: check.person_id.to_string(),
        kind: check.kind.as_str().to_owned(),
        officer_id: officer,
        mobile_group_id: check.mobile_group_id.as_ref().map(ToString::to_string),
        outcome: "present".to_owned(),
        violation_kind: None,
        notes: None,
        device_at: at,
        server_at: at,
        lat: Some(check.location.lat),
        lon: Some(check.location.lon),
        accuracy_m: Some(10.0),
        distance_m: Some(5.0),
        far_from_address: false,
        evidence: "good".to_owned(),
        check_was_cancelled: false,
        ad_hoc: false,
        payload: "{}".to_owned(),
    };
    db::visits::insert(&mut app.conn(), &row, Some(CheckStatus::Done), None).unwrap();
}

/// The legs of a route through `stops` as its plan would store them: `(seconds, class)` into
/// each stop (the first from the base).
fn keep_legs(app: &TestApp, stops: &[Check], legs: &[(i64, Option<&str>)]) {
    let first = &stops[0];
    let route = RouteTravel {
        group_id: first.mobile_group_id.clone().unwrap(),
        date: first.planned_date.unwrap(),
        distance_m: 0,
        driving_s: legs.iter().map(|l| l.0).sum(),
        legs: stops
            .iter()
            .zip(legs)
            .enumerate()
            .map(|(k, (stop, (s, class)))| LegTravel {
                check_id: stop.id.clone(),
                from_check_id: k.checked_sub(1).map(|j| stops[j].id.clone()),
                driving_s: *s,
                distance_m: s * 10,
                road_class: class.map(str::to_owned),
            })
            .collect(),
    };
    let plan = first.plan_id.clone().unwrap();
    db::plan_travel::save_routes(&mut app.conn(), &plan, &[route], true).unwrap();
}

/// Persons `0..n` of the office, west ones first, then `east` of them in the east.
fn persons(app: &TestApp, office: &Office, n: usize, east: usize) -> Vec<Person> {
    (0..n)
        .map(|k| {
            let district = usize::from(k >= n - east);
            let at = office.point_in(district, k * 7);
            let p = person(
                "Тестов",
                &format!("Пётр{k}"),
                100 + k as u16,
                at,
                &office.districts[district],
            );
            app.add_person(p)
        })
        .collect()
}

/// The office with: on 10 March, group 1's route w1 w2 w3 e1 with its legs kept (residential
/// 10 min, trunk 20 min, straight line 15 min into e1) and visits at 10:00, 10:27, 11:02 and
/// 12:30; on 11 March a route whose second stop was visited on the 12th; on 12 March a route
/// of one stop; on 13 March group 2's route of two stops whose plan kept no legs.
fn fixture() -> (TestApp, Office) {
    let (app, office) = TestApp::office();
    let p = persons(&app, &office, 9, 1);
    let r = |k: usize| &p[k];
    let main = app.publish_routes(&office, day(10), &[(0, &[r(0), r(1), r(2), r(8)])]);
    let stops = &main[0];
    keep_legs(
        &app,
        stops,
        &[
            (300, Some("residential")),
            (600, Some("residential")),
            (1200, Some("trunk")),
            (900, None),
        ],
    );
    // 27 min later, 15 at w1: 12 min driven for 10 planned. 35 - 15 = 20 for 20. 88 - 15 = 73
    // for 15: a lunch break.
    for (stop, (h, m)) in stops.iter().zip([(10, 0), (10, 27), (11, 2), (12, 30)]) {
        visit(&app, stop, local(10, h, m));
    }
    let across = app.publish_routes(&office, day(11), &[(0, &[r(3), r(4)])]);
    keep_legs(&app, &across[0], &[(300, None), (600, Some("trunk"))]);
    visit(&app, &across[0][0], local(11, 10, 0));
    visit(&app, &across[0][1], local(12, 9, 0));
    let single = app.publish_routes(&office, day(12), &[(0, &[r(5)])]);
    keep_legs(&app, &single[0], &[(300, Some("trunk"))]);
    visit(&app, &single[0][0], local(12, 11, 0));
    let without = app.publish_routes(&office, day(13), &[(1, &[r(6), r(7)])]);
    visit(&app, &without[0][0], local(13, 10, 0));
    visit(&app, &without[0][1], local(13, 10, 30));
    (app, office)
}

fn cell(page: &crate::support::client::Page, table: &str, key: &str, class: &str) -> String {
    page.select(&format!("#{table} tr[data-key=\"{key}\"] td.{class}"))
        .join("")
}

#[actix_web::test]
async fn the_page_shows_hand_computed_factors_per_district_and_road_class() {
    let (app, _office) = fixture();
    let mut client = signed_in_english(&app, "supervisor").await;
    let page = client.get(&format!("/reports/groups?{PERIOD}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    // West: w1 -> w2 (10 min planned, 12 driven) and w2 -> w3 (20, 20): medians 15.0 and 16.0;
    // the ratios 1.2 (weight 600 s) and 1.0 (weight 1,200 s) reach half their weight at 1.0.
    let west = |class: &str| cell(&page, "drive-districts", "OFC-W", class);
    assert_eq!(
        (
            west("legs"),
            west("planned"),
            west("driven"),
            west("factor")
        ),
        ("2".into(), "15.0".into(), "16.0".into(), "1.00".into())
    );
    // East: w3 -> e1 took 73 min for 15 planned: left out.
    let east = |class: &str| cell(&page, "drive-districts", "OFC-E", class);
    assert_eq!(
        (east("legs"), east("outliers"), east("factor")),
        ("0".into(), "1".into(), "–".into())
    );
    let class = |key: &str, c: &str| cell(&page, "drive-classes", key, c);
    assert_eq!(class("residential", "factor"), "1.20");
    assert_eq!(class("residential", "driven"), "12.0");
    assert_eq!(class("trunk", "factor"), "1.00");
    assert_eq!(class("great_circle", "outliers"), "1");
    let labels = page.select("#drive-classes tbody th");
    assert_eq!(
        labels,
        [
            "Trunk road",
            "Residential street",
            "Straight line (off the roads)"
        ]
    );
    let total = page.select("#drive-districts tfoot td");
    assert_eq!(total, ["2", "15.0", "16.0", "1.00", "1"]);
    // 11 March: the second visit the day after; 13 March: the plan kept no legs.
    let unmatched = page.select("#drive-unmatched").join("");
    assert!(unmatched.contains("2 pairs"), "{unmatched}");
    // The prosecutor reads the reports too, here in the default language.
    let mut ru = signed_in(&app, "prosecutor").await;
    let page = ru.get(&format!("/reports/groups?{PERIOD}")).await;
    assert_eq!(
        cell(&page, "drive-classes", "residential", "factor"),
        "1,20"
    );
    assert!(
        page.select("#drive-classes tbody th")
            .contains(&"Жилая улица".to_owned())
    );
    assert!(page.select("#title-drive").join("").contains("План и факт"));
}

#[actix_web::test]
async fn the_csv_and_the_command_line_give_the_same_figures_and_officers_get_none() {
    let (app, _office) = fixture();
    let mut client = signed_in_english(&app, "supervisor").await;
    let csv = client
        .get(&format!(
            "/reports/groups?{PERIOD}&format=csv&table=drive&dialect=comma"
        ))
        .await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.header("content-disposition")
            .contains("groups-2026-03-01-2026-03-31-drive.csv")
    );
    let rows = csv_rows(&csv.body);
    let expected = [
        ["district", "OFC-E", "0", "1", "", "", "", ""],
        ["district", "OFC-W", "2", "0", "900.0", "960.0", "1.00", ""],
        [
            "road_class",
            "trunk",
            "1",
            "0",
            "1200.0",
            "1200.0",
            "1.00",
            "",
        ],
        [
            "road_class",
            "residential",
            "1",
            "0",
            "600.0",
            "720.0",
            "1.20",
            "",
        ],
        ["road_class", "great_circle", "0", "1", "", "", "", ""],
        ["total", "total", "2", "1", "900.0", "960.0", "1.00", "2"],
    ];
    assert_eq!(rows, expected.map(|r| r.map(str::to_owned).to_vec()));
    // The groups' own CSV is as before.
    let groups = client
        .get(&format!("/reports/groups?{PERIOD}&format=csv"))
        .await;
    assert!(
        groups.body.contains("group,planned,done"),
        "{}",
        groups.body
    );
    assert_eq!(
        client
            .get(&format!("/reports/groups?{PERIOD}&format=csv&table=nope"))
            .await
            .status,
        400
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_baqylau"))
        .args([
            "report",
            "groups",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
        ])
        .args(["--table", "drive"])
        .env_remove("BAQYLAU_CONFIG")
        .env("BAQYLAU_DATABASE_URL", &app.state.settings.database_url)
        .env("BAQYLAU_LOG", "warn")
        .env("LC_ALL", "en_US.UTF-8")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(csv_rows(&text), rows, "{text}");
    let json = std::process::Command::new(env!("CARGO_BIN_EXE_baqylau"))
        .args([
            "report",
            "groups",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
        ])
        .args(["--format", "json"])
        .env_remove("BAQYLAU_CONFIG")
        .env("BAQYLAU_DATABASE_URL", &app.state.settings.database_url)
        .env("BAQYLAU_LOG", "warn")
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["drive"]["total"]["factor"], 1.0);
    assert_eq!(value["drive"]["unmatched"], 2);
    let mut officer = signed_in_english(&app, "officer01").await;
    let refused = officer
        .get(&format!("/reports/groups?{PERIOD}&format=csv&table=drive"))
        .await;
    assert_eq!(refused.status, 403);
    assert!(!refused.body.contains("OFC-W"));
}

#[actix_web::test]
async fn without_kept_legs_or_a_second_visit_there_is_nothing_to_compare() {
    let (app, office) = TestApp::office();
    let p = persons(&app, &office, 3, 0);
    // A plan that kept no legs (made before plans kept them), both stops visited.
    let without = app.publish_routes(&office, day(10), &[(0, &[&p[0], &p[1]])]);
    visit(&app, &without[0][0], local(10, 10, 0));
    visit(&app, &without[0][1], local(10, 10, 40));
    // A route with its legs but one visit.
    let single = app.publish_routes(&office, day(11), &[(0, &[&p[2]])]);
    keep_legs(&app, &single[0], &[(300, Some("trunk"))]);
    visit(&app, &single[0][0], local(11, 10, 0));
    let mut client = signed_in_english(&app, "supervisor").await;
    let page = client.get(&format!("/reports/groups?{PERIOD}")).await;
    assert_eq!(page.status, 200);
    assert!(!page.select("#drive-none").is_empty(), "{}", page.body);
    assert!(page.select("#drive-districts").is_empty());
    assert!(page.select("#drive-unmatched").join("").contains("1 pair "));
}
