//! Today, live: prosecutors and supervisors see each group's route of today with its stops
//! done, missed, waiting and late on the route's map; the page's groups part is served alone for
//! the script that refreshes it; officers are refused.

use actix_web::http::StatusCode;
use baqylau::db::schema::checks;
use chrono::TimeZone as _;
use diesel::prelude::*;

use crate::support::{PASSWORD, TestApp, TestClient};
use crate::visits::published_checks;

/// The demo region with its clock at `hour` o'clock of today in the region.
fn app_at(hour: u32) -> TestApp {
    let tz = chrono_tz::Asia::Almaty;
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let at = tz
        .from_local_datetime(&today.and_hms_opt(hour, 30, 0).unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    TestApp::demo_in(TestApp::with_clock(baqylau::clock::Clock::pinned(at)), 200)
}

/// Officer01's group gets a route of today: a published stop (from the fixture), then one done,
/// one missed and one more published, each due at its window's start.
fn route_of_four(app: &TestApp) -> String {
    let (own, _) = published_checks(app, "officer01");
    let group = own.mobile_group_id.clone().unwrap();
    let more: Vec<String> = checks::table
        .filter(checks::plan_id.eq(own.plan_id.clone().unwrap()))
        .filter(checks::id.ne(&own.id))
        .filter(
            checks::mobile_group_id
                .ne(Some(group.as_str()))
                .or(checks::mobile_group_id.is_null()),
        )
        .select(checks::id)
        .limit(3)
        .load(&mut app.conn())
        .unwrap();
    for (i, (id, status)) in more.iter().zip(["done", "missed", "published"]).enumerate() {
        diesel::update(checks::table.find(id))
            .set((
                checks::mobile_group_id.eq(Some(group.as_str())),
                checks::planned_date.eq(own.planned_date),
                checks::position.eq(Some(i as i32 + 2)),
                checks::planned_arrival_min.eq(Some(600 + i as i32 * 30)),
                checks::window_start_min.eq(600 + i as i32 * 30),
                checks::window_end_min.eq(720 + i as i32 * 30),
                checks::status.eq(status),
            ))
            .execute(&mut app.conn())
            .unwrap();
    }
    group
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
    let group = route_of_four(&app);
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
    let group = route_of_four(&app);
    let mut client = signed_in(&app, "supervisor").await;
    let part = client.get("/reports/today?part=groups").await;
    assert_eq!(
        states(&part, &group),
        ["waiting", "done", "missed", "waiting"]
    );
    // A visit recorded since shows at the next refresh.
    diesel::update(checks::table.filter(checks::mobile_group_id.eq(Some(group.as_str()))))
        .filter(checks::status.eq("published"))
        .set(checks::status.eq("done"))
        .execute(&mut app.conn())
        .unwrap();
    let part = client.get("/reports/today?part=groups").await;
    assert_eq!(states(&part, &group), ["done", "done", "missed", "done"]);
}
