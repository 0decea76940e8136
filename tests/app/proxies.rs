//! The client's address in the audit log cannot be forged with `X-Forwarded-For` or `Forwarded`:
//! those headers are believed only from a reverse proxy named in `trusted_proxies`, and then only
//! up to the first address the proxies did not write themselves. `X-Forwarded-Host` cannot make a
//! foreign `Origin` look like ours.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use baqylau::db::schema::audit_entries;
use diesel::prelude::*;

use crate::support::{PASSWORD, TestApp, TestClient};

/// The office behind the reverse proxies `proxies`.
fn office_app(proxies: &str) -> TestApp {
    let proxies = proxies.to_owned();
    let app = TestApp::with_settings(move |s| s.trusted_proxies = proxies);
    app.fill_office();
    app
}

/// Signs in with extra headers; returns the address the audit log recorded for it.
async fn sign_in_with(app: &TestApp, client: &mut TestClient, headers: &[(&str, &str)]) -> String {
    let token = client.csrf_token().await;
    let body = serde_urlencoded::to_string([
        ("csrf_token", token.as_str()),
        ("login", "supervisor"),
        ("password", PASSWORD),
        ("next", "/"),
    ])
    .unwrap();
    let mut req = TestRequest::post()
        .uri("/login")
        .insert_header(("content-type", "application/x-www-form-urlencoded"))
        .set_payload(body);
    for (name, value) in headers {
        req = req.insert_header((*name, *value));
    }
    assert_eq!(client.send(req).await.status, StatusCode::SEE_OTHER);
    audit_entries::table
        .filter(audit_entries::action.eq("login"))
        .order(audit_entries::at.desc())
        .select(audit_entries::ip)
        .first::<Option<String>>(&mut app.conn())
        .unwrap()
        .unwrap()
}

#[actix_web::test]
async fn without_a_trusted_proxy_the_peer_address_is_recorded_whatever_the_headers_say() {
    let app = office_app("");
    let mut client = app.client().await;
    client.peer = std::net::SocketAddr::from(([198, 51, 100, 23], 5000));
    let ip = sign_in_with(
        &app,
        &mut client,
        &[
            ("x-forwarded-for", "10.9.9.9"),
            ("forwarded", "for=10.8.8.8"),
        ],
    )
    .await;
    assert_eq!(ip, "198.51.100.23");
}

#[actix_web::test]
async fn behind_a_trusted_proxy_the_first_address_it_did_not_write_is_recorded() {
    let app = office_app("10.0.0.0/24");
    let mut client = app.client().await;
    client.peer = std::net::SocketAddr::from(([10, 0, 0, 2], 5000));
    // The client sent a forged first entry; the proxy appended the address it saw.
    let ip = sign_in_with(
        &app,
        &mut client,
        &[("x-forwarded-for", "1.1.1.1, 203.0.113.50, 10.0.0.7")],
    )
    .await;
    assert_eq!(ip, "203.0.113.50");
    let mut ipv6 = app.client().await;
    ipv6.peer = std::net::SocketAddr::from(([10, 0, 0, 2], 5001));
    let ip = sign_in_with(
        &app,
        &mut ipv6,
        &[("forwarded", "for=\"[2001:db8::17]:4711\";proto=https")],
    )
    .await;
    assert_eq!(ip, "2001:db8::17");
    // A peer outside the trusted network is taken at its word for nothing.
    let mut direct = app.client().await;
    direct.peer = std::net::SocketAddr::from(([192, 0, 2, 77], 5002));
    let ip = sign_in_with(&app, &mut direct, &[("x-forwarded-for", "10.0.0.9")]).await;
    assert_eq!(ip, "192.0.2.77");
}

#[actix_web::test]
async fn a_forwarded_host_does_not_make_a_foreign_origin_pass() {
    let app = office_app("");
    let mut client = app.client().await;
    client.sign_in("supervisor", PASSWORD).await;
    let token = client.csrf_token().await;
    let body =
        serde_urlencoded::to_string([("csrf_token", token.as_str()), ("lang", "en")]).unwrap();
    let req = TestRequest::post()
        .uri("/preferences")
        .insert_header(("host", "baqylau.office"))
        .insert_header(("origin", "https://evil.example"))
        .insert_header(("x-forwarded-host", "evil.example"))
        .insert_header(("content-type", "application/x-www-form-urlencoded"))
        .set_payload(body);
    assert_eq!(client.send(req).await.status, StatusCode::FORBIDDEN);
}
