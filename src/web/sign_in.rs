//! Signing in and out: Argon2id verification, the lock after repeated failures, and an audit
//! entry for every attempt.

use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono::NaiveDateTime;

use super::auth::{CurrentUser, client_ip, safe_next};
use super::context::PageContext;
use super::render::{render_with_status, see_other};
use super::session::SessionData;
use crate::accounts::{self, LockoutPolicy};
use crate::app::AppState;
use crate::db::audit::{AuditAction, AuditRecord};
use crate::db::{self, now_utc};
use crate::error::AppError;
use crate::i18n::Lang;

/// The sign-in page.
#[derive(Template, WebTemplate)]
#[template(path = "sign_in.html")]
pub struct SignInPage {
    /// Layout data.
    pub ctx: PageContext,
    /// The login typed (kept after a failure).
    pub login: String,
    /// Where to go after signing in.
    pub next: String,
    /// Message key of the failure.
    pub error: Option<String>,
    /// Local time the lock ends, when locked.
    pub locked_until: Option<String>,
}

/// `?next=` of the sign-in page.
#[derive(Debug, serde::Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /login`.
pub async fn show_sign_in(ctx: PageContext, query: web::Query<NextQuery>) -> HttpResponse {
    let next = safe_next(query.next.as_deref());
    if ctx.user.is_some() {
        return see_other(&next);
    }
    let page = SignInPage {
        ctx,
        login: String::new(),
        next,
        error: None,
        locked_until: None,
    };
    render_with_status(StatusCode::OK, &page)
}

/// The sign-in form. Fields are plain text so that any input re-renders the form instead of
/// failing to parse.
#[derive(Debug, serde::Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// What the database said about an attempt.
enum Attempt {
    SignedIn {
        user_id: String,
        preferred_lang: Option<String>,
    },
    Failed,
    Locked(NaiveDateTime),
}

/// `POST /login`.
pub async fn sign_in(
    req: HttpRequest,
    session: Session,
    ctx: PageContext,
    state: web::Data<AppState>,
    form: web::Form<SignInForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let login = form.login.trim().to_owned();
    let policy = LockoutPolicy {
        max_failed_logins: state.settings.max_failed_logins,
        lock_minutes: state.settings.lock_minutes,
    };
    let ip = client_ip(&req);
    let password = form.password;
    let attempt_login = login.clone();
    let attempt = db::run(&state.pool, move |conn| {
        check_credentials(conn, &attempt_login, &password, policy, ip.as_deref())
    })
    .await?;
    let next = safe_next(Some(&form.next));
    match attempt {
        Attempt::SignedIn {
            user_id,
            preferred_lang,
        } => {
            let data = SessionData(&session);
            if let Some(lang) = preferred_lang.as_deref().and_then(Lang::parse) {
                data.set_lang(lang);
            }
            data.sign_in(&user_id.into(), chrono::Utc::now().timestamp());
            Ok(see_other(&next))
        }
        Attempt::Failed => {
            let page = SignInPage {
                ctx,
                login,
                next,
                error: Some("sign-in-failed".to_owned()),
                locked_until: None,
            };
            Ok(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Attempt::Locked(until) => {
            let until = chrono::TimeZone::from_utc_datetime(&ctx.tz, &until)
                .format("%H:%M")
                .to_string();
            let page = SignInPage {
                ctx,
                login,
                next,
                error: Some("sign-in-locked".to_owned()),
                locked_until: Some(until),
            };
            Ok(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

fn check_credentials(
    conn: &mut db::DbConnection,
    login: &str,
    password: &str,
    policy: LockoutPolicy,
    ip: Option<&str>,
) -> Result<Attempt, AppError> {
    let now = now_utc();
    let row = db::users::find_by_login(conn, login)?;
    let audit = |conn: &mut db::DbConnection, action, user_id: Option<&str>, reason: &str| {
        db::audit::insert(
            conn,
            &AuditRecord {
                user: None,
                login,
                action,
                entity_kind: "session",
                entity_id: user_id,
                ip,
                details: (!reason.is_empty())
                    .then(|| serde_json::json!({ "reason": reason }).to_string()),
            },
        )
    };
    let Some(row) = row else {
        // Same work as for a real user, so the answer's timing does not reveal which logins exist.
        accounts::verify_password(password, accounts::dummy_hash());
        audit(conn, AuditAction::LoginFailed, None, "unknown_login")?;
        return Ok(Attempt::Failed);
    };
    if let Some(until) = row.locked_until.filter(|until| *until > now) {
        audit(conn, AuditAction::LoginFailed, Some(&row.id), "locked")?;
        return Ok(Attempt::Locked(until));
    }
    if !row.is_active || !accounts::verify_password(password, &row.password_hash) {
        let (failed, locked_until) = policy.after_failure(row.failed_logins, now);
        db::users::update_failed_logins(conn, &row.id, failed, locked_until)?;
        let reason = if row.is_active {
            "wrong_password"
        } else {
            "disabled"
        };
        audit(conn, AuditAction::LoginFailed, Some(&row.id), reason)?;
        return Ok(match locked_until {
            Some(until) => Attempt::Locked(until),
            None => Attempt::Failed,
        });
    }
    db::users::reset_failed_logins(conn, &row.id)?;
    audit(conn, AuditAction::Login, Some(&row.id), "")?;
    Ok(Attempt::SignedIn {
        user_id: row.id,
        preferred_lang: row.preferred_lang,
    })
}

/// `POST /logout`.
pub async fn sign_out(
    req: HttpRequest,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<impl Responder, AppError> {
    let ip = client_ip(&req);
    db::run(&state.pool, move |conn| {
        let user = &user.0;
        db::audit::insert(
            conn,
            &AuditRecord {
                user: Some(user),
                login: &user.login,
                action: AuditAction::Logout,
                entity_kind: "session",
                entity_id: Some(user.id.as_str()),
                ip: ip.as_deref(),
                details: None,
            },
        )?;
        Ok(())
    })
    .await?;
    let data = SessionData(&session);
    data.sign_out();
    data.set_flash("success", "signed-out");
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/login"))
        .finish())
}
