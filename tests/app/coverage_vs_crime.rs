//! Coverage against crime over a hand-made fixture (the one `reports::coverage_vs_crime`'s unit
//! tests count by hand): the page shows the hand-computed coverage, rates, correlations and
//! re-offending, its CSV says the same, the command line prints the same CSV, a district filter
//! narrows everything, bad filters are a 400 and officers are refused. Every figure is a
//! constant, so both backends give the same numbers.

use baqylau::db;
use baqylau::db::offences::OffenceRow;
use baqylau::db::schema::{districts, follow_ups, offences, persons, users, visits};
use baqylau::db::visits::VisitRow;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::support::{PASSWORD, TestApp, csv_rows, signed_in_english};

const PERIOD: &str = "from=2025-01-01&to=2025-03-31";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A local time in the region (UTC+5) as stored (UTC).
fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, min, 0).unwrap() - chrono::Duration::hours(5)
}

/// An ad-hoc home visit by `officer` at `at` (UTC), with nothing flagged.
pub fn home_visit(
    id: &str,
    person: &str,
    officer: &str,
    at: NaiveDateTime,
    outcome: &str,
) -> VisitRow {
    VisitRow {
        id: id.to_owned(),
        check_id: None,
        person_id: person.to_owned(),
        kind: "home".to_owned(),
        officer_id: officer.to_owned(),
        mobile_group_id: None,
        outcome: outcome.to_owned(),
        violation_kind: None,
        notes: None,
        device_at: at,
        server_at: at,
        lat: None,
        lon: None,
        accuracy_m: None,
        distance_m: None,
        far_from_address: false,
        evidence: "good".to_owned(),
        check_was_cancelled: false,
        ad_hoc: true,
        payload: "{}".to_owned(),
    }
}

/// The id of the demo's first officer.
pub fn officer_id(app: &TestApp) -> String {
    users::table
        .filter(users::login.eq("officer01"))
        .select(users::id)
        .first(&mut app.conn())
        .unwrap()
}

/// The fixture's three district codes, in the order A, B, C of the unit test.
pub struct Fixture {
    pub app: TestApp,
    pub codes: [String; 3],
    /// (id, IIN) of a1, a2, b1, b2, c1, x9.
    pub people: Vec<(String, String)>,
}

/// The demo region emptied of visits and offences, six of its persons made into the unit test's
/// a1, a2, b1, b2 (active from 20 February), c1 and x9 (no longer supervised), the others moved
/// out; three districts of 10,000, 20,000 and 5,000 residents; the visits and offences of the
/// unit test, with two on the clock's edges (see below).
#[expect(
    clippy::too_many_lines,
    reason = "a fixture: its rows, counted by hand in the test, are the content"
)]
pub fn fixture() -> Fixture {
    let app = TestApp::with_demo(12);
    let mut conn = app.conn();
    diesel::delete(follow_ups::table)
        .execute(&mut conn)
        .unwrap();
    diesel::delete(visits::table).execute(&mut conn).unwrap();
    diesel::delete(offences::table).execute(&mut conn).unwrap();
    let all = db::districts::list_districts(&mut conn).unwrap();
    let chosen: Vec<(String, String)> = all
        .iter()
        .take(3)
        .map(|d| (d.id.as_str().to_owned(), d.code.clone()))
        .collect();
    for ((id, _), population) in chosen.iter().zip([10_000_i64, 20_000, 5_000]) {
        diesel::update(districts::table.find(id))
            .set(districts::population.eq(population))
            .execute(&mut conn)
            .unwrap();
    }
    diesel::update(persons::table)
        .set(persons::status.eq("moved_out"))
        .execute(&mut conn)
        .unwrap();
    let people: Vec<(String, String)> = persons::table
        .select((persons::id, persons::iin))
        .order(persons::id)
        .limit(6)
        .load(&mut conn)
        .unwrap();
    let people_out = people.clone();
    let old = day(2024, 1, 1);
    // a1, a2, b1, b2, c1, x9.
    let plan = [
        (0, old, "active"),
        (0, old, "active"),
        (1, old, "active"),
        (1, day(2025, 2, 20), "active"),
        (2, old, "active"),
        (1, old, "moved_out"),
    ];
    for ((id, _), (district, start, status)) in people.iter().zip(plan) {
        diesel::update(persons::table.find(id))
            .set((
                persons::district_id.eq(&chosen[district].0),
                persons::risk_tier.eq("medium"),
                persons::supervision_start.eq(start),
                persons::status.eq(status),
                persons::employer.eq(None::<String>),
                persons::work_address.eq(None::<String>),
                persons::work_lat.eq(None::<f64>),
                persons::work_lon.eq(None::<f64>),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let officer = officer_id(&app);
    let visit = |n: usize, person: usize, at: NaiveDateTime, outcome: &str| {
        home_visit(
            &format!("cvc-visit-{n}"),
            &people[person].0,
            &officer,
            at,
            outcome,
        )
    };
    let visits = [
        visit(1, 0, local(2025, 1, 25, 10, 0), "present"),
        visit(2, 0, local(2025, 2, 20, 10, 0), "present"),
        // On the period's last day, late in the evening: counts.
        visit(3, 0, local(2025, 3, 31, 23, 30), "present"),
        visit(4, 1, local(2025, 1, 31, 10, 0), "present"),
        // Just after the period (still 31 March in UTC): does not count, a2 stays overdue.
        visit(5, 1, local(2025, 4, 1, 0, 10), "present"),
        // A failed visit is no check within the standard.
        visit(6, 1, local(2025, 3, 25, 10, 0), "absent"),
        visit(7, 2, local(2025, 1, 10, 10, 0), "present"),
        // On the standard's last day (31 March - 14), just after local midnight (16 March in
        // UTC): covered at March's end.
        visit(8, 2, local(2025, 3, 17, 0, 30), "violation"),
        visit(9, 4, local(2025, 1, 20, 10, 0), "present"),
        visit(10, 4, local(2025, 2, 27, 10, 0), "present"),
        visit(11, 4, local(2025, 3, 25, 10, 0), "present"),
    ];
    for v in &visits {
        db::visits::insert(&mut conn, v, None, None).unwrap();
    }
    let mut rows = Vec::new();
    let mut offence = |district: usize, on: NaiveDate, suspect: Option<usize>| {
        rows.push(OffenceRow {
            id: format!("CVC-{}", rows.len() + 1),
            offence_date: on,
            district_id: chosen[district].0.clone(),
            lat: None,
            lon: None,
            article: "188".to_owned(),
            severity: "medium".to_owned(),
            offence_type: "theft".to_owned(),
            place: "street".to_owned(),
            suspect_iin: suspect.map(|p| people[p].1.clone()),
        });
    };
    for (district, month, n) in [
        (0, 1, 2),
        (0, 2, 1),
        (0, 3, 3),
        (1, 1, 4),
        (1, 2, 4),
        (1, 3, 1),
    ] {
        for i in 0..n {
            let on = day(2025, month, 1 + i * 3);
            // a1 on 25 February (covered the day before), a2 on 3 March (overdue), b2 on 21
            // February (not yet due), x9 on 4 January (not supervised).
            let suspect = match (district, month, i) {
                (0, 2, 0) => {
                    offence(0, day(2025, 2, 25), Some(0));
                    continue;
                }
                (0, 3, 1) => Some(1),
                (1, 2, 0) => {
                    offence(1, day(2025, 2, 21), Some(3));
                    continue;
                }
                (1, 1, 1) => Some(5),
                _ => None,
            };
            offence(district, on, suspect);
        }
    }
    // Outside the period: ignored, even by a supervised person.
    offence(0, day(2025, 4, 2), Some(1));
    offence(0, day(2024, 12, 30), Some(1));
    db::offences::insert_all(&mut conn, &rows).unwrap();
    drop(conn);
    let codes = [
        chosen[0].1.clone(),
        chosen[1].1.clone(),
        chosen[2].1.clone(),
    ];
    Fixture {
        app,
        codes,
        people: people_out,
    }
}

#[actix_web::test]
async fn the_page_shows_the_hand_computed_figures_and_its_csv_says_the_same() {
    let Fixture { app, codes, .. } = fixture();
    let [a, b, c] = &codes;
    let mut client = signed_in_english(&app, "supervisor").await;
    let overview = client.get("/reports").await;
    assert!(
        overview
            .body
            .contains("href=\"/reports/coverage-vs-crime\"")
    );
    let page = client
        .get(&format!("/reports/coverage-vs-crime?{PERIOD}"))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.body.contains("style="));
    assert!(page.body.contains("<svg class=\"chart scatter\""));
    // One point per district-month with coverage: the three districts' three months.
    assert_eq!(page.body.matches("<circle").count(), 9);
    let cell = |key: &str, month: &str, field: &str| {
        page.select(&format!(
            "#table-month tr[data-key=\"{key}\"][data-month=\"{month}\"] td.{field}"
        ))
        .join("")
    };
    let expected = [
        (a, "2025-01", "100.0", "2", "24.0"),
        (a, "2025-02", "50.0", "1", "12.0"),
        (a, "2025-03", "50.0", "3", "36.0"),
        (b, "2025-01", "0.0", "4", "24.0"),
        (b, "2025-02", "0.0", "4", "24.0"),
        (b, "2025-03", "50.0", "1", "6.0"),
        (c, "2025-01", "100.0", "0", "0.0"),
        (c, "2025-02", "100.0", "0", "0.0"),
        (c, "2025-03", "100.0", "0", "0.0"),
    ];
    for (key, month, coverage, offences, rate) in expected {
        assert_eq!(cell(key, month, "coverage"), coverage, "{key} {month}");
        assert_eq!(cell(key, month, "offences"), offences, "{key} {month}");
        assert_eq!(cell(key, month, "rate"), rate, "{key} {month}");
    }
    let district = |key: &str, field: &str| {
        page.select(&format!(
            "#table-district tr[data-key=\"{key}\"] td.{field}"
        ))
        .join("")
    };
    assert_eq!(district(a, "coverage"), "50.0");
    assert_eq!(district(b, "rate"), "18.0");
    assert_eq!(district(c, "offences"), "0");
    let corr = |key: &str, field: &str| page.select(&format!("#corr-{key} td.{field}")).join("");
    assert_eq!(
        (
            corr("district", "n"),
            corr("district", "r"),
            corr("district", "p")
        ),
        ("3".to_owned(), "-0.971".to_owned(), "–".to_owned())
    );
    assert!(corr("district", "verdict").starts_with("Too few pairs"));
    assert_eq!(
        (corr("month", "n"), corr("month", "r"), corr("month", "p")),
        ("9".to_owned(), "-0.581".to_owned(), "0.1006".to_owned())
    );
    assert!(corr("month", "verdict").starts_with("May well be chance"));
    assert_eq!(
        (corr("next_month", "r"), corr("next_month", "p")),
        ("-0.438".to_owned(), "0.3854".to_owned())
    );
    assert!(!page.select("#cvc-caveat").join("").is_empty());
    assert!(!page.select("#cvc-howto").join("").is_empty());
    let reoffending = |key: &str| {
        ["offences", "persons", "person-months", "per-100"]
            .map(|f| {
                page.select(&format!("#table-reoffending tr[data-key=\"{key}\"] td.{f}"))
                    .join("")
            })
            .join(" ")
    };
    assert_eq!(reoffending("covered"), "1 1 8 12.5");
    assert_eq!(reoffending("overdue"), "1 1 5 20.0");
    assert_eq!(reoffending("not_yet_due"), "1 1 1 100.0");
    assert_eq!(reoffending("not_supervised"), "1 1 0 –");

    // The CSV of every table holds the page's figures.
    let csv = client
        .get(&format!("/reports/coverage-vs-crime?{PERIOD}&format=csv"))
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    let lines = csv_rows(&csv.body);
    let mut months = 0;
    for r in lines.iter().filter(|r| r[0] == "month" && !r[5].is_empty()) {
        months += 1;
        assert_eq!(cell(&r[1], &r[2], "coverage"), r[5], "{r:?}");
        assert_eq!(cell(&r[1], &r[2], "offences"), r[6], "{r:?}");
        assert_eq!(cell(&r[1], &r[2], "rate"), r[7], "{r:?}");
    }
    assert_eq!(months, 9);
    for r in lines.iter().filter(|r| r[0] == "correlation") {
        let p = if r[10].is_empty() { "–" } else { &r[10] };
        assert_eq!(
            (corr(&r[1], "r"), corr(&r[1], "p")),
            (r[9].clone(), p.to_owned())
        );
    }
    for r in lines.iter().filter(|r| r[0] == "reoffending") {
        let per_100 = if r[13].is_empty() { "–" } else { &r[13] };
        assert_eq!(
            reoffending(&r[1]),
            format!("{} {} {} {per_100}", r[6], r[11], r[12])
        );
    }
    let one = client
        .get(&format!(
            "/reports/coverage-vs-crime?{PERIOD}&format=csv&table=district"
        ))
        .await;
    let districts = csv_rows(&one.body);
    assert!(districts.iter().all(|r| r[0] == "district"));
    assert!(
        districts.contains(
            &[
                "district", a, "", "2", "1", "50.0", "6", "24.0", "", "", "", "", "", ""
            ]
            .map(str::to_owned)
            .to_vec()
        )
    );

    // The command line prints the same CSV.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_baqylau"))
        .args([
            "report",
            "coverage-vs-crime",
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
            "--format",
            "csv",
        ])
        .env_remove("BAQYLAU_CONFIG")
        .env("BAQYLAU_DATABASE_URL", &app.state.settings.database_url)
        .env("BAQYLAU_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), csv.body);
}

#[actix_web::test]
async fn a_district_filter_narrows_every_table_and_bad_filters_are_refused() {
    let Fixture { app, codes, .. } = fixture();
    let a = &codes[0];
    let mut client = signed_in_english(&app, "supervisor").await;
    let page = client
        .get(&format!("/reports/coverage-vs-crime?{PERIOD}&district={a}"))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.select("#table-district tbody tr").len(), 1);
    assert_eq!(page.select("#table-month tbody tr").len(), 3);
    // Only a1 and a2 live in A: b2's and x9's offences are not theirs.
    let offences = |key: &str| {
        page.select(&format!(
            "#table-reoffending tr[data-key=\"{key}\"] td.offences"
        ))
        .join("")
    };
    assert_eq!(
        ["covered", "overdue", "not_yet_due", "not_supervised"].map(offences),
        ["1", "1", "0", "0"]
    );
    // One district's three months: a p-value needs five pairs.
    assert_eq!(page.select("#corr-month td.p").join(""), "–");
    assert_eq!(page.select("#corr-district td.n").join(""), "1");
    for bad in [
        "/reports/coverage-vs-crime?from=2025-13-01",
        "/reports/coverage-vs-crime?from=2025-03-01&to=2025-01-01",
        "/reports/coverage-vs-crime?from=2025-01-01&to=2025-03-31&district=NOPE",
        "/reports/coverage-vs-crime?from=2025-01-01&to=2025-03-31&district=%3Cb%3E",
        "/reports/coverage-vs-crime?from=2025-01-01&to=2025-03-31&format=csv&table=nope",
    ] {
        assert_eq!(client.get(bad).await.status, 400, "{bad}");
    }
    // Longer than `max_report_years`: the page says so (tests/app/bounded_work.rs).
    let long = "/reports/coverage-vs-crime?from=1990-01-01&to=2025-03-31";
    assert_eq!(client.get(long).await.status, 422);
    // The default period (the last twelve full months) answers too.
    assert_eq!(client.get("/reports/coverage-vs-crime").await.status, 200);
}

#[actix_web::test]
async fn supervisors_and_prosecutors_read_the_report_and_officers_may_not() {
    let app = TestApp::with_demo(20);
    let mut officer = app.client().await;
    officer.sign_in("officer01", PASSWORD).await;
    assert_eq!(officer.get("/reports/coverage-vs-crime").await.status, 403);
    assert_eq!(
        officer
            .get(&format!("/reports/coverage-vs-crime?{PERIOD}&format=csv"))
            .await
            .status,
        403
    );
    for login in ["supervisor", "prosecutor"] {
        let mut client = app.client().await;
        client.sign_in(login, PASSWORD).await;
        assert_eq!(
            client
                .get(&format!("/reports/coverage-vs-crime?{PERIOD}&format=csv"))
                .await
                .status,
            200,
            "{login}"
        );
    }
}

#[test]
fn the_command_line_refuses_bad_arguments_and_prints_json() {
    let Fixture { app, codes, .. } = fixture();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_baqylau"))
            .args(args)
            .env_remove("BAQYLAU_CONFIG")
            .env("BAQYLAU_DATABASE_URL", &app.state.settings.database_url)
            .env("BAQYLAU_LOG", "warn")
            .output()
            .unwrap()
    };
    let base = [
        "report",
        "coverage-vs-crime",
        "--from",
        "2025-01-01",
        "--to",
        "2025-03-31",
    ];
    let json = run(&[&base[..], &["--district", &codes[1], "--format", "json"]].concat());
    assert!(
        json.status.success(),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["district"], codes[1].as_str());
    assert_eq!(value["by_district"][0]["offences"], 9);
    assert_eq!(value["by_district"][0]["offences_per_10k"], 18.0);
    assert_eq!(value["reoffending"][2]["key"], "not_yet_due");
    assert_eq!(value["reoffending"][2]["offences"], 1);
    let bad = run(&[&base[..], &["--format", "xml"]].concat());
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--format must be csv or json"));
    let bad = run(&[&base[..], &["--district", "NOPE"]].concat());
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no district has the code"));
}
