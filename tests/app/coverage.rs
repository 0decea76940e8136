//! The coverage and group reports over the demo region with a few months of history: coverage
//! rises as the groups come on line, the CSV carries the trend, done and missed add up to the
//! visits each group recorded, officers are refused and bad filters are a 400.

use std::collections::HashMap;

use baqylau::db;
use baqylau::db::schema::visits;
use baqylau::domain::PersonId;
use baqylau::domain::visit::VisitOutcome;
use chrono::NaiveDate;
use diesel::prelude::*;

use crate::support::records::visit;
use crate::support::{PASSWORD, TestApp, csv_rows, signed_in_english};

const PERIOD: &str = "from=2025-01-01&to=2025-04-30";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn with_history() -> TestApp {
    let app = TestApp::with_demo(150);
    let summary = baqylau::demo::history::generate_if_absent(
        &mut app.conn(),
        2026,
        day(2025, 5, 1),
        2,
        &mut |_, _| {},
    )
    .unwrap()
    .unwrap();
    assert!(summary.visits > 100, "{summary:?}");
    app
}

#[actix_web::test]
async fn coverage_rises_as_groups_come_on_line_and_group_figures_add_up() {
    let app = with_history();
    let mut client = signed_in_english(&app, "supervisor").await;
    let overview = client.get("/reports").await;
    assert!(overview.body.contains("href=\"/reports/coverage\""));
    assert!(overview.body.contains("href=\"/reports/groups\""));

    let page = client.get(&format!("/reports/coverage?{PERIOD}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<svg class=\"chart\""));
    assert!(!page.body.contains("style="));
    assert!(!page.select("#coverage-definition").join("").is_empty());
    assert_eq!(page.select("#table-month tbody tr").len(), 4);
    // The default period (last full quarter) answers too.
    assert_eq!(client.get("/reports/coverage").await.status, 200);

    let csv = client
        .get(&format!(
            "/reports/coverage?{PERIOD}&format=csv&table=month"
        ))
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    let trend: Vec<(String, f64)> = csv_rows(&csv.body)
        .into_iter()
        .map(|r| (r[1].clone(), r[4].parse::<f64>().unwrap_or(0.0)))
        .collect();
    println!("coverage trend: {trend:?}");
    let keys: Vec<&str> = trend.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        ["2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30"]
    );
    assert!(trend[3].1 > trend[0].1, "{trend:?}");
    // The page's total is the trend's last point (the period ends on a month's end).
    let all = client
        .get(&format!("/reports/coverage?{PERIOD}&format=csv"))
        .await;
    let all = csv_rows(&all.body);
    let total = all.iter().find(|r| r[0] == "total").unwrap();
    let last = all
        .iter()
        .find(|r| r[0] == "month" && r[1] == "2025-04-30")
        .unwrap();
    assert_eq!(total[2..], last[2..]);
    println!("coverage at 2025-04-30: {total:?}");
    // Districts add up to the region.
    let district_counted: i64 = all
        .iter()
        .filter(|r| r[0] == "district")
        .map(|r| r[2].parse::<i64>().unwrap())
        .sum();
    assert_eq!(district_counted, total[2].parse::<i64>().unwrap());
    for r in all.iter().filter(|r| r[0] == "group" || r[0] == "tier") {
        println!("{}", r.join(","));
    }

    assert_eq!(
        client
            .get(&format!("/reports/coverage?{PERIOD}&district=KST"))
            .await
            .status,
        200
    );
    for bad in [
        "/reports/coverage?from=2025-13-01",
        "/reports/coverage?from=2025-02-01&to=2025-01-01",
        "/reports/coverage?from=2025-01-01&to=2025-04-30&district=NOPE",
        "/reports/coverage?from=2025-01-01&to=2025-04-30&format=csv&table=nope",
        "/reports/groups?to=yesterday",
    ] {
        assert_eq!(client.get(bad).await.status, 400, "{bad}");
    }

    // The group report: done + missed = the visits each group recorded in the period.
    let page = client.get(&format!("/reports/groups?{PERIOD}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csv = client
        .get(&format!("/reports/groups?{PERIOD}&format=csv"))
        .await;
    assert_eq!(csv.status, 200);
    let groups = db::mobile_groups::list_mobile_groups(&mut app.conn()).unwrap();
    let stored: Vec<(Option<String>, chrono::NaiveDateTime)> = visits::table
        .select((visits::mobile_group_id, visits::device_at))
        .load(&mut app.conn())
        .unwrap();
    let mut recorded: HashMap<String, i64> = HashMap::new();
    for (group, at) in stored {
        // Stored in UTC; the region is UTC+5.
        let local = (at + chrono::Duration::hours(5)).date();
        if local >= day(2025, 1, 1) && local <= day(2025, 4, 30) {
            *recorded.entry(group.unwrap_or_default()).or_default() += 1;
        }
    }
    let lines = csv_rows(&csv.body);
    assert_eq!(lines.len(), groups.len() + 1);
    let mut working = 0;
    for g in &groups {
        let line = lines.iter().find(|r| r[0] == g.name).unwrap();
        println!("{}", line.join(","));
        let n = |i: usize| line[i].parse::<i64>().unwrap();
        let (planned, done, missed, visits) = (n(1), n(2), n(3), n(8));
        let expected = recorded.get(g.id.as_str()).copied().unwrap_or(0);
        assert_eq!(done + missed, expected, "{}", g.name);
        assert_eq!(visits, expected, "{}", g.name);
        assert!(planned >= done + missed);
        if planned > 0 {
            working += 1;
            assert!(n(5) > 0, "on time: {line:?}");
        }
        // Distance: driven only where stops were visited; a shift of a rural group runs to tens
        // of kilometres, not thousands.
        let km: f64 = line[12].parse().unwrap();
        if done + missed > 0 {
            let per_shift: f64 = line[13].parse().unwrap();
            assert!(km > 0.0 && (1.0..600.0).contains(&per_shift), "{line:?}");
        } else {
            assert_eq!(km, 0.0, "{line:?}");
        }
    }
    // Groups come on line every four weeks: four or five of them by the end of April.
    assert!((4..=5).contains(&working), "{working}");
    let total = lines.last().unwrap();
    println!("{}", total.join(","));
    let sum: f64 = lines[..groups.len()]
        .iter()
        .map(|r| r[12].parse::<f64>().unwrap())
        .sum();
    assert!((total[12].parse::<f64>().unwrap() - sum).abs() < 0.1 * groups.len() as f64);
    assert!(page.body.contains("class=\"num distance\""));
}

#[actix_web::test]
async fn officers_may_not_read_coverage_or_group_reports_and_prosecutors_may() {
    let (app, _) = TestApp::office();
    let mut officer = app.client().await;
    officer.sign_in("officer01", PASSWORD).await;
    assert_eq!(officer.get("/reports/coverage").await.status, 403);
    assert_eq!(officer.get("/reports/groups").await.status, 403);
    let mut prosecutor = app.client().await;
    prosecutor.sign_in("prosecutor", PASSWORD).await;
    assert_eq!(
        prosecutor
            .get(&format!("/reports/coverage?{PERIOD}"))
            .await
            .status,
        200
    );
    assert_eq!(
        prosecutor
            .get(&format!("/reports/groups?{PERIOD}&format=csv"))
            .await
            .status,
        200
    );
}

#[test]
fn the_command_line_prints_both_reports_as_csv_or_json() {
    let (app, office) = TestApp::office();
    app.add_crowd(&office, 20, 1);
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_baqylau"))
            .args(args)
            .env_remove("BAQYLAU_CONFIG")
            .env("BAQYLAU_DATABASE_URL", &app.state.settings.database_url)
            .env("BAQYLAU_LOG", "warn")
            .output()
            .unwrap()
    };
    let period = ["--from", "2025-01-01", "--to", "2025-03-31"];
    let csv = run(&[&["report", "coverage"], &period[..], &["--format", "csv"]].concat());
    assert!(
        csv.status.success(),
        "{}",
        String::from_utf8_lossy(&csv.stderr)
    );
    let text = String::from_utf8_lossy(&csv.stdout).into_owned();
    assert!(
        text.contains("table,key,counted,covered,share_percent"),
        "{text}"
    );
    assert!(text.contains("\nmonth,2025-03-31,"), "{text}");
    let json = run(&[&["report", "groups"], &period[..], &["--format", "json"]].concat());
    assert!(
        json.status.success(),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        value["groups"].as_array().map(Vec::len),
        Some(office.groups.len())
    );
    let bad = run(&[&["report", "groups"], &period[..], &["--format", "xml"]].concat());
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--format must be csv or json"));
}

#[actix_web::test]
async fn the_map_shades_districts_and_the_top_lists_mask_iins_and_link_only_for_prosecutors() {
    let crate::coverage_vs_crime::Fixture { app, codes, people } =
        crate::coverage_vs_crime::fixture();
    // c1 checked on ten more days of March: 13 checks where the standard asks for 90 / 14 = 6.4.
    let officer = app.user_id("officer01");
    let c1 = PersonId::from(people[4].0.clone());
    for d in 1..=10 {
        let at = day(2025, 3, d).and_hms_opt(5, 0, 0).unwrap();
        app.record_visit(visit(&c1, &officer, at, VisitOutcome::Present));
    }
    let path = "/reports/coverage?from=2025-01-01&to=2025-03-31";
    let mut supervisor = signed_in_english(&app, "supervisor").await;
    let page = supervisor.get(path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.body.contains("style="));
    // A and B at 50 % (40-60), C at 100 % (80-100), the other districts without persons.
    let shaded = |class: &str| {
        page.body
            .matches(&format!("class=\"area {class}\""))
            .count()
    };
    assert_eq!((shaded("shade-2"), shaded("shade-4")), (2, 1));
    let districts = db::districts::list_districts(&mut app.conn()).unwrap();
    assert_eq!(shaded("shade-none"), districts.len() - 3);
    assert!(page.body.contains(&format!(">{}</text>", codes[2])));
    assert_eq!(page.select("#coverage-legend li").len(), 6);
    // Left lapsing at 31 March: a2 last checked 31 January (59 days, 14 allowed), b2 never
    // since 20 February (39 days).
    let lapsing: Vec<String> = page.select("#table-lapsing tbody td.overdue");
    assert_eq!(lapsing, ["45", "25"]);
    let iins = page.select("#table-lapsing tbody td.iin");
    assert_eq!(iins.len(), 2);
    assert!(iins[0].ends_with(&people[1].1[8..]) && iins[0].starts_with('•'));
    assert_eq!(page.select("#table-over-checked tbody td.checks"), ["13"]);
    for (_, iin) in &people {
        assert!(!page.body.contains(iin.as_str()), "an IIN shown whole");
    }
    // The supervisor may not open the registry: no links to it.
    assert!(!page.body.contains("href=\"/registry/persons/"));
    assert_eq!(
        supervisor
            .get(&format!("/registry/persons/{}", people[1].0))
            .await
            .status,
        403
    );
    let mut prosecutor = signed_in_english(&app, "prosecutor").await;
    let page = prosecutor.get(path).await;
    assert!(
        page.body
            .contains(&format!("href=\"/registry/persons/{}\"", people[1].0))
    );
}
