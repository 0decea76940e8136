//! The plan's pages at size: a summary with a link for each group and day and the left-out
//! checks counted by reason (no person on it), a route on its own page, the left-out checks a
//! reason and a page at a time; a change comes back to the page and place it was made on (never
//! elsewhere), a removal is confirmed first.

use std::time::Duration;

use actix_web::http::StatusCode;
use baqylau::domain::check::Check;
use baqylau::services::plans::{self, PlanOptions};
use chrono::NaiveDate;

use crate::support::{PASSWORD, TestApp, signed_in};

fn from() -> NaiveDate {
    chrono::Utc::now().date_naive() + chrono::Duration::days(3)
}

/// The office with a crowd of 40 persons (more checks due than five days of its two groups
/// hold).
fn office() -> TestApp {
    TestApp::office_with_crowd(40).0
}

/// A plan of five days for all groups, and its checks.
fn plan(app: &TestApp) -> (String, Vec<Check>) {
    let options = PlanOptions {
        from: from(),
        days: 5,
        group_ids: Vec::new(),
        seed: 7,
        time_limit: Duration::from_secs(30),
        threads: 1,
        iterations: 40,
    };
    let (id, _) = plans::create_plan(&mut app.conn(), &options, None).unwrap();
    let checks = baqylau::db::checks::list_for_plan(&mut app.conn(), &id).unwrap();
    (id.to_string(), checks)
}

fn route_path(id: &str, c: &Check) -> String {
    format!(
        "/planning/plans/{id}/routes/{}/{}",
        c.mobile_group_id.as_ref().unwrap(),
        c.planned_date.unwrap()
    )
}

#[actix_web::test]
async fn the_summary_links_every_route_and_counts_the_left_out_by_reason() {
    let app = office();
    let (id, checks) = plan(&app);
    let mut client = signed_in(&app, "prosecutor").await;
    let page = client.get(&format!("/planning/plans/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let links = page.select("a.route-link");
    let placed: Vec<&Check> = checks.iter().filter(|c| c.planned_date.is_some()).collect();
    assert!(!placed.is_empty());
    for c in &placed {
        assert!(
            page.body.contains(&route_path(&id, c)),
            "a link to its route"
        );
    }
    assert!(links.len() >= 5, "{links:?}");
    assert!(
        page.select("select").len() <= 1,
        "no move forms on the summary"
    );
    assert!(
        !page.body.contains("/registry/persons/"),
        "the summary names no person"
    );
    let left = checks.iter().filter(|c| c.planned_date.is_none()).count();
    let counts: Vec<String> = page.select(".reason-counts strong");
    if left > 0 {
        let all: usize = counts[0].parse().unwrap();
        let by_reason: usize = counts[1..]
            .iter()
            .map(|c| c.parse::<usize>().unwrap())
            .sum();
        assert_eq!((all, by_reason), (left, left), "{counts:?}");
    }
}

#[actix_web::test]
async fn a_route_has_its_page_its_map_and_its_own_move_targets_only() {
    let app = office();
    let (id, checks) = plan(&app);
    let mut client = signed_in(&app, "prosecutor").await;
    let first = checks.iter().find(|c| c.planned_date.is_some()).unwrap();
    let path = route_path(&id, first);
    let page = client.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    let on_route: Vec<&Check> = checks
        .iter()
        .filter(|c| {
            c.mobile_group_id == first.mobile_group_id && c.planned_date == first.planned_date
        })
        .collect();
    assert_eq!(page.select("table.stops tbody tr").len(), on_route.len());
    assert_eq!(page.select("svg.map").len(), 1);
    // No option moves a check onto the route it is on.
    let own = format!(
        "value=\"{}|{}\"",
        first.mobile_group_id.as_ref().unwrap(),
        first.planned_date.unwrap()
    );
    assert!(!page.body.contains(&own), "its own route is not a target");
    for bad in [
        format!("/planning/plans/{id}/routes/no-such-group/{}", from()),
        format!(
            "/planning/plans/{id}/routes/{}/not-a-day",
            first.mobile_group_id.as_ref().unwrap()
        ),
        format!(
            "/planning/plans/{id}/routes/{}/2001-01-01",
            first.mobile_group_id.as_ref().unwrap()
        ),
        format!("/planning/plans/no-such-plan/routes/g/{}", from()),
    ] {
        assert_eq!(
            client.get(&bad).await.status,
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
}

#[actix_web::test]
async fn a_change_comes_back_to_its_place_and_never_elsewhere() {
    let app = office();
    let (id, checks) = plan(&app);
    let mut client = signed_in(&app, "prosecutor").await;
    let stops: Vec<&Check> = checks.iter().filter(|c| c.planned_date.is_some()).collect();
    let (a, b) = (stops[0], stops[1]);
    let back = format!("{}#s-{}", route_path(&id, a), b.id);
    let version = || {
        baqylau::db::plans::find_plan(&mut app.conn(), &baqylau::domain::PlanId::from(id.clone()))
            .unwrap()
            .unwrap()
            .version
            .to_string()
    };
    let v = version();
    let pinned = client
        .post_form(
            &format!("/planning/plans/{id}/checks/{}/pin", a.id),
            &[("version", &v), ("back", &back)],
        )
        .await;
    assert_eq!(pinned.location(), back, "back to the row after it");
    let v = version();
    let elsewhere = client
        .post_form(
            &format!("/planning/plans/{id}/checks/{}/pin", a.id),
            &[("version", &v), ("back", "https://evil.example/")],
        )
        .await;
    assert_eq!(elsewhere.location(), format!("/planning/plans/{id}"));
    // A removal is asked first, on the route's page; keeping it changes nothing.
    let ask = client
        .get(&format!("{}?remove={}", route_path(&id, a), a.id))
        .await;
    assert_eq!(ask.select("#confirm").len(), 1, "{}", ask.body);
    assert!(ask.select("#confirm-remove").len() == 1);
    assert!(
        baqylau::db::checks::find_check(&mut app.conn(), &a.id)
            .unwrap()
            .is_some(),
        "asking removes nothing"
    );
    let v = version();
    let removed = client
        .post_form(
            &format!("/planning/plans/{id}/checks/{}/remove", a.id),
            &[
                ("version", &v),
                ("back", &format!("{}#stops", route_path(&id, a))),
            ],
        )
        .await;
    assert_eq!(removed.location(), format!("{}#stops", route_path(&id, a)));
    assert!(
        baqylau::db::checks::find_check(&mut app.conn(), &a.id)
            .unwrap()
            .is_none()
    );
    let after = client.get(&route_path(&id, a)).await;
    assert_eq!(after.select(".flash-success").len(), 1, "{}", after.body);
}

#[actix_web::test]
async fn the_left_out_checks_come_a_reason_and_a_page_at_a_time() {
    // Three checks a shift for 125 due checks: far more than a page of them is left out.
    let app = TestApp::office_with_crowd(100).0;
    app.set_group_capacity(3);
    let (id, checks) = plan(&app);
    let mut client = signed_in(&app, "prosecutor").await;
    let left: Vec<&Check> = checks.iter().filter(|c| c.planned_date.is_none()).collect();
    let page = client.get(&format!("/planning/plans/{id}/left-out")).await;
    assert_eq!(page.status, StatusCode::OK);
    let rows = page.select("#left-out tbody tr");
    assert!(left.len() > 50, "more than a page left out: {}", left.len());
    assert_eq!(rows.len(), left.len().min(50));
    if let Some(reason) = left.first().and_then(|c| c.unplaced_reason) {
        let of_reason = left
            .iter()
            .filter(|c| c.unplaced_reason == Some(reason))
            .count();
        let page = client
            .get(&format!("/planning/plans/{id}/left-out?reason={reason}"))
            .await;
        assert_eq!(page.select("#left-out tbody tr").len(), of_reason.min(50));
    }
    // A page past the end is the last page, and an unknown reason all of them: never an error.
    for odd in ["?page=9999", "?page=x&reason=nonsense"] {
        let page = client
            .get(&format!("/planning/plans/{id}/left-out{odd}"))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{odd}");
    }
    let officer_page = {
        let mut officer = app.client().await;
        officer.sign_in("officer01", PASSWORD).await;
        officer.get(&format!("/planning/plans/{id}/left-out")).await
    };
    assert_eq!(officer_page.status, StatusCode::FORBIDDEN);
}
