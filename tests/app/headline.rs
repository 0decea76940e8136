//! The supervisor's home (issue 16, item 11): headline figures that agree with the reports they
//! link to; and the one-click periods on every report page.

use actix_web::http::StatusCode;
use baqylau::clock::Clock;
use chrono::NaiveDate;

use crate::support::{TestApp, client::Page, signed_in_english};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The demo region (offences up to 2026-11-25) with the app's clock on that day.
fn app_on_demo_day() -> TestApp {
    TestApp::demo_in(
        TestApp::with_clock(Clock::pinned_to_day(day(2026, 11, 25))),
        200,
    )
}

fn hrefs(page: &Page, selector: &str) -> Vec<String> {
    page.html()
        .select(&scraper::Selector::parse(selector).unwrap())
        .map(|a| a.value().attr("href").unwrap().replace("&amp;", "&"))
        .collect()
}

/// A number as the English pages print it (`-2.5 %`, `1,234`).
fn number(text: &str) -> f64 {
    let digits: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    digits.parse().unwrap()
}

#[actix_web::test]
async fn the_supervisors_home_shows_coverage_overdue_and_crime_as_the_linked_reports_do() {
    let app = app_on_demo_day();
    let mut client = signed_in_english(&app, "supervisor").await;
    let home = client.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    let coverage_href = hrefs(&home, "#headline-coverage").remove(0);
    assert_eq!(
        coverage_href,
        "/reports/coverage?from=2026-10-01&to=2026-11-25"
    );
    let report = client.get(&coverage_href).await;
    assert_eq!(report.status, StatusCode::OK);
    assert_eq!(
        home.select("#headline-coverage strong"),
        report.select("#coverage-share")
    );
    let home_overdue = number(&home.select("#headline-overdue strong")[0]);
    let work_overdue = number(&home.select("#headline-overdue small")[0]);
    assert!(home_overdue > 0.0, "nobody was visited in the fresh demo");
    assert_eq!(
        home_overdue + work_overdue,
        number(&report.select("#coverage-overdue")[0])
    );
    let crime_href = hrefs(&home, "#headline-crime").remove(0);
    assert_eq!(
        crime_href,
        "/reports/crime?from=2026-01-01&to=2026-11-25&against=2025-01-01..2025-11-25"
    );
    let crime = client.get(&crime_href).await;
    assert_eq!(crime.status, StatusCode::OK);
    assert_eq!(
        number(&home.select("#headline-crime strong")[0]),
        number(&crime.select("#total-change")[0])
    );
    let offences = crime.select(".crime-total .big");
    assert!(home.select("#headline-crime span")[0].contains(&offences[0]));
    // The prosecutor's home has no headline; the supervisor's no follow-ups.
    assert!(!home.body.contains("home-follow-ups"));
    let mut prosecutor = signed_in_english(&app, "prosecutor").await;
    assert!(!prosecutor.get("/").await.body.contains("headline-coverage"));
}

#[actix_web::test]
async fn every_report_page_offers_four_periods_keeping_its_district() {
    let app = app_on_demo_day();
    let mut client = signed_in_english(&app, "supervisor").await;
    let page = client
        .get("/reports/coverage?from=2026-01-01&to=2026-03-31&district=KST")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let links = hrefs(&page, "#period-presets a");
    assert_eq!(
        links,
        [
            "/reports/coverage?from=2026-11-01&to=2026-11-25&district=KST",
            "/reports/coverage?from=2026-10-01&to=2026-10-31&district=KST",
            "/reports/coverage?from=2026-07-01&to=2026-09-30&district=KST",
            "/reports/coverage?from=2025-01-01&to=2025-12-31&district=KST",
        ]
    );
    assert_eq!(
        page.select("#period-presets a"),
        ["This month", "Last month", "Last quarter", "Last year"]
    );
    assert!(page.select("#period-presets a[aria-current]").is_empty());
    let quarter = client.get(&links[2]).await;
    assert_eq!(quarter.status, StatusCode::OK);
    assert_eq!(
        quarter.select("#period-presets a[aria-current]"),
        ["Last quarter"]
    );
    // The crime report's comparison goes back to its default, the period before.
    let crime = client
        .get("/reports/crime?from=2025-01-01&to=2025-12-31&against=2023-01-01..2023-12-31")
        .await;
    assert_eq!(
        hrefs(&crime, "#period-presets a")[3],
        "/reports/crime?from=2025-01-01&to=2025-12-31"
    );
    for path in ["/reports/groups", "/reports/coverage-vs-crime"] {
        let page = client.get(path).await;
        assert_eq!(hrefs(&page, "#period-presets a").len(), 4, "{path}");
    }
}
