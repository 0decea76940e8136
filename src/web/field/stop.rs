//! A stop of today's route: a short summary of the person (no more than the check needs) and the
//! one-screen visit form. The field app's script sends the form through the API (offline queue);
//! without the script it posts here and the server records it.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::VisitForm;
use super::pages::{StopPage, stop_page};
use crate::app::AppState;
use crate::db;
use crate::domain::{CheckId, VisitId};
use crate::error::AppError;
use crate::services::visits::scope::{StopError, own_check};
use crate::services::visits::{self, RecordContext, RecordError};
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::render::{render_with_status, see_other};
use crate::web::session::SessionData;

impl From<StopError> for AppError {
    fn from(error: StopError) -> Self {
        match error {
            StopError::NotFound => AppError::NotFound,
            StopError::Forbidden => AppError::Forbidden,
            StopError::Database(e) => e.into(),
            StopError::Internal(e) => AppError::Internal(e),
        }
    }
}

/// The stop page of `check_id`, the read (or its refusal) audited.
async fn load_page(
    req: &HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: &AppState,
    check_id: CheckId,
    error: Option<String>,
) -> Result<StopPage, AppError> {
    let ip = client_ip(req);
    let stop = db::run(&state.pool, move |conn| {
        Ok(visits::route::stop(conn, &user.0, &check_id, ip.as_deref()).map_err(AppError::from)?)
    })
    .await?;
    Ok(stop_page(ctx, stop, error))
}

/// `GET /field/stops/{check_id}`.
pub async fn show_stop(
    req: HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let check_id = CheckId::from(path.into_inner());
    let page = load_page(&req, ctx, user, &state, check_id, None).await?;
    Ok(render_with_status(StatusCode::OK, &page))
}

/// `POST /field/stops/{check_id}/visit`: records a visit with a server-made id (no position).
pub async fn record_visit(
    req: HttpRequest,
    ctx: PageContext,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<VisitForm>,
) -> Result<HttpResponse, AppError> {
    let check_id = CheckId::from(path.into_inner());
    let form = form.into_inner();
    let officer = user.0.clone();
    let ip = client_ip(&req);
    let failures = state.settings.failures_for_follow_up;
    let tz = state.tz;
    let id = check_id.clone();
    let result = db::run(&state.pool, move |conn| {
        // Recording is audited as a change; only a page that shows the record is a read.
        let check = own_check(conn, &officer, &id, ip.as_deref()).map_err(AppError::from)?;
        let context = RecordContext {
            failures_for_follow_up: failures,
            tz,
            ip: ip.as_deref(),
        };
        let input = form.into_input(&check);
        Ok(visits::record(
            conn,
            &officer,
            &VisitId::new(),
            &input,
            context,
        ))
    })
    .await?;
    match result {
        Ok(_) => {
            SessionData(&session).set_flash("success", "field-visit-saved");
            Ok(see_other("/field/today"))
        }
        Err(RecordError::Forbidden) => Err(AppError::Forbidden),
        Err(RecordError::Conflict) => Err(AppError::Conflict("error-conflict")),
        Err(RecordError::Internal(e)) => Err(AppError::Internal(e)),
        Err(RecordError::Invalid { key, .. }) => {
            let message = ctx.t(key);
            let page = load_page(&req, ctx, user, &state, check_id, Some(message)).await?;
            Ok(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

/// `GET /field/sw.js`: the service worker, served under /field/ so that its scope is the field
/// app.
pub async fn service_worker() -> Result<HttpResponse, AppError> {
    let file = crate::web::assets::embedded("js/sw.js").ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header(("Content-Type", "text/javascript; charset=utf-8"))
        .insert_header(("Cache-Control", "no-cache"))
        .body(file))
}
