//! `TestClient`: requests through the real middleware stack, with a cookie jar and the page's
//! CSRF token sent on every form post, as a browser would.

use std::collections::BTreeMap;

use actix_http::Request;
use actix_web::body::BoxBody;
use actix_web::cookie::Key;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::{test, web};
use baqylau::app::{AppState, build_app};

type App = Box<
    dyn Service<
            Request,
            Response = ServiceResponse<BoxBody>,
            Error = actix_web::Error,
            Future = std::pin::Pin<
                Box<
                    dyn std::future::Future<
                            Output = Result<ServiceResponse<BoxBody>, actix_web::Error>,
                        >,
                >,
            >,
        >,
>;

/// An answer: status, headers and body.
pub struct Page {
    /// HTTP status.
    pub status: StatusCode,
    /// Headers.
    pub headers: actix_web::http::header::HeaderMap,
    /// Body as text.
    pub body: String,
}

impl Page {
    /// A header's value, or an empty text.
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }

    /// The `Location` of a redirect.
    pub fn location(&self) -> String {
        self.header("location")
    }

    /// The parsed HTML.
    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }

    /// Texts of the elements a CSS selector picks.
    pub fn select(&self, selector: &str) -> Vec<String> {
        let selector = scraper::Selector::parse(selector).unwrap();
        self.html()
            .select(&selector)
            .map(|e| e.text().collect::<String>().trim().to_owned())
            .collect()
    }

    /// The CSRF token of the page's first form.
    pub fn csrf_token(&self) -> Option<String> {
        let selector = scraper::Selector::parse(r#"input[name="csrf_token"]"#).unwrap();
        self.html()
            .select(&selector)
            .next()
            .and_then(|e| e.value().attr("value"))
            .map(str::to_owned)
    }
}

/// A browser-like client.
pub struct TestClient {
    app: App,
    cookies: BTreeMap<String, String>,
    /// Value of `Accept-Language` to send, if any.
    pub accept_language: Option<String>,
    /// The address requests come from (the peer the server sees).
    pub peer: std::net::SocketAddr,
}

impl TestClient {
    /// Builds the app from the production factory.
    pub async fn new(state: web::Data<AppState>, key: Key) -> Self {
        let service = test::init_service(build_app(state, key)).await;
        let app: App = Box::new(ServiceBox(service));
        TestClient {
            app,
            cookies: BTreeMap::new(),
            accept_language: None,
            peer: std::net::SocketAddr::from(([127, 0, 0, 1], 40_000)),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Sends a request built by the caller, with the jar's cookies, and stores new cookies.
    pub async fn send(&mut self, req: test::TestRequest) -> Page {
        let mut req = req.peer_addr(self.peer);
        if !self.cookies.is_empty() {
            req = req.insert_header(("cookie", self.cookie_header()));
        }
        if let Some(lang) = &self.accept_language {
            req = req.insert_header(("accept-language", lang.clone()));
        }
        let res = self.app.call(req.to_request()).await.unwrap();
        // The jar keeps cookies exactly as sent (still percent-encoded), as a browser does.
        for set_cookie in res
            .headers()
            .get_all("set-cookie")
            .filter_map(|v| v.to_str().ok())
        {
            let pair = set_cookie.split(';').next().unwrap_or("");
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            let expired = set_cookie.to_ascii_lowercase().contains("max-age=0");
            if expired || value.is_empty() {
                self.cookies.remove(name.trim());
            } else {
                self.cookies
                    .insert(name.trim().to_owned(), value.to_owned());
            }
        }
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = test::read_body(res).await;
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// `GET path`.
    pub async fn get(&mut self, path: &str) -> Page {
        self.send(test::TestRequest::get().uri(path)).await
    }

    /// A token for forms: from a fresh page of the session.
    pub async fn csrf_token(&mut self) -> String {
        let page = self.get("/login").await;
        if let Some(token) = page.csrf_token() {
            return token;
        }
        let home = self.get("/").await;
        match home.csrf_token() {
            Some(token) => token,
            // An officer's home redirects to today's route (a read of persons, audited): the
            // account page has the session's token too.
            None if home.status.is_redirection() => {
                self.get("/account").await.csrf_token().unwrap_or_default()
            }
            None => String::new(),
        }
    }

    /// `POST path` as a form, with the session's CSRF token added.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf_token().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form_raw(path, &all).await
    }

    /// `POST path` as a form exactly as given (no token added).
    pub async fn post_form_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send(
            test::TestRequest::post()
                .uri(path)
                .insert_header(("content-type", "application/x-www-form-urlencoded"))
                .set_payload(body),
        )
        .await
    }

    /// `POST path` as `multipart/form-data`: the session's CSRF token, then one file field named
    /// `file`, as the import page's upload form sends them.
    pub async fn post_file(&mut self, path: &str, file_name: &str, bytes: &[u8]) -> Page {
        let token = self.csrf_token().await;
        let body = multipart_body(&[
            (CSRF_FIELD, None, token.as_bytes()),
            ("file", Some(file_name), bytes),
        ]);
        self.post_multipart(path, body).await
    }

    /// `POST path` with a multipart body made by [`multipart_body`], nothing added.
    pub async fn post_multipart(&mut self, path: &str, body: Vec<u8>) -> Page {
        self.send(
            test::TestRequest::post()
                .uri(path)
                .insert_header((
                    "content-type",
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                ))
                .set_payload(body),
        )
        .await
    }

    /// `PUT path` with a JSON body and the session's CSRF token in `X-CSRF-Token`, as the field
    /// app's script sends visits.
    pub async fn put_json(&mut self, path: &str, body: &serde_json::Value) -> Page {
        let token = self.csrf_token().await;
        self.put_json_with_token(path, body, &token).await
    }

    /// `PUT path` with a JSON body and the given CSRF token.
    pub async fn put_json_with_token(
        &mut self,
        path: &str,
        body: &serde_json::Value,
        token: &str,
    ) -> Page {
        self.send(
            test::TestRequest::put()
                .uri(path)
                .insert_header(("content-type", "application/json"))
                .insert_header(("x-csrf-token", token.to_owned()))
                .set_payload(body.to_string()),
        )
        .await
    }

    /// Signs in; returns the answer to the sign-in post.
    pub async fn sign_in(&mut self, login: &str, password: &str) -> Page {
        self.post_form(
            "/login",
            &[("login", login), ("password", password), ("next", "/")],
        )
        .await
    }

    /// The jar's cookies (an attacker's copy of a stolen cookie starts here).
    pub fn cookies(&self) -> BTreeMap<String, String> {
        self.cookies.clone()
    }

    /// Replaces the jar's cookies.
    pub fn set_cookies(&mut self, cookies: BTreeMap<String, String>) {
        self.cookies = cookies;
    }

    /// Whether the jar holds a session cookie.
    pub fn has_session_cookie(&self) -> bool {
        self.cookies.contains_key("baqylau_session")
    }
}

const BOUNDARY: &str = "----baqylau-test-boundary-7d1c";
const CSRF_FIELD: &str = "csrf_token";

/// A `multipart/form-data` body of `(name, file name, content)` parts, in order, as a browser
/// sends a form (a part with a file name is a file).
pub fn multipart_body(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file_name, content) in parts {
        let disposition = match file_name {
            Some(file) => {
                format!("form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: text/csv")
            }
            None => format!("form-data; name=\"{name}\""),
        };
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

struct ServiceBox<S>(S);

impl<S, B> Service<Request> for ServiceBox<S>
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: actix_web::body::MessageBody + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = actix_web::Error;
    type Future = std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<ServiceResponse<BoxBody>, actix_web::Error>>>,
    >;

    actix_web::dev::always_ready!();

    fn call(&self, req: Request) -> Self::Future {
        let fut = self.0.call(req);
        Box::pin(async move { fut.await.map(|r| r.map_into_boxed_body()) })
    }
}
