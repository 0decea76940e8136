//! An officer trying to locate a person they are not assigned to, as the outside review did:
//! ad-hoc visits on anyone, distances to triangulate a home, unknown ids to probe who exists, and
//! one visit sent under five spellings of its id.

use actix_web::http::StatusCode;
use baqylau::db::schema::{audit_entries, follow_ups, mobile_group_districts, persons, visits};
use diesel::prelude::*;
use serde_json::json;

use crate::support::{PASSWORD, TestApp, TestClient};
use crate::visits::published_checks;

async fn officer(app: &TestApp, login: &str) -> TestClient {
    let mut client = app.client().await;
    assert_eq!(
        client.sign_in(login, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    client
}

/// A person whose home lies outside every district of `group`, and one inside.
fn persons_outside_and_inside(app: &TestApp, group: &str) -> (String, String) {
    let districts: Vec<String> = mobile_group_districts::table
        .filter(mobile_group_districts::mobile_group_id.eq(group))
        .select(mobile_group_districts::district_id)
        .load(&mut app.conn())
        .unwrap();
    let outside: String = persons::table
        .filter(persons::district_id.ne_all(&districts))
        .filter(persons::work_lat.is_null())
        .select(persons::id)
        .first(&mut app.conn())
        .unwrap();
    let inside: String = persons::table
        .filter(persons::district_id.eq_any(&districts))
        .select(persons::id)
        .first(&mut app.conn())
        .unwrap();
    (outside, inside)
}

fn ad_hoc(person: &str, outcome: &str) -> serde_json::Value {
    json!({
        "person_id": person,
        "kind": "home",
        "outcome": outcome,
        "recorded_at": chrono::Utc::now().to_rfc3339(),
        "lat": 53.2,
        "lon": 63.6,
        "accuracy_m": 8.0,
    })
}

#[actix_web::test]
async fn an_officer_cannot_record_or_locate_a_person_outside_their_groups_scope() {
    let (app, office) = TestApp::office();
    let (own, _) = published_checks(&app, &office);
    let group = own.mobile_group_id.clone().unwrap();
    let (stranger, _) = persons_outside_and_inside(&app, &group);
    let mut client = officer(&app, "officer01").await;
    // An absence, twice, would open a follow-up on the person.
    let mut answers = Vec::new();
    for _ in 0..2 {
        answers.push(
            client
                .put_json(
                    &format!("/api/v1/visits/{}", uuid::Uuid::now_v7()),
                    &ad_hoc(&stranger, "absent"),
                )
                .await,
        );
    }
    let nobody = client
        .put_json(
            &format!("/api/v1/visits/{}", uuid::Uuid::now_v7()),
            &ad_hoc("01900000-0000-7000-8000-00000000dead", "absent"),
        )
        .await;
    for answer in answers.iter().chain([&nobody]) {
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
        assert!(!answer.body.contains("distance"), "{}", answer.body);
        assert_eq!(
            answer.body, nobody.body,
            "a real person and no person get the same answer"
        );
    }
    let stored = visits::table
        .filter(visits::person_id.eq(&stranger))
        .count()
        .get_result::<i64>(&mut app.conn())
        .unwrap();
    assert_eq!(stored, 0);
    let opened = follow_ups::table
        .filter(follow_ups::person_id.eq(&stranger))
        .count()
        .get_result::<i64>(&mut app.conn())
        .unwrap();
    assert_eq!(opened, 0, "no follow-up on a refused visit");
    let denied = audit_entries::table
        .filter(audit_entries::action.eq("denied"))
        .filter(audit_entries::user_login.eq("officer01"))
        .count()
        .get_result::<i64>(&mut app.conn())
        .unwrap();
    assert_eq!(denied, 3, "each refusal is audited");
}

#[actix_web::test]
async fn an_unknown_check_and_another_groups_check_get_the_same_refusal() {
    let (app, office) = TestApp::office();
    let (own, other) = published_checks(&app, &office);
    let mut client = officer(&app, "officer01").await;
    let mut body = crate::visits::visit(&other, "present");
    let theirs = client
        .put_json(&format!("/api/v1/visits/{}", uuid::Uuid::now_v7()), &body)
        .await;
    body["check_id"] = json!("01900000-0000-7000-8000-00000000beef");
    let unknown = client
        .put_json(&format!("/api/v1/visits/{}", uuid::Uuid::now_v7()), &body)
        .await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN);
    assert_eq!(theirs.body, unknown.body);
    // The officer's own check still works and names its flags, not a distance.
    let mine = client
        .put_json(
            &format!("/api/v1/visits/{}", uuid::Uuid::now_v7()),
            &crate::visits::visit(&own, "present"),
        )
        .await;
    assert_eq!(mine.status, StatusCode::CREATED, "{}", mine.body);
    let answer: serde_json::Value = serde_json::from_str(&mine.body).unwrap();
    assert!(answer.get("distance_m").is_none(), "{answer}");
    assert_eq!(answer["flags"], json!([]));
}

#[actix_web::test]
async fn an_ad_hoc_visit_in_the_groups_districts_is_taken_with_its_flags() {
    let (app, office) = TestApp::office();
    let (own, _) = published_checks(&app, &office);
    let group = own.mobile_group_id.clone().unwrap();
    let (_, neighbour) = persons_outside_and_inside(&app, &group);
    let mut client = officer(&app, "officer01").await;
    let mut body = ad_hoc(&neighbour, "present");
    body["lat"] = serde_json::Value::Null;
    body["lon"] = serde_json::Value::Null;
    let answer = client
        .put_json(&format!("/api/v1/visits/{}", uuid::Uuid::now_v7()), &body)
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let answer: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(answer["flags"], json!(["no_position"]));
}

#[actix_web::test]
async fn one_visit_sent_under_five_spellings_of_its_id_is_stored_once() {
    let (app, office) = TestApp::office();
    let (own, _) = published_checks(&app, &office);
    let mut client = officer(&app, "officer01").await;
    let id = uuid::Uuid::now_v7();
    let canonical = id.hyphenated().to_string();
    let spellings = [
        canonical.clone(),
        canonical.to_uppercase(),
        id.simple().to_string(),
        format!("{{{canonical}}}"),
        format!("urn:uuid:{canonical}"),
    ];
    let body = crate::visits::visit(&own, "present");
    let mut statuses = Vec::new();
    for spelling in &spellings {
        let path = format!(
            "/api/v1/visits/{}",
            spelling.replace('{', "%7B").replace('}', "%7D")
        );
        let answer = client.put_json(&path, &body).await;
        let stored: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        assert_eq!(stored["id"], json!(canonical), "{spelling}");
        statuses.push(answer.status.as_u16());
    }
    assert_eq!(statuses, [201, 200, 200, 200, 200]);
    let rows: Vec<String> = visits::table
        .select(visits::id)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(rows, [canonical]);
}
