//! Turns every error answer (4xx, 5xx) into a page in the user's language, or JSON under `/api/`.
//! Handlers only return `AppError`; they never build error pages themselves.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::context::PageContext;
use crate::error::AppError;

/// The error page.
#[derive(Template)]
#[template(path = "errors/error.html")]
pub struct ErrorPage {
    /// Layout data.
    pub ctx: PageContext,
    /// HTTP status code.
    pub status: u16,
    /// Message key.
    pub message_key: String,
}

fn key_for(status: StatusCode, error: Option<&actix_web::Error>) -> String {
    if let Some(app) = error.and_then(|e| e.as_error::<AppError>()) {
        return app.message_key().to_owned();
    }
    match status {
        StatusCode::NOT_FOUND => "error-not-found",
        StatusCode::FORBIDDEN => "error-forbidden",
        StatusCode::UNAUTHORIZED => "error-sign-in-required",
        StatusCode::METHOD_NOT_ALLOWED => "error-method",
        StatusCode::PAYLOAD_TOO_LARGE => "error-payload-too-large",
        StatusCode::CONFLICT => "error-conflict",
        StatusCode::SERVICE_UNAVAILABLE => "error-busy",
        s if s.is_server_error() => "error-internal",
        _ => "error-bad-request",
    }
    .to_owned()
}

/// Renders the error answer for a request.
pub fn render(
    req: &HttpRequest,
    status: StatusCode,
    error: Option<&actix_web::Error>,
) -> HttpResponse {
    let message_key = key_for(status, error);
    let ctx = PageContext::of(req);
    let mut builder = HttpResponse::build(status);
    if status == StatusCode::SERVICE_UNAVAILABLE {
        // Overloaded for a moment: clients (the tablet's queue) try again.
        builder.insert_header((header::RETRY_AFTER, "2"));
    }
    if req.path().starts_with("/api/") {
        let body = serde_json::json!({ "error": message_key, "message": ctx.t(&message_key) });
        return builder.json(body);
    }
    let page = ErrorPage {
        ctx,
        status: status.as_u16(),
        message_key: message_key.clone(),
    };
    match page.render() {
        Ok(html) => builder
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .body(html),
        Err(error) => {
            tracing::error!(%error, "the error page itself failed to render");
            builder.body(message_key)
        }
    }
}

/// The middleware: replaces error bodies; leaves redirects and successes alone. Middleware inside
/// it answer errors with `ServiceRequest::error_response` rather than `Err`, so the request is
/// still there to learn the language from (it cannot be cloned before routing).
pub async fn error_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let status = res.status();
    // A handler that built its own answer (a 422 form, a 503 health check) keeps it.
    let is_own_answer =
        res.response().error().is_none() && res.headers().contains_key(header::CONTENT_TYPE);
    if !(status.is_client_error() || status.is_server_error()) || is_own_answer {
        return Ok(res.map_into_boxed_body());
    }
    let (http_req, response) = res.into_parts();
    let page = render(&http_req, status, response.error());
    let mut res = ServiceResponse::new(http_req, page);
    super::csrf::set_new_cookie(&mut res);
    Ok(res)
}

/// The default service: anything no route matches.
pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}
