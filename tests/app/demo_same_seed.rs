//! The demo is the same database for the same seed and day (issue 18, target 4): two demo loads
//! with their road network and history, into two SQLite files, hold the same rows in every
//! table (compared in primary-key order), and their `VACUUM INTO` copies are the same bytes.
//! SQLite files only: the property is about the rows the demo makes, which do not depend on the
//! backend, and `VACUUM INTO` gives a file whose bytes follow from its rows alone. One column is
//! not the demo's: diesel's `__diesel_schema_migrations.run_on`, the wall-clock moment the
//! migrations ran; it is left out of the rows and set to one value before the copies.

use std::path::{Path, PathBuf};

use baqylau::db::{self, DatabaseUrl};
use diesel::QueryableByName;
use diesel::RunQueryDsl as _;
use diesel::sql_types::Text;

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

fn lines(conn: &mut db::DbConnection, sql: &str) -> Vec<String> {
    diesel::sql_query(sql)
        .load::<Line>(conn)
        .unwrap()
        .into_iter()
        .map(|l| l.line)
        .collect()
}

/// A small demo (60 persons, its roads, the history up to a Wednesday seven weeks in) made into
/// `name` in `dir`; the path of its `VACUUM INTO` copy.
fn demo_into(dir: &Path, name: &str, seed: u64) -> (db::DbPool, PathBuf) {
    let today = chrono::NaiveDate::from_ymd_opt(2025, 2, 19).unwrap();
    let url = DatabaseUrl::parse(&format!("sqlite://{}", dir.join(name).display())).unwrap();
    let pool = db::connect(&url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    db::migrations::run_pending(&mut conn).unwrap();
    let password = baqylau::demo::PUBLISHED_PASSWORD;
    baqylau::demo::load_if_empty(&mut conn, seed, 60, today, password)
        .unwrap()
        .unwrap();
    baqylau::demo::load_roads_if_absent(&mut conn, seed, today)
        .unwrap()
        .unwrap();
    baqylau::demo::history::generate_if_absent(&mut conn, seed, today, 2, &mut |_, _| {})
        .unwrap()
        .unwrap();
    diesel::sql_query("UPDATE __diesel_schema_migrations SET run_on = '2025-01-01 00:00:00'")
        .execute(&mut conn)
        .unwrap();
    let copy = dir.join(format!("{name}.copy"));
    db::backup_sqlite(&mut conn, &copy).unwrap();
    drop(conn);
    (pool, copy)
}

/// Every table's rows as text, each table in the order of its primary key (of all its columns
/// when it has none).
fn dump(conn: &mut db::DbConnection) -> Vec<(String, Vec<String>)> {
    let tables = lines(
        conn,
        "SELECT name AS line FROM sqlite_schema WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' ORDER BY name",
    );
    tables
        .into_iter()
        .map(|table| {
            let columns = lines(
                conn,
                &format!(
                    "SELECT name AS line FROM pragma_table_info('{table}') \
                     WHERE NOT ('{table}' = '__diesel_schema_migrations' AND name = 'run_on') ORDER BY cid"
                ),
            );
            let mut key = lines(
                conn,
                &format!(
                    "SELECT name AS line FROM pragma_table_info('{table}') WHERE pk > 0 ORDER BY pk"
                ),
            );
            if key.is_empty() {
                key.clone_from(&columns);
            }
            let row = columns
                .iter()
                .map(|c| format!("quote(\"{c}\")"))
                .collect::<Vec<_>>()
                .join(" || '|' || ");
            let order = key
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let rows = lines(
                conn,
                &format!("SELECT {row} AS line FROM \"{table}\" ORDER BY {order}"),
            );
            (table, rows)
        })
        .collect()
}

/// The start of a row, for a message (a road network's row holds megabytes).
fn shorten(row: &str) -> String {
    row.chars().take(300).collect()
}

#[test]
fn the_same_seed_makes_the_same_demo_database_row_for_row_and_byte_for_byte() {
    assert_eq!(
        baqylau::demo::PUBLISHED_PASSWORD,
        baqylau::config::PUBLISHED_DEMO_PASSWORD
    );
    let dir = tempfile::tempdir().unwrap();
    let (first, first_copy) = demo_into(dir.path(), "first.db", 2026);
    let (second, second_copy) = demo_into(dir.path(), "second.db", 2026);
    let (a, b) = (
        dump(&mut first.get().unwrap()),
        dump(&mut second.get().unwrap()),
    );
    let rows = |d: &[(String, Vec<String>)], t: &str| {
        d.iter().find(|(n, _)| n == t).map_or(0, |(_, r)| r.len())
    };
    for table in [
        "persons",
        "users",
        "plans",
        "checks",
        "visits",
        "follow_ups",
        "road_networks",
    ] {
        assert!(rows(&a, table) > 0, "the demo fills {table}");
    }
    for ((table, rows_a), (_, rows_b)) in a.iter().zip(&b) {
        let differ = rows_a
            .iter()
            .zip(rows_b)
            .find(|(x, y)| x != y)
            .map(|(x, y)| (shorten(x), shorten(y)));
        assert!(
            rows_a.len() == rows_b.len() && differ.is_none(),
            "{table}: {} against {} rows, first difference {differ:?}",
            rows_a.len(),
            rows_b.len()
        );
    }
    assert_eq!(a.len(), b.len());
    let (bytes_a, bytes_b) = (
        std::fs::read(&first_copy).unwrap(),
        std::fs::read(&second_copy).unwrap(),
    );
    assert!(bytes_a == bytes_b, "the VACUUM INTO copies differ");
    // Another seed makes another region (the comparison can see a difference).
    let (other, _) = demo_into(dir.path(), "other.db", 7);
    assert!(
        dump(&mut other.get().unwrap()) != a,
        "another seed, another demo"
    );
}
