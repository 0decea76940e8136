//! Every page in Russian, Kazakh and English: no missing translation, the right `lang`, and the
//! language and theme switches.

use actix_web::http::StatusCode;

use crate::support::builders::first_person_id;
use crate::support::{PASSWORD, TestApp};

#[actix_web::test]
async fn every_page_of_every_role_is_whole_in_each_language() {
    let (app, office, crowd) = TestApp::office_with_crowd(5);
    let person = first_person_id(&app);
    // officer01's group has a route today: the field page lists its stops.
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Almaty)
        .date_naive();
    app.publish_routes(&office, today, &[(0, &[&crowd[0], &crowd[2]])]);
    let pages: [(&str, Vec<String>); 4] = [
        (
            "admin",
            [
                "/",
                "/admin/users",
                "/admin/mobile-groups",
                "/admin/districts",
                "/admin/contact-standards",
                "/admin/audit",
            ]
            .map(String::from)
            .to_vec(),
        ),
        (
            "prosecutor",
            vec![
                "/".into(),
                "/registry/persons".into(),
                format!("/registry/persons/{person}"),
                "/reports".into(),
            ],
        ),
        ("supervisor", vec!["/".into(), "/reports".into()]),
        // An officer's home ("/") is today's route: it redirects there.
        ("officer01", vec!["/field/today".into()]),
    ];
    for lang in ["ru", "kk", "en"] {
        let mut anonymous = app.client().await;
        anonymous.accept_language = Some(format!("{lang};q=1.0"));
        let login = anonymous.get("/login").await;
        assert!(
            login.body.contains(&format!("<html lang=\"{lang}\"")),
            "{lang} sign-in page"
        );
        assert!(!login.body.contains('⟦'));
        for (user, paths) in &pages {
            let mut client = app.client().await;
            client.accept_language = Some(lang.to_owned());
            assert_eq!(
                client.sign_in(user, PASSWORD).await.status,
                StatusCode::SEE_OTHER
            );
            for path in paths {
                let page = client.get(path).await;
                assert_eq!(page.status, StatusCode::OK, "{lang} {user} {path}");
                assert!(
                    page.body.contains(&format!("<html lang=\"{lang}\"")),
                    "{lang} {user} {path}"
                );
                if let Some(at) = page.body.find('⟦') {
                    panic!(
                        "{lang} {user} {path}: missing text {}",
                        &page.body[at..(at + 60).min(page.body.len())]
                    );
                }
            }
        }
    }
}

#[actix_web::test]
async fn the_language_switch_changes_the_pages_and_is_remembered_at_the_next_sign_in() {
    let app = TestApp::office().0;
    let mut client = app.client().await;
    client.sign_in("supervisor", PASSWORD).await;
    let russian = client.get("/reports").await;
    assert!(russian.body.contains("<html lang=\"ru\""));
    let answer = client
        .post_form("/preferences", &[("lang", "kk"), ("next", "/reports")])
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location(), "/reports");
    let kazakh = client.get("/reports").await;
    assert!(kazakh.body.contains("<html lang=\"kk\""));
    assert_ne!(
        kazakh.select("h1"),
        russian.select("h1"),
        "the heading is translated"
    );
    client.post_form("/logout", &[]).await;
    let mut fresh = app.client().await;
    fresh.sign_in("supervisor", PASSWORD).await;
    assert!(
        fresh.get("/").await.body.contains("<html lang=\"kk\""),
        "the choice is kept on the user"
    );
}

#[actix_web::test]
async fn the_theme_switch_sets_the_dark_theme_and_ignores_nonsense() {
    let app = TestApp::office().0;
    let mut client = app.client().await;
    client.sign_in("officer01", PASSWORD).await;
    client
        .post_form(
            "/preferences",
            &[("theme", "dark"), ("next", "/field/today")],
        )
        .await;
    assert!(
        client
            .get("/field/today")
            .await
            .body
            .contains("data-theme=\"dark\"")
    );
    let answer = client
        .post_form(
            "/preferences",
            &[
                ("theme", "<script>"),
                ("lang", "xx"),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(
        answer.location().starts_with('/') && !answer.location().starts_with("//"),
        "{}",
        answer.location()
    );
    let page = client.get("/field/today").await;
    assert!(page.body.contains("data-theme=\"dark\""));
    assert!(page.body.contains("<html lang=\"ru\""));
}
