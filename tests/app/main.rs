//! HTTP tests of the real app (`build_app`) over a real database: a SQLite file per test, or a
//! PostgreSQL schema per test when `TEST_DATABASE_URL` is set (`scripts/test.sh` runs both).

#![expect(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod access;
mod admin;
mod architecture;
mod backup;
mod bounded_work;
mod catalogue;
mod cli;
mod clock;
mod coverage;
mod coverage_vs_crime;
mod coverage_window;
mod crime;
mod csv_dialect;
mod csv_exports;
mod csv_injection;
mod demo;
mod demo_same_seed;
mod field_pages;
mod file_modes;
mod first_run;
mod fleet;
mod followups;
mod form_focus;
mod headline;
mod https;
mod import_lines;
mod live;
mod lockout;
mod migrations;
mod pages;
mod passwords;
mod plan_pages;
mod planning;
mod proxies;
mod random_forms;
mod read_audit;
mod redirects;
mod registry;
mod registry_paging;
mod request_log;
mod road_plans;
mod roads;
mod routes;
mod sessions;
mod sign_in;
mod street_maps;
mod unannounced;
mod uploads;
mod visit_corrections;
mod visit_scope;
mod visits;
