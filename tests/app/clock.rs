//! The app's clock: a test pins the day, and every page that defaults to "today" follows it.

use baqylau::clock::Clock;
use chrono::NaiveDate;

use crate::support::{TestApp, signed_in_english};

fn pinned(y: i32, m: u32, d: u32) -> TestApp {
    let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let app = TestApp::with_clock(Clock::pinned_to_day(day));
    let office = app.fill_office();
    app.add_crowd(&office, 20, 1);
    app
}

#[actix_web::test]
async fn the_reports_default_periods_follow_the_pinned_day() {
    let app = pinned(2024, 5, 15);
    let mut client = signed_in_english(&app, "supervisor").await;
    let expectations = [
        // The last full year, quarter, twelve months and month before 15 May 2024.
        ("/reports/crime", "2023-01-01", "2023-12-31"),
        ("/reports/coverage", "2024-01-01", "2024-03-31"),
        ("/reports/coverage-vs-crime", "2023-05-01", "2024-04-30"),
        ("/reports/groups", "2024-04-01", "2024-04-30"),
    ];
    for (path, from, to) in expectations {
        let page = client.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(
            page.body
                .contains(&format!("name=\"from\" type=\"date\" value=\"{from}\"")),
            "{path} should start on {from}"
        );
        assert!(
            page.body.contains(&format!("value=\"{to}\"")),
            "{path}: {to}"
        );
    }
}

#[actix_web::test]
async fn a_registry_export_is_named_after_the_pinned_day() {
    let app = pinned(2025, 2, 3);
    let mut client = signed_in_english(&app, "prosecutor").await;
    let export = client.get("/registry/export").await;
    assert_eq!(export.status, 200);
    let disposition = export.header("content-disposition");
    assert!(
        disposition.contains("persons-2025-02-03.csv"),
        "{disposition}"
    );
}
