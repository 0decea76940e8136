//! Sessions live in the database, so they can be ended: a cookie copied by an attacker dies at
//! sign-out, a password change, a reset, or when the account is disabled (and stays dead when it
//! is enabled again); an administrator sees and ends a user's sessions; a second app server over
//! the same database agrees with the first at once.

use actix_web::http::StatusCode;
use baqylau::db::schema::{audit_entries, sessions, users};
use diesel::prelude::*;

use crate::support::{PASSWORD, TestApp, TestClient, signed_in};

fn office_app() -> TestApp {
    TestApp::office().0
}

/// An attacker's client holding a copy of the victim's cookies.
async fn thief_of(app: &TestApp, victim: &TestClient) -> TestClient {
    let mut thief = app.client().await;
    thief.set_cookies(victim.cookies());
    thief.peer = std::net::SocketAddr::from(([203, 0, 113, 9], 5555));
    thief
}

async fn is_signed_in(client: &mut TestClient) -> bool {
    let home = client.get("/").await;
    // An officer's home is today's route; signed out, "/" goes to the sign-in page instead.
    home.status == StatusCode::OK || home.location() == "/field/today"
}

fn user_id(app: &TestApp, login: &str) -> String {
    users::table
        .filter(users::login.eq(login))
        .select(users::id)
        .first(&mut app.conn())
        .unwrap()
}

fn live_sessions(app: &TestApp, login: &str) -> i64 {
    sessions::table
        .filter(sessions::user_id.eq(user_id(app, login)))
        .filter(sessions::ended_at.is_null())
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn the_cookie_holds_only_a_random_key_and_the_database_only_its_hash() {
    let app = office_app();
    let client = signed_in(&app, "prosecutor").await;
    let cookie = client.cookies().get("baqylau_session").cloned().unwrap();
    let id = user_id(&app, "prosecutor");
    assert!(!cookie.contains(&id), "the user id is not in the cookie");
    let stored: Vec<(String, String)> = sessions::table
        .filter(sessions::user_id.eq(&id))
        .select((sessions::id, sessions::state))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(stored.len(), 1);
    let key = cookie.split_at(cookie.len() - 64).1;
    assert!(
        !stored[0].0.contains(key) && !stored[0].1.contains(key),
        "the key itself is not stored"
    );
    // The signed cookie's value is its signature followed by the key.
    assert_eq!(stored[0].0, baqylau::web::session_store::id_of(key));
}

#[actix_web::test]
async fn a_stolen_cookie_dies_when_its_owner_signs_out() {
    let app = office_app();
    let mut victim = signed_in(&app, "prosecutor").await;
    let mut thief = thief_of(&app, &victim).await;
    assert!(
        is_signed_in(&mut thief).await,
        "the copy works while the session lives"
    );
    let out = victim.post_form("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.header("clear-site-data"), "\"cache\", \"storage\"");
    assert!(
        !is_signed_in(&mut thief).await,
        "the copy is dead after sign-out"
    );
    assert_eq!(
        thief.get("/registry/persons").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(live_sessions(&app, "prosecutor"), 0);
}

#[actix_web::test]
async fn changing_ones_password_ends_every_other_session_but_this_one() {
    let app = office_app();
    let mut desk = signed_in(&app, "prosecutor").await;
    let mut thief = thief_of(&app, &signed_in(&app, "prosecutor").await).await;
    let new = "a much longer passphrase 2026";
    let wrong = desk
        .post_form(
            "/account/password",
            &[
                ("current_password", "not it"),
                ("new_password", new),
                ("confirm_password", new),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("current_password-error"));
    assert!(
        is_signed_in(&mut thief).await,
        "a refused change ends nothing"
    );
    let changed = desk
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", new),
                ("confirm_password", new),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    assert!(
        is_signed_in(&mut desk).await,
        "the session that changed it goes on"
    );
    assert!(!is_signed_in(&mut thief).await, "the other session ended");
    let mut fresh = app.client().await;
    assert_eq!(
        fresh.sign_in("prosecutor", PASSWORD).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        fresh.sign_in("prosecutor", new).await.status,
        StatusCode::SEE_OTHER
    );
}

#[actix_web::test]
async fn an_administrators_reset_and_disabling_end_the_users_sessions_for_good() {
    let app = office_app();
    let mut admin = signed_in(&app, "admin").await;
    let officer = signed_in(&app, "officer01").await;
    let mut thief = thief_of(&app, &officer).await;
    let id = user_id(&app, "officer01");
    let reset = admin
        .post_form(
            &format!("/admin/users/{id}/password"),
            &[("new_password", "a new passphrase for the field")],
        )
        .await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER, "{}", reset.body);
    assert!(!is_signed_in(&mut thief).await, "a reset ends the sessions");

    let mut officer = app.client().await;
    officer
        .sign_in("officer01", "a new passphrase for the field")
        .await;
    let mut thief = thief_of(&app, &officer).await;
    assert!(is_signed_in(&mut thief).await);
    admin
        .post_form(&format!("/admin/users/{id}/disable"), &[])
        .await;
    assert!(
        !is_signed_in(&mut thief).await,
        "disabling ends the sessions"
    );
    admin
        .post_form(&format!("/admin/users/{id}/enable"), &[])
        .await;
    assert!(
        !is_signed_in(&mut thief).await,
        "enabling the account again does not revive an old cookie"
    );
}

#[actix_web::test]
async fn an_administrator_sees_a_users_sessions_and_ends_them() {
    let app = office_app();
    let mut admin = signed_in(&app, "admin").await;
    let mut tablet = signed_in(&app, "officer01").await;
    let mut desk = signed_in(&app, "officer01").await;
    let id = user_id(&app, "officer01");
    let page = admin.get(&format!("/admin/users/{id}/sessions")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.select("#sessions tbody tr").len(), 2);
    assert!(page.body.contains("127.0.0.1"), "the address is shown");
    let first: String = sessions::table
        .filter(sessions::user_id.eq(&id))
        .order(sessions::created_at.asc())
        .select(sessions::id)
        .first(&mut app.conn())
        .unwrap();
    let ended = admin
        .post_form(&format!("/admin/users/{id}/sessions/{first}/end"), &[])
        .await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    assert!(!is_signed_in(&mut tablet).await, "the first session ended");
    assert!(is_signed_in(&mut desk).await, "the other goes on");
    admin
        .post_form(&format!("/admin/users/{id}/sessions/end-all"), &[])
        .await;
    assert!(!is_signed_in(&mut desk).await);
    let entries: i64 = audit_entries::table
        .filter(audit_entries::entity_id.eq(&id))
        .filter(audit_entries::user_login.eq("admin"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(entries, 2, "each ending is audited");
}

#[actix_web::test]
async fn a_user_cannot_end_someone_elses_session_from_their_account_page() {
    let app = office_app();
    let _victim = signed_in(&app, "prosecutor").await;
    let victim_session: String = sessions::table
        .filter(sessions::user_id.eq(user_id(&app, "prosecutor")))
        .select(sessions::id)
        .first(&mut app.conn())
        .unwrap();
    let mut officer = signed_in(&app, "officer01").await;
    let answer = officer
        .post_form(&format!("/account/sessions/{victim_session}/end"), &[])
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(live_sessions(&app, "prosecutor"), 1);
}

#[actix_web::test]
async fn a_second_app_server_agrees_at_once_about_sign_in_and_sign_out() {
    let app = office_app();
    let mut first = signed_in(&app, "supervisor").await;
    let mut second = app.second_server_client().await;
    second.set_cookies(first.cookies());
    assert!(
        is_signed_in(&mut second).await,
        "a session made on one works on the other"
    );
    second.post_form("/logout", &[]).await;
    assert!(
        !is_signed_in(&mut first).await,
        "sign-out on one ends it on both"
    );
}

/// Moves a session's last request `minutes` into the past, as if the user had walked away.
fn idle_for(app: &TestApp, login: &str, minutes: i64) {
    let id = user_id(app, login);
    let mut conn = app.conn();
    let rows: Vec<(String, String)> = sessions::table
        .filter(sessions::user_id.eq(&id))
        .filter(sessions::ended_at.is_null())
        .select((sessions::id, sessions::state))
        .load(&mut conn)
        .unwrap();
    for (sid, state) in rows {
        let mut values: std::collections::HashMap<String, String> =
            serde_json::from_str(&state).unwrap();
        let seen: i64 = values["seen"].parse().unwrap();
        values.insert("seen".to_owned(), (seen - minutes * 60).to_string());
        diesel::update(sessions::table.find(sid))
            .set(sessions::state.eq(serde_json::to_string(&values).unwrap()))
            .execute(&mut conn)
            .unwrap();
    }
}

#[actix_web::test]
async fn a_desk_session_ends_after_thirty_idle_minutes_and_an_officers_does_not() {
    let app = office_app();
    let mut prosecutor = signed_in(&app, "prosecutor").await;
    let mut officer = signed_in(&app, "officer01").await;
    idle_for(&app, "prosecutor", 29);
    assert!(
        is_signed_in(&mut prosecutor).await,
        "29 minutes are within the limit"
    );
    idle_for(&app, "prosecutor", 31);
    let page = prosecutor.get("/registry/persons").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().starts_with("/login"));
    let ended: Option<String> = sessions::table
        .filter(sessions::user_id.eq(user_id(&app, "prosecutor")))
        .select(sessions::ended_reason)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(ended.as_deref(), Some("expired"));
    // An officer's tablet may sit offline for hours within the shift.
    idle_for(&app, "officer01", 3 * 60);
    assert!(is_signed_in(&mut officer).await);
}

#[actix_web::test]
async fn an_officers_session_ends_with_the_shift() {
    let app = office_app();
    let _officer = signed_in(&app, "officer01").await;
    let (created, expires): (chrono::NaiveDateTime, chrono::NaiveDateTime) = sessions::table
        .filter(sessions::user_id.eq(user_id(&app, "officer01")))
        .select((sessions::created_at, sessions::expires_at))
        .first(&mut app.conn())
        .unwrap();
    // The demo groups' shifts end at 22:00 local (17:00 UTC); an hour of grace after it.
    let local_end = (expires + chrono::TimeDelta::hours(5)).time();
    let capped = expires - created <= chrono::TimeDelta::hours(14);
    assert!(capped, "never longer than the longest session");
    assert!(
        local_end == chrono::NaiveTime::from_hms_opt(23, 0, 0).unwrap()
            || expires - created >= chrono::TimeDelta::hours(14) - chrono::TimeDelta::seconds(2),
        "ends an hour after the shift (or at the 14-hour cap): {local_end}"
    );
}

#[actix_web::test]
async fn the_visit_api_answers_401_json_without_a_session_even_without_a_token() {
    let app = office_app();
    let mut stranger = app.client().await;
    let answer = stranger
        .put_json_with_token(
            "/api/v1/visits/0190a0a0-0000-7000-8000-000000000000",
            &serde_json::json!({"person_id": "x"}),
            "",
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(body["error"], "error-sign-in-required");
    // A signed-in officer without a token is still refused as a forged request.
    let mut officer = signed_in(&app, "officer01").await;
    let forged = officer
        .put_json_with_token(
            "/api/v1/visits/0190a0a0-0000-7000-8000-000000000000",
            &serde_json::json!({}),
            "",
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn pages_with_personal_data_are_never_cached_and_static_files_revalidate() {
    let app = office_app();
    let mut prosecutor = signed_in(&app, "prosecutor").await;
    let list = prosecutor.get("/registry/persons").await;
    assert_eq!(list.header("cache-control"), "no-store");
    let css = prosecutor.get("/static/css/app.css").await;
    assert_eq!(css.header("cache-control"), "no-cache");
}

#[actix_web::test]
async fn a_page_view_before_sign_in_stores_no_session() {
    let app = office_app();
    let mut stranger = app.client().await;
    for _ in 0..5 {
        assert_eq!(stranger.get("/login").await.status, StatusCode::OK);
    }
    let mut other = app.client().await;
    other.get("/no-such-page").await;
    let stored: i64 = sessions::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(stored, 0, "scanners and page views fill no table");
    // The sign-in form still works: its token is the visitor's cookie.
    assert_eq!(
        stranger.sign_in("admin", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}
