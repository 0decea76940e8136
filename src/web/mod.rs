//! The web layer. `routes` is the one URL table of the app: every path, its handler and the roles
//! that may reach it (STYLE.md section 4.1).

pub mod admin;
pub mod assets;
pub mod auth;
pub mod charts;
pub mod context;
pub mod csrf;
pub mod error_pages;
pub mod field;
pub mod health;
pub mod home;
pub mod map;
pub mod pagination;
pub mod planning;
pub mod preferences;
pub mod registry;
pub mod render;
pub mod reports;
pub mod session;
pub mod sign_in;

use actix_web::middleware::from_fn;
use actix_web::web;

use crate::domain::user::Role;

/// Roles that may use the registry.
pub const REGISTRY_ROLES: &[Role] = &[Role::Prosecutor];
/// Roles that plan checks.
pub const PLANNING_ROLES: &[Role] = &[Role::Prosecutor];
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

/// The URL table.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::healthz))
        .route("/static/{path:.*}", web::get().to(assets::static_file))
        .route("/login", web::get().to(sign_in::show_sign_in))
        .route("/login", web::post().to(sign_in::sign_in))
        .route(
            "/preferences",
            web::post().to(preferences::update_preferences),
        )
        .service(
            web::scope("/registry")
                .wrap(from_fn(|req, next| auth::guard(req, next, REGISTRY_ROLES)))
                .route("/persons", web::get().to(registry::handlers::list_persons))
                .route("/persons", web::post().to(registry::forms::create_person))
                .route("/persons/new", web::get().to(registry::forms::new_person))
                .route(
                    "/persons/{id}",
                    web::get().to(registry::handlers::show_person),
                )
                .route(
                    "/persons/{id}",
                    web::post().to(registry::forms::update_person),
                )
                .route(
                    "/persons/{id}/edit",
                    web::get().to(registry::forms::edit_person),
                )
                .route("/import", web::get().to(registry::transfer::show_import))
                .route(
                    "/import/check",
                    web::post().to(registry::transfer::check_import),
                )
                .route(
                    "/import/run",
                    web::post().to(registry::transfer::run_import),
                )
                .route("/export", web::get().to(registry::transfer::export_persons))
                .route(
                    "/offences/import",
                    web::get().to(registry::transfer::show_offence_import),
                )
                .route(
                    "/offences/import/check",
                    web::post().to(registry::transfer::check_offence_import),
                )
                .route(
                    "/offences/import/run",
                    web::post().to(registry::transfer::run_offence_import),
                ),
        )
        .service(
            web::scope("/planning")
                .wrap(from_fn(|req, next| auth::guard(req, next, PLANNING_ROLES)))
                .route("", web::get().to(planning::handlers::show_planning))
                .route("/plans", web::post().to(planning::handlers::create_plan))
                .route("/jobs/{id}", web::get().to(planning::handlers::show_job))
                .route("/plans/{id}", web::get().to(planning::handlers::show_plan))
                .route(
                    "/plans/{id}/publish",
                    web::post().to(planning::handlers::publish_plan),
                )
                .route(
                    "/plans/{id}/reoptimise",
                    web::post().to(planning::handlers::reoptimise_plan),
                )
                .route(
                    "/plans/{id}/checks",
                    web::post().to(planning::handlers::add_check),
                )
                .route(
                    "/plans/{id}/checks/{check}/{action}",
                    web::post().to(planning::handlers::change_check),
                ),
        )
        .service(
            web::scope("/reports")
                .wrap(from_fn(|req, next| auth::guard(req, next, REPORT_ROLES)))
                .route("", web::get().to(reports::show_overview))
                .route("/crime", web::get().to(reports::crime::show_crime_trends))
                .route("/coverage", web::get().to(reports::coverage::show_coverage))
                .route("/groups", web::get().to(reports::groups::show_groups))
                .route(
                    "/coverage-vs-crime",
                    web::get().to(reports::coverage_vs_crime::show_coverage_vs_crime),
                ),
        )
        .service(
            web::scope("/admin")
                .wrap(from_fn(|req, next| auth::guard(req, next, ADMIN_ROLES)))
                .route("/users", web::get().to(admin::handlers::list_users))
                .route("/users", web::post().to(admin::users::create_user))
                .route("/users/new", web::get().to(admin::users::new_user))
                .route("/users/{id}/edit", web::get().to(admin::users::edit_user))
                .route("/users/{id}", web::post().to(admin::users::update_user))
                .route(
                    "/users/{id}/disable",
                    web::post().to(admin::user_account::disable_user),
                )
                .route(
                    "/users/{id}/enable",
                    web::post().to(admin::user_account::enable_user),
                )
                .route(
                    "/users/{id}/password",
                    web::post().to(admin::user_account::reset_password),
                )
                .route(
                    "/mobile-groups",
                    web::get().to(admin::handlers::list_mobile_groups),
                )
                .route(
                    "/mobile-groups",
                    web::post().to(admin::mobile_groups::create_mobile_group),
                )
                .route(
                    "/mobile-groups/new",
                    web::get().to(admin::mobile_groups::new_mobile_group),
                )
                .route(
                    "/mobile-groups/{id}/edit",
                    web::get().to(admin::mobile_groups::edit_mobile_group),
                )
                .route(
                    "/mobile-groups/{id}",
                    web::post().to(admin::mobile_groups::update_mobile_group),
                )
                .route("/districts", web::get().to(admin::handlers::list_districts))
                .route(
                    "/districts/{code}/edit",
                    web::get().to(admin::districts::edit_district),
                )
                .route(
                    "/districts/{code}",
                    web::post().to(admin::districts::update_district),
                )
                .route(
                    "/districts/{code}/boundary",
                    web::post().to(admin::districts::import_boundary),
                )
                .route(
                    "/contact-standards",
                    web::get().to(admin::handlers::list_contact_standards),
                )
                .route(
                    "/contact-standards",
                    web::post().to(admin::contact_standards::update_contact_standards),
                )
                .route(
                    "/contact-standards/edit",
                    web::get().to(admin::contact_standards::edit_contact_standards),
                )
                .route("/audit", web::get().to(admin::handlers::list_audit_entries)),
        )
        .service(
            web::scope("/field")
                .wrap(from_fn(|req, next| auth::guard(req, next, FIELD_ROLES)))
                .route("/today", web::get().to(field::show_today))
                .route("/sw.js", web::get().to(field::stop::service_worker))
                .route("/stops/{check}", web::get().to(field::stop::show_stop))
                .route(
                    "/stops/{check}/visit",
                    web::post().to(field::stop::record_visit),
                ),
        )
        .service(
            web::scope("/api/v1")
                .wrap(from_fn(|req, next| auth::guard(req, next, FIELD_ROLES)))
                .route("/visits/{id}", web::put().to(field::api::put_visit)),
        )
        .service(
            web::scope("")
                .wrap(from_fn(|req, next| auth::guard(req, next, ANY_ROLE)))
                .route("/", web::get().to(home::show_home))
                .route("/logout", web::post().to(sign_in::sign_out)),
        );
}
