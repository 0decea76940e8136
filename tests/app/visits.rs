//! The visit API and the stop page: exactly-once storage by the device's id, conflicts, the
//! officer's scope, validation, the check's status, evidence and follow-ups.

use actix_web::http::StatusCode;
use baqylau::db::checks::CheckRow;
use baqylau::db::schema::{audit_entries, checks, follow_ups, visits};
use diesel::prelude::*;
use serde_json::json;

use baqylau::domain::CheckId;
use baqylau::domain::check::CheckStatus;
use baqylau::domain::person::Person;

use crate::support::builders::{Office, person};
use crate::support::{PASSWORD, TestApp, TestClient};

/// Two published checks for today, as the planner stores them: the first stop of group 1's
/// route (officer01's and officer02's: three persons in the west district) and of group 2's
/// (officer03's: two persons in the east).
pub fn published_checks(app: &TestApp, office: &Office) -> (CheckRow, CheckRow) {
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Almaty)
        .date_naive();
    let names = [
        ("Ахметов", "Серик"),
        ("Иванов", "Пётр"),
        ("Сейткали", "Марат"),
        ("Нұрланұлы", "Дәурен"),
        ("Ким", "Виктор"),
    ];
    let persons: Vec<Person> = names
        .iter()
        .enumerate()
        .map(|(i, (last, first))| {
            let district = usize::from(i >= 3);
            let home = office.point_in(district, i * 7);
            let who = person(last, first, i as u16 + 1, home, &office.districts[district]);
            app.add_person(who)
        })
        .collect();
    let west: Vec<&Person> = persons[..3].iter().collect();
    let east: Vec<&Person> = persons[3..].iter().collect();
    let routes = app.publish_routes(office, today, &[(0, &west), (1, &east)]);
    (CheckRow::from(&routes[0][0]), CheckRow::from(&routes[1][0]))
}

async fn officer(app: &TestApp, login: &str) -> TestClient {
    let mut client = app.client().await;
    assert_eq!(
        client.sign_in(login, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    client
}

pub fn visit(check: &CheckRow, outcome: &str) -> serde_json::Value {
    json!({
        "check_id": check.id,
        "person_id": check.person_id,
        "kind": check.kind,
        "outcome": outcome,
        "violation_kind": null,
        "notes": "",
        "recorded_at": chrono::Utc::now().to_rfc3339(),
        "lat": check.lat + 0.0003,
        "lon": check.lon,
        "accuracy_m": 12.0,
    })
}

fn visit_count(app: &TestApp) -> i64 {
    visits::table.count().get_result(&mut app.conn()).unwrap()
}

#[actix_web::test]
async fn a_resubmitted_visit_is_stored_once_and_another_officers_content_under_its_id_is_refused() {
    let (app, office) = TestApp::office();
    let (own, _) = published_checks(&app, &office);
    let mut client = officer(&app, "officer01").await;
    let id = uuid::Uuid::now_v7().to_string();
    let body = visit(&own, "present");
    let first = client
        .put_json(&format!("/api/v1/visits/{id}"), &body)
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let answer: serde_json::Value = serde_json::from_str(&first.body).unwrap();
    assert_eq!(answer["far_from_address"], false);
    assert_eq!(answer["evidence"], "good");
    let again = client
        .put_json(&format!("/api/v1/visits/{id}"), &body)
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(visit_count(&app), 1);
    // Another officer's visit under the same id is not theirs to change (the officer's own
    // change is a correction: `visit_corrections`).
    let mut other = officer(&app, "officer03").await;
    let changed = other
        .put_json(&format!("/api/v1/visits/{id}"), &visit(&own, "absent"))
        .await;
    assert_eq!(changed.status, StatusCode::CONFLICT);
    let stored: String = visits::table
        .find(&id)
        .select(visits::outcome)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(stored, "present");
    let status: String = checks::table
        .find(&own.id)
        .select(checks::status)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(status, "done");
}

#[actix_web::test]
async fn another_groups_person_is_refused_and_the_refusal_audited() {
    let (app, office) = TestApp::office();
    let (_, other) = published_checks(&app, &office);
    let mut client = officer(&app, "officer01").await;
    let answer = client
        .put_json(
            &format!("/api/v1/visits/{}", uuid::Uuid::now_v7()),
            &visit(&other, "present"),
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(visit_count(&app), 0);
    let page = client.get(&format!("/field/stops/{}", other.id)).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let denied: i64 = audit_entries::table
        .filter(audit_entries::action.eq("denied"))
        .filter(audit_entries::entity_id.eq(&other.person_id))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(denied, 2, "the API and the page refusal are both audited");
}

#[actix_web::test]
async fn bad_input_is_refused_with_the_field_named() {
    let (app, office) = TestApp::office();
    let (own, _) = published_checks(&app, &office);
    let mut client = officer(&app, "officer01").await;
    let put = |body: serde_json::Value| (format!("/api/v1/visits/{}", uuid::Uuid::now_v7()), body);
    let mut cases = Vec::new();
    let mut b = visit(&own, "present");
    b["lat"] = json!(123.0);
    cases.push((put(b), "lat"));
    let mut b = visit(&own, "present");
    b["lon"] = serde_json::Value::Null;
    cases.push((put(b), "lat"));
    cases.push((put(visit(&own, "dancing")), "outcome"));
    cases.push((put(visit(&own, "employed")), "outcome"));
    cases.push((put(visit(&own, "violation")), "violation_kind"));
    let mut b = visit(&own, "present");
    b["recorded_at"] = json!("yesterday at noon");
    cases.push((put(b), "recorded_at"));
    for ((path, body), field) in cases {
        let answer = client.put_json(&path, &body).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            answer.body
        );
        let error: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        assert_eq!(error["field"], field);
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty() && !m.contains('⟦'))
        );
    }
    let answer = client
        .put_json("/api/v1/visits/not-a-uuid", &visit(&own, "present"))
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let token = client.csrf_token().await;
    let garbage = client
        .send(
            actix_web::test::TestRequest::put()
                .uri(&format!("/api/v1/visits/{}", uuid::Uuid::now_v7()))
                .insert_header(("x-csrf-token", token))
                .set_payload("{not json"),
        )
        .await;
    assert_eq!(garbage.status, StatusCode::UNPROCESSABLE_ENTITY);
    let no_token = client
        .put_json_with_token(
            &format!("/api/v1/visits/{}", uuid::Uuid::now_v7()),
            &visit(&own, "present"),
            "",
        )
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    assert_eq!(visit_count(&app), 0);
    let mut anonymous = app.client().await;
    let answer = anonymous
        .put_json_with_token(
            &format!("/api/v1/visits/{}", uuid::Uuid::now_v7()),
            &visit(&own, "present"),
            "x",
        )
        .await;
    assert!(
        matches!(answer.status.as_u16(), 401 | 403),
        "{}",
        answer.status
    );
}

#[actix_web::test]
async fn a_visit_far_away_is_flagged_and_a_second_absence_opens_a_follow_up() {
    let (app, office) = TestApp::office();
    let (own, _) = published_checks(&app, &office);
    let mut client = officer(&app, "officer01").await;
    let mut far = visit(&own, "absent");
    far["lat"] = json!(own.lat + 0.05);
    let answer = client
        .put_json(&format!("/api/v1/visits/{}", uuid::Uuid::now_v7()), &far)
        .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    let answer: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(
        (
            answer["far_from_address"].as_bool(),
            answer["evidence"].as_str()
        ),
        (Some(true), Some("poor"))
    );
    let open = |app: &TestApp| -> i64 {
        follow_ups::table
            .filter(follow_ups::person_id.eq(&own.person_id))
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    assert_eq!(open(&app), 0, "one absence is not yet a follow-up");
    let status: String = checks::table
        .find(&own.id)
        .select(checks::status)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(status, "missed");
    // An ad-hoc visit (no check) of the same person: absent again.
    let mut again = visit(&own, "absent");
    again["check_id"] = serde_json::Value::Null;
    again["recorded_at"] = json!((chrono::Utc::now() + chrono::Duration::seconds(5)).to_rfc3339());
    assert_eq!(
        client
            .put_json(&format!("/api/v1/visits/{}", uuid::Uuid::now_v7()), &again)
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        open(&app),
        1,
        "the second absence in a row opens a follow-up"
    );
}

#[actix_web::test]
async fn a_check_cancelled_while_offline_still_takes_the_visit_flagged() {
    let (app, office) = TestApp::office();
    let (own, _) = published_checks(&app, &office);
    app.change_check(&CheckId::from(own.id.clone()), |c| {
        c.status = CheckStatus::Cancelled;
    });
    let mut client = officer(&app, "officer01").await;
    let id = uuid::Uuid::now_v7().to_string();
    assert_eq!(
        client
            .put_json(&format!("/api/v1/visits/{id}"), &visit(&own, "present"))
            .await
            .status,
        StatusCode::CREATED
    );
    let flagged: bool = visits::table
        .find(&id)
        .select(visits::check_was_cancelled)
        .first(&mut app.conn())
        .unwrap();
    assert!(flagged);
}

#[actix_web::test]
async fn the_stop_page_shows_the_person_and_its_plain_form_records_a_visit() {
    let (app, office) = TestApp::office();
    let (own, _) = published_checks(&app, &office);
    let mut client = officer(&app, "officer01").await;
    let today = client.get("/field/today").await;
    assert!(
        today.body.contains(&format!("/field/stops/{}", own.id)),
        "{}",
        today.body
    );
    let page = client.get(&format!("/field/stops/{}", own.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.select("#visit-form button[name=outcome]").len(),
        4,
        "four home outcomes besides a violation"
    );
    assert_eq!(
        page.select("#visit-form button[name=violation_kind]").len(),
        3,
        "a violation is one of its three kinds"
    );
    assert!(page.body.contains("name=\"csrf-token\""));
    let answer = client
        .post_form(
            &format!("/field/stops/{}/visit", own.id),
            &[("outcome", "present"), ("notes", "всё в порядке")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(answer.location(), format!("/field/stops/{}", own.id));
    assert_eq!(visit_count(&app), 1);
    let bad = client
        .post_form(
            &format!("/field/stops/{}/visit", own.id),
            &[("outcome", "employed")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.select("#visit-error").len(), 1);
    assert_eq!(
        client.get("/field/sw.js").await.status.as_u16() / 100,
        if baqylau_has_sw() { 2 } else { 4 }
    );
}

fn baqylau_has_sw() -> bool {
    std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/static/js/sw.js")).exists()
}
