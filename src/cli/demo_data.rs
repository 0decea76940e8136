//! `baqylau demo-data`: migrate and fill an empty database with the demo region, its roads and
//! (unless `BAQYLAU_DEMO_HISTORY=false`) its history of weekly plans and visits.

use crate::config::Settings;

/// Examples in `demo-data --help`.
pub const EXAMPLES: &str = "Examples:\n  \
    baqylau demo-data\n  \
    BAQYLAU_DEMO_HISTORY=false baqylau demo-data --persons 100000";

/// Loads the demo region when the database is empty; says so when it is not.
pub fn run(settings: &Settings, persons: usize) -> anyhow::Result<()> {
    let pool = super::open_database(settings)?;
    let mut conn = pool.get()?;
    let today = settings.today()?;
    let loaded = crate::demo::load_if_empty(
        &mut conn,
        settings.demo_seed,
        persons,
        today,
        settings.effective_demo_password(),
    )?;
    let Some(summary) = loaded else {
        println!("the database already holds data; nothing was changed");
        return Ok(());
    };
    println!(
        "demo region loaded: {} districts, {} persons, {} mobile groups, {} users",
        summary.districts,
        summary.persons,
        summary.groups,
        summary.logins.len()
    );
    if let Some(roads) = crate::demo::load_roads_if_absent(&mut conn, settings.demo_seed, today)? {
        println!(
            "demo road network: {} junctions, {} edges, {} addresses",
            roads.nodes, roads.edges, roads.addresses
        );
    }
    if settings.demo_history {
        history(settings, &mut conn, today)?;
    }
    Ok(())
}

/// The demo history, with a progress bar.
fn history(
    settings: &Settings,
    conn: &mut crate::db::DbConnection,
    today: chrono::NaiveDate,
) -> anyhow::Result<()> {
    let bar = indicatif::ProgressBar::new(0);
    let history = crate::demo::history::generate_if_absent(
        conn,
        settings.demo_seed,
        today,
        settings.failures_for_follow_up,
        &mut |done, all| {
            bar.set_length(all as u64);
            bar.set_position(done as u64);
        },
    )?;
    bar.finish_and_clear();
    if let Some(h) = history {
        println!(
            "demo history: {} weekly plans, {} checks placed, {} visits, {} follow-ups closed",
            h.plans, h.checks, h.visits, h.follow_ups_closed
        );
    }
    Ok(())
}
