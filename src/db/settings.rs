//! Key-value settings an administrator can change at run time (e.g. the national reference crime
//! rate); defaults live in code.

use diesel::prelude::*;

use super::schema::settings;
use super::{DbConnection, now_utc};

/// The stored value of a setting, if set.
pub fn find(conn: &mut DbConnection, key: &str) -> QueryResult<Option<String>> {
    settings::table
        .find(key)
        .select(settings::value)
        .first(conn)
        .optional()
}

/// Sets a value (update, else insert: MultiConnection has no portable upsert).
pub fn set(conn: &mut DbConnection, key: &str, value: &str) -> QueryResult<()> {
    let updated = diesel::update(settings::table.find(key))
        .set((
            settings::value.eq(value),
            settings::updated_at.eq(now_utc()),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(settings::table)
            .values((
                settings::key.eq(key),
                settings::value.eq(value),
                settings::updated_at.eq(now_utc()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Removes a value.
pub fn delete(conn: &mut DbConnection, key: &str) -> QueryResult<()> {
    diesel::delete(settings::table.find(key))
        .execute(conn)
        .map(drop)
}
