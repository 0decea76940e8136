//! Creating and editing users: name, role and group, disabling and enabling, password resets.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::forms::{
    Change, Choice, FieldErrors, FieldMessages, done, is_unique_violation, parse_version,
};
use super::pages::EditedUser;
use super::user_checks::{check_details, check_login, check_password};
use crate::app::AppState;
use crate::db::audit::{AuditAction, AuditKind};
use crate::db::users::{NewUserRow, UserRow};
use crate::db::{self, DbConnection};
use crate::domain::mobile_group::MobileGroup;
use crate::domain::user::Role;
use crate::domain::{MobileGroupId, UserId};
use crate::error::AppError;
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::paths;
use crate::web::render::render_with_status;

/// The user form (create and edit). Every field is text, so any input re-renders the form.
/// (No `Debug`: it carries a password.)
#[derive(Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct UserForm {
    /// Sign-in name (create only).
    pub login: String,
    /// Full name.
    pub full_name: String,
    /// Role word.
    pub role: String,
    /// Group id, empty for none.
    pub mobile_group: String,
    /// Initial password (create only; never shown again).
    pub password: String,
    /// Version the edit started from.
    pub version: String,
}

/// `GET /admin/users/new` and `GET /admin/users/{id}/edit`, and either re-rendered with 422.
#[derive(Template)]
#[template(path = "admin/user_form.html")]
pub struct UserFormPage {
    /// Layout data.
    pub ctx: PageContext,
    /// The user edited; none on the new-user page.
    pub user: Option<EditedUser>,
    /// Values typed (the password is never sent back).
    pub form: UserForm,
    /// Roles to choose from.
    pub roles: Vec<Choice>,
    /// Groups to choose from.
    pub groups: Vec<Choice>,
    /// Messages by field.
    pub errors: FieldMessages,
}

fn page(
    ctx: PageContext,
    user: Option<EditedUser>,
    mut form: UserForm,
    groups: &[MobileGroup],
    errors: &FieldErrors,
) -> UserFormPage {
    form.password.clear();
    let roles = Role::ALL
        .iter()
        .map(|r| Choice {
            value: r.as_str().to_owned(),
            label: ctx.word("role", r),
            is_selected: form.role == r.as_str(),
        })
        .collect();
    let groups = groups
        .iter()
        .map(|g| Choice {
            value: g.id.to_string(),
            label: g.name.clone(),
            is_selected: form.mobile_group == g.id.as_str(),
        })
        .collect();
    UserFormPage {
        errors: errors.localise(&ctx),
        ctx,
        user,
        form,
        roles,
        groups,
    }
}

/// What the audit log keeps of a user (never the password hash).
pub(super) fn snapshot(row: &UserRow, group: Option<&MobileGroupId>) -> serde_json::Value {
    serde_json::json!({
        "login": row.login,
        "full_name": row.full_name,
        "role": row.role,
        "mobile_group": group,
        "is_active": row.is_active,
        "failed_logins": row.failed_logins,
        "locked_until": row.locked_until,
    })
}

/// `GET /admin/users/new`.
pub async fn new_user(
    ctx: PageContext,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let groups = db::run(&state.pool, |conn| {
        Ok(db::mobile_groups::list_mobile_groups(conn)?)
    })
    .await?;
    let form = UserForm {
        role: Role::Officer.as_str().to_owned(),
        ..UserForm::default()
    };
    let page = page(ctx, None, form, &groups, &FieldErrors::default());
    Ok(render_with_status(StatusCode::OK, &page))
}

/// `POST /admin/users`.
pub async fn create_user(
    req: HttpRequest,
    session: Session,
    ctx: PageContext,
    actor: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<UserForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let ip = client_ip(&req);
    let submitted = form.clone();
    // Hashed before the database is asked (off its connection), only for an acceptable password.
    let mut password_errors = FieldErrors::default();
    check_password("password", &form.password, &mut password_errors);
    let password_hash = if password_errors.is_empty() {
        Some(state.hasher.hash(form.password.clone()).await?)
    } else {
        None
    };
    let now = state.clock.now_utc();
    let (groups, errors) = db::run(&state.pool, move |conn| {
        let groups = db::mobile_groups::list_mobile_groups(conn)?;
        let new = NewUser {
            form: &submitted,
            password_hash: password_hash.as_deref(),
        };
        let by = (&actor, ip.as_deref());
        let errors = insert_user(conn, &new, &groups, by, now)?;
        Ok((groups, errors))
    })
    .await?;
    if errors.is_empty() {
        return Ok(done(&session, "admin-flash-user-created", paths::USERS));
    }
    let page = page(ctx, None, form, &groups, &errors);
    Ok(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

/// A new user's form and the hash of its password (none when the password was refused).
struct NewUser<'a> {
    form: &'a UserForm,
    password_hash: Option<&'a str>,
}

/// Checks and inserts a new user; the problems found, if any (then nothing is written).
fn insert_user(
    conn: &mut DbConnection,
    new: &NewUser<'_>,
    groups: &[MobileGroup],
    (actor, ip): (&CurrentUser, Option<&str>),
    now: chrono::NaiveDateTime,
) -> Result<FieldErrors, AppError> {
    let form = new.form;
    let mut errors = FieldErrors::default();
    let login = check_login(&form.login, &mut errors);
    check_password("password", &form.password, &mut errors);
    let (full_name, role, group) = check_details(form, groups, &mut errors);
    if !errors.has("login") && db::users::find_by_login(conn, &login)?.is_some() {
        errors.add("login", "admin-error-login-taken");
    }
    let (Some(role), Some(password_hash)) = (role.filter(|_| errors.is_empty()), new.password_hash)
    else {
        return Ok(errors);
    };
    let password_hash = password_hash.to_owned();
    let row = NewUserRow {
        id: UserId::new().to_string(),
        login,
        full_name,
        role: role.as_str().to_owned(),
        password_hash,
        is_active: true,
        created_at: now,
        updated_at: now,
    };
    let written = db::write_transaction(conn, |conn| {
        db::users::insert(conn, &row, group.as_ref())?;
        let after = serde_json::json!({
            "login": row.login, "full_name": row.full_name, "role": row.role,
            "mobile_group": group, "is_active": true,
        });
        Change {
            actor: &actor.0,
            ip,
            action: AuditAction::Create,
            entity_kind: AuditKind::User,
            entity_id: &row.id,
            before: None,
            after,
        }
        .write(conn)
    });
    match written {
        Ok(()) => Ok(errors),
        Err(error) if is_unique_violation(&error) => {
            errors.add("login", "admin-error-login-taken");
            Ok(errors)
        }
        Err(error) => Err(error.into()),
    }
}

/// A user's row, group and every group, or 404.
pub(super) fn load(
    conn: &mut DbConnection,
    id: &UserId,
) -> Result<(UserRow, Option<MobileGroupId>, Vec<MobileGroup>), AppError> {
    let row = db::users::find_user_row(conn, id)?.ok_or(AppError::NotFound)?;
    let group = db::users::find_group_of(conn, id)?;
    Ok((row, group, db::mobile_groups::list_mobile_groups(conn)?))
}

/// The edit page for a user as stored (`form` keeps typed values after a refused change).
fn edit_page(
    ctx: PageContext,
    row: &UserRow,
    group: Option<&MobileGroupId>,
    groups: &[MobileGroup],
    form: Option<UserForm>,
    errors: &FieldErrors,
) -> UserFormPage {
    let edited = EditedUser::of(&ctx, row);
    let form = form.unwrap_or_else(|| UserForm {
        login: row.login.clone(),
        full_name: row.full_name.clone(),
        role: row.role.clone(),
        mobile_group: group.map(ToString::to_string).unwrap_or_default(),
        password: String::new(),
        version: row.version.to_string(),
    });
    page(ctx, Some(edited), form, groups, errors)
}

/// `GET /admin/users/{id}/edit`.
pub async fn edit_user(
    ctx: PageContext,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = UserId::from(path.into_inner());
    let (row, group, groups) = db::run(&state.pool, move |conn| Ok(load(conn, &id)?)).await?;
    let page = edit_page(
        ctx,
        &row,
        group.as_ref(),
        &groups,
        None,
        &FieldErrors::default(),
    );
    Ok(render_with_status(StatusCode::OK, &page))
}

/// A refused change: the user as stored, their group, every group, and the problems.
pub(super) struct Refused(
    pub(super) UserRow,
    pub(super) Option<MobileGroupId>,
    pub(super) Vec<MobileGroup>,
    pub(super) FieldErrors,
);

/// What a POST on one user did: done, or refused with field problems (nothing written).
pub(super) enum Outcome {
    /// Written; the flash and the redirect follow.
    Done,
    /// Refused; nothing written.
    Refused(Box<Refused>),
}

impl Outcome {
    /// The answer: a redirect with the flash, or the edit page with the problems (422).
    pub(super) fn answer(
        self,
        ctx: PageContext,
        session: &Session,
        flash: &str,
        form: Option<UserForm>,
    ) -> HttpResponse {
        match self {
            Outcome::Done => done(session, flash, paths::USERS),
            Outcome::Refused(refused) => {
                let Refused(row, group, groups, errors) = *refused;
                let page = edit_page(ctx, &row, group.as_ref(), &groups, form, &errors);
                render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
            }
        }
    }
}

/// `POST /admin/users/{id}`: name, role and group.
pub async fn update_user(
    req: HttpRequest,
    session: Session,
    ctx: PageContext,
    actor: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<UserForm>,
) -> Result<HttpResponse, AppError> {
    let id = UserId::from(path.into_inner());
    let form = form.into_inner();
    let submitted = form.clone();
    let ip = client_ip(&req);
    let outcome = db::run(&state.pool, move |conn| {
        Ok(db::write_transaction(conn, |conn| {
            let (row, group, groups) = load(conn, &id)?;
            let mut errors = FieldErrors::default();
            let (full_name, role, new_group) = check_details(&submitted, &groups, &mut errors);
            if row.id == actor.0.id.as_str() && role.is_some_and(|r| r != Role::Administrator) {
                errors.add("role", "admin-error-own-role");
            }
            let Some(role) = role.filter(|_| errors.is_empty()) else {
                return Ok(Outcome::Refused(Box::new(Refused(
                    row, group, groups, errors,
                ))));
            };
            let version =
                parse_version(&submitted.version).ok_or(AppError::Conflict("error-conflict"))?;
            if db::users::update_user(conn, &id, version, &full_name, role)? == 0 {
                return Err(AppError::Conflict("error-conflict"));
            }
            db::users::update_group(conn, &id, new_group.as_ref())?;
            let after = db::users::find_user_row(conn, &id)?.ok_or(AppError::NotFound)?;
            Change {
                actor: &actor.0,
                ip: ip.as_deref(),
                action: AuditAction::Update,
                entity_kind: AuditKind::User,
                entity_id: id.as_str(),
                before: Some(snapshot(&row, group.as_ref())),
                after: snapshot(&after, new_group.as_ref()),
            }
            .write(conn)?;
            Ok(Outcome::Done)
        })?)
    })
    .await?;
    Ok(outcome.answer(ctx, &session, "admin-flash-user-updated", Some(form)))
}
