//! The plan's pages: the summary (no person on it, so no read to audit), a route, and a page of
//! the checks left out; the persons a route or a page shows are audited as one read.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;

use super::plan_page::plan_page;
use super::route_page::{left_out_page, left_out_shown, route_page, stops_of};
use crate::app::AppState;
use crate::db;
use crate::domain::check::{Check, UnplacedReason};
use crate::domain::{MobileGroupId, PlanId};
use crate::error::AppError;
use crate::services::Actor;
use crate::services::plans::{self, PlanView};
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::render::render_with_status;

/// Reads plan `id` with the names of the persons `shown` picks, auditing their read.
async fn read_plan(
    req: &HttpRequest,
    user: CurrentUser,
    state: &AppState,
    id: String,
    shown: impl FnOnce(&[Check]) -> Vec<String> + Send + 'static,
) -> Result<PlanView, AppError> {
    let id = PlanId::from(id);
    let ip = client_ip(req);
    db::run(&state.pool, move |conn| {
        let actor = Actor {
            user: &user.0,
            ip: ip.as_deref(),
        };
        Ok(plans::view_plan_part(conn, &id, actor, shown)?)
    })
    .await?
    .ok_or(AppError::NotFound)
}

/// The persons of `checks`, by id.
fn persons(checks: Vec<&Check>) -> Vec<String> {
    checks.iter().map(|c| c.person_id.to_string()).collect()
}

/// `GET /planning/plans/{id}`: the summary.
pub async fn show_plan(
    req: HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let view = read_plan(&req, user, &state, path.into_inner(), |_| Vec::new()).await?;
    Ok(render_with_status(StatusCode::OK, &plan_page(ctx, &view)))
}

/// `?remove=CHECK` of a route's page: the removal to confirm.
#[derive(Debug, Default, serde::Deserialize)]
pub struct RouteQuery {
    #[serde(default)]
    remove: Option<String>,
}

/// `GET /planning/plans/{id}/routes/{group}/{date}`: one route.
pub async fn show_route(
    req: HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    query: web::Query<RouteQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, group, date) = path.into_inner();
    let date: NaiveDate = date.parse().ok().ok_or(AppError::NotFound)?;
    let group = MobileGroupId::from(group);
    let on = group.clone();
    let shown = move |checks: &[Check]| persons(stops_of(checks, &on, date));
    let view = read_plan(&req, user, &state, id, shown).await?;
    let roads = crate::web::map::roads_for(&state).await;
    let remove = query.remove.as_deref();
    let page =
        route_page(ctx, &view, &group, date, remove, roads.as_deref()).ok_or(AppError::NotFound)?;
    Ok(render_with_status(StatusCode::OK, &page))
}

/// `?reason=&page=` of the left-out page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct LeftOutQuery {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    page: String,
}

/// `GET /planning/plans/{id}/left-out`: the checks left out, by reason, paged.
pub async fn show_left_out(
    req: HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<LeftOutQuery>,
) -> Result<HttpResponse, AppError> {
    // An unknown reason or page is the first page of all, never an error.
    let reason = UnplacedReason::parse(query.reason.trim());
    let page = query.page.trim().parse::<i64>().ok();
    let shown = move |checks: &[Check]| persons(left_out_shown(checks, reason, page));
    let view = read_plan(&req, user, &state, path.into_inner(), shown).await?;
    Ok(render_with_status(
        StatusCode::OK,
        &left_out_page(ctx, &view, reason, page),
    ))
}
