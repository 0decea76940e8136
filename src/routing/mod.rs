//! The route optimiser: a rich vehicle routing problem with time windows (VRPTW) solver that
//! knows nothing of persons or plans, only jobs, vehicles and travel matrices.
//!
//! - `problem`: the model ([`Problem`], [`Job`], [`Vehicle`], [`Solution`], [`UnassignedReason`]).
//! - `matrix`: [`TravelMatrix`] and the great-circle provider.
//! - `solver`: the hybrid genetic search behind [`solve`].
//! - `check`: an independent feasibility checker and cost evaluator.
//! - `solomon`: the public Solomon VRPTW benchmark (reader, solution writer, one-call runner).
//!
//! ```ignore
//! let solution = routing::solve(&problem, &SolverParams::default())?;
//! assert!(routing::check::check(&problem, &solution).violations.is_empty());
//! ```

pub mod check;
pub mod matrix;
pub mod problem;
pub mod solomon;
pub mod solver;

pub use matrix::{GreatCircle, LatLon, TravelMatrix};
pub use problem::{
    Job, Objective, Pin, Problem, ProblemError, Route, Solution, TimeWindow, Unassigned,
    UnassignedReason, Vehicle,
};
pub use solver::{SolveStats, SolverParams, solve, solve_with_stats};
