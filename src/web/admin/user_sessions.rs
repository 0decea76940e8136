//! A user's sessions as the administrator sees them: when and from where they signed in, and a
//! button that ends one or all of them at once on every app server (a lost tablet, a stolen
//! cookie).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::forms::{Change, done};
use crate::app::AppState;
use crate::db;
use crate::db::audit::{AuditAction, AuditKind};
use crate::db::sessions::EndReason;
use crate::domain::UserId;
use crate::error::AppError;
use crate::web::account::{SessionView, session_views};
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::paths;
use crate::web::render::render_with_status;

/// `GET /admin/users/{id}/sessions`.
#[derive(Template)]
#[template(path = "admin/user_sessions.html")]
pub struct UserSessionsPage {
    /// Layout data.
    pub ctx: PageContext,
    /// The user's edit form.
    pub edit_href: String,
    /// Where the form ending them all posts.
    pub end_all_action: String,
    /// The user's login.
    pub login: String,
    /// Their sessions, newest first.
    pub sessions: Vec<SessionView>,
    /// How many are live.
    pub live: usize,
    /// Where a session's "end" button posts (before `/{id}/end`).
    pub end_prefix: String,
}

/// `GET /admin/users/{id}/sessions`.
pub async fn list_user_sessions(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = UserId::from(path.into_inner());
    let now = state.clock.now_utc();
    let (row, rows) = db::run(&state.pool, move |conn| {
        let row = db::users::find_user_row(conn, &id)?.ok_or(AppError::NotFound)?;
        let rows = db::sessions::list_of_user(conn, id.as_str(), now)?;
        Ok((row, rows))
    })
    .await?;
    let current = crate::web::session::SessionData(&session).session_id();
    let sessions = session_views(&ctx, &rows, current.as_deref());
    let user_id = UserId::from(row.id);
    let page = UserSessionsPage {
        end_prefix: paths::user_sessions(&user_id),
        edit_href: paths::user_edit(&user_id),
        end_all_action: paths::user_end_sessions(&user_id),
        login: row.login,
        live: sessions.iter().filter(|s| s.is_live).count(),
        sessions,
        ctx,
    };
    Ok(render_with_status(StatusCode::OK, &page))
}

/// `POST /admin/users/{id}/sessions/{session}/end`.
pub async fn end_user_session(
    req: HttpRequest,
    session: Session,
    actor: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, session_id) = path.into_inner();
    end(
        req,
        session,
        actor,
        state,
        UserId::from(id),
        Some(session_id),
    )
    .await
}

/// `POST /admin/users/{id}/sessions/end-all`.
pub async fn end_user_sessions(
    req: HttpRequest,
    session: Session,
    actor: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    end(
        req,
        session,
        actor,
        state,
        UserId::from(path.into_inner()),
        None,
    )
    .await
}

async fn end(
    req: HttpRequest,
    session: Session,
    actor: CurrentUser,
    state: web::Data<AppState>,
    id: UserId,
    one: Option<String>,
) -> Result<HttpResponse, AppError> {
    let ip = client_ip(&req);
    let location = paths::user_sessions(&id);
    // The administrator's own session survives "end all" on their own account.
    let keep = crate::web::session::SessionData(&session).session_id();
    let now = state.clock.now_utc();
    let ended = db::run(&state.pool, move |conn| {
        db::users::find_user_row(conn, &id)?.ok_or(AppError::NotFound)?;
        let reason = EndReason::EndedByAdmin;
        let ended = match &one {
            Some(sid) => usize::from(db::sessions::end_of_user(
                conn,
                id.as_str(),
                sid,
                reason,
                now,
            )?),
            None => db::sessions::end_all_of_user(conn, id.as_str(), keep.as_deref(), reason, now)?,
        };
        Change {
            actor: &actor.0,
            ip: ip.as_deref(),
            action: AuditAction::Update,
            entity_kind: AuditKind::User,
            entity_id: id.as_str(),
            before: None,
            after: serde_json::json!({ "sessions_ended": ended, "session": one }),
        }
        .write(conn)?;
        Ok(ended)
    })
    .await?;
    let flash = if ended == 0 {
        "admin-flash-no-session-ended"
    } else {
        "admin-flash-sessions-ended"
    };
    Ok(done(&session, flash, &location))
}
