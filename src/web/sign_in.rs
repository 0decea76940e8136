//! Signing in and out: Argon2id verification, the lock after repeated failures, and an audit
//! entry for every attempt.

use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono::TimeDelta;

use super::auth::{CurrentUser, client_ip, safe_next};
use super::context::PageContext;
use super::render::{render_with_status, see_other};
use super::session::{Origin, SessionData};
use crate::accounts;
use crate::app::AppState;
use crate::config::Settings;
use crate::db;
use crate::db::audit::{AuditAction, AuditKind, AuditRecord};
use crate::domain::UserId;
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

/// The longest login and password looked at; anything longer fails like a wrong password
/// (without reaching the database or the hash with megabytes of text).
const MAX_LOGIN_CHARS: usize = 64;
const MAX_PASSWORD_BYTES: usize = 1024;

/// What counting the attempt found, before the password is checked.
enum Attempt {
    /// The account exists and may be tried: its row after counting this attempt.
    Try(db::users::Attempted),
    /// No password is checked: the reason for the audit log.
    Refused(&'static str),
}

/// `POST /login`. Every failure (wrong password, unknown login, locked or disabled account, an
/// address over its limit) gets the same answer after the same work: one Argon2 verification.
pub async fn sign_in(
    req: HttpRequest,
    session: Session,
    ctx: PageContext,
    state: web::Data<AppState>,
    form: web::Form<SignInForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let login = form.login.trim().to_owned();
    let next = safe_next(Some(&form.next));
    let ip = client_ip(&req);
    let signed_in = check_credentials(&state, &login, form.password, ip.clone()).await?;
    let Some((user_id, preferred_lang, until)) = signed_in else {
        let page = SignInPage {
            ctx,
            login,
            next,
            error: Some("sign-in-failed".to_owned()),
        };
        return Ok(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    let data = SessionData(&session);
    if let Some(lang) = preferred_lang.as_deref().and_then(Lang::parse) {
        data.set_lang(lang);
    }
    let origin = Origin {
        ip,
        user_agent: req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(300).collect()),
    };
    data.sign_in(
        &user_id.into(),
        state.clock.now().timestamp(),
        until,
        &origin,
    );
    Ok(see_other(&next))
}

/// Counts the attempt, verifies the password (against a dummy hash when the attempt was refused,
/// so every failure costs the same) and records the outcome: the user, their language and the
/// session's end on success.
async fn check_credentials(
    state: &AppState,
    login: &str,
    password: String,
    ip: Option<String>,
) -> Result<Option<(String, Option<String>, i64)>, AppError> {
    let too_long = login.chars().count() > MAX_LOGIN_CHARS || password.len() > MAX_PASSWORD_BYTES;
    let attempt = if too_long {
        Attempt::Refused("too_long")
    } else {
        let (login, ip, settings) = (login.to_owned(), ip.clone(), state.settings.clone());
        let now = state.clock.now_utc();
        db::run(&state.pool, move |conn| {
            Ok(count_attempt(conn, &login, ip.as_deref(), &settings, now)?)
        })
        .await?
    };
    let hash = match &attempt {
        Attempt::Try(row) => row.password_hash.clone(),
        Attempt::Refused(_) => accounts::dummy_hash().to_owned(),
    };
    // Off the database connection, on the hashing threads, a few at a time.
    let matches = state.hasher.verify(password, hash).await?;
    let audit_login: String = login.chars().take(MAX_LOGIN_CHARS).collect();
    let settings = state.settings.clone();
    let ip_for_record = ip.clone();
    let now = state.clock.now_utc();
    Ok(db::run(&state.pool, move |conn| {
        Ok(record_attempt(
            conn,
            attempt,
            matches,
            &audit_login,
            ip_for_record.as_deref(),
            &settings,
            now,
        )?)
    })
    .await?)
}

/// Counts the attempt for the client's address and for the account, each in one statement,
/// before any password is checked.
fn count_attempt(
    conn: &mut db::DbConnection,
    login: &str,
    ip: Option<&str>,
    settings: &Settings,
    now: chrono::NaiveDateTime,
) -> Result<Attempt, AppError> {
    let window_start = now - TimeDelta::minutes(settings.lock_minutes);
    let from_address =
        db::sign_in_throttle::count_attempt(conn, ip.unwrap_or("unknown"), now, window_start)?;
    if from_address > settings.max_failed_logins_per_address {
        return Ok(Attempt::Refused("address_throttled"));
    }
    let Some(row) = db::users::count_attempt(conn, login, now)? else {
        let known = db::users::find_by_login(conn, login)?.is_some();
        return Ok(Attempt::Refused(if known {
            "locked"
        } else {
            "unknown_login"
        }));
    };
    if row.failed_logins > settings.max_failed_logins {
        // More attempts arrived at once than the account allows: lock it without a check.
        db::users::lock(
            conn,
            &row.id,
            now + TimeDelta::minutes(settings.lock_minutes),
        )?;
        return Ok(Attempt::Refused("locked"));
    }
    Ok(Attempt::Try(row))
}

/// Records the attempt's end: a success starts again from zero (and gives the address its
/// attempt back); a failure may lock the account. Returns the user, their language and the
/// session's end on success.
fn record_attempt(
    conn: &mut db::DbConnection,
    attempt: Attempt,
    matches: bool,
    login: &str,
    ip: Option<&str>,
    settings: &Settings,
    now: chrono::NaiveDateTime,
) -> Result<Option<(String, Option<String>, i64)>, AppError> {
    let audit = |conn: &mut db::DbConnection, action, user_id: Option<&str>, reason: &str| {
        let record = AuditRecord::under(login, None, ip, action, AuditKind::Session, user_id);
        if reason.is_empty() {
            db::audit::insert(conn, &record)
        } else {
            db::audit::insert(
                conn,
                &record.details(serde_json::json!({ "reason": reason })),
            )
        }
    };
    let row = match attempt {
        Attempt::Refused(reason) => {
            audit(conn, AuditAction::LoginFailed, None, reason)?;
            return Ok(None);
        }
        Attempt::Try(row) => row,
    };
    if !(matches && row.is_active) {
        let locks = row.failed_logins >= settings.max_failed_logins;
        if locks {
            db::users::lock(
                conn,
                &row.id,
                now + TimeDelta::minutes(settings.lock_minutes),
            )?;
        }
        let reason = match (row.is_active, locks) {
            (false, _) => "disabled",
            (true, true) => "wrong_password_locked",
            (true, false) => "wrong_password",
        };
        audit(conn, AuditAction::LoginFailed, Some(&row.id), reason)?;
        return Ok(None);
    }
    db::users::reset_failed_logins(conn, &row.id)?;
    db::sign_in_throttle::forgive(conn, ip.unwrap_or("unknown"))?;
    audit(conn, AuditAction::Login, Some(&row.id), "")?;
    let group = db::users::find_group_of(conn, &UserId::from(row.id.clone()))?;
    let until = session_end(conn, settings, group, now.and_utc())?;
    Ok(Some((row.id, row.preferred_lang, until)))
}

/// When a session begun at `now` ends (unix seconds): `session_max_hours` later, and for an
/// officer of a group already at the end of the group's next shift (plus the grace time).
fn session_end(
    conn: &mut db::DbConnection,
    settings: &Settings,
    group: Option<crate::domain::MobileGroupId>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i64, AppError> {
    let max = now.timestamp() + settings.session_max_hours * 3600;
    let Some(group) = group else { return Ok(max) };
    let Some(group) = db::mobile_groups::find_mobile_group(conn, &group)? else {
        return Ok(max);
    };
    let tz = settings.time_zone().map_err(AppError::Internal)?;
    let local = now.with_timezone(&tz);
    let shift_end = local.date_naive().and_time(chrono::NaiveTime::MIN)
        + TimeDelta::minutes(
            i64::from(group.shift_end_min) + settings.officer_session_grace_minutes,
        );
    let mut end = chrono::TimeZone::from_local_datetime(&tz, &shift_end)
        .earliest()
        .map_or(max, |at| at.timestamp());
    if end <= now.timestamp() {
        end += 24 * 3600;
    }
    Ok(end.min(max))
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
        let record = AuditRecord::by(
            user,
            ip.as_deref(),
            AuditAction::Logout,
            AuditKind::Session,
            user.id.as_str(),
        );
        db::audit::insert(conn, &record)?;
        Ok(())
    })
    .await?;
    let data = SessionData(&session);
    data.sign_out();
    data.set_flash("success", "signed-out");
    // A tablet handed on keeps nothing of this officer: the browser drops the site's caches and
    // storage (the field app's script refuses to sign out while a visit waits to be sent).
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/login"))
        .insert_header(("Clear-Site-Data", "\"cache\", \"storage\""))
        .finish())
}
