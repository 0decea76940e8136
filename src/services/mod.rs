//! The use cases the web and the command line both call: they read and write through `db`,
//! decide with `domain`, `planning` and `routing`, and know nothing of HTTP or the terminal.
//!
//! - `plans`: make a plan, edit it (`PlanEdit`: publish, re-optimise, remove, pin, move, add),
//!   check a stored plan, export it.
//! - `visits`: record a visit exactly once within the officer's scope; the officer's route and
//!   stop.

pub mod plans;
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
