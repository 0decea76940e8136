//! CSRF protection for every state-changing request: a per-session random token that forms send
//! as the field `csrf_token` (url-encoded forms, and the upload forms as the first part of their
//! multipart body), the tablet's script as the `X-CSRF-Token` header; plus a same-origin check of
//! the `Origin` header. Never from the query string: URLs end up in logs, browser history and
//! `Referer` headers.

use actix_session::SessionExt as _;
use actix_web::HttpMessage as _;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut};
use futures_util::StreamExt as _;
use subtle::ConstantTimeEq as _;

use super::session::SessionData;
use crate::error::AppError;

/// Form field that carries the token.
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
        .is_some_and(|s| s.settings.cookies_secure());
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

/// How much of a multipart body is read to find the token. The upload forms put it before the
/// file, so it is always in the first part; the file itself streams on to the handler unread.
const MULTIPART_PREFIX_BYTES: usize = 64 * 1024;
/// A token is 64 characters or so; a longer field is no token.
const MAX_TOKEN_BYTES: usize = 256;

fn content_type(req: &ServiceRequest) -> &str {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The token of a url-encoded form body; the body is put back for the handler's extractor.
async fn token_in_form(req: &mut ServiceRequest) -> Result<Option<String>, actix_web::Error> {
    let body = req.extract::<Bytes>().await?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    req.set_payload(actix_web::dev::Payload::from(body));
    Ok(pairs.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v))
}

/// The token of a multipart body: its `csrf_token` field among the parts that fit in the first
/// [`MULTIPART_PREFIX_BYTES`]. The prefix read is put back before the rest of the body, so the
/// handler reads the whole body as sent.
async fn token_in_multipart(req: &mut ServiceRequest) -> Result<Option<String>, actix_web::Error> {
    let mut payload = req.take_payload();
    let mut prefix = BytesMut::new();
    while prefix.len() < MULTIPART_PREFIX_BYTES {
        match payload.next().await {
            Some(chunk) => prefix.extend_from_slice(&chunk?),
            None => break,
        }
    }
    let prefix = prefix.freeze();
    let token = multipart_field(req.headers(), prefix.clone()).await;
    let again = futures_util::stream::once(std::future::ready(Ok(prefix))).chain(payload);
    let again: std::pin::Pin<Box<dyn futures_util::Stream<Item = _>>> = Box::pin(again);
    req.set_payload(actix_web::dev::Payload::from(again));
    Ok(token)
}

/// The [`FIELD`] part of a (possibly cut-off) multipart body, if one comes before an unreadable
/// part.
async fn multipart_field(headers: &header::HeaderMap, body: Bytes) -> Option<String> {
    let stream = futures_util::stream::once(std::future::ready(Ok(body)));
    let mut parts = actix_multipart::Multipart::new(headers, stream);
    while let Some(Ok(mut part)) = parts.next().await {
        if part.name() != Some(FIELD) {
            continue;
        }
        let mut value = Vec::new();
        while let Some(Ok(chunk)) = part.next().await {
            value.extend_from_slice(&chunk);
            if value.len() > MAX_TOKEN_BYTES {
                return None;
            }
        }
        return String::from_utf8(value).ok();
    }
    None
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
        .map(str::to_owned);
    if sent.is_none() {
        let found = if content_type(&req).starts_with("application/x-www-form-urlencoded") {
            token_in_form(&mut req).await
        } else if content_type(&req).starts_with("multipart/form-data") {
            token_in_multipart(&mut req).await
        } else {
            Ok(None)
        };
        sent = match found {
            Ok(token) => token,
            Err(error) => return Ok(req.error_response(error)),
        };
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
