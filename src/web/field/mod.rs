//! The officer's tablet app: "Today" shows the group's published route in order, with windows,
//! planned arrivals and a link that opens the tablet's navigation app (`geo:` URI); each stop
//! (`stop`) has a one-screen visit form; the app's script sends visits through the API (`api`).

use actix_web::web;

use crate::app::AppState;
use crate::db;
use crate::error::AppError;
use crate::services::visits::route::{Route, route_of_day};
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::paths;

pub mod api;
pub mod forms;
pub mod pages;
pub mod stop;
pub mod stop_view;

use pages::TodayPage;

/// `GET /`: an officer's home is today's route (where they land after signing in); every other
/// role gets its home page.
pub async fn home_or_today(
    ctx: PageContext,
    state: web::Data<AppState>,
) -> Result<actix_web::Either<actix_web::HttpResponse, crate::web::home::HomePage>, AppError> {
    if ctx.is_officer() {
        return Ok(actix_web::Either::Left(crate::web::render::see_other(
            paths::FIELD_TODAY,
        )));
    }
    Ok(actix_web::Either::Right(
        crate::web::home::show_home(ctx, state).await?,
    ))
}

/// `GET /field/today`: the route, audited as one read of the persons on it.
pub async fn show_today(
    req: actix_web::HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<TodayPage, AppError> {
    let today = ctx.today();
    let ip = client_ip(&req);
    let officer = user.0;
    // An officer of no group has no route: nothing to read.
    let route = if officer.mobile_group_id.is_none() {
        Route::default()
    } else {
        db::run(&state.pool, move |conn| {
            Ok(route_of_day(conn, &officer, today, ip.as_deref())?)
        })
        .await?
    };
    let roads = crate::web::map::roads_for(&state).await;
    Ok(pages::today_page(ctx, today, route, roads.as_deref()))
}
