//! Safe defaults: a server open to the network never creates the demo users with their
//! published password; an empty database instead starts with a one-time token for the first
//! administrator, whose page disappears once someone has used it.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use actix_web::http::StatusCode;
use baqylau::db::schema::{persons, users};
use diesel::prelude::*;

use crate::support::TestApp;

/// Starts `baqylau serve` on an empty database with `env`, reads what it prints until it is
/// ready, stops it, and returns the printed lines and the number of users and persons stored.
fn first_start(env: &[(&str, &str)]) -> (String, i64, i64) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.db");
    let mut command = Command::new(env!("CARGO_BIN_EXE_baqylau"));
    command
        .arg("serve")
        .current_dir(dir.path())
        .env_remove("BAQYLAU_CONFIG")
        .env_remove("BAQYLAU_DEMO_PASSWORD")
        .env("BAQYLAU_DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("BAQYLAU_DEMO_HISTORY", "false")
        .env("BAQYLAU_LOG", "warn")
        .env("BAQYLAU_WORKERS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().unwrap();
    let mut printed = String::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        printed.push_str(&line);
        printed.push('\n');
        if line.contains("Stop with Ctrl+C") {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let mut conn = diesel::SqliteConnection::establish(db.to_str().unwrap()).unwrap();
    let users: i64 = users::table.count().get_result(&mut conn).unwrap();
    let persons: i64 = persons::table.count().get_result(&mut conn).unwrap();
    (printed, users, persons)
}

#[test]
fn a_server_open_to_the_network_makes_no_demo_users_but_a_set_up_token() {
    let (printed, users, persons) = first_start(&[("BAQYLAU_BIND", "0.0.0.0:0")]);
    assert_eq!((users, persons), (0, 0), "{printed}");
    assert!(printed.contains("/setup?token="), "{printed}");
    assert!(!printed.contains("baqylau-demo"), "{printed}");
    assert!(printed.contains("not a loopback address"), "{printed}");
}

#[test]
fn the_demo_loads_on_a_loopback_address_or_with_a_chosen_password() {
    let (printed, users, _) = first_start(&[("BAQYLAU_BIND", "127.0.0.1:0")]);
    assert!(users > 0, "{printed}");
    assert!(printed.contains("baqylau-demo"), "{printed}");
    let (printed, users, _) = first_start(&[
        ("BAQYLAU_BIND", "0.0.0.0:0"),
        ("BAQYLAU_DEMO_PASSWORD", "a chosen demo password"),
    ]);
    assert!(users > 0, "{printed}");
    assert!(
        !printed.contains("a chosen demo password"),
        "a chosen password is not echoed: {printed}"
    );
}

#[actix_web::test]
async fn the_first_administrator_is_made_once_with_the_printed_token() {
    let app = TestApp::new();
    let token = baqylau::services::setup::prepare_token(&mut app.conn())
        .unwrap()
        .unwrap();
    let mut stranger = app.client().await;
    let page = stranger.get(&format!("/setup?token={token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let fields = |token: &str| {
        vec![
            ("token", token.to_owned()),
            ("login", "chief".to_owned()),
            ("full_name", "Aigerim Nurlanovna".to_owned()),
            ("password", "the office's first passphrase".to_owned()),
            (
                "confirm_password",
                "the office's first passphrase".to_owned(),
            ),
        ]
    };
    let wrong = fields("0123456789abcdef0123456789abcdef");
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = stranger.post_form("/setup", &wrong).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("token-error"),
        "the token field is named"
    );
    let right = fields(&token);
    let right: Vec<(&str, &str)> = right.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let made = stranger.post_form("/setup", &right).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let mut other = app.client().await;
    assert_eq!(
        other.post_form("/setup", &right).await.status,
        StatusCode::NOT_FOUND,
        "the token works once, and set-up is gone"
    );
    assert_eq!(other.get("/setup").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        other
            .sign_in("chief", "the office's first passphrase")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}
