//! The web layer. `routes` is the one URL table of the app: every path, its handler and the roles
//! that may reach it (STYLE.md section 4.1).
//! Length: `table` runs past 60 lines on purpose: it is the URL table, read best whole.

pub mod account;
pub mod admin;
pub mod assets;
pub mod auth;
pub mod charts;
pub mod client;
pub mod context;
pub mod csrf;
pub mod error_pages;
pub mod field;
pub mod follow_ups;
pub mod forms;
pub mod health;
pub mod home;
pub mod home_headline;
pub mod https_redirect;
pub mod map;
pub mod pagination;
pub mod paths;
pub mod planning;
pub mod preferences;
pub mod presets;
pub mod redirect;
pub mod registry;
pub mod render;
pub mod reports;
pub mod request_log;
pub mod session;
pub mod session_store;
pub mod setup;
pub mod sign_in;

use actix_web::http::Method;
use actix_web::middleware::from_fn;
use actix_web::{FromRequest, Handler, Responder, web};

use crate::domain::user::Role;

/// Roles that may use the registry.
pub const REGISTRY_ROLES: &[Role] = &[Role::Prosecutor];
/// Roles that plan checks.
pub const PLANNING_ROLES: &[Role] = &[Role::Prosecutor];
/// Roles that handle follow-ups (DESIGN.md section 3: the prosecutor's queue).
pub const FOLLOW_UP_ROLES: &[Role] = &[Role::Prosecutor];
/// Roles that may read reports.
pub const REPORT_ROLES: &[Role] = &[Role::Supervisor, Role::Prosecutor];
/// Roles that may administer.
pub const ADMIN_ROLES: &[Role] = &[Role::Administrator];
/// Roles that use the field app.
pub const FIELD_ROLES: &[Role] = &[Role::Officer];
/// Every role (pages for anyone signed in).
pub const ANY_ROLE: &[Role] = &[
    Role::Administrator,
    Role::Prosecutor,
    Role::Supervisor,
    Role::Officer,
];

/// One row of the URL table: a method, a path under its area's prefix, and the handler.
pub struct Endpoint {
    method: Method,
    path: &'static str,
    route: actix_web::Route,
}

fn endpoint<F, Args>(method: Method, path: &'static str, handler: F) -> Endpoint
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    Endpoint {
        route: web::method(method.clone()).to(handler),
        method,
        path,
    }
}

/// `get`, `post` and `put`: a row of the URL table for that method.
macro_rules! method_endpoints {
    ($($name:ident => $method:ident),*) => {$(
        fn $name<F, Args>(path: &'static str, handler: F) -> Endpoint
        where
            F: Handler<Args>,
            Args: FromRequest + 'static,
            F::Output: Responder + 'static,
        {
            endpoint(Method::$method, path, handler)
        }
    )*};
}

method_endpoints!(get => GET, post => POST, put => PUT);

/// A part of the site under one path prefix, open to all or behind one role guard.
struct Area {
    prefix: &'static str,
    roles: Option<&'static [Role]>,
    endpoints: Vec<Endpoint>,
}

fn open(endpoints: Vec<Endpoint>) -> Area {
    Area {
        prefix: "",
        roles: None,
        endpoints,
    }
}

fn guarded(prefix: &'static str, roles: &'static [Role], endpoints: Vec<Endpoint>) -> Area {
    Area {
        prefix,
        roles: Some(roles),
        endpoints,
    }
}

/// The URL table, in matching order (the catch-all area of any signed-in user comes last).
#[expect(
    clippy::too_many_lines,
    reason = "the whole URL table in one place, read top to bottom in the order the router matches it"
)]
fn table() -> Vec<Area> {
    vec![
        open(vec![
            get("/healthz", health::healthz),
            get("/static/{path:.*}", assets::static_file),
            get("/login", sign_in::show_sign_in),
            post("/login", sign_in::sign_in),
            post("/preferences", preferences::update_preferences),
            get("/setup", setup::show_setup),
            post("/setup", setup::create_first_administrator),
        ]),
        guarded(
            "/registry",
            REGISTRY_ROLES,
            vec![
                get("/persons", registry::handlers::list_persons),
                post("/persons", registry::forms::create_person),
                get("/persons/new", registry::forms::new_person),
                get("/persons/{id}", registry::handlers::show_person),
                post("/persons/{id}", registry::forms::update_person),
                get("/persons/{id}/edit", registry::forms::edit_person),
                get("/addresses", registry::addresses::search_addresses),
                get("/import", registry::transfer::show_import),
                post("/import/check", registry::transfer::check_import),
                post("/import/run", registry::transfer::run_import),
                get("/export", registry::export::export_persons),
                get("/offences/import", registry::transfer::show_offence_import),
                post(
                    "/offences/import/check",
                    registry::transfer::check_offence_import,
                ),
                post(
                    "/offences/import/run",
                    registry::transfer::run_offence_import,
                ),
            ],
        ),
        guarded(
            "/planning",
            PLANNING_ROLES,
            vec![
                get("", planning::handlers::show_planning),
                post("/plans", planning::handlers::create_plan),
                get("/jobs/{id}", planning::handlers::show_job),
                get("/plans/{id}", planning::views::show_plan),
                get(
                    "/plans/{id}/routes/{group}/{date}",
                    planning::views::show_route,
                ),
                get("/plans/{id}/left-out", planning::views::show_left_out),
                post("/plans/{id}/publish", planning::handlers::publish_plan),
                post(
                    "/plans/{id}/reoptimise",
                    planning::handlers::reoptimise_plan,
                ),
                post("/plans/{id}/checks", planning::handlers::add_check),
                post(
                    "/plans/{id}/checks/{check}/{action}",
                    planning::handlers::change_check,
                ),
            ],
        ),
        guarded(
            "/follow-ups",
            FOLLOW_UP_ROLES,
            vec![
                get("", follow_ups::list::list_follow_ups),
                get("/{id}", follow_ups::record::show_follow_up),
                post("/{id}/assign", follow_ups::record::assign_follow_up),
                post("/{id}/close", follow_ups::record::close_follow_up),
            ],
        ),
        guarded(
            "/reports",
            REPORT_ROLES,
            vec![
                get("", reports::show_overview),
                get("/today", reports::today::show_live),
                get("/crime", reports::crime::show_crime_trends),
                get("/coverage", reports::coverage::show_coverage),
                get("/groups", reports::groups::show_groups),
                get(
                    "/coverage-vs-crime",
                    reports::coverage_vs_crime::show_coverage_vs_crime,
                ),
            ],
        ),
        guarded(
            "/admin",
            ADMIN_ROLES,
            vec![
                get("/users", admin::handlers::list_users),
                post("/users", admin::users::create_user),
                get("/users/new", admin::users::new_user),
                get("/users/{id}/edit", admin::users::edit_user),
                post("/users/{id}", admin::users::update_user),
                post("/users/{id}/disable", admin::user_account::disable_user),
                post("/users/{id}/enable", admin::user_account::enable_user),
                post("/users/{id}/password", admin::user_account::reset_password),
                get(
                    "/users/{id}/sessions",
                    admin::user_sessions::list_user_sessions,
                ),
                post(
                    "/users/{id}/sessions/end-all",
                    admin::user_sessions::end_user_sessions,
                ),
                post(
                    "/users/{id}/sessions/{session}/end",
                    admin::user_sessions::end_user_session,
                ),
                get("/mobile-groups", admin::handlers::list_mobile_groups),
                post("/mobile-groups", admin::mobile_groups::create_mobile_group),
                get("/mobile-groups/new", admin::mobile_groups::new_mobile_group),
                get(
                    "/mobile-groups/{id}/edit",
                    admin::mobile_groups::edit_mobile_group,
                ),
                post(
                    "/mobile-groups/{id}",
                    admin::mobile_groups::update_mobile_group,
                ),
                get("/districts", admin::handlers::list_districts),
                get("/districts/{code}/edit", admin::districts::edit_district),
                post("/districts/{code}", admin::districts::update_district),
                post(
                    "/districts/{code}/boundary",
                    admin::districts::import_boundary,
                ),
                get(
                    "/contact-standards",
                    admin::handlers::list_contact_standards,
                ),
                post(
                    "/contact-standards",
                    admin::contact_standards::update_contact_standards,
                ),
                get(
                    "/contact-standards/edit",
                    admin::contact_standards::edit_contact_standards,
                ),
                get("/audit", admin::handlers::list_audit_entries),
            ],
        ),
        guarded(
            "/field",
            FIELD_ROLES,
            vec![
                get("/today", field::show_today),
                get("/sw.js", field::stop::service_worker),
                get("/stops/{check}", field::stop::show_stop),
                post("/stops/{check}/visit", field::stop::record_visit),
            ],
        ),
        guarded(
            "/api/v1",
            FIELD_ROLES,
            vec![put("/visits/{id}", field::api::put_visit)],
        ),
        guarded(
            "",
            ANY_ROLE,
            vec![
                get("/", field::home_or_today),
                post("/logout", sign_in::sign_out),
                get("/account", account::show_account),
                post("/account/password", account::change_password),
                post("/account/sessions/{id}/end", account::end_session),
            ],
        ),
    ]
}

/// Registers the URL table.
pub fn routes(cfg: &mut web::ServiceConfig) {
    for area in table() {
        match area.roles {
            None => {
                for e in area.endpoints {
                    cfg.route(e.path, e.route);
                }
            }
            Some(roles) => {
                let scope = area
                    .endpoints
                    .into_iter()
                    .fold(web::scope(area.prefix), |scope, e| {
                        scope.route(e.path, e.route)
                    });
                cfg.service(scope.wrap(from_fn(move |req, next| auth::guard(req, next, roles))));
            }
        }
    }
}

/// A route as the URL table registers it, for tests and tools that must cover every route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    /// HTTP method.
    pub method: Method,
    /// The whole path pattern (prefix and path), in actix's `{name}` syntax.
    pub path: String,
    /// The roles the guard admits; `None` for routes open without sign-in.
    pub roles: Option<&'static [Role]>,
}

/// Every route of the URL table, in matching order.
pub fn route_list() -> Vec<RouteInfo> {
    table()
        .into_iter()
        .flat_map(|area| {
            area.endpoints.into_iter().map(move |e| RouteInfo {
                method: e.method,
                path: format!("{}{}", area.prefix, e.path),
                roles: area.roles,
            })
        })
        .collect()
}
