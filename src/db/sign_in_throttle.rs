//! Failed sign-ins per client address, counted in one statement (an upsert that returns the new
//! count) so that attempts sent in parallel, to one app server or several, cannot slip past the
//! limit.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Timestamp};

use super::schema::sign_in_throttle;
use super::{DbConnection, is_sqlite};

#[derive(QueryableByName)]
struct Failures {
    #[diesel(sql_type = Integer)]
    failures: i32,
}

/// Counts one more attempt from `ip` in the current window (a window older than `window_start`
/// starts again at one) and returns the count. Called before the password is checked; a
/// successful sign-in gives its attempt back with `forgive`.
pub fn count_attempt(
    conn: &mut DbConnection,
    ip: &str,
    now: NaiveDateTime,
    window_start: NaiveDateTime,
) -> QueryResult<i32> {
    // The same statement on both backends but for the placeholders (SQLite 3.35+ and
    // PostgreSQL both have ON CONFLICT ... RETURNING).
    let sql = if is_sqlite(conn) {
        "INSERT INTO sign_in_throttle (ip, failures, window_start) VALUES (?, 1, ?) \
         ON CONFLICT (ip) DO UPDATE SET \
         failures = CASE WHEN sign_in_throttle.window_start < ? THEN 1 \
                         ELSE sign_in_throttle.failures + 1 END, \
         window_start = CASE WHEN sign_in_throttle.window_start < ? THEN excluded.window_start \
                             ELSE sign_in_throttle.window_start END \
         RETURNING failures"
    } else {
        "INSERT INTO sign_in_throttle (ip, failures, window_start) VALUES ($1, 1, $2) \
         ON CONFLICT (ip) DO UPDATE SET \
         failures = CASE WHEN sign_in_throttle.window_start < $3 THEN 1 \
                         ELSE sign_in_throttle.failures + 1 END, \
         window_start = CASE WHEN sign_in_throttle.window_start < $4 THEN excluded.window_start \
                             ELSE sign_in_throttle.window_start END \
         RETURNING failures"
    };
    diesel::sql_query(sql)
        .bind::<Text, _>(ip)
        .bind::<Timestamp, _>(now)
        .bind::<Timestamp, _>(window_start)
        .bind::<Timestamp, _>(window_start)
        .get_result::<Failures>(conn)
        .map(|row| row.failures)
}

/// Gives back the attempt of a successful sign-in, so that only failures count.
pub fn forgive(conn: &mut DbConnection, ip: &str) -> QueryResult<()> {
    diesel::update(
        sign_in_throttle::table
            .find(ip)
            .filter(sign_in_throttle::failures.gt(0)),
    )
    .set(sign_in_throttle::failures.eq(sign_in_throttle::failures - 1))
    .execute(conn)
    .map(drop)
}

/// Forgets windows that ended before `before` (run now and then; a stale row only costs space).
pub fn purge(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(sign_in_throttle::table.filter(sign_in_throttle::window_start.lt(before)))
        .execute(conn)
}
