//! Signing in and out: every role, wrong passwords, the lock, CSRF, session expiry, and the
//! audit entries each leaves.

use actix_web::http::StatusCode;
use baqylau::db::DbConnection;
use baqylau::db::schema::{audit_entries, users};
use diesel::prelude::*;

use crate::support::{PASSWORD, TestApp};

fn actions_of(conn: &mut DbConnection, login: &str) -> Vec<String> {
    audit_entries::table
        .filter(audit_entries::user_login.eq(login))
        .order((audit_entries::at.asc(), audit_entries::id.asc()))
        .select(audit_entries::action)
        .load(conn)
        .unwrap()
}

#[actix_web::test]
async fn every_role_signs_in_and_lands_on_its_home_page() {
    let (app, _) = TestApp::office();
    for (login, link) in [
        ("admin", "/admin/users"),
        ("prosecutor", "/registry/persons"),
        ("supervisor", "/reports"),
        ("officer01", "/field/today"),
    ] {
        let mut client = app.client().await;
        let answer = client.sign_in(login, PASSWORD).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{login}");
        assert_eq!(answer.location(), "/");
        assert!(client.has_session_cookie());
        let mut home = client.get("/").await;
        if login == "officer01" {
            // An officer lands on today's route.
            assert_eq!(home.location(), "/field/today");
            home = client.get("/field/today").await;
        }
        assert_eq!(home.status, StatusCode::OK, "{login}");
        assert!(
            home.body.contains(&format!("href=\"{link}")),
            "{login}'s home links to {link}"
        );
        let out = client.post_form("/logout", &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert_eq!(
            client.get("/").await.status,
            StatusCode::SEE_OTHER,
            "{login} signed out"
        );
        assert_eq!(actions_of(&mut app.conn(), login), ["login", "logout"]);
    }
}

#[actix_web::test]
async fn a_wrong_password_or_unknown_login_is_refused_and_audited() {
    let (app, _) = TestApp::office();
    let mut client = app.client().await;
    let answer = client.sign_in("prosecutor", "not-the-password").await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.select("#sign-in-error").len(), 1, "{}", answer.body);
    assert_eq!(client.get("/").await.status, StatusCode::SEE_OTHER);
    let answer = client.sign_in("nobody", PASSWORD).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut conn = app.conn();
    assert_eq!(actions_of(&mut conn, "prosecutor"), ["login_failed"]);
    assert_eq!(actions_of(&mut conn, "nobody"), ["login_failed"]);
}

#[actix_web::test]
async fn repeated_failures_lock_the_account_even_for_the_right_password() {
    let (app, _) = TestApp::office();
    let mut client = app.client().await;
    let max = app.state.settings.max_failed_logins;
    for _ in 0..max {
        assert_eq!(
            client.sign_in("supervisor", "wrong-password").await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let locked: Option<chrono::NaiveDateTime> = users::table
        .filter(users::login.eq("supervisor"))
        .select(users::locked_until)
        .first(&mut app.conn())
        .unwrap();
    assert!(locked.is_some(), "locked after {max} failures");
    let answer = client.sign_in("supervisor", PASSWORD).await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the right password does not open a locked account"
    );
    assert_eq!(client.get("/").await.status, StatusCode::SEE_OTHER);
    // Another account is not affected.
    assert_eq!(
        client.sign_in("prosecutor", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[actix_web::test]
async fn a_lock_ends_after_its_time() {
    let (app, _) = TestApp::office();
    let mut client = app.client().await;
    for _ in 0..app.state.settings.max_failed_logins {
        client.sign_in("supervisor", "wrong-password").await;
    }
    let past = baqylau::db::now_utc() - chrono::Duration::minutes(1);
    // The lock's time runs out (as `db::users::lock` would have set it a while ago).
    let supervisor = app.user_id("supervisor");
    baqylau::db::users::lock(&mut app.conn(), supervisor.as_str(), past).unwrap();
    assert_eq!(
        client.sign_in("supervisor", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[actix_web::test]
async fn a_post_without_the_csrf_token_or_from_another_origin_is_refused() {
    let (app, _) = TestApp::office();
    let mut client = app.client().await;
    client.get("/login").await;
    let answer = client
        .post_form_raw("/login", &[("login", "prosecutor"), ("password", PASSWORD)])
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let answer = client
        .post_form_raw(
            "/login",
            &[
                ("csrf_token", "0000"),
                ("login", "prosecutor"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(!client.get("/").await.status.is_success());
    // The right token from a foreign page is refused by the Origin check.
    let token = client.csrf_token().await;
    let body = serde_urlencoded::to_string([
        ("csrf_token", token.as_str()),
        ("login", "prosecutor"),
        ("password", PASSWORD),
    ])
    .unwrap();
    let answer = client
        .send(
            actix_web::test::TestRequest::post()
                .uri("/login")
                .insert_header(("origin", "https://evil.example"))
                .insert_header(("content-type", "application/x-www-form-urlencoded"))
                .set_payload(body),
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    // Signed in, logging out without a token is refused too: the session stays.
    client.sign_in("prosecutor", PASSWORD).await;
    assert_eq!(
        client.post_form_raw("/logout", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(client.get("/").await.status, StatusCode::OK);
}

#[actix_web::test]
async fn an_idle_session_expires_and_asks_to_sign_in_again() {
    let app = TestApp::with_settings(|s| s.session_idle_minutes = 0);
    app.fill_office();
    let mut client = app.client().await;
    assert_eq!(
        client.sign_in("prosecutor", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let answer = client.get("/registry/persons").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(
        answer.location().starts_with("/login?next="),
        "{}",
        answer.location()
    );
    assert_eq!(
        client.get("/").await.status,
        StatusCode::SEE_OTHER,
        "the session stays ended"
    );
}

#[actix_web::test]
async fn the_session_cookie_is_http_only_and_same_site() {
    let (app, _) = TestApp::office();
    let mut client = app.client().await;
    let answer = client.sign_in("admin", PASSWORD).await;
    let cookie = answer
        .headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("baqylau_session="))
        .expect("a session cookie")
        .to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    // Private cookie: the user id is not readable in it.
    assert!(!cookie.contains("user_id"), "{cookie}");
}
