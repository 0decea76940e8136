//! `baqylau backup DEST`: a consistent copy of a running SQLite database.

use std::path::Path;

use crate::config::Settings;
use crate::db::{self, DatabaseUrl};

/// Examples in `backup --help`.
pub const EXAMPLES: &str = "Examples:\n  \
    baqylau backup /var/backups/baqylau/$(date +%F).db";

/// Writes the copy to `dest`, which must not exist.
pub fn run(settings: &Settings, dest: &Path) -> anyhow::Result<()> {
    let url = DatabaseUrl::parse(&settings.database_url)?;
    let DatabaseUrl::Sqlite(source) = &url else {
        anyhow::bail!(
            "backup copies SQLite databases; for PostgreSQL use pg_dump or its replication"
        );
    };
    anyhow::ensure!(
        source.exists(),
        "the database {} does not exist",
        source.display()
    );
    anyhow::ensure!(
        !dest.exists(),
        "{} exists already; choose a new file",
        dest.display()
    );
    let pool = db::connect(&url, 1)?;
    let mut conn = pool.get()?;
    db::backup_sqlite(&mut conn, dest)?;
    println!("backup written to {}", dest.display());
    Ok(())
}
