//! Open redirects: the sign-in page and the language and theme switches take `next=`, and no
//! spelling of another host (tab, line break, backslash, `//`, a scheme, dot segments) leads the
//! browser off the site or makes a server error. "Off the site" is judged as the browser judges
//! it: the `Location` resolved against the page's own address.

use actix_web::http::StatusCode;

use crate::support::client::Page;
use crate::support::{PASSWORD, TestApp};

/// The page the browser is on when it follows the answer.
const PAGE: &str = "https://baqylau.example/login";

/// `next` values as the attacker's link decodes them.
const HOSTILE: &[&str] = &[
    "/\t/evil.example/",
    "/\n/evil.example/",
    "/\r\n/evil.example/",
    "/\\evil.example",
    "/\\/evil.example",
    "//evil.example",
    "///evil.example",
    "/.//evil.example",
    "/x/..//evil.example",
    "https:evil.example",
    "https://evil.example/",
    "\t//evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "/x\r\nSet-Cookie: baqylau_session=stolen",
    "/\u{0}/evil.example",
];

fn stays_on_site(location: &str) -> bool {
    let page = url::Url::parse(PAGE).unwrap();
    page.join(location)
        .is_ok_and(|target| target.origin() == page.origin())
}

fn assert_on_site(answer: &Page, next: &str) {
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "{next:?}: {}",
        answer.body
    );
    let location = answer.location();
    assert!(
        stays_on_site(&location),
        "{next:?} led to {location:?}, off the site"
    );
}

fn query(next: &str) -> String {
    serde_urlencoded::to_string([("next", next)]).unwrap()
}

/// The sign-in form's `next` (the language switch above it has one of its own).
fn next_field(page: &Page) -> String {
    let selector = scraper::Selector::parse(r#"form[action="/login"] input[name="next"]"#).unwrap();
    page.html()
        .select(&selector)
        .next()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or_default()
        .to_owned()
}

#[actix_web::test]
async fn no_next_on_the_sign_in_page_leads_off_the_site() {
    let (app, _) = TestApp::office();
    let mut signed_in = app.client().await;
    signed_in.sign_in("prosecutor", PASSWORD).await;
    for next in HOSTILE {
        // The link opened before signing in: the form carries only a local `next`.
        let mut client = app.client().await;
        let form = client.get(&format!("/login?{}", query(next))).await;
        assert_eq!(form.status, StatusCode::OK, "{next:?}");
        assert!(
            stays_on_site(&next_field(&form)),
            "{next:?} kept in the form"
        );
        // The form posted with the attacker's value anyway.
        let answer = client
            .post_form(
                "/login",
                &[
                    ("login", "prosecutor"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_on_site(&answer, next);
        // The link opened while signed in redirects at once.
        let answer = signed_in.get(&format!("/login?{}", query(next))).await;
        assert_on_site(&answer, next);
    }
}

#[actix_web::test]
async fn no_next_on_the_language_and_theme_switches_leads_off_the_site() {
    let (app, _) = TestApp::office();
    let mut anonymous = app.client().await;
    let mut signed_in = app.client().await;
    signed_in.sign_in("supervisor", PASSWORD).await;
    for next in HOSTILE {
        for client in [&mut anonymous, &mut signed_in] {
            let answer = client
                .post_form("/preferences", &[("lang", "kk"), ("next", next)])
                .await;
            assert_on_site(&answer, next);
            let answer = client
                .post_form("/preferences", &[("theme", "dark"), ("next", next)])
                .await;
            assert_on_site(&answer, next);
        }
    }
}

#[actix_web::test]
async fn a_page_of_the_site_is_still_reached_after_sign_in_even_with_cyrillic_in_its_query() {
    let (app, _) = TestApp::office();
    let mut client = app.client().await;
    let next = "/registry/persons?q=Ахмет&page=1";
    let form = client.get(&format!("/login?{}", query(next))).await;
    let kept = next_field(&form);
    let answer = client
        .post_form(
            "/login",
            &[
                ("login", "prosecutor"),
                ("password", PASSWORD),
                ("next", &kept),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(
        answer.location(),
        "/registry/persons?q=%D0%90%D1%85%D0%BC%D0%B5%D1%82&page=1"
    );
    assert_eq!(client.get(&answer.location()).await.status, StatusCode::OK);
    let answer = client
        .post_form("/preferences", &[("lang", "en"), ("next", "/reports")])
        .await;
    assert_eq!(answer.location(), "/reports");
}
