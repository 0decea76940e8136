//! Start-up: open and migrate the database, load the demo region into an empty one, print where
//! to go and how to sign in, and run the HTTP server. Only `cli::serve` calls it; nothing imports it
//! back (tests/app/architecture.rs checks).

use std::time::Instant;

use actix_web::cookie::Key;
use actix_web::{HttpServer, web};
use anyhow::Context as _;

use crate::app::{AppState, build_app};
use crate::config::Settings;
use crate::db::{self, DatabaseUrl, DbPool};

/// Opens the pool of the settings' database and applies pending migrations; returns the pool
/// and how many migrations ran.
fn open_database(settings: &Settings) -> anyhow::Result<(DbPool, usize)> {
    db::open(
        &DatabaseUrl::parse(&settings.database_url)?,
        settings.database_pool_size,
    )
}

/// Makes the demo history on a thread of its own, so the server answers at once; each week is
/// written in its own transactions, so reports fill in as it runs.
fn spawn_demo_history(settings: &Settings, pool: crate::db::DbPool) -> anyhow::Result<()> {
    let today = settings.today()?;
    let seed = settings.demo_seed;
    let failures = settings.failures_for_follow_up;
    std::thread::Builder::new()
        .name("demo-history".to_owned())
        .spawn(move || {
            let started = Instant::now();
            let result = pool
                .get()
                .map_err(anyhow::Error::from)
                .and_then(|mut conn| {
                    crate::demo::history::generate_if_absent(
                        &mut conn,
                        seed,
                        today,
                        failures,
                        &mut |_, _| {},
                    )
                });
            match result {
                Ok(Some(h)) => tracing::info!(
                    plans = h.plans,
                    checks = h.checks,
                    visits = h.visits,
                    seconds = started.elapsed().as_secs(),
                    "demo history ready"
                ),
                Ok(None) => {}
                Err(error) => tracing::error!(%error, "the demo history could not be made"),
            }
        })?;
    Ok(())
}

/// What start-up made under the start-up lock.
struct Prepared {
    pool: DbPool,
    demo: Option<crate::demo::DemoSummary>,
    setup_token: Option<String>,
    key: Key,
}

/// Migrates, loads the demo region into an empty database and makes the cookie key, holding the
/// start-up lock (`db::startup_lock`): servers started together on one empty database take turns,
/// and the demo is loaded once.
fn prepare(settings: &Settings) -> anyhow::Result<Prepared> {
    let url = DatabaseUrl::parse(&settings.database_url)?;
    let lock = db::startup_lock::acquire(&url)?;
    let (pool, applied) = open_database(settings)?;
    if applied > 0 {
        tracing::info!(applied, "database migrated");
    }
    let demo = if settings.demo_allowed() {
        let mut conn = pool.get()?;
        crate::demo::load_if_empty(
            &mut conn,
            settings.demo_seed,
            1500,
            settings.today()?,
            settings.effective_demo_password(),
        )?
    } else {
        None
    };
    if demo.is_some() {
        crate::demo::load_roads_if_absent(
            &mut *pool.get()?,
            settings.demo_seed,
            settings.today()?,
        )?;
    }
    // An empty database without the demo: the first administrator is made with a token
    // printed here (or `baqylau user add`).
    let setup_token = crate::services::setup::prepare_token(&mut *pool.get()?)?;
    let key = Key::from(&settings.cookie_key()?);
    drop(lock);
    Ok(Prepared {
        pool,
        demo,
        setup_token,
        key,
    })
}

/// Migrates, loads the demo region into an empty database, and serves (HTTPS when `tls_cert` is
/// set, with an optional plain listener that only redirects) until stopped. A stop (SIGTERM,
/// Ctrl+C) finishes the requests under way, then marks this server's plan jobs as failed so
/// their pages offer to start them again at once.
pub fn serve(settings: Settings) -> anyhow::Result<()> {
    let started = Instant::now();
    let tls = settings
        .tls_enabled()
        .then(|| crate::tls::server_config(&settings.tls_cert, &settings.tls_key))
        .transpose()?;
    let Prepared {
        pool,
        demo,
        setup_token,
        key,
    } = prepare(&settings)?;
    if demo.is_some() && settings.demo_history {
        spawn_demo_history(&settings, pool.clone())?;
    }
    crate::web::registry::pending::start_sweeping(&settings)?;
    let bind = settings.bind.clone();
    let url = DatabaseUrl::parse(&settings.database_url)?.redacted();
    let state = web::Data::new(AppState::new(pool, settings.clone())?);
    let app_state = state.clone();
    let server = HttpServer::new(move || build_app(app_state.clone(), key.clone()))
        .workers(num_workers(&settings))
        .shutdown_timeout(30);
    let server = match tls {
        Some(config) => server.bind_rustls_0_23(&bind, config),
        None => server.bind(&bind),
    }
    .with_context(|| format!("cannot listen on {bind} (BAQYLAU_BIND)"))?;
    let https_port = server
        .addrs()
        .first()
        .map_or(443, std::net::SocketAddr::port);
    let redirect = redirect_listener(&settings)?;
    let welcome = Welcome {
        bind: &bind,
        scheme: if settings.tls_enabled() {
            "https"
        } else {
            "http"
        },
        url: &url,
        demo: demo.as_ref(),
        took: started.elapsed(),
        setup_token: setup_token.as_deref(),
    };
    print_welcome(&settings, &welcome);
    let ran = actix_web::rt::System::new().block_on(async move {
        match redirect {
            Some(listener) => {
                let plain = redirect_server(listener, https_port)?;
                let (main, plain) = futures_util::future::join(server.run(), plain).await;
                main.and(plain)
            }
            None => server.run().await,
        }
    });
    mark_stopped_jobs(&state);
    ran.context("the server stopped with an error")
}

/// The address of the plain-HTTP listener that redirects to HTTPS, bound now (so a taken port
/// is said before the welcome), when `http_redirect_bind` is set.
fn redirect_listener(settings: &Settings) -> anyhow::Result<Option<std::net::TcpListener>> {
    let bind = &settings.http_redirect_bind;
    if bind.is_empty() {
        return Ok(None);
    }
    std::net::TcpListener::bind(bind)
        .map(Some)
        .with_context(|| format!("cannot listen on {bind} (BAQYLAU_HTTP_REDIRECT_BIND)"))
}

/// The redirecting server on `listener` (inside the running system).
fn redirect_server(
    listener: std::net::TcpListener,
    https_port: u16,
) -> std::io::Result<actix_web::dev::Server> {
    use crate::web::https_redirect::{HttpsPort, redirect};
    Ok(HttpServer::new(move || {
        actix_web::App::new()
            .app_data(web::Data::new(HttpsPort(https_port)))
            .default_service(web::to(redirect))
    })
    .workers(1)
    .listen(listener)?
    .run())
}

/// After a stop: the plans this server was still making are marked failed (their threads end
/// with the process), so whichever server shows their page offers to start them again.
fn mark_stopped_jobs(state: &AppState) {
    let marked = state
        .pool
        .get()
        .map_err(anyhow::Error::from)
        .and_then(|mut conn| Ok(state.plan_jobs.fail_running(&mut conn)?));
    match marked {
        Ok(0) => {}
        Ok(jobs) => tracing::warn!(jobs, "stopped while making plans: marked as failed"),
        Err(error) => tracing::error!(%error, "the plans being made could not be marked"),
    }
}

/// HTTP workers: `workers`, else one per core.
fn num_workers(settings: &Settings) -> usize {
    match settings.workers {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    }
}

/// Tells how to make the first administrator, and why there is no demo region, when the
/// database has no user.
fn print_setup(settings: &Settings, bind: &str, token: Option<&str>) {
    let Some(token) = token else { return };
    if settings.demo && !settings.demo_allowed() {
        println!(
            "  No demo region: the server listens on {bind}, not a loopback address, and \
             BAQYLAU_DEMO_PASSWORD is not set (the published demo password would be open to the \
             network). Set BAQYLAU_DEMO=false to silence this."
        );
    }
    println!("  No users yet. Create the first administrator at http://{bind}/setup?token={token}");
    println!(
        "  (the token works once), or run: baqylau user add LOGIN --role administrator --name NAME"
    );
    println!();
}

/// What start-up prints about itself.
struct Welcome<'a> {
    bind: &'a str,
    scheme: &'a str,
    url: &'a str,
    demo: Option<&'a crate::demo::DemoSummary>,
    took: std::time::Duration,
    setup_token: Option<&'a str>,
}

fn print_welcome(settings: &Settings, welcome: &Welcome<'_>) {
    let Welcome {
        bind,
        scheme,
        url,
        demo,
        took,
        setup_token,
    } = *welcome;
    println!();
    println!(
        "  Baqylau is running at {scheme}://{bind}/  (database: {url}, ready in {:.1} s)",
        took.as_secs_f64()
    );
    if let Some(demo) = demo {
        println!(
            "  Demo region loaded: {} districts, {} persons, {} mobile groups.",
            demo.districts, demo.persons, demo.groups
        );
        if settings.demo_history {
            println!(
                "  Its history since January 2025 (weekly plans and visits) is being made in the background."
            );
        }
    }
    if settings.demo_allowed() {
        // A chosen password is not echoed to the console (and so to the service's journal).
        let password = if settings.demo_password.is_empty() {
            crate::config::PUBLISHED_DEMO_PASSWORD
        } else {
            "as set in BAQYLAU_DEMO_PASSWORD"
        };
        println!("  Demo sign-ins (password: {password}):");
        println!("    admin       administrator: users, groups, districts, standards, audit log");
        println!("    prosecutor  prosecutor: the registry of persons, plans, follow-ups");
        println!("    supervisor  supervisor: coverage and crime reports");
        println!(
            "    officer01 … officer24  officers of the 12 mobile groups (two each): today's route"
        );
    }
    print_setup(settings, bind, setup_token);
    println!("  Stop with Ctrl+C.");
    println!();
}
