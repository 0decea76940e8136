//! Planning pages (prosecutors): make a plan for a period and groups, see each route on a map
//! and as a timed list with the checks left out and why, move, pin and remove checks,
//! re-optimise, publish. Every change names the plan's version; a change made on an older
//! version is refused with a message, never applied over someone else's.
//!
//! `handlers` read the form (`forms`), call `services::plans` and render (`pages`, `plan_page`)
//! or redirect; `jobs` makes a new plan on a thread of its own, within `job_limits`, and `busy`
//! answers when those limits are reached.

pub mod busy;
pub mod forms;
pub mod handlers;
pub mod job_limits;
pub mod jobs;
pub mod pages;
pub mod plan_page;
pub mod route_page;
pub mod views;
