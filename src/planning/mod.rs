//! Planning (DESIGN.md sections 2 and 4): which checks are due, and how a period's due checks
//! become a routing problem for the optimiser and its answer a plan. Pure and deterministic:
//! every function takes `today` or the period as an argument and never reads the clock.
//!
//! - `due_checks`: from contact standards and the last successful checks, what is due when.
//! - `draw`: the unannounced day and window of each due check.
//! - `plan`: drawn checks and groups -> `routing::Problem`; `routing::Solution` -> routes of
//!   stops.

pub mod draw;
pub mod due_checks;
pub mod plan;

pub use draw::draw;
pub use due_checks::{
    CRIME_RADIUS_M, CRIME_RAISE, CRIME_WINDOW_DAYS, DueCheck, due_checks, raise_crime_triggered,
};
pub use plan::{
    GreatCircleLegs, PlanCheck, PlanRequest, PlannedRoute, PlannedStop, Unplaced, UnplacedReason,
    build_problem, locations, read_solution,
};

#[cfg(test)]
mod tests;
