//! `baqylau check-config`: reads the settings (every rule between them was checked on loading),
//! then the files and the database they name, changing nothing: the HTTPS certificate and key,
//! the cookie key, the listening addresses, the database connection and its pending migrations.
//! Exits 0 when all is well, 1 with the problem named.

use anyhow::Context as _;

use crate::config::Settings;
use crate::db::{self, DatabaseUrl};

/// Examples in `check-config --help`.
pub const EXAMPLES: &str = "Examples:\n  \
    baqylau check-config\n  \
    baqylau --config /etc/baqylau/baqylau.toml check-config && systemctl restart baqylau";

/// Checks what the settings name; the first problem is the error.
pub fn run(settings: &Settings) -> anyhow::Result<()> {
    let url = DatabaseUrl::parse(&settings.database_url)?;
    println!("settings: read ({})", url.redacted());
    for (key, bind) in [
        ("BAQYLAU_BIND", &settings.bind),
        ("BAQYLAU_HTTP_REDIRECT_BIND", &settings.http_redirect_bind),
    ] {
        if bind.is_empty() {
            continue;
        }
        use std::net::ToSocketAddrs as _;
        bind.to_socket_addrs()
            .ok()
            .and_then(|mut a| a.next())
            .with_context(|| format!("{key} {bind:?} is not an address: use HOST:PORT"))?;
    }
    if settings.tls_enabled() {
        crate::tls::server_config(&settings.tls_cert, &settings.tls_key)?;
        println!(
            "https: the certificate {} and its key load",
            settings.tls_cert.display()
        );
    } else if settings.secure_cookies {
        println!("https: by a reverse proxy (secure_cookies)");
    } else {
        println!("https: off (tablets need HTTPS: set BAQYLAU_TLS_CERT/KEY or use a proxy)");
    }
    check_cookie_key(settings)?;
    if let DatabaseUrl::Sqlite(path) = &url
        && !path.exists()
    {
        println!("database: {} will be made at start", path.display());
        println!("ok");
        return Ok(());
    }
    use diesel::Connection as _;
    // One connection, no pool: a pool retries for seconds and logs each try.
    let mut conn = match &url {
        DatabaseUrl::Postgres(text) => {
            diesel::PgConnection::establish(text).map(db::DbConnection::Postgresql)
        }
        DatabaseUrl::Sqlite(path) => {
            diesel::SqliteConnection::establish(&path.display().to_string())
                .map(db::DbConnection::Sqlite)
        }
    }
    .with_context(|| format!("cannot connect to {}", url.redacted()))?;
    let pending = db::migrations::pending(&mut conn)?;
    println!("database: connected, {pending} migration(s) to apply at start");
    println!("ok");
    Ok(())
}

/// The cookie key: given, readable and well-formed, or to be made at start in a folder that can
/// hold it. Never made here.
fn check_cookie_key(settings: &Settings) -> anyhow::Result<()> {
    if !settings.secret_key.is_empty() {
        settings.cookie_key()?;
        println!("cookie key: from BAQYLAU_SECRET_KEY");
        return Ok(());
    }
    let path = settings.secret_key_path();
    if path.exists() {
        settings.cookie_key()?;
        println!("cookie key: {}", path.display());
    } else {
        println!(
            "cookie key: {} will be made at start (keep it in the backup)",
            path.display()
        );
    }
    Ok(())
}
