//! CSRF protection for every state-changing request: a per-session random token that forms send
//! as `csrf_token` (the tablet's script as the `X-CSRF-Token` header, uploads in the query),
//! plus a same-origin check of the `Origin` header.

use actix_session::SessionExt as _;
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
    Ok(next.call(req).await?.map_into_boxed_body())
}
