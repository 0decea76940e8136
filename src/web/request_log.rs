//! The request log's span: method, route, path and status, never the query string. Searches put
//! names and IINs in the query (`/registry/persons?q=910617350012`), and a log line is read by
//! whoever runs the server, kept for months and copied to backups: personal data has no place
//! there. `tracing_actix_web`'s default span logs `http.target` with the query, and the `Debug`
//! of an error (the sign-in redirect's carries the page asked for, query and all); this one logs
//! the path and the status alone. (Its `emit_event_on_error` feature, which logs that `Debug`
//! too, is off in `Cargo.toml`.) Errors worth a line are logged where they are handled
//! (`AppError::error_response`), without the request's input.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use tracing::Span;
use tracing_actix_web::RootSpanBuilder;

/// The request log middleware, with [`PathOnlySpan`].
pub fn request_logger() -> tracing_actix_web::TracingLogger<PathOnlySpan> {
    tracing_actix_web::TracingLogger::new()
}

/// The root span of every request, without its query string.
pub struct PathOnlySpan;

impl RootSpanBuilder for PathOnlySpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = request.match_pattern().unwrap_or_else(|| "default".into());
        let client_ip = super::auth::client_ip(request.request()).unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.target = %request.path(),
            http.client_ip = %client_ip,
            http.status_code = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        let status = match outcome {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        span.record("http.status_code", status.as_u16());
    }
}
