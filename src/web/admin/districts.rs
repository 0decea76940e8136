//! Editing districts: names and population, and a new boundary imported from GeoJSON.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use geo::BoundingRect;

use super::forms::{
    Change, FieldErrors, FieldMessages, checked_line, done, parse_integer, parse_version,
};
use crate::app::AppState;
use crate::db::audit::{AuditAction, AuditKind};
use crate::db::{self, DbConnection};
use crate::domain::District;
use crate::domain::geojson::polygon_from_geojson;
use crate::error::AppError;
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::paths;
use crate::web::render::render_with_status;

/// The names and population form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct DistrictForm {
    /// Name in Kazakh.
    pub name_kk: String,
    /// Name in Russian.
    pub name_ru: String,
    /// Name in English.
    pub name_en: String,
    /// Residents as typed.
    pub population: String,
    /// Version the edit started from.
    pub version: String,
}

/// The boundary import form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct BoundaryForm {
    /// GeoJSON text.
    pub geojson: String,
    /// Version the edit started from.
    pub version: String,
}

/// `GET /admin/districts/{code}/edit`, and either form re-rendered with 422.
#[derive(Template)]
#[template(path = "admin/district_form.html")]
pub struct DistrictFormPage {
    /// Layout data.
    pub ctx: PageContext,
    /// The district's code (in the form actions).
    pub code: String,
    /// Kind word.
    pub kind: String,
    /// Points of the stored boundary.
    pub vertices: usize,
    /// Names and population typed.
    pub form: DistrictForm,
    /// GeoJSON typed.
    pub boundary: BoundaryForm,
    /// Messages by field.
    pub errors: FieldMessages,
}

fn form_of(district: &District, version: i32) -> DistrictForm {
    DistrictForm {
        name_kk: district.name_kk.clone(),
        name_ru: district.name_ru.clone(),
        name_en: district.name_en.clone(),
        population: district.population.to_string(),
        version: version.to_string(),
    }
}

fn page(
    ctx: PageContext,
    district: &District,
    form: DistrictForm,
    boundary: BoundaryForm,
    errors: &FieldErrors,
) -> DistrictFormPage {
    DistrictFormPage {
        errors: errors.localise(&ctx),
        ctx,
        code: district.code.clone(),
        kind: district.kind.to_string(),
        vertices: district.boundary.exterior().0.len(),
        form,
        boundary,
    }
}

fn load(conn: &mut DbConnection, code: &str) -> Result<(District, i32), AppError> {
    db::districts::find_by_code(conn, code)?.ok_or(AppError::NotFound)
}

/// `GET /admin/districts/{code}/edit`.
pub async fn edit_district(
    ctx: PageContext,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let code = path.into_inner();
    let (district, version) = db::run(&state.pool, move |conn| Ok(load(conn, &code)?)).await?;
    let boundary = BoundaryForm {
        geojson: String::new(),
        version: version.to_string(),
    };
    let form = form_of(&district, version);
    let page = page(ctx, &district, form, boundary, &FieldErrors::default());
    Ok(render_with_status(StatusCode::OK, &page))
}

/// What the audit log keeps of a district's names and population.
fn snapshot(district: &District) -> serde_json::Value {
    serde_json::json!({
        "code": district.code,
        "name_kk": district.name_kk,
        "name_ru": district.name_ru,
        "name_en": district.name_en,
        "population": district.population,
    })
}

/// Checks the names and population; the changed district when they are right.
fn check_district(form: &DistrictForm, stored: &District) -> Result<District, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name_kk = checked_line(&mut errors, "name_kk", &form.name_kk, 100);
    let name_ru = checked_line(&mut errors, "name_ru", &form.name_ru, 100);
    let name_en = checked_line(&mut errors, "name_en", &form.name_en, 100);
    let population = parse_integer(&form.population).filter(|n| (1..=1_000_000_000).contains(n));
    let Some(population) = population.filter(|_| errors.is_empty()) else {
        if population.is_none() {
            errors.add("population", "admin-error-population");
        }
        return Err(errors);
    };
    Ok(District {
        name_kk,
        name_ru,
        name_en,
        population,
        ..stored.clone()
    })
}

/// `POST /admin/districts/{code}`: names and population.
pub async fn update_district(
    req: HttpRequest,
    session: Session,
    ctx: PageContext,
    actor: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<DistrictForm>,
) -> Result<HttpResponse, AppError> {
    let code = path.into_inner();
    let form = form.into_inner();
    let submitted = form.clone();
    let ip = client_ip(&req);
    let refused = db::run(&state.pool, move |conn| {
        Ok(db::write_transaction(conn, |conn| {
            let (stored, _) = load(conn, &code)?;
            let changed = match check_district(&submitted, &stored) {
                Ok(changed) => changed,
                Err(errors) => return Ok(Some((stored, errors))),
            };
            let version =
                parse_version(&submitted.version).ok_or(AppError::Conflict("error-conflict"))?;
            if db::districts::update_names_and_population(conn, &changed, version)? == 0 {
                return Err(AppError::Conflict("error-conflict"));
            }
            Change {
                actor: &actor.0,
                ip: ip.as_deref(),
                action: AuditAction::Update,
                entity_kind: AuditKind::District,
                entity_id: stored.id.as_str(),
                before: Some(snapshot(&stored)),
                after: snapshot(&changed),
            }
            .write(conn)?;
            Ok(None)
        })?)
    })
    .await?;
    let Some((stored, errors)) = refused else {
        return Ok(done(
            &session,
            "admin-flash-district-updated",
            paths::DISTRICTS,
        ));
    };
    let boundary = BoundaryForm {
        geojson: String::new(),
        version: form.version.clone(),
    };
    let page = page(ctx, &stored, form, boundary, &errors);
    Ok(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

/// What the audit log keeps of a boundary: its size and extent (the rings themselves would
/// swamp the log; the district's row keeps them).
fn boundary_summary(polygon: &geo::Polygon<f64>) -> serde_json::Value {
    let rect = polygon.bounding_rect();
    serde_json::json!({
        "vertices": polygon.exterior().0.len(),
        "holes": polygon.interiors().len(),
        "bbox": rect.map(|r| [r.min().x, r.min().y, r.max().x, r.max().y]),
    })
}

/// `POST /admin/districts/{code}/boundary`: a boundary from GeoJSON.
pub async fn import_boundary(
    req: HttpRequest,
    session: Session,
    ctx: PageContext,
    actor: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<BoundaryForm>,
) -> Result<HttpResponse, AppError> {
    let code = path.into_inner();
    let boundary = form.into_inner();
    let parsed = polygon_from_geojson(&boundary.geojson);
    let version = parse_version(&boundary.version);
    let ip = client_ip(&req);
    let refused = db::run(&state.pool, move |conn| {
        Ok(db::write_transaction(conn, |conn| {
            let (stored, stored_version) = load(conn, &code)?;
            let polygon = match parsed {
                Ok(polygon) => polygon,
                Err(error) => {
                    let mut errors = FieldErrors::default();
                    errors.add("geojson", error.message_key());
                    return Ok(Some((stored, stored_version, errors)));
                }
            };
            let version = version.ok_or(AppError::Conflict("error-conflict"))?;
            if db::districts::update_boundary(conn, &stored.id, version, &polygon)? == 0 {
                return Err(AppError::Conflict("error-conflict"));
            }
            Change {
                actor: &actor.0,
                ip: ip.as_deref(),
                action: AuditAction::Update,
                entity_kind: AuditKind::District,
                entity_id: stored.id.as_str(),
                before: Some(boundary_summary(&stored.boundary)),
                after: boundary_summary(&polygon),
            }
            .write(conn)?;
            Ok(None)
        })?)
    })
    .await?;
    let Some((stored, stored_version, errors)) = refused else {
        return Ok(done(
            &session,
            "admin-flash-boundary-imported",
            paths::DISTRICTS,
        ));
    };
    let form = form_of(&stored, stored_version);
    let page = page(ctx, &stored, form, boundary, &errors);
    Ok(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}
