//! Baqylau: a mobile-team probation visit scheduler and tracker.
//!
//! Where everything lives (layers at the top, areas inside; see STYLE.md and README.md; the
//! allowed imports between them are the table of `tests/app/architecture.rs`):
//! - `main.rs`, `cli`: the command line, one file per subcommand (serve, migrate, demo-data,
//!   user, backup, import, export, report, plan, roads, vrptw).
//! - `startup`: start-up (migrate, demo region, welcome message) and the HTTP server; only
//!   `cli::serve` calls it.
//! - `app`: `AppState` and `build_app`, the middleware stack used by `main` and the tests.
//! - `clock`: now in UTC and today in the region; held in `AppState`, pinned by tests.
//! - `config`: the settings tree (TOML file + `BAQYLAU_*` variables).
//! - `error`: `AppError`, the one error type of handlers.
//! - `i18n`: Russian, Kazakh and English catalogues (`i18n/*/main.ftl`), date and number formats.
//! - `accounts`: Argon2id password hashes and the lock after failed sign-ins.
//! - `domain`: the domain's types and rules (person, IIN, district, mobile group, check, plan,
//!   visit, ...); no I/O.
//! - `db`: diesel over SQLite or PostgreSQL (`DbConnection`), migrations, one module per table;
//!   rows and facts only, `DbError` from `db::run`.
//! - `web`: the URL table (`web::routes`), auth, CSRF, error pages, and one folder per area
//!   (`registry`, `planning`, `follow_ups`, `admin`, `reports`, `field`) matching
//!   `templates/<area>/`.
//! - `services`: the use cases the web and the command line share: `plans` (make a plan, edit
//!   it with `PlanEdit`, check and export it), `visits` (record a visit exactly once within
//!   the officer's scope, the officer's route and stops), `reports` (read the facts, then
//!   aggregate), `imports` (one importer pipeline for persons and offences, and the exports),
//!   `setup` (the first run's one-time token and administrator), `follow_ups` (assign and
//!   close, audited), `headline` (the supervisor's home figures).
//! - `planning`: pure planning (due checks, unannounced draws, checks <-> routing problem).
//! - `routing`: the VRPTW optimiser; knows nothing of persons or plans.
//! - `roads`: the road network from OpenStreetMap (import, storage, snapping, routes, the
//!   travel-matrix provider on roads).
//! - `reports`: pure aggregation of the supervisor's reports (crime trends, coverage, groups,
//!   coverage against crime); imports nothing of ours but `domain`.
//! - `demo`: the deterministic demo region loaded into an empty database.
//! - `telemetry`: logging.
//! - `tls`: HTTPS: the server's rustls configuration from PEM files, and self-signed office
//!   certificates.
//! - `private_files`: files of personal data (database, uploads, backups) `0600` in `0700` folders.
//!
//! Glossary (DESIGN.md section 2; Russian and Kazakh in GLOSSARY.md): Person, District,
//! MobileGroup, ContactStandard, Check (a planned visit to a home or work place), Visit (what an
//! officer recorded), FollowUp, Offence, Plan, Route, AuditEntry.

pub mod accounts;
pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod digest;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod planning;
pub mod private_files;
pub mod reports;
pub mod roads;
pub mod routing;
pub mod services;
pub mod startup;
pub mod telemetry;
pub mod tls;
pub mod web;
