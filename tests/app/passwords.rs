//! The password rule wherever a password is set: the administrator's new-user and reset forms and
//! `baqylau user add|passwd`. A password needs 12 characters and must not be a common one, nor a
//! common one with digits or symbols stuck on, the way people meet a length rule; each refusal
//! names the field with a message in the user's language. The demo users keep their password.

use actix_web::http::StatusCode;
use baqylau::db;

use crate::support::client::Page;
use crate::support::{PASSWORD, TestApp, TestClient, signed_in_english};

/// Passwords people choose to get past "at least 8" or "at least 12".
const WEAK: &[(&str, &str)] = &[
    ("qwerty12345", "at least 12 characters"),
    ("Password2024!", "most common"),
    ("qwerty123456", "most common"),
    ("Kazakhstan2026", "most common"),
    ("!!iloveyou2025", "most common"),
    ("ятебялюблю1234", "most common"),
];

fn refusal(page: &Page, field: &str) -> String {
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{field}: {}",
        page.body
    );
    page.select(&format!("#{field}-error")).join(" ")
}

async fn create_user(admin: &mut TestClient, login: &str, password: &str) -> Page {
    admin
        .post_form(
            "/admin/users",
            &[
                ("login", login),
                ("full_name", "Омарова Дана"),
                ("role", "supervisor"),
                ("password", password),
            ],
        )
        .await
}

#[actix_web::test]
async fn the_administrator_cannot_give_a_new_user_a_short_or_common_password() {
    let (app, _) = TestApp::office();
    let mut admin = signed_in_english(&app, "admin").await;
    for (password, message) in WEAK {
        let answer = create_user(&mut admin, "omarova", password).await;
        let text = refusal(&answer, "password");
        assert!(text.contains(message), "{password}: {text}");
    }
    assert!(
        db::users::find_by_login(&mut app.conn(), "omarova")
            .unwrap()
            .is_none(),
        "nobody was created"
    );
    let answer = create_user(&mut admin, "omarova", "Tobyl river ice at 4am").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let mut client = app.client().await;
    let signed_in = client.sign_in("omarova", "Tobyl river ice at 4am").await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
}

#[actix_web::test]
async fn a_reset_refuses_a_common_password_in_each_language() {
    let (app, _) = TestApp::office();
    let mut admin = signed_in_english(&app, "admin").await;
    let id = db::users::find_by_login(&mut app.conn(), "supervisor")
        .unwrap()
        .unwrap()
        .id;
    let path = format!("/admin/users/{id}/password");
    for (lang, words) in [
        ("en", "most common"),
        ("ru", "распространённых"),
        ("kk", "көп таралғандардың"),
    ] {
        admin
            .post_form("/preferences", &[("lang", lang), ("next", "/")])
            .await;
        let answer = admin
            .post_form(&path, &[("new_password", "Dragon-2024!!")])
            .await;
        let text = refusal(&answer, "new_password");
        assert!(text.contains(words), "{lang}: {text}");
    }
    let mut supervisor = app.client().await;
    assert_eq!(
        supervisor.sign_in("supervisor", PASSWORD).await.status,
        StatusCode::SEE_OTHER,
        "the demo password still works: nothing was changed"
    );
    let answer = admin
        .post_form(&path, &[("new_password", "жолаушы тракторда ұйықтады")])
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
}

#[test]
fn the_command_line_refuses_short_and_common_passwords_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(crate::cli::baqylau(d, &["migrate"], "").status.success());
    let add = |password: &str| {
        crate::cli::baqylau(
            d,
            &[
                "user",
                "add",
                "dana",
                "--role",
                "supervisor",
                "--name",
                "Дана",
            ],
            &format!("{password}\n"),
        )
    };
    for (password, message) in WEAK {
        let out = add(password);
        assert_eq!(out.status.code(), Some(1), "{password}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{password}: {err}");
    }
    assert!(add("correct horse battery staple").status.success());
    let out = crate::cli::baqylau(d, &["user", "passwd", "dana"], "password1234\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("most common"));
    let out = crate::cli::baqylau(d, &["user", "passwd", "dana"], "Tobyl river ice at 4am\n");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
