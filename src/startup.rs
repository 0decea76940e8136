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

/// Migrates, loads the demo region into an empty database, and serves until stopped.
pub fn serve(settings: Settings) -> anyhow::Result<()> {
    let started = Instant::now();
    let (pool, applied) = open_database(&settings)?;
    if applied > 0 {
        tracing::info!(applied, "database migrated");
    }
    let demo = if settings.demo_allowed() {
        let mut conn = pool.get()?;
        let today = settings.today()?;
        crate::demo::load_if_empty(
            &mut conn,
            settings.demo_seed,
            1500,
            today,
            settings.effective_demo_password(),
        )?
    } else {
        None
    };
    if demo.is_some() {
        crate::demo::load_roads_if_absent(&mut *pool.get()?, settings.demo_seed)?;
    }
    if demo.is_some() && settings.demo_history {
        spawn_demo_history(&settings, pool.clone())?;
    }
    // An empty database without the demo: the first administrator is made with a token
    // printed here (or `baqylau user add`).
    let setup_token = crate::services::setup::prepare_token(&mut *pool.get()?)?;
    let key = Key::from(&settings.cookie_key()?);
    crate::web::registry::pending::start_sweeping(&settings)?;
    let workers = if settings.workers == 0 {
        num_workers()
    } else {
        settings.workers
    };
    let bind = settings.bind.clone();
    let url = DatabaseUrl::parse(&settings.database_url)?.redacted();
    let state = web::Data::new(AppState::new(pool, settings.clone())?);
    let server = HttpServer::new(move || build_app(state.clone(), key.clone()))
        .workers(workers)
        .bind(&bind)
        .with_context(|| format!("cannot listen on {bind} (BAQYLAU_BIND)"))?;
    let welcome = Welcome {
        bind: &bind,
        url: &url,
        demo: demo.as_ref(),
        took: started.elapsed(),
        setup_token: setup_token.as_deref(),
    };
    print_welcome(&settings, &welcome);
    actix_web::rt::System::new()
        .block_on(server.run())
        .context("the server stopped with an error")
}

fn num_workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
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
    url: &'a str,
    demo: Option<&'a crate::demo::DemoSummary>,
    took: std::time::Duration,
    setup_token: Option<&'a str>,
}

fn print_welcome(settings: &Settings, welcome: &Welcome<'_>) {
    let Welcome {
        bind,
        url,
        demo,
        took,
        setup_token,
    } = *welcome;
    println!();
    println!(
        "  Baqylau is running at http://{bind}/  (database: {url}, ready in {:.1} s)",
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
