//! Creating and editing mobile groups: name, base, districts, shift, capacity, days and members.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::forms::{Change, Choice, FieldErrors, FieldMessages, FormPairs, done, parse_version};
use super::mobile_group_checks::{Lists, check_group, load_lists};
use crate::app::AppState;
use crate::db;
use crate::db::audit::{AuditAction, AuditKind};
use crate::domain::mobile_group::{MobileGroup, hhmm};
use crate::domain::user::Role;
use crate::domain::{MobileGroupId, UserId};
use crate::error::AppError;
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::paths;
use crate::web::render::render_with_status;

const DAY_KEYS: [&str; 7] = [
    "day-mon", "day-tue", "day-wed", "day-thu", "day-fri", "day-sat", "day-sun",
];

/// The group form as typed. Built from the posted pairs because districts, days and members
/// are checkbox sets (repeated fields).
#[derive(Debug, Clone, Default)]
pub struct MobileGroupForm {
    /// Name.
    pub name: String,
    /// Base address.
    pub base_address: String,
    /// Base latitude as typed.
    pub base_lat: String,
    /// Base longitude as typed.
    pub base_lon: String,
    /// Ids of the districts checked.
    pub districts: Vec<String>,
    /// Shift start, `HH:MM`.
    pub shift_start: String,
    /// Shift end, `HH:MM`.
    pub shift_end: String,
    /// Checks per shift as typed.
    pub max_checks: String,
    /// Weekday numbers checked (`0` = Monday).
    pub days: Vec<String>,
    /// Ids of the officers checked.
    pub members: Vec<String>,
    /// Version the edit started from.
    pub version: String,
}

impl From<FormPairs> for MobileGroupForm {
    fn from(pairs: FormPairs) -> Self {
        MobileGroupForm {
            name: pairs.value("name"),
            base_address: pairs.value("base_address"),
            base_lat: pairs.value("base_lat"),
            base_lon: pairs.value("base_lon"),
            districts: pairs.values("district"),
            shift_start: pairs.value("shift_start"),
            shift_end: pairs.value("shift_end"),
            max_checks: pairs.value("max_checks"),
            days: pairs.values("day"),
            members: pairs.values("member"),
            version: pairs.value("version"),
        }
    }
}

impl MobileGroupForm {
    /// The form filled from a stored group.
    fn of(group: &MobileGroup, members: &[UserId]) -> Self {
        MobileGroupForm {
            name: group.name.clone(),
            base_address: group.base_address.clone(),
            base_lat: group.base.lat.to_string(),
            base_lon: group.base.lon.to_string(),
            districts: group.district_ids.iter().map(ToString::to_string).collect(),
            shift_start: hhmm(group.shift_start_min),
            shift_end: hhmm(group.shift_end_min),
            max_checks: group.max_checks_per_shift.to_string(),
            days: (0..7u8)
                .filter(|i| group.active_days.0 & (1 << i) != 0)
                .map(|i| i.to_string())
                .collect(),
            members: members.iter().map(ToString::to_string).collect(),
            version: group.version.to_string(),
        }
    }
}

/// `GET /admin/mobile-groups/new` and `GET /admin/mobile-groups/{id}/edit`, and either
/// re-rendered with 422.
#[derive(Template)]
#[template(path = "admin/mobile_group_form.html")]
pub struct MobileGroupFormPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Id of the group edited; none on the new-group page.
    pub group_id: Option<String>,
    /// Values typed.
    pub form: MobileGroupForm,
    /// District checkboxes.
    pub districts: Vec<Choice>,
    /// Weekday checkboxes.
    pub days: Vec<Choice>,
    /// Officer checkboxes (an officer of another group shows its name).
    pub officers: Vec<Choice>,
    /// Messages by field.
    pub errors: FieldMessages,
}

fn page(
    ctx: PageContext,
    group_id: Option<String>,
    form: MobileGroupForm,
    lists: &Lists,
    errors: &FieldErrors,
) -> MobileGroupFormPage {
    let lang = ctx.lang.code();
    let districts = lists
        .districts
        .iter()
        .map(|d| Choice {
            value: d.id.to_string(),
            label: d.name(lang).to_owned(),
            is_selected: form.districts.iter().any(|x| x == d.id.as_str()),
        })
        .collect();
    let days = DAY_KEYS
        .iter()
        .enumerate()
        .map(|(i, key)| Choice {
            value: i.to_string(),
            label: ctx.t(key),
            is_selected: form.days.contains(&i.to_string()),
        })
        .collect();
    let officers = lists
        .users
        .iter()
        .filter(|u| u.role == Role::Officer.as_str())
        .map(|u| {
            let other = u
                .mobile_group_id
                .as_deref()
                .filter(|g| Some(*g) != group_id.as_deref())
                .and_then(|g| lists.groups.iter().find(|x| x.id.as_str() == g));
            let label = match other {
                Some(g) => format!("{} ({}) · {}", u.full_name, u.login, g.name),
                None => format!("{} ({})", u.full_name, u.login),
            };
            Choice {
                is_selected: form.members.contains(&u.id),
                value: u.id.clone(),
                label,
            }
        })
        .collect();
    MobileGroupFormPage {
        errors: errors.localise(&ctx),
        ctx,
        group_id,
        form,
        districts,
        days,
        officers,
    }
}

/// What the audit log keeps of a group.
fn snapshot(group: &MobileGroup, members: &[UserId]) -> serde_json::Value {
    serde_json::json!({
        "name": group.name,
        "base_address": group.base_address,
        "base": [group.base.lat, group.base.lon],
        "districts": group.district_ids,
        "shift": format!("{}-{}", hhmm(group.shift_start_min), hhmm(group.shift_end_min)),
        "max_checks_per_shift": group.max_checks_per_shift,
        "active_days_mask": group.active_days.0,
        "members": members,
    })
}

/// `GET /admin/mobile-groups/new`.
pub async fn new_mobile_group(
    ctx: PageContext,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let lists = db::run(&state.pool, |conn| Ok(load_lists(conn)?)).await?;
    let form = MobileGroupForm {
        shift_start: "10:00".to_owned(),
        shift_end: "22:00".to_owned(),
        max_checks: "20".to_owned(),
        days: (0..6).map(|i: u8| i.to_string()).collect(),
        ..MobileGroupForm::default()
    };
    let page = page(ctx, None, form, &lists, &FieldErrors::default());
    Ok(render_with_status(StatusCode::OK, &page))
}

/// `GET /admin/mobile-groups/{id}/edit`.
pub async fn edit_mobile_group(
    ctx: PageContext,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = MobileGroupId::from(path.into_inner());
    let group_id = Some(id.to_string());
    let (form, lists) = db::run(&state.pool, move |conn| {
        let group = db::mobile_groups::find_mobile_group(conn, &id)?.ok_or(AppError::NotFound)?;
        let members = db::mobile_groups::list_member_ids(conn, &id)?;
        Ok((MobileGroupForm::of(&group, &members), load_lists(conn)?))
    })
    .await?;
    let page = page(ctx, group_id, form, &lists, &FieldErrors::default());
    Ok(render_with_status(StatusCode::OK, &page))
}

/// `POST /admin/mobile-groups`.
pub async fn create_mobile_group(
    req: HttpRequest,
    session: Session,
    ctx: PageContext,
    actor: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    save(req, session, ctx, actor, state, None, form.into_inner()).await
}

/// `POST /admin/mobile-groups/{id}`.
pub async fn update_mobile_group(
    req: HttpRequest,
    session: Session,
    ctx: PageContext,
    actor: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = Some(MobileGroupId::from(path.into_inner()));
    save(req, session, ctx, actor, state, id, form.into_inner()).await
}

/// Checks and writes a group inside the caller's transaction, with its audit entry; the lists
/// and the problems when the form is refused (then nothing is written).
fn save_group(
    conn: &mut db::DbConnection,
    id: Option<MobileGroupId>,
    submitted: &MobileGroupForm,
    lang: crate::i18n::Lang,
    (actor, ip): (&crate::domain::user::User, Option<&str>),
) -> Result<Option<(Lists, FieldErrors)>, AppError> {
    let before = match &id {
        Some(id) => {
            let group = db::mobile_groups::find_mobile_group(conn, id)?;
            let group = group.ok_or(AppError::NotFound)?;
            let members = db::mobile_groups::list_member_ids(conn, id)?;
            Some(snapshot(&group, &members))
        }
        None => None,
    };
    let lists = load_lists(conn)?;
    let id = id.unwrap_or_default();
    let (group, members) = match check_group(conn, &id, submitted, &lists, lang)? {
        Ok(checked) => checked,
        Err(errors) => return Ok(Some((lists, errors))),
    };
    if before.is_none() {
        db::mobile_groups::insert(conn, &group)?;
    } else if parse_version(&submitted.version).is_none()
        || db::mobile_groups::update(conn, &group)? == 0
    {
        return Err(AppError::Conflict("error-conflict"));
    }
    db::mobile_groups::replace_members(conn, &id, &members)?;
    Change {
        actor,
        ip,
        action: if before.is_none() {
            AuditAction::Create
        } else {
            AuditAction::Update
        },
        entity_kind: AuditKind::MobileGroup,
        entity_id: id.as_str(),
        before,
        after: snapshot(&group, &members),
    }
    .write(conn)?;
    Ok(None)
}

/// Creates (no id) or updates a group from the posted form.
async fn save(
    req: HttpRequest,
    session: Session,
    ctx: PageContext,
    actor: CurrentUser,
    state: web::Data<AppState>,
    id: Option<MobileGroupId>,
    pairs: Vec<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let form = MobileGroupForm::from(FormPairs(pairs));
    let submitted = form.clone();
    let ip = client_ip(&req);
    let lang = ctx.lang;
    let is_new = id.is_none();
    let group_id = id.clone();
    let refused = db::run(&state.pool, move |conn| {
        Ok(db::write_transaction(conn, |conn| {
            save_group(conn, id, &submitted, lang, (&actor.0, ip.as_deref()))
        })?)
    })
    .await?;
    let Some((lists, errors)) = refused else {
        let flash = if is_new {
            "admin-flash-group-created"
        } else {
            "admin-flash-group-updated"
        };
        return Ok(done(&session, flash, paths::MOBILE_GROUPS));
    };
    let page = page(ctx, group_id.map(String::from), form, &lists, &errors);
    Ok(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}
