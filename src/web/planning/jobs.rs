//! Plans made in the background: a new plan's optimisation runs on a thread of its own while
//! the prosecutor watches a progress page (it refreshes itself, so it works without script),
//! then lands on the plan. The registry lives in `AppState`, shared by every web worker.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::planner::PlanPhase;

/// How long a finished job is remembered (its page then answers "not found").
const KEEP_FINISHED: Duration = Duration::from_secs(15 * 60);

/// Where a plan job is.
#[derive(Debug, Clone, PartialEq)]
pub enum JobState {
    /// Working, in this phase since this instant.
    Running {
        /// Current phase.
        phase: PlanPhase,
        /// When the phase began.
        since: Instant,
    },
    /// The plan is stored under this id.
    Done(String),
    /// The plan could not be made: what went wrong, already localised.
    Failed(String),
}

/// One plan job.
#[derive(Debug, Clone)]
pub struct PlanJob {
    /// The user who started it: only they see its page.
    pub owner: String,
    /// The optimiser's time limit, to turn elapsed time into a share.
    pub time_limit: Duration,
    /// Where it is.
    pub state: JobState,
    /// When it finished (for clean-up).
    finished: Option<Instant>,
}

impl PlanJob {
    /// The share of the work done, 0 to 100: reading and drawing the checks, then the
    /// optimiser's time (the most of it), then storing.
    pub fn percent(&self) -> u8 {
        match &self.state {
            JobState::Running { phase, since } => match phase {
                PlanPhase::Reading => 5,
                PlanPhase::Optimising => {
                    let share = since.elapsed().as_secs_f64() / self.time_limit.as_secs_f64();
                    (10.0 + 85.0 * share.min(1.0)).round() as u8
                }
                PlanPhase::Storing => 97,
            },
            JobState::Done(_) | JobState::Failed(_) => 100,
        }
    }
}

/// The registry of plan jobs, by job id.
#[derive(Debug, Clone, Default)]
pub struct PlanJobs(Arc<Mutex<HashMap<String, PlanJob>>>);

impl PlanJobs {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, PlanJob>> {
        // A panic while holding the lock leaves plain data behind: keep using it.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Registers a new job of `owner`; forgets jobs finished long ago.
    pub fn start(&self, id: &str, owner: &str, time_limit: Duration) {
        let mut jobs = self.lock();
        jobs.retain(|_, job| job.finished.is_none_or(|at| at.elapsed() < KEEP_FINISHED));
        jobs.insert(
            id.to_owned(),
            PlanJob {
                owner: owner.to_owned(),
                time_limit,
                state: JobState::Running {
                    phase: PlanPhase::Reading,
                    since: Instant::now(),
                },
                finished: None,
            },
        );
    }

    /// Moves a job to a new phase.
    pub fn phase(&self, id: &str, phase: PlanPhase) {
        if let Some(job) = self.lock().get_mut(id) {
            job.state = JobState::Running {
                phase,
                since: Instant::now(),
            };
        }
    }

    /// Ends a job with its plan or its failure.
    pub fn finish(&self, id: &str, state: JobState) {
        if let Some(job) = self.lock().get_mut(id) {
            job.state = state;
            job.finished = Some(Instant::now());
        }
    }

    /// A job as `user` may see it: `None` for an unknown job or someone else's.
    pub fn get(&self, id: &str, user: &str) -> Option<PlanJob> {
        self.lock().get(id).filter(|job| job.owner == user).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_is_seen_by_its_owner_only_and_moves_through_its_phases() {
        let jobs = PlanJobs::default();
        jobs.start("j1", "u1", Duration::from_secs(2));
        assert!(jobs.get("j1", "u2").is_none(), "someone else's job");
        assert!(jobs.get("nope", "u1").is_none());
        let percent = |jobs: &PlanJobs| jobs.get("j1", "u1").map(|job| job.percent());
        assert_eq!(percent(&jobs), Some(5));
        jobs.phase("j1", PlanPhase::Optimising);
        let share = percent(&jobs).unwrap_or_default();
        assert!((10..=95).contains(&share), "{share}");
        jobs.phase("j1", PlanPhase::Storing);
        assert_eq!(percent(&jobs), Some(97));
        jobs.finish("j1", JobState::Done("p1".into()));
        let job = jobs
            .get("j1", "u1")
            .map(|job| (job.state.clone(), job.percent()));
        assert_eq!(job, Some((JobState::Done("p1".into()), 100)));
    }

    #[test]
    fn the_optimising_share_follows_the_time_limit() {
        let job = PlanJob {
            owner: "u".into(),
            time_limit: Duration::from_secs(4),
            state: JobState::Running {
                phase: PlanPhase::Optimising,
                since: Instant::now() - Duration::from_secs(2),
            },
            finished: None,
        };
        assert_eq!(job.percent(), 53, "half the time: 10 + 85 / 2");
        let late = PlanJob {
            state: JobState::Running {
                phase: PlanPhase::Optimising,
                since: Instant::now() - Duration::from_secs(9),
            },
            ..job
        };
        assert_eq!(late.percent(), 95, "never past the optimiser's share");
    }
}
