//! Test support: a fresh database per test (a SQLite file in a temp folder, or a PostgreSQL
//! schema when `TEST_DATABASE_URL` is set), the real app from `build_app`, and a small client
//! that keeps cookies and sends CSRF tokens like a browser.

pub mod builders;
pub mod client;
pub mod records;

use actix_web::cookie::Key;
use actix_web::web;
use baqylau::app::AppState;
use baqylau::config::Settings;
use baqylau::db::{self, DatabaseUrl};
use diesel::Connection as _;
use diesel::connection::SimpleConnection as _;

pub use client::TestClient;

/// The demo password used by every test.
pub const PASSWORD: &str = "baqylau-demo";

/// Creates pg_trgm in the PostgreSQL test database once per run.
static TRIGRAM_EXTENSION: std::sync::Once = std::sync::Once::new();

/// A migrated, empty (or demo-filled) database of its own and the app state over it.
pub struct TestApp {
    /// State shared with the app.
    pub state: web::Data<AppState>,
    key: Key,
    _dir: tempfile::TempDir,
    pg_schema: Option<(String, String)>,
}

/// Which backend the suite runs against: PostgreSQL when `TEST_DATABASE_URL` names one.
pub fn backend_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

impl TestApp {
    /// A fresh, migrated, empty database with default settings.
    pub fn new() -> Self {
        Self::with_settings(|_| {})
    }

    /// A fresh database with settings changed for this test.
    pub fn with_settings(change: impl FnOnce(&mut Settings)) -> Self {
        Self::with_settings_and_clock(change, baqylau::clock::Clock::system())
    }

    /// A fresh, empty database whose app reads the time from `clock` (a pinned day).
    pub fn with_clock(clock: baqylau::clock::Clock) -> Self {
        Self::with_settings_and_clock(|_| {}, clock)
    }

    /// A fresh database with settings changed for this test and the app's clock.
    pub fn with_settings_and_clock(
        change: impl FnOnce(&mut Settings),
        clock: baqylau::clock::Clock,
    ) -> Self {
        baqylau::telemetry::init("warn");
        let dir = tempfile::tempdir().unwrap();
        // A data folder as the server makes it (`private_files`), so it warns of nothing.
        std::fs::set_permissions(
            dir.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        let mut settings = Settings::default();
        let (url, pg_schema) = fresh_database(dir.path());
        settings.database_url = url;
        settings.database_pool_size = 3;
        settings.secret_key_file = dir.path().join("secret.key");
        change(&mut settings);
        let url = DatabaseUrl::parse(&settings.database_url).unwrap();
        let pool = db::connect(&url, settings.database_pool_size).unwrap();
        db::migrations::run_pending(&mut pool.get().unwrap()).unwrap();
        let key = Key::from(&settings.cookie_key().unwrap());
        let state = web::Data::new(AppState::new(pool, settings).unwrap().with_clock(clock));
        TestApp {
            state,
            key,
            _dir: dir,
            pg_schema,
        }
    }

    /// A fresh database holding the demo region with `persons` persons.
    pub fn with_demo(persons: usize) -> Self {
        Self::demo_in(Self::new(), persons)
    }

    /// `app`'s empty database filled with the demo region of `persons` persons.
    pub fn demo_in(app: Self, persons: usize) -> Self {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let loaded =
            baqylau::demo::load_if_empty(&mut app.conn(), 2026, persons, today, PASSWORD).unwrap();
        assert!(loaded.is_some());
        app
    }

    /// A pooled connection for direct checks.
    pub fn conn(&self) -> diesel::r2d2::PooledConnection<db::DbManager> {
        self.state.pool.get().unwrap()
    }

    /// A client of a second app server over the same database: its own pool and state (nothing
    /// shared in memory with the first), the same cookie key, as a fleet behind a load balancer.
    pub async fn second_server_client(&self) -> TestClient {
        let settings = self.state.settings.clone();
        let url = DatabaseUrl::parse(&settings.database_url).unwrap();
        let pool = db::connect(&url, settings.database_pool_size).unwrap();
        let state = web::Data::new(AppState::new(pool, settings).unwrap());
        TestClient::new(state, self.key.clone()).await
    }

    /// A client talking to the real app in-process.
    pub async fn client(&self) -> TestClient {
        TestClient::new(self.state.clone(), self.key.clone()).await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        drop_schema(self.pg_schema.as_ref());
    }
}

/// A fresh, empty (unmigrated) database: a new schema in the `TEST_DATABASE_URL` server, or a
/// SQLite file in `dir`; its URL, and the server and schema to drop afterwards.
pub fn fresh_database(dir: &std::path::Path) -> (String, Option<(String, String)>) {
    match backend_url() {
        Some(base) => {
            let schema = format!("t_{}", uuid_like());
            let mut admin = diesel::PgConnection::establish(&base).unwrap();
            // The search migration's pg_trgm goes to `public` once, before any test schema:
            // created inside a test schema it would be dropped with it.
            TRIGRAM_EXTENSION.call_once(|| {
                admin
                    .batch_execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
                    .unwrap();
            });
            admin
                .batch_execute(&format!("CREATE SCHEMA {schema}"))
                .unwrap();
            let sep = if base.contains('?') { '&' } else { '?' };
            let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
            (url, Some((base, schema)))
        }
        None => (format!("sqlite://{}", dir.join("test.db").display()), None),
    }
}

/// Drops a schema [`fresh_database`] made (best effort: a schema left behind only costs disk in
/// the test server).
pub fn drop_schema(pg_schema: Option<&(String, String)>) {
    if let Some((base, schema)) = pg_schema
        && let Ok(mut admin) = diesel::PgConnection::establish(base)
    {
        let _ = admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
    }
}

fn uuid_like() -> String {
    baqylau::domain::UserId::new().as_str().replace('-', "")
}

/// A client signed in as `login` (the sign-in must succeed).
pub async fn signed_in(app: &TestApp, login: &str) -> TestClient {
    let mut client = app.client().await;
    let answer = client.sign_in(login, PASSWORD).await;
    assert_eq!(
        answer.status,
        actix_web::http::StatusCode::SEE_OTHER,
        "{login} signs in"
    );
    client
}

/// A client signed in as `login` with English pages (the reports' tests read English figures).
pub async fn signed_in_english(app: &TestApp, login: &str) -> TestClient {
    let mut client = app.client().await;
    client.sign_in(login, PASSWORD).await;
    client
        .post_form("/preferences", &[("lang", "en"), ("next", "/")])
        .await;
    client
}

/// A CSV download's rows (after the header and the BOM) as fields, in either dialect (the
/// delimiter is the header's: `;` in Russian and Kazakh, `,` in English).
pub fn csv_rows(body: &str) -> Vec<Vec<String>> {
    let body = body.trim_start_matches('\u{feff}');
    let header = body.lines().next().unwrap_or_default();
    let delimiter = if header.contains(';') { b';' } else { b',' };
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}
