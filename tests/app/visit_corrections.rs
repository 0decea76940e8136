//! One outcome per check (issue 16): the same visit id again answers as the first time; the same
//! id with another outcome within `visit_correction_minutes` is a correction that replaces it
//! (the check's status and follow-ups follow, one audit entry); after the window, or with a second
//! id on a visited check, 409 with a message naming the check.

use actix_web::http::StatusCode;
use baqylau::db::checks::CheckRow;
use baqylau::db::schema::{audit_entries, checks, follow_ups, visits};
use diesel::prelude::*;
use serde_json::{Value, json};

use baqylau::domain::PersonId;
use baqylau::domain::visit::{FollowUpReason, VisitOutcome};

use crate::support::records::visit as recorded;
use crate::support::{PASSWORD, TestApp, TestClient};
use crate::visits::{published_checks, visit};

async fn officer(app: &TestApp, login: &str) -> TestClient {
    let mut client = app.client().await;
    assert_eq!(
        client.sign_in(login, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    client
}

async fn put(client: &mut TestClient, id: &str, body: &Value) -> (StatusCode, Value) {
    let page = client.put_json(&format!("/api/v1/visits/{id}"), body).await;
    let answer = serde_json::from_str(&page.body).unwrap_or(Value::Null);
    (page.status, answer)
}

fn stored(app: &TestApp, check: &CheckRow) -> Vec<(String, String)> {
    visits::table
        .filter(visits::check_id.eq(&check.id))
        .select((visits::id, visits::outcome))
        .load(&mut app.conn())
        .unwrap()
}

fn check_status(app: &TestApp, check: &CheckRow) -> String {
    checks::table
        .find(&check.id)
        .select(checks::status)
        .first(&mut app.conn())
        .unwrap()
}

fn open_follow_ups(app: &TestApp, check: &CheckRow) -> Vec<String> {
    follow_ups::table
        .filter(follow_ups::person_id.eq(&check.person_id))
        .filter(follow_ups::status.eq("open"))
        .select(follow_ups::reason)
        .load(&mut app.conn())
        .unwrap()
}

/// Moves a stored visit's first save `minutes` into the past (its window runs from there).
fn age_visit(app: &TestApp, id: &str, minutes: i64) {
    let at: chrono::NaiveDateTime = visits::table
        .find(id)
        .select(visits::server_at)
        .first(&mut app.conn())
        .unwrap();
    diesel::update(visits::table.find(id))
        .set(visits::server_at.eq(at - chrono::Duration::minutes(minutes)))
        .execute(&mut app.conn())
        .unwrap();
}

#[actix_web::test]
async fn a_second_tap_within_the_window_corrects_the_visit_and_is_audited_as_one_correction() {
    let (app, office) = TestApp::office();
    let (own, _) = published_checks(&app, &office);
    let mut client = officer(&app, "officer01").await;
    let id = uuid::Uuid::now_v7().to_string();
    let first = visit(&own, "present");
    let (status, answer) = put(&mut client, &id, &first).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["corrected"], false);
    assert_eq!(answer["correctable_for_s"], 600, "ten minutes by default");
    // The same visit again (a lost answer, a retry): the first answer, stored once.
    let (status, again) = put(&mut client, &id, &first).await;
    assert_eq!(
        (status, &again["outcome"]),
        (StatusCode::OK, &json!("present"))
    );

    // A violation instead: the visit is replaced, the check stays done, a follow-up opens.
    let mut violation = visit(&own, "violation");
    violation["violation_kind"] = json!("intoxication");
    let (status, answer) = put(&mut client, &id, &violation).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        (&answer["corrected"], &answer["outcome"]),
        (&json!(true), &json!("violation"))
    );
    assert_eq!(
        stored(&app, &own),
        vec![(id.clone(), "violation".to_owned())]
    );
    assert_eq!(open_follow_ups(&app, &own), vec!["violation".to_owned()]);
    // Then absent: the check becomes missed, the violation's follow-up goes with its cause.
    let (status, _) = put(&mut client, &id, &visit(&own, "absent")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stored(&app, &own), vec![(id.clone(), "absent".to_owned())]);
    assert_eq!(check_status(&app, &own), "missed");
    assert!(open_follow_ups(&app, &own).is_empty());
    let audit: Vec<(String, Option<String>)> = audit_entries::table
        .filter(audit_entries::entity_kind.eq("visit"))
        .filter(audit_entries::entity_id.eq(&id))
        .order(audit_entries::at.asc())
        .select((audit_entries::action, audit_entries::details))
        .load(&mut app.conn())
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(actions, ["create", "update", "update"], "{audit:?}");
    let details: Value = serde_json::from_str(audit[2].1.as_deref().unwrap()).unwrap();
    assert_eq!(
        (
            &details["correction"],
            &details["from"],
            &details["outcome"]
        ),
        (&json!(true), &json!("violation"), &json!("absent"))
    );
}

#[actix_web::test]
async fn a_second_visit_on_a_check_is_refused_and_after_the_window_the_check_is_closed() {
    let (app, office) = TestApp::office();
    let (own, _) = published_checks(&app, &office);
    let mut client = officer(&app, "officer01").await;
    let id = uuid::Uuid::now_v7().to_string();
    assert_eq!(
        put(&mut client, &id, &visit(&own, "present")).await.0,
        StatusCode::CREATED
    );
    // Another id on the same check: refused, naming the visit a correction goes under.
    let other = uuid::Uuid::now_v7().to_string();
    let (status, answer) = put(&mut client, &other, &visit(&own, "absent")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(answer["error"], "visit-error-check-visited");
    assert_eq!(
        (&answer["field"], &answer["visit_id"]),
        (&json!("check_id"), &json!(id))
    );
    assert!(!answer["message"].as_str().unwrap_or_default().is_empty());

    // Eleven minutes on: the check is closed to a correction and to another visit alike.
    age_visit(&app, &id, 11);
    let (status, answer) = put(&mut client, &id, &visit(&own, "absent")).await;
    assert_eq!(
        (status, &answer["error"]),
        (StatusCode::CONFLICT, &json!("visit-error-closed"))
    );
    let (status, answer) = put(&mut client, &other, &visit(&own, "absent")).await;
    assert_eq!(
        (status, &answer["error"]),
        (StatusCode::CONFLICT, &json!("visit-error-check-closed"))
    );
    assert_eq!(stored(&app, &own), vec![(id.clone(), "present".to_owned())]);
    assert_eq!(check_status(&app, &own), "done");
    // The first visit sent again still answers as the first: a retry is never refused.
    let (status, answer) = put(&mut client, &id, &visit_like(&app, &id)).await;
    assert_eq!((status, &answer["stored"]), (StatusCode::OK, &json!(true)));
}

/// The body stored under `id` (the device's own resend).
fn visit_like(app: &TestApp, id: &str) -> Value {
    let payload: String = visits::table
        .find(id)
        .select(visits::payload)
        .first(&mut app.conn())
        .unwrap();
    serde_json::from_str(&payload).unwrap()
}

#[actix_web::test]
async fn the_correction_window_is_a_setting_and_another_officer_cannot_correct() {
    let app = TestApp::with_settings(|s| s.visit_correction_minutes = 0);
    let office = app.fill_office();
    let (own, _) = published_checks(&app, &office);
    let mut client = officer(&app, "officer01").await;
    let id = uuid::Uuid::now_v7().to_string();
    let (status, answer) = put(&mut client, &id, &visit(&own, "present")).await;
    assert_eq!(
        (status, &answer["correctable_for_s"]),
        (StatusCode::CREATED, &json!(0))
    );
    let (status, answer) = put(&mut client, &id, &visit(&own, "absent")).await;
    assert_eq!(
        (status, &answer["error"]),
        (StatusCode::CONFLICT, &json!("visit-error-closed"))
    );
    // A group mate under the same id: not theirs to change.
    let mut mate = officer(&app, "officer02").await;
    let (status, _) = put(&mut mate, &id, &visit(&own, "absent")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(stored(&app, &own), vec![(id, "present".to_owned())]);
}

#[actix_web::test]
async fn a_correction_takes_back_only_its_own_cause_from_a_follow_up_opened_before() {
    let (app, office) = TestApp::office();
    let (own, _) = published_checks(&app, &office);
    // The person already has an open violation follow-up from an earlier finding.
    let earlier = baqylau::db::now_utc() - chrono::Duration::days(3);
    let person = PersonId::from(own.person_id.clone());
    let officer01 = app.user_id("officer01");
    let found = recorded(&person, &officer01, earlier, VisitOutcome::Violation)
        .raising(FollowUpReason::Violation);
    app.record_visit(found);
    let earlier_follow_up = baqylau::db::follow_ups::list_open(&mut app.conn())
        .unwrap()
        .remove(0)
        .id;
    let count = |app: &TestApp| -> Vec<(String, i32)> {
        follow_ups::table
            .filter(follow_ups::person_id.eq(&own.person_id))
            .filter(follow_ups::status.eq("open"))
            .select((follow_ups::id, follow_ups::cause_count))
            .load(&mut app.conn())
            .unwrap()
    };
    let mut client = officer(&app, "officer01").await;
    let id = uuid::Uuid::now_v7().to_string();
    let mut violation = visit(&own, "violation");
    violation["violation_kind"] = json!("intoxication");
    let (status, answer) = put(&mut client, &id, &violation).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(
        count(&app),
        vec![(earlier_follow_up.clone(), 2)],
        "the new finding adds to the open follow-up"
    );
    // A slip: corrected to present. The earlier finding stays, with its one cause.
    let (status, answer) = put(&mut client, &id, &visit(&own, "present")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(count(&app), vec![(earlier_follow_up, 1)]);
}
