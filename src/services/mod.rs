//! The use cases the web and the command line both call: each reads and writes through `db`,
//! decides with the pure cores (`domain`, `planning`, `reports`, `routing`), returns typed
//! results, and knows nothing of HTTP or the terminal; handlers and subcommands only parse, call,
//! and render or print.
//!
//! - `plans`: make a plan, edit it (`PlanEdit`: publish, re-optimise, remove, pin, move, add),
//!   check a stored plan, export it.
//! - `visits`: record a visit exactly once within the officer's scope; the officer's route and
//!   stop.
//! - `reports`: the supervisors' reports (read the facts, then aggregate).
//! - `imports`: the importer pipeline of persons and offences (CSV in, dry run, all-or-nothing
//!   write with audit), and the CSV exports.
//! - `setup`: the first run's one-time token for the first administrator.

pub mod imports;
pub mod plans;
pub mod reports;
pub mod setup;
pub mod visits;

use crate::domain::user::User;

/// Who asks for a change, for the audit log: the signed-in user and the client's address.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    /// The user.
    pub user: &'a User,
    /// The client's address, when known.
    pub ip: Option<&'a str>,
}
