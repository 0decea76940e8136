//! CSRF protection for every state-changing request: a per-session random token that forms send
//! as `csrf_token` (the tablet's script as the `X-CSRF-Token` header, uploads in the query),
//! plus a same-origin check of the `Origin` header.

use actix_session::SessionExt as _;
use actix_web::HttpMessage as _;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use subtle::ConstantTimeEq as _;

use super::session::SessionData;
use crate::error::AppError;

/// Form field and query parameter that carry the token.
pub const FIELD: &str = "csrf_token";
/// Header that carries the token for script requests.
pub const HEADER: &str = "x-csrf-token";
/// Cookie holding the token of a visitor who has not signed in (the sign-in form, the language
/// switch): a double-submit token, so that a page view before sign-in stores no session.
pub const COOKIE: &str = "baqylau_csrf";

/// A token made for this request that the answer must set as the cookie.
#[derive(Debug, Clone)]
struct NewCookieToken(String);

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    if let Err(error) = getrandom::fill(&mut bytes) {
        // Without randomness no token can be trusted; an empty one never matches.
        tracing::error!(%error, "no randomness for a CSRF token");
        return String::new();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The CSRF token for the forms of a page: the session's once signed in, else the visitor's
/// cookie (made now, and set on the answer, when there is none).
pub fn token_for(req: &actix_web::HttpRequest) -> String {
    let session = actix_session::SessionExt::get_session(req);
    let data = SessionData(&session);
    if data.signed_in().is_some() {
        return data.csrf_token();
    }
    if let Some(token) = cookie_token(req) {
        return token;
    }
    if let Some(made) = req.extensions().get::<NewCookieToken>() {
        return made.0.clone();
    }
    let token = random_token();
    req.extensions_mut().insert(NewCookieToken(token.clone()));
    token
}

fn cookie_token(req: &actix_web::HttpRequest) -> Option<String> {
    req.cookie(COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The token a state-changing request must carry.
fn expected_token(req: &ServiceRequest) -> Option<String> {
    let session = req.get_session();
    let data = SessionData(&session);
    if data.signed_in().is_some() {
        return data.existing_csrf_token();
    }
    cookie_token(req.request())
}

/// Sets the visitor's token cookie made while answering (also called by the error pages,
/// which render outside this middleware).
pub fn set_new_cookie(res: &mut ServiceResponse<BoxBody>) {
    let made = res.request().extensions().get::<NewCookieToken>().cloned();
    let Some(NewCookieToken(token)) = made else {
        return;
    };
    let secure = res
        .request()
        .app_data::<actix_web::web::Data<crate::app::AppState>>()
        .is_some_and(|s| s.settings.secure_cookies);
    let cookie = actix_web::cookie::Cookie::build(COOKIE, token)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(actix_web::cookie::SameSite::Strict)
        .finish();
    if let Err(error) = res.response_mut().add_cookie(&cookie) {
        tracing::warn!(%error, "cannot set the CSRF cookie");
    }
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn token_in_query(req: &ServiceRequest) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string()).ok()?;
    pairs.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v)
}

fn origin_matches_host(req: &ServiceRequest) -> bool {
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
    else {
        return true;
    };
    if origin == "null" {
        return false;
    }
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(origin);
    let host = super::client::request_host(req.request());
    origin_host.eq_ignore_ascii_case(&host)
}

/// Refuses a state-changing request whose token is missing or wrong (403, message `error-csrf`).
pub async fn check(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !is_state_changing(req.method()) {
        let mut res = next.call(req).await?.map_into_boxed_body();
        set_new_cookie(&mut res);
        return Ok(res);
    }
    // The API answers a request without a valid session with 401 (its guard's answer), so the
    // tablet keeps the visit queued and asks the officer to sign in again, rather than a 403
    // that would read as a refusal of the visit itself. Nothing changes without a user.
    let signed_in = req.extensions().get::<super::auth::CurrentUser>().is_some();
    if !signed_in && req.path().starts_with("/api/") {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    if !origin_matches_host(&req) {
        return Ok(req.error_response(AppError::CsrfRejected));
    }
    let expected = expected_token(&req);
    let mut sent = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| token_in_query(&req));
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if sent.is_none() && is_form {
        let body = match req.extract::<Bytes>().await {
            Ok(body) => body,
            Err(error) => return Ok(req.error_response(error)),
        };
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
        sent = pairs.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v);
        // Put the body back for the handler's own form extractor.
        req.set_payload(actix_web::dev::Payload::from(body));
    }
    let valid = match (expected, sent) {
        (Some(expected), Some(sent)) => {
            !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(sent.as_bytes()))
        }
        _ => false,
    };
    if !valid {
        tracing::info!(
            path = req.path(),
            "refused a state change without a valid CSRF token"
        );
        return Ok(req.error_response(AppError::CsrfRejected));
    }
    let mut res = next.call(req).await?.map_into_boxed_body();
    set_new_cookie(&mut res);
    Ok(res)
}
