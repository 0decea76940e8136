//! `/setup`: the first administrator of an empty database, made with the one-time token that
//! start-up printed on the console. Once any user exists the page is gone (404).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::admin::forms::{FieldErrors, FieldMessages, checked_line};
use super::auth::client_ip;
use super::context::PageContext;
use super::render::{render_with_status, see_other};
use super::session::SessionData;
use crate::accounts;
use crate::app::AppState;
use crate::db;
use crate::db::users::NewUserRow;
use crate::domain::UserId;
use crate::domain::user::Role;
use crate::error::AppError;
use crate::web::paths;

/// The set-up form.
#[derive(Template)]
#[template(path = "setup.html")]
pub struct SetupPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Values typed (never the passwords).
    pub form: SetupForm,
    /// Problems by field.
    pub errors: FieldMessages,
}

/// What the form sends. (No `Debug`: it carries a password.)
#[derive(Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SetupForm {
    /// The token printed at start-up.
    pub token: String,
    /// The administrator's login.
    pub login: String,
    /// Their full name.
    pub full_name: String,
    /// Their password.
    pub password: String,
    /// The password again.
    pub confirm_password: String,
}

fn page(ctx: PageContext, mut form: SetupForm, errors: &FieldErrors) -> SetupPage {
    form.password.clear();
    form.confirm_password.clear();
    SetupPage {
        errors: errors.localise(&ctx),
        ctx,
        form,
    }
}

async fn is_open(state: &AppState) -> Result<bool, AppError> {
    Ok(db::run(&state.pool, |conn| {
        Ok(crate::services::setup::is_open(conn)?)
    })
    .await?)
}

/// `GET /setup?token=...`.
pub async fn show_setup(
    ctx: PageContext,
    state: web::Data<AppState>,
    query: web::Query<SetupForm>,
) -> Result<HttpResponse, AppError> {
    if !is_open(&state).await? {
        return Err(AppError::NotFound);
    }
    let form = SetupForm {
        token: query.into_inner().token,
        ..SetupForm::default()
    };
    Ok(render_with_status(
        StatusCode::OK,
        &page(ctx, form, &FieldErrors::default()),
    ))
}

/// `POST /setup`: checks the token and the fields, then makes the first administrator (only if
/// no user exists by then: two servers, or two people, cannot both make one).
pub async fn create_first_administrator(
    req: HttpRequest,
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<SetupForm>,
) -> Result<HttpResponse, AppError> {
    if !is_open(&state).await? {
        return Err(AppError::NotFound);
    }
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let login = super::admin::user_checks::check_login(&form.login, &mut errors);
    let full_name = checked_line(&mut errors, "full_name", &form.full_name, 200);
    if let Err(key) = accounts::validate_new_password(&form.password) {
        errors.add("password", key);
    } else if form.password != form.confirm_password {
        errors.add("confirm_password", "account-error-confirm");
    }
    let token = form.token.clone();
    if !db::run(&state.pool, move |conn| {
        Ok(crate::services::setup::token_matches(conn, &token)?)
    })
    .await?
    {
        errors.add("token", "setup-error-token");
    }
    if !errors.is_empty() {
        let page = page(ctx, form, &errors);
        return Ok(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let password = form.password.clone();
    let password_hash = state.hasher.hash(password).await?;
    let now = state.clock.now_utc();
    let row = NewUserRow {
        id: UserId::new().to_string(),
        login,
        full_name,
        role: Role::Administrator.as_str().to_owned(),
        password_hash,
        is_active: true,
        created_at: now,
        updated_at: now,
    };
    let ip = client_ip(&req);
    let made = db::run(&state.pool, move |conn| {
        Ok(crate::services::setup::make_first_administrator(
            conn,
            &row,
            ip.as_deref(),
        )?)
    })
    .await?;
    if !made {
        return Err(AppError::NotFound);
    }
    SessionData(&session).set_flash("success", "setup-done");
    Ok(see_other(paths::SIGN_IN))
}
