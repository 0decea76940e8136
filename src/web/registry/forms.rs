//! Creating and editing a person: the form (shared field rules with the CSV importer, see
//! `domain::person_record`), 422 re-renders with a message at each bad field, and the conflict
//! page when someone else saved first (optimistic locking on `persons.version`).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::addresses::{far_from_street, picker_map};
use super::pages::{ConflictPage, PersonFormPage, form_page, label_key};
use crate::app::AppState;
use crate::db::audit::{AuditAction, AuditKind, AuditRecord};
use crate::db::{self, DbConnection};
use crate::domain::person::PersonStatus;
use crate::domain::person_record::{COLUMNS, FieldError, PersonRecord, RecordContext};
use crate::domain::user::User;
use crate::domain::{District, GeoPoint, PersonId};
use crate::error::AppError;
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::map::roads_for;
use crate::web::paths;
use crate::web::render::{render_with_status, see_other};
use crate::web::session::SessionData;

/// The home point as typed, when both fields are numbers.
fn home_point(record: &PersonRecord) -> Option<GeoPoint> {
    let lat = record.home_lat.trim().replace(',', ".").parse().ok()?;
    let lon = record.home_lon.trim().replace(',', ".").parse().ok()?;
    Some(GeoPoint { lat, lon })
}

/// The form with its street map (around the home point), when a road network is imported.
async fn with_map(
    state: &AppState,
    mut page: PersonFormPage,
    record: &PersonRecord,
) -> PersonFormPage {
    if let Some(roads) = roads_for(state).await {
        page.map_svg = picker_map(&page.ctx, &roads, home_point(record)).unwrap_or_default();
    }
    page
}

/// After a save: a warning when the home point lies far from the street its address names
/// (saved all the same: the network may not know the street's other end, or be older than
/// the house), else the plain confirmation.
async fn flash_saved(state: &AppState, session: &Session, record: &PersonRecord, key: &str) {
    let far = match (roads_for(state).await, home_point(record)) {
        (Some(roads), Some(at)) => far_from_street(&roads, &record.home_address, at).is_some(),
        _ => false,
    };
    if far {
        SessionData(session).set_flash("warning", "person-saved-far-from-street");
    } else {
        SessionData(session).set_flash("success", key);
    }
}

/// `GET /registry/persons/new`.
pub async fn new_person(ctx: PageContext, state: web::Data<AppState>) -> HttpResponse {
    let record = PersonRecord {
        status: PersonStatus::Active.to_string(),
        prior_convictions: "0".to_owned(),
        ..PersonRecord::default()
    };
    let page = with_map(
        &state,
        form_page(ctx, record.clone(), &[], None, 0),
        &record,
    )
    .await;
    render_with_status(StatusCode::OK, &page)
}

/// The form as posted: the record's columns plus the edited version.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PersonForm {
    #[serde(flatten)]
    record: PersonRecord,
    #[serde(default)]
    version: String,
}

/// What a save came to.
enum Saved {
    Done(PersonId),
    Refused(Vec<FieldError>),
    Conflict(Box<crate::domain::person::Person>),
}

/// `POST /registry/persons`: adds a person.
pub async fn create_person(
    req: HttpRequest,
    ctx: PageContext,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<PersonForm>,
) -> Result<HttpResponse, AppError> {
    let record = form.into_inner().record;
    let today = state.today();
    let ip = client_ip(&req);
    let posted = record.clone();
    let saved = db::run(&state.pool, move |conn| {
        Ok(db::write_transaction(conn, |conn| {
            let districts = db::districts::list_districts(conn)?;
            let ctx = RecordContext {
                districts: &districts,
                today,
            };
            let person = match record.validate(&ctx, PersonId::new(), 1) {
                Ok(p) => p,
                Err(errors) => return Ok(Saved::Refused(errors)),
            };
            if db::persons::find_by_iin(conn, person.iin.as_str())?.is_some() {
                return Ok(Saved::Refused(vec![FieldError {
                    column: "iin",
                    key: "person-error-iin-taken",
                    args: Vec::new(),
                }]));
            }
            db::persons::insert(conn, &person)?;
            let after = PersonRecord::from_person(&person, &district_code(&districts, &person));
            let record = AuditRecord::by(
                &user.0,
                ip.as_deref(),
                AuditAction::Create,
                AuditKind::Person,
                person.id.as_str(),
            );
            db::audit::insert(conn, &record.details(serde_json::json!({ "after": after })))?;
            Ok::<_, AppError>(Saved::Done(person.id))
        })?)
    })
    .await?;
    match saved {
        Saved::Done(id) => {
            flash_saved(&state, &session, &posted, "person-created").await;
            Ok(see_other(&paths::person(&id)))
        }
        Saved::Refused(errors) => {
            let page = form_page(ctx, posted.clone(), &errors, None, 0);
            let page = with_map(&state, page, &posted).await;
            Ok(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Saved::Conflict(_) => Err(AppError::Conflict("error-conflict")),
    }
}

fn district_code(districts: &[District], person: &crate::domain::person::Person) -> String {
    districts
        .iter()
        .find(|d| d.id == person.district_id)
        .map(|d| d.code.clone())
        .unwrap_or_default()
}

/// `GET /registry/persons/{id}/edit`, audited as a read of the record.
pub async fn edit_person(
    req: HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = PersonId::from(path.into_inner());
    let ip = client_ip(&req);
    let (person, districts) = db::run(&state.pool, move |conn| {
        let person = db::persons::find_person(conn, &id)?.ok_or(AppError::NotFound)?;
        // The edit form shows the whole record: a read like the record page.
        let details = serde_json::json!({ "via": "edit" }).to_string();
        db::audit::insert_person_read(
            conn,
            &user.0,
            Some(person.id.as_str()),
            ip.as_deref(),
            Some(details),
        )?;
        Ok((person, db::districts::list_districts(conn)?))
    })
    .await?;
    let record = PersonRecord::from_person(&person, &district_code(&districts, &person));
    let page = form_page(
        ctx,
        record.clone(),
        &[],
        Some(person.id.as_str()),
        person.version,
    );
    let page = with_map(&state, page, &record).await;
    Ok(render_with_status(StatusCode::OK, &page))
}

/// `POST /registry/persons/{id}`: saves an edit made on version `version`, or shows the
/// conflict when the stored person has moved on.
pub async fn update_person(
    req: HttpRequest,
    ctx: PageContext,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<PersonForm>,
) -> Result<HttpResponse, AppError> {
    let id = PersonId::from(path.into_inner());
    let form = form.into_inner();
    let Ok(version) = form.version.trim().parse::<i32>() else {
        return Err(AppError::BadRequest("error-bad-request"));
    };
    let record = form.record;
    let posted = record.clone();
    let edit = Edit {
        id: id.clone(),
        version,
        today: state.today(),
        ip: client_ip(&req),
    };
    let saved = db::run(&state.pool, move |conn| {
        Ok(db::write_transaction(conn, |conn| {
            save_edit(conn, &edit, &record, &user.0)
        })?)
    })
    .await?;
    match saved {
        Saved::Done(id) => {
            flash_saved(&state, &session, &posted, "person-saved").await;
            Ok(see_other(&paths::person(&id)))
        }
        Saved::Refused(errors) => {
            let page = form_page(ctx, posted.clone(), &errors, Some(id.as_str()), version);
            let page = with_map(&state, page, &posted).await;
            Ok(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Saved::Conflict(stored) => Ok(conflict(ctx, &id, &stored, &posted)),
    }
}

/// An edit: of which person, made on which version, on which day, from where.
struct Edit {
    id: PersonId,
    version: i32,
    today: chrono::NaiveDate,
    ip: Option<String>,
}

/// Saves an edit inside the caller's transaction, with its audit entry (before and after).
fn save_edit(
    conn: &mut DbConnection,
    edit: &Edit,
    record: &PersonRecord,
    user: &User,
) -> Result<Saved, AppError> {
    let stored = db::persons::find_person(conn, &edit.id)?.ok_or(AppError::NotFound)?;
    if stored.version != edit.version {
        return Ok(Saved::Conflict(Box::new(stored)));
    }
    let districts = db::districts::list_districts(conn)?;
    let ctx = RecordContext {
        districts: &districts,
        today: edit.today,
    };
    let person = match record.validate(&ctx, edit.id.clone(), edit.version) {
        Ok(p) => p,
        Err(errors) => return Ok(Saved::Refused(errors)),
    };
    if person.iin != stored.iin && db::persons::find_by_iin(conn, person.iin.as_str())?.is_some() {
        return Ok(Saved::Refused(vec![FieldError {
            column: "iin",
            key: "person-error-iin-taken",
            args: Vec::new(),
        }]));
    }
    if !db::persons::update(conn, &person)? {
        return Ok(Saved::Conflict(Box::new(stored)));
    }
    let code = district_code(&districts, &person);
    let details = serde_json::json!({
        "before": PersonRecord::from_person(&stored, &district_code(&districts, &stored)),
        "after": PersonRecord::from_person(&person, &code),
    });
    let record = AuditRecord::by(
        user,
        edit.ip.as_deref(),
        AuditAction::Update,
        AuditKind::Person,
        person.id.as_str(),
    );
    db::audit::insert(conn, &record.details(details))?;
    Ok(Saved::Done(person.id))
}

/// The conflict page: the stored person beside the refused values, field by field (409).
fn conflict(
    ctx: PageContext,
    id: &PersonId,
    stored: &crate::domain::person::Person,
    posted: &PersonRecord,
) -> HttpResponse {
    let theirs = PersonRecord::from_person(stored, "");
    let rows = COLUMNS
        .iter()
        .zip(theirs.values().iter().zip(posted.values().iter()))
        .filter(|(column, _)| **column != "district")
        .map(|(column, (a, b))| {
            (
                ctx.t(&label_key(column)),
                (*a).to_owned(),
                (*b).to_owned(),
                a.trim() != b.trim(),
            )
        })
        .collect();
    let page = ConflictPage {
        ctx,
        edit_href: paths::person_edit(id),
        rows,
    };
    render_with_status(StatusCode::CONFLICT, &page)
}
