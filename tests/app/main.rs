//! HTTP tests of the real app (`build_app`) over a real database: a SQLite file per test, or a
//! PostgreSQL schema per test when `TEST_DATABASE_URL` is set (`scripts/test.sh` runs both).

#![expect(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod access;
mod admin;
mod backup;
mod catalogue;
mod cli;
mod coverage;
mod coverage_vs_crime;
mod coverage_window;
mod crime;
mod demo;
mod migrations;
mod pages;
mod planning;
mod random_forms;
mod registry;
mod roads;
mod routes;
mod sign_in;
mod visits;
