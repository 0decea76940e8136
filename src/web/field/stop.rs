//! A stop of today's route: a short summary of the person (no more than the check needs) and the
//! one-screen visit form. The field app's script sends the form through the API (offline queue);
//! without the script it posts here and the server records it.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::VisitForm;
use super::stop_view::{StopPage, stop_page};
use crate::app::AppState;
use crate::db;
use crate::domain::{CheckId, VisitId};
use crate::error::AppError;
use crate::services::visits::scope::{StopError, own_check};
use crate::services::visits::{self, RecordContext, RecordError};
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::paths;
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
    Ok(stop_page(
        ctx,
        stop,
        error,
        state.settings.visit_correction_minutes,
    ))
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

/// `POST /field/stops/{check_id}/visit`: records a visit with a server-made id (no position);
/// on a check that has a visit already, the officer's own within its window is corrected.
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
    let notes = form.notes().to_owned();
    let officer = user.0.clone();
    let ip = client_ip(&req);
    let context_of = context_maker(&state);
    let now = state.clock.now_utc();
    let id = check_id.clone();
    let result = db::run(&state.pool, move |conn| {
        // Recording is audited as a change; only a page that shows the record is a read.
        let check = own_check(conn, &officer, &id, ip.as_deref()).map_err(AppError::from)?;
        let input = form.into_input(&check, now);
        // Without the script the form has no visit id: the check's own visit, if the officer
        // made it, is the one a second tap corrects.
        let visit_id = visits::visit_id_for_form(conn, &officer, &check.id)?;
        Ok(visits::record(
            conn,
            &officer,
            &visit_id.unwrap_or_else(VisitId::new),
            &input,
            context_of(ip.as_deref()),
        ))
    })
    .await?;
    let (status, key) = match result {
        Ok(_) => {
            SessionData(&session).set_flash("success", "field-visit-saved");
            return Ok(see_other(&paths::stop(&check_id)));
        }
        Err(RecordError::Forbidden) => return Err(AppError::Forbidden),
        Err(RecordError::Internal(e)) => return Err(AppError::Internal(e)),
        Err(RecordError::Invalid { key, .. }) => (StatusCode::UNPROCESSABLE_ENTITY, key),
        Err(RecordError::Conflict) => (StatusCode::CONFLICT, "visit-error-conflict"),
        Err(RecordError::Closed | RecordError::CheckVisited { closed: true, .. }) => {
            (StatusCode::CONFLICT, "visit-error-check-closed")
        }
        Err(RecordError::CheckVisited { .. }) => {
            (StatusCode::CONFLICT, "visit-error-check-visited")
        }
    };
    // What the officer typed stays in the form beside the message, never dropped.
    let message = ctx.t(key);
    let mut page = load_page(&req, ctx, user, &state, check_id, Some(message)).await?;
    page.notes = notes;
    Ok(render_with_status(status, &page))
}

/// The recording context of a request: the settings and clock of the app, the client's address.
fn context_maker(state: &AppState) -> impl Fn(Option<&str>) -> RecordContext<'_> + Send + use<> {
    let failures = state.settings.failures_for_follow_up;
    let correction_minutes = state.settings.visit_correction_minutes;
    let tz = state.tz;
    let now = state.clock.now_utc();
    move |ip| RecordContext {
        failures_for_follow_up: failures,
        correction_minutes,
        tz,
        now,
        ip,
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
