//! Who is asking: the `authenticate` middleware loads the signed-in user (once per request) and
//! the language; `guard` admits only the roles a scope names; `CurrentUser` hands the user to
//! handlers.

use actix_session::SessionExt as _;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage as _, HttpRequest, HttpResponse, ResponseError, web};

use super::session::{SessionData, SignedIn};
use crate::app::AppState;
use crate::config::Settings;
use crate::db;
use crate::db::sessions::EndReason;
use crate::domain::user::{Role, User};
use crate::error::AppError;
use crate::i18n::Lang;

pub use super::client::client_ip;

/// The signed-in user of this request.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

/// The request needs a signed-in user: a browser is sent to the sign-in page (and back after),
/// an API client gets 401.
#[derive(Debug, thiserror::Error)]
#[error("sign-in required")]
pub struct SignInRequired {
    next: String,
    is_api: bool,
}

impl SignInRequired {
    fn for_request(req: &HttpRequest) -> Self {
        let next = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/")
            .to_owned();
        Self {
            is_api: req.path().starts_with("/api/"),
            next,
        }
    }
}

impl ResponseError for SignInRequired {
    fn status_code(&self) -> StatusCode {
        if self.is_api {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::SEE_OTHER
        }
    }

    fn error_response(&self) -> HttpResponse {
        if self.is_api {
            // The field app keeps a visit queued on 401 and asks the officer to sign in again.
            return HttpResponse::Unauthorized().json(serde_json::json!({
                "error": "error-sign-in-required",
                "field": null,
            }));
        }
        let target = format!("/login?next={}", encode_component(&self.next));
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, target))
            .finish()
    }
}

/// Percent-encodes a query component.
pub fn encode_component(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

/// A path of this site to return to after a redirect, as the browser will read it; anything
/// else (another host in any spelling, control characters) becomes `/` (`web::redirect`).
pub fn safe_next(next: Option<&str>) -> String {
    super::redirect::local_path(next)
}

fn state_of(req: &HttpRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("AppState is not registered")))
}

/// Whether a signed-in session is still valid at `now` for `user`: before its hard end, the user
/// active, and (for desk roles) used within the idle limit. Officers are not timed out for
/// idleness: their tablet may be offline for most of a shift, and their session ends with it.
fn session_is_valid(signed: &SignedIn, user: &User, now: i64, settings: &Settings) -> bool {
    let idle_limit = settings.session_idle_minutes * 60;
    let max_end = signed.since + settings.session_max_hours * 3600;
    let idle = user.role != Role::Officer && now - signed.seen > idle_limit;
    user.is_active && now < signed.until && now < max_end && !idle
}

/// Loads the session's user into the request's extensions (an expired session, or one of a
/// disabled or deleted user, is ended) and the language (session choice, else
/// `Accept-Language`, else Russian).
pub async fn authenticate(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let state = match state_of(req.request()) {
        Ok(state) => state,
        Err(error) => return Ok(req.error_response(error)),
    };
    let session = req.get_session();
    let data = SessionData(&session);
    if data.is_busy() {
        let error = AppError::Busy("no database connection to load the session".to_owned());
        return Ok(req.error_response(error));
    }
    let now = state.clock.now().timestamp();
    let mut current = None;
    if let Some(signed) = data.signed_in() {
        let id = signed.user_id.clone();
        let user = match db::run(&state.pool, move |conn| {
            Ok(db::users::find_user(conn, &id)?)
        })
        .await
        {
            Ok(user) => user,
            Err(error) => return Ok(req.error_response(AppError::from(error))),
        };
        match user {
            Some(user) if session_is_valid(&signed, &user, now, &state.settings) => {
                data.touch(signed.seen, now);
                current = Some(user);
            }
            user => {
                let expired = user.as_ref().is_some_and(|u| u.is_active);
                if let Err(error) = end_session(&state, &data, expired).await {
                    return Ok(req.error_response(error));
                }
            }
        }
    }
    let lang = data
        .lang()
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|h| h.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default();
    req.extensions_mut().insert(lang);
    if let Some(user) = current {
        req.extensions_mut().insert(CurrentUser(user));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// Ends a session that may no longer be used: its row marked (expired, or signed out for a
/// disabled user), its state replaced by a fresh one with the language and theme.
async fn end_session(
    state: &AppState,
    data: &SessionData<'_>,
    expired: bool,
) -> Result<(), AppError> {
    if let Some(id) = data.session_id() {
        let reason = if expired {
            EndReason::Expired
        } else {
            EndReason::Disabled
        };
        let now = state.clock.now_utc();
        db::run(&state.pool, move |conn| {
            db::sessions::end(conn, &id, reason, now)?;
            Ok(())
        })
        .await?;
    }
    data.sign_out();
    if expired {
        data.set_flash("error", "session-expired");
    }
    Ok(())
}

/// Admits the request only for a signed-in user of one of `roles`.
pub async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
    roles: &'static [Role],
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let role = req.extensions().get::<CurrentUser>().map(|u| u.0.role);
    match role {
        None => {
            let error = SignInRequired::for_request(req.request());
            // A redirect to the sign-in page is the normal way in, not an error to log.
            let response = error.error_response();
            Ok(req.into_response(response))
        }
        Some(role) if roles.contains(&role) => Ok(next.call(req).await?.map_into_boxed_body()),
        Some(_) => Ok(req.error_response(AppError::Forbidden)),
    }
}

impl FromRequest for CurrentUser {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user = req.extensions().get::<CurrentUser>().cloned();
        std::future::ready(user.ok_or_else(|| SignInRequired::for_request(req).into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(
            safe_next(Some("/registry/persons?q=a")),
            "/registry/persons?q=a"
        );
        assert_eq!(safe_next(Some("//evil.example/x")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
