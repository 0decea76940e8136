//! `AppError`, the one error type of request handlers. Domain, planning and db code return their
//! own errors or `QueryResult` (`db::run` a `DbError`); handlers turn them into `AppError` with
//! `?`, and the
//! `web::error_pages` middleware renders the localised error page (or JSON under `/api/`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use crate::db::DbError;

/// What went wrong in a request, by the answer it deserves.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The record does not exist (404).
    #[error("not found")]
    NotFound,
    /// The user's role or group may not do this (403).
    #[error("forbidden")]
    Forbidden,
    /// A state-changing request without a valid CSRF token or from another origin (403).
    #[error("CSRF token missing or wrong")]
    CsrfRejected,
    /// Someone else changed the record first, or the request repeats a different one (409).
    /// Carries the message key.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The request is malformed in a way no form can re-render (400). Carries the message key.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// Overloaded: no database connection came free in time (503 with `Retry-After`). A tablet
    /// keeps its visit queued and sends it again; nothing was changed.
    #[error("busy: {0}")]
    Busy(String),
    /// Anything else: logged once with its cause, shown as a 500 page without details.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// The catalogue key of the message shown to the user.
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::NotFound => "error-not-found",
            AppError::Forbidden => "error-forbidden",
            AppError::CsrfRejected => "error-csrf",
            AppError::Conflict(key) | AppError::BadRequest(key) => key,
            AppError::Busy(_) => "error-busy",
            AppError::Internal(_) => "error-internal",
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        match error {
            diesel::result::Error::NotFound => AppError::NotFound,
            other => AppError::Internal(anyhow::Error::new(other).context("database query failed")),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        AppError::Busy(error.to_string())
    }
}

impl From<crate::accounts::HasherError> for AppError {
    fn from(error: crate::accounts::HasherError) -> Self {
        match error {
            crate::accounts::HasherError::Busy => AppError::Busy(error.to_string()),
            other => AppError::Internal(anyhow::Error::new(other)),
        }
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        AppError::Internal(anyhow::Error::new(error).context("blocking task failed"))
    }
}

/// The answer to failed database work (`db::run`): no connection in time is a 503, a missing
/// row a 404, an `AppError` the work returned is itself again, anything else a 500.
impl From<DbError> for AppError {
    fn from(error: DbError) -> Self {
        match error {
            DbError::Pool(error) => error.into(),
            DbError::Queue(_) => AppError::Busy(error.to_string()),
            DbError::Query(error) => error.into(),
            DbError::Task(error) => error.into(),
            DbError::Work(error) => match error.downcast::<AppError>() {
                Ok(app) => app,
                Err(other) => AppError::Internal(other),
            },
        }
    }
}

/// A handler's `AppError` returned from inside `db::run`'s work, carried out unchanged.
impl From<AppError> for DbError {
    fn from(error: AppError) -> Self {
        DbError::Work(anyhow::Error::new(error))
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::CsrfRejected => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A bare response; `web::error_pages` replaces the body with the page in the user's language.
    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "request failed");
            }
            AppError::Busy(cause) => tracing::warn!(%cause, "no database connection in time"),
            _ => {}
        }
        HttpResponse::build(self.status_code()).body(self.message_key())
    }
}
