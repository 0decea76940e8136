//! The signed-in user's own account: change the password (their other sessions end) and see and
//! end their sessions. The administrator's view of a user's sessions shares the list.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::admin::forms::{FieldErrors, FieldMessages};
use super::auth::{CurrentUser, client_ip};
use super::context::PageContext;
use super::render::{render_with_status, see_other};
use super::session::SessionData;
use crate::accounts;
use crate::app::AppState;
use crate::db;
use crate::db::audit::AuditRecord;
use crate::db::sessions::{EndReason, SessionRow};
use crate::error::AppError;
use crate::web::paths;

/// One session as the lists show it.
#[derive(Debug, Clone)]
pub struct SessionView {
    /// Its id (the key's hash), for the "end" button.
    pub id: String,
    /// Sign-in time, local.
    pub created: String,
    /// Last request, local.
    pub last_seen: String,
    /// The client's address at sign-in.
    pub ip: String,
    /// The browser, shortened.
    pub device: String,
    /// Live, or why it ended, already translated.
    pub status: String,
    /// Whether it can still be used (and ended).
    pub is_live: bool,
    /// Whether it is the session showing the page.
    pub is_current: bool,
}

/// The list of a user's sessions, newest first.
pub fn session_views(
    ctx: &PageContext,
    rows: &[SessionRow],
    current: Option<&str>,
) -> Vec<SessionView> {
    let now = ctx.clock.now_utc();
    rows.iter()
        .map(|row| {
            let is_live = row.ended_at.is_none() && row.expires_at > now;
            let status = match (&row.ended_reason, is_live) {
                (_, true) => ctx.t("session-live"),
                (Some(reason), false) => ctx.word("session-ended", reason),
                (None, false) => ctx.t("session-ended-expired"),
            };
            SessionView {
                id: row.id.clone(),
                created: ctx.date_time(row.created_at),
                last_seen: ctx.date_time(row.last_seen_at),
                ip: row.ip.clone().unwrap_or_default(),
                device: device_of(row.user_agent.as_deref().unwrap_or("")),
                status,
                is_live,
                is_current: current == Some(row.id.as_str()),
            }
        })
        .collect()
}

/// A short name of a browser from its `User-Agent`: the platform and the browser, enough to tell
/// a tablet from a desk computer.
fn device_of(agent: &str) -> String {
    let platform = ["Android", "iPad", "iPhone", "Windows", "Mac OS X", "Linux"]
        .into_iter()
        .find(|p| agent.contains(p));
    let browser = ["Edg/", "Firefox/", "YaBrowser/", "Chrome/", "Safari/"]
        .into_iter()
        .find(|b| agent.contains(b))
        .map(|b| b.trim_end_matches('/'));
    match (platform, browser) {
        (Some(p), Some(b)) => format!("{b}, {p}"),
        (Some(p), None) => p.to_owned(),
        (None, Some(b)) => b.to_owned(),
        (None, None) => agent.chars().take(40).collect(),
    }
}

/// `GET /account`.
#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    /// Layout data.
    pub ctx: PageContext,
    /// The user's sessions.
    pub sessions: Vec<SessionView>,
    /// Problems of the password form.
    pub errors: FieldMessages,
}

async fn account_page(
    ctx: PageContext,
    session: &Session,
    user: &CurrentUser,
    state: &AppState,
    errors: &FieldErrors,
) -> Result<AccountPage, AppError> {
    let id = user.0.id.as_str().to_owned();
    let now = state.clock.now_utc();
    let rows = db::run(&state.pool, move |conn| {
        Ok(db::sessions::list_of_user(conn, &id, now)?)
    })
    .await?;
    let current = SessionData(session).session_id();
    Ok(AccountPage {
        sessions: session_views(&ctx, &rows, current.as_deref()),
        errors: errors.localise(&ctx),
        ctx,
    })
}

/// `GET /account`.
pub async fn show_account(
    ctx: PageContext,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let page = account_page(ctx, &session, &user, &state, &FieldErrors::default()).await?;
    Ok(render_with_status(StatusCode::OK, &page))
}

/// The password form. (No `Debug`: it carries passwords.)
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct PasswordChangeForm {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

/// `POST /account/password`: checks the current password, sets the new one, and ends every other
/// session of the user (a stolen cookie dies with the old password).
pub async fn change_password(
    req: HttpRequest,
    ctx: PageContext,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<PasswordChangeForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    if let Err(key) = accounts::validate_new_password(&form.new_password) {
        errors.add("new_password", key);
    } else if form.new_password != form.confirm_password {
        errors.add("confirm_password", "account-error-confirm");
    }
    let login = user.0.login.clone();
    let stored = db::run(&state.pool, move |conn| {
        Ok(db::users::find_by_login(conn, &login)?.map(|row| row.password_hash))
    })
    .await?
    .unwrap_or_default();
    let matches = state.hasher.verify(form.current_password, stored).await?;
    if !matches {
        errors.add("current_password", "account-error-current");
        count_failure(&state, &user).await?;
    }
    let hash = if matches && errors.is_empty() {
        Some(state.hasher.hash(form.new_password).await?)
    } else {
        None
    };
    let Some(hash) = hash else {
        let page = account_page(ctx, &session, &user, &state, &errors).await?;
        return Ok(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    let keep = SessionData(&session).session_id();
    let ip = client_ip(&req);
    let actor = user.0.clone();
    db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            db::users::change_own_password(conn, &actor.id, &actor.login, &hash, keep.as_deref())?;
            db::audit::insert(
                conn,
                &AuditRecord::own_account(&actor, ip.as_deref(), "password_changed"),
            )?;
            Ok(())
        })
    })
    .await?;
    SessionData(&session).set_flash("success", "account-password-changed");
    Ok(see_other(paths::ACCOUNT))
}

/// A wrong current password counts as a failed sign-in of the account, so a stolen session
/// cannot be used to guess the password without limit.
async fn count_failure(state: &AppState, user: &CurrentUser) -> Result<(), AppError> {
    let login = user.0.login.clone();
    let (max, minutes) = (
        state.settings.max_failed_logins,
        state.settings.lock_minutes,
    );
    let now = state.clock.now_utc();
    db::run(&state.pool, move |conn| {
        if let Some(row) = db::users::count_attempt(conn, &login, now)?
            && row.failed_logins >= max
        {
            db::users::lock(conn, &row.id, now + chrono::TimeDelta::minutes(minutes))?;
        }
        Ok(())
    })
    .await?;
    Ok(())
}

/// `POST /account/sessions/{id}/end`: the user ends one of their sessions (a tablet left behind).
pub async fn end_session(
    req: HttpRequest,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let ip = client_ip(&req);
    let actor = user.0.clone();
    let now = state.clock.now_utc();
    let ended = db::run(&state.pool, move |conn| {
        let ended =
            db::sessions::end_of_user(conn, actor.id.as_str(), &id, EndReason::EndedByUser, now)?;
        if ended {
            db::audit::insert(
                conn,
                &AuditRecord::own_account(&actor, ip.as_deref(), "session_ended"),
            )?;
        }
        Ok(ended)
    })
    .await?;
    if !ended {
        return Err(AppError::NotFound);
    }
    SessionData(&session).set_flash("success", "account-session-ended");
    Ok(see_other(paths::ACCOUNT))
}

#[cfg(test)]
mod tests {
    use super::device_of;

    #[test]
    fn a_tablet_and_a_desk_computer_are_told_apart() {
        let tablet = "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";
        assert_eq!(device_of(tablet), "Chrome, Android");
        let desk =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(device_of(desk), "Firefox, Windows");
    }
}
