//! The two migration folders stay twins: the same migration names, each with up and down.

use std::collections::BTreeSet;

fn names(backend: &str) -> BTreeSet<String> {
    let dir = format!("{}/migrations/{backend}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| {
            for file in ["up.sql", "down.sql"] {
                assert!(
                    e.path().join(file).is_file(),
                    "{} lacks {file}",
                    e.path().display()
                );
            }
            e.file_name().to_string_lossy().into_owned()
        })
        .collect()
}

#[test]
fn sqlite_and_postgres_have_the_same_migrations() {
    let sqlite = names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, names("postgres"));
}

#[test]
fn the_suite_runs_on_the_backend_it_was_given() {
    let app = crate::support::TestApp::new();
    let mut conn = app.conn();
    let on_postgres = matches!(&mut *conn, baqylau::db::DbConnection::Postgresql(_));
    assert_eq!(on_postgres, crate::support::backend_url().is_some());
}
