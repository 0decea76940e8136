//! "Unannounced" means unpredictable: two plans of the same days and groups draw different days
//! and hours, the seed behind them comes from the operating system and is kept with the plan, and
//! only that stored seed (`baqylau plan --seed`) gives the same draw again.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use baqylau::db::schema::{checks, plans};
use diesel::prelude::*;

use crate::support::{PASSWORD, TestApp, TestClient};

/// Makes a plan through the web form and waits for its job; returns the plan id.
async fn plan_through_the_web(client: &mut TestClient, from: &str) -> String {
    let answer = client
        .post_form("/planning/plans", &[("from", from), ("days", "2")])
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let job = answer.location();
    loop {
        let page = client.get(&job).await;
        if page.status != StatusCode::OK {
            let plan = page.location();
            assert!(plan.starts_with("/planning/plans/"), "{plan}");
            return plan.trim_start_matches("/planning/plans/").to_owned();
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// Each person-kind's drawn window start and allowed days in a plan.
fn draws(app: &TestApp, plan: &str) -> BTreeMap<(String, String), (i32, String)> {
    checks::table
        .filter(checks::plan_id.eq(plan))
        .select((
            checks::person_id,
            checks::kind,
            checks::window_start_min,
            checks::allowed_days,
        ))
        .load::<(String, String, i32, String)>(&mut app.conn())
        .unwrap()
        .into_iter()
        .map(|(p, k, w, d)| ((p, k), (w, d)))
        .collect()
}

fn seed_of(app: &TestApp, plan: &str) -> i64 {
    plans::table
        .find(plan)
        .select(plans::seed)
        .first(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn two_plans_of_the_same_days_draw_differently_from_seeds_no_one_can_guess() {
    let app = TestApp::office_with_crowd(40).0;
    let mut client = app.client().await;
    client.sign_in("prosecutor", PASSWORD).await;
    let from = (chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Almaty)
        .date_naive()
        + chrono::Duration::days(7))
    .to_string();
    let first = plan_through_the_web(&mut client, &from).await;
    let second = plan_through_the_web(&mut client, &from).await;
    let (a, b) = (seed_of(&app, &first), seed_of(&app, &second));
    assert_ne!(a, b, "the seed does not follow the date");
    let date_sum: i64 = from.bytes().map(i64::from).sum();
    for seed in [a, b] {
        assert!(seed >= 0);
        assert!(
            seed > 1 << 32,
            "drawn from 63 random bits, not a small function of the date: {seed} (date sum {date_sum})"
        );
    }
    let (draw_a, draw_b) = (draws(&app, &first), draws(&app, &second));
    let common: Vec<_> = draw_a.keys().filter(|k| draw_b.contains_key(*k)).collect();
    assert!(common.len() > 20, "both plans hold the same due checks");
    let differing = common.iter().filter(|k| draw_a[**k] != draw_b[**k]).count();
    assert!(
        differing * 4 > common.len(),
        "a person's drawn hours and days differ between plans: {differing} of {}",
        common.len()
    );
}
