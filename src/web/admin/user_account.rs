//! A user's account: disabling, enabling and password resets (which also lift a lock).

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::{Change, FieldErrors};
use super::user_checks::check_password;
use super::users::{Outcome, Refused, load, snapshot};
use crate::app::AppState;
use crate::db;
use crate::db::audit::{AuditAction, AuditKind};
use crate::domain::UserId;
use crate::error::AppError;
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;

/// The password reset form.
/// (No `Debug`: it carries a password.)
#[derive(Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    /// The new password.
    pub new_password: String,
}

/// `POST /admin/users/{id}/disable`.
pub async fn disable_user(
    req: HttpRequest,
    session: Session,
    ctx: PageContext,
    actor: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    set_active(req, session, ctx, actor, state, path, false).await
}

/// `POST /admin/users/{id}/enable`.
pub async fn enable_user(
    req: HttpRequest,
    session: Session,
    ctx: PageContext,
    actor: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    set_active(req, session, ctx, actor, state, path, true).await
}

async fn set_active(
    req: HttpRequest,
    session: Session,
    ctx: PageContext,
    actor: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    is_active: bool,
) -> Result<HttpResponse, AppError> {
    let id = UserId::from(path.into_inner());
    let ip = client_ip(&req);
    let outcome = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            let (row, group, groups) = load(conn, &id)?;
            if !is_active && row.id == actor.0.id.as_str() {
                let mut errors = FieldErrors::default();
                errors.add("is_active", "admin-error-disable-self");
                return Ok(Outcome::Refused(Box::new(Refused(
                    row, group, groups, errors,
                ))));
            }
            db::users::update_is_active(conn, &id, is_active)?;
            let after = db::users::find_user_row(conn, &id)?.ok_or(AppError::NotFound)?;
            Change {
                actor: &actor.0,
                ip: ip.as_deref(),
                action: AuditAction::Update,
                entity_kind: AuditKind::User,
                entity_id: id.as_str(),
                before: Some(snapshot(&row, group.as_ref())),
                after: snapshot(&after, group.as_ref()),
            }
            .write(conn)?;
            Ok(Outcome::Done)
        })
    })
    .await?;
    let flash = if is_active {
        "admin-flash-user-enabled"
    } else {
        "admin-flash-user-disabled"
    };
    Ok(outcome.answer(ctx, &session, flash, None))
}

/// `POST /admin/users/{id}/password`: a new password, and any lock lifted.
pub async fn reset_password(
    req: HttpRequest,
    session: Session,
    ctx: PageContext,
    actor: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let id = UserId::from(path.into_inner());
    let password = form.into_inner().new_password;
    let ip = client_ip(&req);
    let mut errors = FieldErrors::default();
    check_password("new_password", &password, &mut errors);
    // Hashed before the database is asked, on the hashing threads.
    let hash = if errors.is_empty() {
        Some(state.hasher.hash(password).await?)
    } else {
        None
    };
    let outcome = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            let (row, group, groups) = load(conn, &id)?;
            let Some(hash) = hash else {
                return Ok(Outcome::Refused(Box::new(Refused(
                    row, group, groups, errors,
                ))));
            };
            db::users::update_password(conn, &row.login, &hash)?;
            let after = db::users::find_user_row(conn, &id)?.ok_or(AppError::NotFound)?;
            let mut after = snapshot(&after, group.as_ref());
            after["password_changed"] = serde_json::Value::Bool(true);
            Change {
                actor: &actor.0,
                ip: ip.as_deref(),
                action: AuditAction::Update,
                entity_kind: AuditKind::User,
                entity_id: id.as_str(),
                before: Some(snapshot(&row, group.as_ref())),
                after,
            }
            .write(conn)?;
            Ok(Outcome::Done)
        })
    })
    .await?;
    Ok(outcome.answer(ctx, &session, "admin-flash-password-reset", None))
}
