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
    let host = req.connection_info().host().to_owned();
    origin_host.eq_ignore_ascii_case(&host)
}

/// Refuses a state-changing request whose token is missing or wrong (403, message `error-csrf`).
pub async fn check(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !is_state_changing(req.method()) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    if !origin_matches_host(&req) {
        return Ok(req.error_response(AppError::CsrfRejected));
    }
    let expected = SessionData(&req.get_session()).existing_csrf_token();
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
    Ok(next.call(req).await?.map_into_boxed_body())
}
