//! Coverage against crime over a fixture built in the office (the one `reports::coverage_vs_crime`'s unit
//! tests count by hand): the page shows the hand-computed coverage, rates, correlations and
//! re-offending, its CSV says the same, the command line prints the same CSV, a district filter
//! narrows everything, bad filters are a 400 and officers are refused. Every figure is a
//! constant, so both backends give the same numbers.

use baqylau::domain::person::{Person, PersonStatus, RiskTier};
use baqylau::domain::visit::VisitOutcome;
use chrono::{NaiveDate, NaiveDateTime};

use crate::support::builders::person;
use crate::support::records::visit;
use crate::support::{PASSWORD, TestApp, csv_rows, signed_in_english};

const PERIOD: &str = "from=2025-01-01&to=2025-03-31";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A local time in the region (UTC+5) as stored (UTC).
fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, min, 0).unwrap() - chrono::Duration::hours(5)
}

/// The fixture's three district codes, in the order A, B, C of the unit test.
pub struct Fixture {
    pub app: TestApp,
    pub codes: [String; 3],
    /// (id, IIN) of a1, a2, b1, b2, c1, x9.
    pub people: Vec<(String, String)>,
}

/// The office with the unit test's persons a1, a2 (district A, the office's west), b1, b2
/// (B, its east; b2 supervised from 20 February), c1 (C, a district added north) and x9 (B, no
/// longer supervised), all of medium risk and not employed; A, B and C of 10,000, 20,000 and
/// 5,000 residents, and one more district without persons; the visits and offences of the unit
/// test, with two on the clock's edges (see below), recorded through `db::`.
#[expect(
    clippy::too_many_lines,
    reason = "a fixture: its rows, counted by hand in the test, are the content"
)]
pub fn fixture() -> Fixture {
    let (app, office) = TestApp::office();
    app.set_population(&office.districts[0], 10_000);
    app.set_population(&office.districts[1], 20_000);
    let c = app.add_district("OFC-N", "Северный", 0, 5_000);
    app.add_district("OFC-NN", "Дальний", 1, 50_000);
    let chosen = [&office.districts[0], &office.districts[1], &c];
    let old = day(2024, 1, 1);
    // a1, a2, b1, b2, c1, x9.
    let plan = [
        (0, old, PersonStatus::Active),
        (0, old, PersonStatus::Active),
        (1, old, PersonStatus::Active),
        (1, day(2025, 2, 20), PersonStatus::Active),
        (2, old, PersonStatus::Active),
        (1, old, PersonStatus::MovedOut),
    ];
    let people: Vec<Person> = plan
        .iter()
        .enumerate()
        .map(|(i, &(district, start, status))| {
            let home = office.point_in(district.min(1), i);
            let build = person("Фикстуров", "Тест", i as u16 + 1, home, chosen[district])
                .risk(RiskTier::Medium)
                .supervised_from(start)
                .status(status);
            app.add_person(build)
        })
        .collect();
    let officer = app.user_id("officer01");
    let visit = |person: usize, at: NaiveDateTime, outcome: VisitOutcome| {
        visit(&people[person].id, &officer, at, outcome)
    };
    let (present, absent) = (VisitOutcome::Present, VisitOutcome::Absent);
    let visits = [
        visit(0, local(2025, 1, 25, 10, 0), present),
        visit(0, local(2025, 2, 20, 10, 0), present),
        // On the period's last day, late in the evening: counts.
        visit(0, local(2025, 3, 31, 23, 30), present),
        visit(1, local(2025, 1, 31, 10, 0), present),
        // Just after the period (still 31 March in UTC): does not count, a2 stays overdue.
        visit(1, local(2025, 4, 1, 0, 10), present),
        // A failed visit is no check within the standard.
        visit(1, local(2025, 3, 25, 10, 0), absent),
        visit(2, local(2025, 1, 10, 10, 0), present),
        // On the standard's last day (31 March - 14), just after local midnight (16 March in
        // UTC): covered at March's end.
        visit(2, local(2025, 3, 17, 0, 30), VisitOutcome::Violation),
        visit(4, local(2025, 1, 20, 10, 0), present),
        visit(4, local(2025, 2, 27, 10, 0), present),
        visit(4, local(2025, 3, 25, 10, 0), present),
    ];
    for v in visits {
        app.record_visit(v);
    }
    let mut count = 0;
    let mut offence = |district: usize, on: NaiveDate, suspect: Option<usize>| {
        count += 1;
        let iin = suspect.map(|p| people[p].iin.as_str().to_owned());
        app.add_offence(&format!("CVC-{count}"), on, &chosen[district].id, |o| {
            o.suspect_iin = iin;
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
    let codes = chosen.map(|d| d.code.clone());
    let people = people
        .iter()
        .map(|p| (p.id.to_string(), p.iin.as_str().to_owned()))
        .collect();
    Fixture { app, codes, people }
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
    let (app, _) = TestApp::office();
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
