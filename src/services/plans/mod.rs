//! Plans, shared by the web and the command line: make a draft plan (`make`), change it
//! (`edit`: publish, re-optimise, remove, pin, move, add, each against the version it was made
//! on), read it for its page (`view`), check a stored plan with the independent checker
//! (`verify`) and export it (`export`). `place` runs the optimiser for all of them.

use std::time::Duration;

use crate::db::{self, DbConnection};
use crate::domain::MobileGroupId;
use crate::domain::mobile_group::MobileGroup;
use crate::domain::plan::Plan;

mod add;
pub mod edit;
pub mod export;
pub mod make;
pub mod place;
mod reoptimise;
pub mod travel;
pub mod verify;
pub mod view;

pub use edit::{Applied, PlanEdit, PlanEditError, apply, publish};
pub use export::{PlanExport, export_plan};
pub use make::{create_plan, create_plan_for, create_plan_with_progress};
pub use reoptimise::reoptimise;
pub use travel::{Travel, shared_cache};
pub use verify::check_stored;
pub use view::{PlanView, view_plan, view_plan_part};

/// Time the optimiser gets for a plan made or changed while a prosecutor waits: with reading,
/// drawing and storing (about half a second on the demo region) a plan takes about two seconds
/// (bench/planning run 4: 2.11 s on the backlogged history day; the day's due checks are within
/// 0.1 % of a 60 s solve).
pub const INTERACTIVE_TIME: Duration = Duration::from_millis(1500);

/// A new plan's seed, drawn from the operating system's generator: the days and hours of
/// unannounced checks follow from it, so it must not be guessable from the date or anything
/// else public (DESIGN.md section 6). It is kept in `plans.seed`, so the plan can be
/// reproduced; it fits the column (below 2^63).
pub fn fresh_seed() -> anyhow::Result<u64> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("no randomness for a plan's seed: {e}"))?;
    Ok(u64::from_le_bytes(bytes) & (i64::MAX as u64))
}

/// How to make a plan.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// First day.
    pub from: chrono::NaiveDate,
    /// Days (1 to 14).
    pub days: u32,
    /// Groups to plan (all when empty).
    pub group_ids: Vec<MobileGroupId>,
    /// Seed of the draw and of the optimiser.
    pub seed: u64,
    /// Optimiser time limit.
    pub time_limit: Duration,
    /// Optimiser threads.
    pub threads: usize,
    /// Limit on the optimiser's local-search runs (`usize::MAX`: only the time limit), so that
    /// tests get the same plan on any machine.
    pub iterations: usize,
}

/// What a plan came to, for summaries.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PlanTotals {
    /// Checks placed on routes.
    pub placed: usize,
    /// Checks left out.
    pub unplaced: usize,
    /// Routes (group-days) used.
    pub routes: usize,
    /// Driving distance, metres.
    pub distance_m: i64,
    /// Driving time, seconds.
    pub driving_s: i64,
    /// What the travel times were computed on.
    pub travel: crate::domain::travel::TravelSummary,
}

/// The phases of making a plan, as a progress display names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanPhase {
    /// Reading persons and past checks, computing and drawing the due checks.
    Reading,
    /// The optimiser at work (up to the plan's time limit).
    Optimising,
    /// Writing the plan and its checks.
    Storing,
}

/// The groups of `all` named by `ids` (all of them when `ids` is empty).
fn selected_groups(all: Vec<MobileGroup>, ids: &[MobileGroupId]) -> Vec<MobileGroup> {
    if ids.is_empty() {
        all
    } else {
        all.into_iter().filter(|g| ids.contains(&g.id)).collect()
    }
}

/// The groups of a stored plan.
pub fn plan_groups(conn: &mut DbConnection, plan: &Plan) -> diesel::QueryResult<Vec<MobileGroup>> {
    Ok(db::mobile_groups::list_mobile_groups(conn)?
        .into_iter()
        .filter(|g| plan.group_ids.contains(&g.id))
        .collect())
}
