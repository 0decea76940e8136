//! The application: shared state, the middleware stack around the URL table, and the server.
//! `main` and the tests build the app with the same `build_app`, so tests run the production
//! wiring.

use actix_session::SessionMiddleware;
use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_web::body::MessageBody;
use actix_web::cookie::{Key, SameSite, time::Duration as CookieDuration};
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Compress, DefaultHeaders, from_fn};
use actix_web::{App, web};

use crate::config::Settings;
use crate::db::DbPool;

/// What every handler can reach.
pub struct AppState {
    /// Database connections.
    pub pool: DbPool,
    /// Settings.
    pub settings: Settings,
    /// The region's time zone.
    pub tz: chrono_tz::Tz,
    /// Plans being made in the background, for their progress pages.
    pub plan_jobs: crate::web::planning::jobs::PlanJobs,
}

/// Security headers on every answer (DESIGN.md section 6). The policy allows no inline script or
/// style: everything comes from our own `/static/`.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
     form-action 'self'; frame-ancestors 'none'; worker-src 'self'; manifest-src 'self'";

fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "geolocation=(self), camera=(), microphone=()",
        ))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
}

fn session_middleware(settings: &Settings, key: &Key) -> SessionMiddleware<CookieSessionStore> {
    SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
        .cookie_name("baqylau_session".to_owned())
        // Private: encrypted and signed, so the client can neither read nor forge it.
        .cookie_content_security(CookieContentSecurity::Private)
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_secure(settings.secure_cookies)
        .session_lifecycle(
            PersistentSession::default()
                .session_ttl(CookieDuration::hours(settings.session_max_hours)),
        )
        .build()
}

/// Builds the app: URL table, then CSRF check, authentication, error pages, session cookie,
/// security headers, compression and request logs (innermost first).
pub fn build_app(
    state: web::Data<AppState>,
    key: Key,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let session = session_middleware(&state.settings, &key);
    App::new()
        .app_data(state)
        .app_data(web::FormConfig::default().limit(256 * 1024))
        .configure(crate::web::routes)
        .default_service(web::to(crate::web::error_pages::not_found))
        .wrap(from_fn(crate::web::csrf::check))
        .wrap(from_fn(crate::web::auth::authenticate))
        .wrap(from_fn(crate::web::error_pages::error_pages))
        .wrap(session)
        .wrap(security_headers())
        .wrap(Compress::default())
        .wrap(crate::web::request_log::request_logger())
}
