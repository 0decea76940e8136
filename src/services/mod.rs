//! The use cases the web and the command line both call: each reads and writes through `db`,
//! decides with the pure cores (`domain`, `planning`, `reports`, `routing`) and returns typed
//! results; handlers and subcommands only parse, call, and render or print.
//!
//! - `reports`: the supervisors' reports (read the facts, then aggregate).
//! - `imports`: the importer pipeline of persons and offences (CSV in, dry run, all-or-nothing
//!   write with audit), and the CSV exports.
//! - `setup`: the first run's one-time token for the first administrator.

pub mod imports;
pub mod reports;
pub mod setup;
