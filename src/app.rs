//! The application: shared state, the middleware stack around the URL table, and the server.
//! `main` and the tests build the app with the same `build_app`, so tests run the production
//! wiring.

use actix_session::SessionMiddleware;
use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_web::body::MessageBody;
use actix_web::cookie::{Key, SameSite, time::Duration as CookieDuration};
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Compress, DefaultHeaders, from_fn};
use actix_web::{App, web};

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::DbPool;
use crate::web::session_store::DbSessionStore;

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
    /// The reverse proxies whose forwarding headers are believed.
    pub trusted_proxies: crate::web::client::TrustedProxies,
    /// Argon2 on threads of its own, a few at a time.
    pub hasher: crate::accounts::Hasher,
    /// Now and today: the system clock, or a moment a test pinned ([`AppState::with_clock`]).
    pub clock: Clock,
    /// The imported road network, loaded once per process and reloaded after a new import
    /// (travel matrices, street maps, address search).
    pub roads: std::sync::Arc<crate::roads::NetworkCache>,
}

impl AppState {
    /// The state over an open pool, with the settings checked (time zone, proxies).
    pub fn new(pool: DbPool, settings: Settings) -> anyhow::Result<Self> {
        let hashers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
        Ok(Self {
            tz: settings.time_zone()?,
            trusted_proxies: crate::web::client::TrustedProxies::parse(&settings.proxy_list())?,
            hasher: crate::accounts::Hasher::start(hashers)?,
            plan_jobs: crate::web::planning::jobs::PlanJobs::new(settings.plan_job_lost_seconds),
            pool,
            settings,
            clock: Clock::system(),
            roads: std::sync::Arc::default(),
        })
    }

    /// The same state reading the time from `clock` (tests pin a day with it).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    /// Today's date in the region.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today(self.tz)
    }
}

/// Security headers on every answer (DESIGN.md section 6). The policy allows no inline script or
/// style: everything comes from our own `/static/`.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
     form-action 'self'; frame-ancestors 'none'; worker-src 'self'; manifest-src 'self'";

fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "geolocation=(self), camera=(), microphone=()",
        ))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        // Pages and answers show personal data: neither the browser's cache nor a proxy keeps
        // them (the field app's service worker keeps its own copies for the shift). Our static
        // files set their own `no-cache` with an ETag.
        .add(("Cache-Control", "no-store"));
    if https {
        // Served over HTTPS (the server's own or a proxy's): the browser keeps to it for a year,
        // so a tablet on a hostile network is never talked down to plain HTTP.
        headers.add(("Strict-Transport-Security", "max-age=31536000"))
    } else {
        headers
    }
}

fn session_middleware(state: &AppState, key: &Key) -> SessionMiddleware<DbSessionStore> {
    let settings = &state.settings;
    SessionMiddleware::builder(
        DbSessionStore::new(state.pool.clone(), state.clock),
        key.clone(),
    )
    .cookie_name("baqylau_session".to_owned())
    // The cookie holds only the session's random key, signed so that a forged one is
    // refused before the database is asked.
    .cookie_content_security(CookieContentSecurity::Signed)
    .cookie_http_only(true)
    .cookie_same_site(SameSite::Lax)
    .cookie_secure(settings.cookies_secure())
    .session_lifecycle(
        PersistentSession::default().session_ttl(CookieDuration::hours(settings.session_max_hours)),
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
    let session = session_middleware(&state, &key);
    let https = state.settings.cookies_secure();
    App::new()
        .app_data(state)
        .app_data(web::FormConfig::default().limit(256 * 1024))
        .configure(crate::web::routes)
        .default_service(web::to(crate::web::error_pages::not_found))
        .wrap(from_fn(crate::web::csrf::check))
        .wrap(from_fn(crate::web::auth::authenticate))
        .wrap(from_fn(crate::web::error_pages::error_pages))
        .wrap(session)
        .wrap(security_headers(https))
        .wrap(Compress::default())
        .wrap(crate::web::request_log::request_logger())
}
