//! Files of personal data are private to the server's user whatever the umask: the SQLite
//! database and its journal `0600` in a folder created `0700`, a backup `0600` (in a `0700`
//! folder when the command makes it), and an export `0600`. Each command runs under `umask 000`,
//! where anything the code does not make private would be open to everyone.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::{Command, Output};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// `baqylau ARGS` with the database at `db`, under `umask 000`.
fn baqylau(dir: &Path, db: &Path, args: &[&str]) -> Output {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 000 && exec '{}' {}",
            env!("CARGO_BIN_EXE_baqylau"),
            quoted.join(" ")
        ))
        .current_dir(dir)
        .env_remove("BAQYLAU_CONFIG")
        .env("BAQYLAU_DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("BAQYLAU_LOG", "warn")
        .env("BAQYLAU_DEMO_HISTORY", "false")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn the_database_a_backup_and_an_export_are_readable_by_the_server_alone() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("var/baqylau/b.db");
    baqylau(d, &db, &["demo-data", "--persons", "20"]);
    assert_eq!(mode(&d.join("var")), 0o700);
    assert_eq!(mode(&d.join("var/baqylau")), 0o700);
    assert_eq!(mode(&db), 0o600);
    for side in ["b.db-wal", "b.db-shm"] {
        let path = d.join("var/baqylau").join(side);
        if path.exists() {
            assert_eq!(mode(&path), 0o600, "{side}");
        }
    }

    let backup = d.join("backups/2026-12/b.db");
    baqylau(d, &db, &["backup", backup.to_str().unwrap()]);
    assert_eq!(mode(&d.join("backups")), 0o700);
    assert_eq!(mode(&d.join("backups/2026-12")), 0o700);
    assert_eq!(mode(&backup), 0o600);
    assert!(std::fs::metadata(&backup).unwrap().len() > 0, "a real copy");

    let export = d.join("persons.csv");
    baqylau(d, &db, &["export", "persons", export.to_str().unwrap()]);
    assert_eq!(mode(&export), 0o600);
    let offences = d.join("offences.csv");
    baqylau(d, &db, &["export", "offences", offences.to_str().unwrap()]);
    assert_eq!(mode(&offences), 0o600);
}

#[test]
fn a_database_left_open_by_an_older_version_is_made_private_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("b.db");
    baqylau(d, &db, &["migrate"]);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    baqylau(d, &db, &["migrate"]);
    assert_eq!(mode(&db), 0o600);
}
