//! The connection enum over both backends. It sits alone in this module because diesel's derive
//! generates helper items next to it, kept out of the public docs.

use diesel::{PgConnection, SqliteConnection};

/// A connection to either backend; the variant is chosen from the URL scheme, never by trying.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// PostgreSQL, for national scale.
    Postgresql(PgConnection),
    /// SQLite (bundled), the embedded default.
    Sqlite(SqliteConnection),
}
