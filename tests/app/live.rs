//! Today, live: prosecutors and supervisors see each group's route of today with its stops
//! done, missed, waiting and late on the route's map; the page's groups part is served alone for
//! the script that refreshes it; officers are refused.

use actix_web::http::StatusCode;
use baqylau::domain::check::{Check, CheckStatus};
use baqylau::domain::person::Person;
use chrono::TimeZone as _;

use crate::support::builders::person;
use crate::support::{PASSWORD, TestApp, TestClient};

/// An empty database with its clock at `hour` o'clock of today in the region.
fn app_at(hour: u32) -> TestApp {
    let tz = chrono_tz::Asia::Almaty;
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let at = tz
        .from_local_datetime(&today.and_hms_opt(hour, 30, 0).unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    TestApp::with_clock(baqylau::clock::Clock::pinned(at))
}

/// The office, and officer01's group with a route of today of four stops: published, done,
/// missed, published (windows 09:00-18:00). The group's id and the route's checks.
fn route_of_four(app: &TestApp) -> (String, Vec<Check>) {
    let office = app.fill_office();
    let names = ["Ахметов", "Иванов", "Сейткали", "Ким"];
    let persons: Vec<Person> = names
        .iter()
        .enumerate()
        .map(|(i, last)| {
            let home = office.point_in(0, i * 9);
            app.add_person(person(
                last,
                "Тест",
                i as u16 + 1,
                home,
                &office.districts[0],
            ))
        })
        .collect();
    let refs: Vec<&Person> = persons.iter().collect();
    let today = app.state.today();
    let mut route = app.publish_routes(&office, today, &[(0, &refs)]).remove(0);
    set_status(app, &mut route[1], CheckStatus::Done);
    set_status(app, &mut route[2], CheckStatus::Missed);
    (office.groups[0].to_string(), route)
}

/// Stores a check's new status as a recorded visit leaves it.
fn set_status(app: &TestApp, check: &mut Check, status: CheckStatus) {
    check.status = status;
    baqylau::db::checks::update_placement(&mut app.conn(), check).unwrap();
}

async fn signed_in(app: &TestApp, login: &str) -> TestClient {
    let mut client = app.client().await;
    client.sign_in(login, PASSWORD).await;
    client
        .post_form("/preferences", &[("lang", "en"), ("next", "/")])
        .await;
    client
}

/// The states of the stops of `group`'s section, in order.
fn states(page: &crate::support::client::Page, group: &str) -> Vec<String> {
    let html = page.html();
    let rows = scraper::Selector::parse(&format!("#g-{group} tbody tr")).unwrap();
    html.select(&rows)
        .filter_map(|r| r.value().attr("data-state").map(str::to_owned))
        .collect()
}

#[actix_web::test]
async fn late_in_the_evening_unvisited_stops_are_late_and_visits_show_as_they_are() {
    let app = app_at(23);
    let (group, _) = route_of_four(&app);
    for login in ["supervisor", "prosecutor"] {
        let mut client = signed_in(&app, login).await;
        let page = client.get("/reports/today").await;
        assert_eq!(page.status, StatusCode::OK, "{login}");
        assert_eq!(states(&page, &group), ["late", "done", "missed", "late"]);
        assert!(page.body.contains("<svg class=\"map\""), "the route's map");
        assert!(
            page.body
                .contains("data-part-url=\"/reports/today?part=groups\"")
        );
        assert!(page.body.contains("<noscript><meta http-equiv=\"refresh\""));
        let part = client.get("/reports/today?part=groups").await;
        assert_eq!(part.status, StatusCode::OK);
        assert!(!part.body.contains("<html"), "the part alone");
        assert_eq!(states(&part, &group), ["late", "done", "missed", "late"]);
        assert!(!part.body.contains("/registry/persons/"), "no person named");
    }
    let mut officer = signed_in(&app, "officer01").await;
    assert_eq!(
        officer.get("/reports/today").await.status,
        StatusCode::FORBIDDEN
    );
}

#[actix_web::test]
async fn early_in_the_morning_unvisited_stops_are_waiting() {
    let app = app_at(6);
    let (group, mut route) = route_of_four(&app);
    let mut client = signed_in(&app, "supervisor").await;
    let part = client.get("/reports/today?part=groups").await;
    assert_eq!(
        states(&part, &group),
        ["waiting", "done", "missed", "waiting"]
    );
    // A visit recorded since shows at the next refresh.
    for at in [0, 3] {
        set_status(&app, &mut route[at], CheckStatus::Done);
    }
    let part = client.get("/reports/today?part=groups").await;
    assert_eq!(states(&part, &group), ["done", "done", "missed", "done"]);
}
