//! The field app's API: `PUT /api/v1/visits/{id}` stores a visit made on a device exactly once,
//! one per check. The same id with the same content answers 200 again; with other content from
//! the same officer within the correction window, 200 and the visit corrected; after it, or a
//! second id on a check that has a visit, 409. Errors are JSON with the message key, the field
//! and the localised message.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::AppState;
use crate::db;
use crate::error::AppError;
use crate::services::visits::{self, RecordContext, RecordError, VisitInput};
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;

/// Largest visit body: notes of 2,000 characters fit many times over.
const MAX_BODY: usize = 64 * 1024;

fn error_json(
    ctx: &PageContext,
    status: StatusCode,
    key: &str,
    field: Option<&str>,
) -> HttpResponse {
    HttpResponse::build(status).json(serde_json::json!({
        "error": key,
        "field": field,
        "message": ctx.t(key),
    }))
}

/// The visit in the body, or the status and message key for a body too large or not a
/// visit's JSON.
fn read_body(body: &[u8]) -> Result<VisitInput, (StatusCode, &'static str)> {
    if body.len() > MAX_BODY {
        return Err((StatusCode::PAYLOAD_TOO_LARGE, "error-payload-too-large"));
    }
    // Which byte broke the JSON does not matter to the tablet: the message names the body.
    serde_json::from_slice(body)
        .map_err(|_syntax| (StatusCode::UNPROCESSABLE_ENTITY, "visit-error-json"))
}

/// `PUT /api/v1/visits/{id}`.
pub async fn put_visit(
    req: HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let input = match read_body(&body) {
        Ok(input) => input,
        Err((status, key)) => return Ok(error_json(&ctx, status, key, None)),
    };
    let id = match visits::parse_id(&path.into_inner()) {
        Ok(id) => id,
        Err(error) => return refusal(&ctx, error),
    };
    let ip = client_ip(&req);
    let failures = state.settings.failures_for_follow_up;
    let correction_minutes = state.settings.visit_correction_minutes;
    let tz = state.tz;
    let now = state.clock.now_utc();
    let officer = user.0;
    let result = db::run(&state.pool, move |conn| {
        let context = RecordContext {
            failures_for_follow_up: failures,
            correction_minutes,
            tz,
            now,
            ip: ip.as_deref(),
        };
        Ok(visits::record(conn, &officer, &id, &input, context))
    })
    .await?;
    let recorded = match result {
        Ok(recorded) => recorded,
        Err(error) => return refusal(&ctx, error),
    };
    let status = if recorded.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let left_s = (recorded.correctable_until - now).num_seconds().max(0);
    // The flags, never the distance: three answers would give away a home's point.
    Ok(HttpResponse::build(status).json(serde_json::json!({
        "id": recorded.visit.id,
        "stored": true,
        "corrected": recorded.corrected,
        "outcome": recorded.visit.outcome,
        "far_from_address": recorded.visit.far_from_address,
        "flags": recorded.visit.flags(),
        "evidence": recorded.visit.evidence,
        "correctable_until": recorded.correctable_until.and_utc().to_rfc3339(),
        "correctable_for_s": left_s,
    })))
}

/// The JSON answer to a visit not stored; a failure is an error page instead.
fn refusal(ctx: &PageContext, error: RecordError) -> Result<HttpResponse, AppError> {
    Ok(match error {
        RecordError::Invalid { field, key } => {
            error_json(ctx, StatusCode::UNPROCESSABLE_ENTITY, key, Some(field))
        }
        RecordError::Forbidden => error_json(ctx, StatusCode::FORBIDDEN, "error-forbidden", None),
        RecordError::Conflict => {
            error_json(ctx, StatusCode::CONFLICT, "visit-error-conflict", None)
        }
        RecordError::Closed => error_json(ctx, StatusCode::CONFLICT, "visit-error-closed", None),
        RecordError::CheckVisited { visit_id, closed } => {
            let key = if closed {
                "visit-error-check-closed"
            } else {
                "visit-error-check-visited"
            };
            // The visit on the check, so that a client can correct it under its id.
            HttpResponse::Conflict().json(serde_json::json!({
                "error": key,
                "field": "check_id",
                "message": ctx.t(key),
                "visit_id": visit_id,
            }))
        }
        RecordError::Internal(e) => return Err(AppError::Internal(e)),
    })
}
