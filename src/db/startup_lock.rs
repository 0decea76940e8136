//! The start-up lock: migrations and the demo load run under it, so app servers started at the
//! same moment on one empty database take turns (the first migrates and loads, the others find it
//! done) instead of creating the same tables at once. PostgreSQL: a session advisory lock on a
//! connection of its own, keyed by the schema; SQLite: an exclusive lock on a file beside the
//! database (several servers on one SQLite file share one machine).

use anyhow::Context as _;
use diesel::Connection as _;
use diesel::RunQueryDsl as _;

use super::{DatabaseUrl, DbConnection};

/// Held while start-up migrates and loads; released when dropped (the PostgreSQL connection
/// closes, the file lock is let go).
#[must_use = "the lock is released when dropped"]
pub enum StartupLock {
    /// The advisory lock lives as long as this connection.
    Postgres(Box<DbConnection>),
    /// The lock file, locked.
    Sqlite(std::fs::File),
}

/// Waits for the start-up lock of the database `url` names.
pub fn acquire(url: &DatabaseUrl) -> anyhow::Result<StartupLock> {
    match url {
        DatabaseUrl::Postgres(text) => {
            let mut conn = DbConnection::establish(text)
                .with_context(|| format!("cannot connect to {}", url.redacted()))?;
            // One lock per schema: the tests' servers in schemas of one database do not wait for
            // each other, an office's servers on one schema do.
            diesel::sql_query(
                "SELECT pg_advisory_lock(hashtext('baqylau-startup:' || current_schema()))",
            )
            .execute(&mut conn)
            .context("cannot take the start-up lock (pg_advisory_lock)")?;
            Ok(StartupLock::Postgres(Box::new(conn)))
        }
        DatabaseUrl::Sqlite(path) => {
            let mut name = path.as_os_str().to_owned();
            name.push(".startup-lock");
            let lock_path = std::path::PathBuf::from(name);
            if let Some(dir) = lock_path.parent().filter(|d| !d.as_os_str().is_empty()) {
                crate::private_files::create_private_dir(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock_path)
                .with_context(|| format!("cannot open the lock file {}", lock_path.display()))?;
            file.lock()
                .with_context(|| format!("cannot lock {}", lock_path.display()))?;
            Ok(StartupLock::Sqlite(file))
        }
    }
}
