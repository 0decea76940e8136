//! `baqylau migrate`: apply pending migrations and exit.

use crate::config::Settings;

/// Examples in `migrate --help`.
pub const EXAMPLES: &str = "Examples:\n  \
    baqylau migrate\n  \
    BAQYLAU_DATABASE_URL=postgres://baqylau@db/baqylau baqylau migrate";

/// Opens (and so migrates) the database.
pub fn run(settings: &Settings) -> anyhow::Result<()> {
    let pool = super::open_database(settings)?;
    drop(pool);
    println!("database is up to date");
    Ok(())
}
