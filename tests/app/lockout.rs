//! The lock after failed sign-ins holds when an attacker sends the guesses all at once, one
//! address cannot lock out account after account, and every failure (unknown login, locked
//! account, throttled address, absurd input) gets the same answer.

use actix_web::http::StatusCode;
use baqylau::db::schema::{audit_entries, users};
use diesel::prelude::*;

use crate::support::{PASSWORD, TestApp, TestClient};

/// The office (its six users and two more officers, `officer04` and `officer05`) in a
/// database made with settings changed for the test.
fn office_app(change: impl FnOnce(&mut baqylau::config::Settings)) -> TestApp {
    let app = TestApp::with_settings(change);
    let office = app.fill_office();
    app.add_officer(&office, "officer04", 1);
    app.add_officer(&office, "officer05", 1);
    app
}

async fn client_from(app: &TestApp, ip: [u8; 4]) -> TestClient {
    let mut client = app.client().await;
    client.peer = std::net::SocketAddr::from((ip, 40_000));
    client
}

fn locked(app: &TestApp, login: &str) -> bool {
    users::table
        .filter(users::login.eq(login))
        .select(users::locked_until)
        .first::<Option<chrono::NaiveDateTime>>(&mut app.conn())
        .unwrap()
        .is_some_and(|until| until > chrono::Utc::now().naive_utc())
}

/// The failure message as the page shows it.
fn failure_text(page: &crate::support::client::Page) -> Vec<String> {
    page.select("#sign-in-error")
}

#[actix_web::test]
async fn ten_wrong_passwords_sent_at_once_lock_the_account() {
    let app = office_app(|_| {});
    let mut clients = Vec::new();
    for i in 0..10u8 {
        let mut client = client_from(&app, [198, 51, 100, i]).await;
        // Each attacker connection has its form token ready before the burst.
        let token = client.csrf_token().await;
        clients.push((client, token));
    }
    let attempts = clients.iter_mut().map(|(client, token)| async move {
        let fields = [
            ("csrf_token", token.as_str()),
            ("login", "prosecutor"),
            ("password", "guess"),
            ("next", "/"),
        ];
        client.post_form_raw("/login", &fields).await
    });
    let answers = futures_util::future::join_all(attempts).await;
    assert!(
        answers
            .iter()
            .all(|a| a.status == StatusCode::UNPROCESSABLE_ENTITY)
    );
    assert!(locked(&app, "prosecutor"), "the burst locked the account");
    let mut owner = client_from(&app, [192, 0, 2, 1]).await;
    assert_eq!(
        owner.sign_in("prosecutor", PASSWORD).await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not even the right password opens it while locked"
    );
    let checked: i64 = audit_entries::table
        .filter(audit_entries::user_login.eq("prosecutor"))
        .filter(audit_entries::details.like("%wrong_password%"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert!(
        checked <= 5,
        "at most the allowed number of guesses was checked against the password: {checked}"
    );
}

#[actix_web::test]
async fn one_address_cannot_lock_out_account_after_account() {
    let app = office_app(|s| s.max_failed_logins_per_address = 10);
    let mut attacker = client_from(&app, [203, 0, 113, 7]).await;
    let targets = [
        "admin",
        "prosecutor",
        "supervisor",
        "officer01",
        "officer02",
        "officer03",
    ];
    for login in targets {
        for _ in 0..5 {
            attacker.sign_in(login, "guess").await;
        }
    }
    let locked_accounts = targets.iter().filter(|l| locked(&app, l)).count();
    assert!(
        locked_accounts <= 2,
        "10 failures from one address lock at most 2 accounts of 5 tries: {locked_accounts}"
    );
    assert!(
        !locked(&app, "officer03"),
        "the last targets were never tried"
    );
    // The address is refused even with a right password; its owner signs in from elsewhere.
    assert_eq!(
        attacker.sign_in("officer03", PASSWORD).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut officer = client_from(&app, [192, 0, 2, 33]).await;
    assert_eq!(
        officer.sign_in("officer03", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let throttled: i64 = audit_entries::table
        .filter(audit_entries::ip.eq("203.0.113.7"))
        .filter(audit_entries::details.like("%address_throttled%"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert!(
        throttled > 0,
        "the refusals name the address limit in the audit log"
    );
}

#[actix_web::test]
async fn a_success_does_not_count_against_the_address() {
    let app = office_app(|s| s.max_failed_logins_per_address = 3);
    // An office behind one address: many officers sign in at the start of the shift.
    for login in [
        "officer01",
        "officer02",
        "officer03",
        "officer04",
        "officer05",
    ] {
        let mut officer = client_from(&app, [192, 0, 2, 200]).await;
        assert_eq!(
            officer.sign_in(login, PASSWORD).await.status,
            StatusCode::SEE_OTHER,
            "{login}"
        );
    }
}

#[actix_web::test]
async fn unknown_logins_locked_accounts_and_absurd_input_answer_like_a_wrong_password() {
    let app = office_app(|_| {});
    let mut client = client_from(&app, [192, 0, 2, 5]).await;
    let wrong = client.sign_in("supervisor", "guess").await;
    let unknown = client.sign_in("nobody-here", "guess").await;
    for _ in 0..5 {
        client.sign_in("admin", "guess").await;
    }
    assert!(locked(&app, "admin"));
    let locked_answer = client.sign_in("admin", PASSWORD).await;
    let long_login = "a".repeat(10_000);
    let absurd = client.sign_in(&long_login, &"p".repeat(100_000)).await;
    let newline = client.sign_in("admin\r\nX-Evil: 1", "guess").await;
    for page in [&wrong, &unknown, &locked_answer, &absurd, &newline] {
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(failure_text(page), failure_text(&wrong));
    }
    let stored: String = audit_entries::table
        .filter(audit_entries::details.like("%too_long%"))
        .select(audit_entries::user_login)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(
        stored.chars().count(),
        64,
        "the audit log keeps a bounded login"
    );
}
