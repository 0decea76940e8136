//! Plans made in the background: a new plan's optimisation runs on a thread of its own while
//! the prosecutor watches a progress page (it refreshes itself, so it works without script),
//! then lands on the plan. The registry lives in `AppState`, shared by every web worker.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::job_limits::{self, Busy, Running};
use crate::db::DbPool;
use crate::domain::user::User;
use crate::domain::{PlanId, UserId};
use crate::services::Actor;
use crate::services::plans::{self, PlanOptions, PlanPhase};

/// How long a finished job is remembered (its page then answers "not found").
const KEEP_FINISHED: Duration = Duration::from_secs(15 * 60);
/// A job still "running" after this long has lost its thread (a panic): it no longer counts
/// against the limits. A plan takes about two seconds.
const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

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
    Done(PlanId),
    /// The plan could not be made: what went wrong, already localised.
    Failed(String),
}

/// One plan job.
#[derive(Debug, Clone)]
pub struct PlanJob {
    /// The user who started it: only they see its page.
    pub owner: UserId,
    /// The plan's period as its page names it (in the starter's language).
    pub period: String,
    /// When it was started.
    started: Instant,
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

    /// Registers a new job of `owner` for `period` unless the limits refuse it
    /// ([`job_limits::admit`]: one per user, `max_total` on the server); forgets jobs finished
    /// long ago. The check and the registration hold one lock, so two requests at once cannot
    /// both pass.
    pub fn try_start(
        &self,
        id: &str,
        owner: &UserId,
        period: &str,
        time_limit: Duration,
        max_total: usize,
    ) -> Result<(), Busy> {
        let mut jobs = self.lock();
        jobs.retain(|_, job| job.finished.is_none_or(|at| at.elapsed() < KEEP_FINISHED));
        let running = jobs
            .iter()
            .filter(|(_, job)| job.finished.is_none() && job.started.elapsed() < STALE_AFTER)
            .map(|(id, job)| Running {
                id,
                owner: job.owner.as_str(),
            });
        job_limits::admit(running, owner.as_str(), max_total)?;
        let now = Instant::now();
        jobs.insert(
            id.to_owned(),
            PlanJob {
                owner: owner.clone(),
                period: period.to_owned(),
                started: now,
                time_limit,
                state: JobState::Running {
                    phase: PlanPhase::Reading,
                    since: now,
                },
                finished: None,
            },
        );
        Ok(())
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
    pub fn get(&self, id: &str, user: &UserId) -> Option<PlanJob> {
        self.lock()
            .get(id)
            .filter(|job| &job.owner == user)
            .cloned()
    }
}

/// A plan to make in the background.
#[derive(Debug)]
pub struct NewJob {
    /// The job's id.
    pub id: String,
    /// Who asked (the plan is theirs, its making audited as theirs).
    pub user: User,
    /// Their address.
    pub ip: Option<String>,
    /// The plan.
    pub options: PlanOptions,
    /// The message shown if it fails, already localised.
    pub failed: String,
}

impl PlanJobs {
    /// Makes the plan of a job registered with [`PlanJobs::try_start`] on a thread of its own
    /// (not a web worker, not the blocking pool that serves every page's queries), telling the
    /// registry each phase and how it ended.
    pub fn run(&self, pool: DbPool, job: NewJob) -> std::io::Result<()> {
        let jobs = self.clone();
        std::thread::Builder::new()
            .name("plan".into())
            .spawn(move || {
                let made = pool
                    .get()
                    .map_err(anyhow::Error::from)
                    .and_then(|mut conn| {
                        let progress = |phase| jobs.phase(&job.id, phase);
                        let actor = Actor {
                            user: &job.user,
                            ip: job.ip.as_deref(),
                        };
                        plans::create_plan_for(&mut conn, &job.options, actor, &progress)
                    });
                let state = match made {
                    Ok((id, _)) => JobState::Done(id),
                    Err(e) => {
                        tracing::error!(error = %e, "a plan could not be made");
                        JobState::Failed(job.failed)
                    }
                };
                jobs.finish(&job.id, state);
            })
            .map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str) -> UserId {
        UserId::from(id.to_owned())
    }

    #[test]
    fn a_job_is_seen_by_its_owner_only_and_moves_through_its_phases() {
        let jobs = PlanJobs::default();
        assert_eq!(
            jobs.try_start("j1", &user("u1"), "1 Dec", Duration::from_secs(2), 2),
            Ok(())
        );
        assert_eq!(
            jobs.try_start("j2", &user("u1"), "2 Dec", Duration::from_secs(2), 2),
            Err(Busy::Yours("j1".into()))
        );
        assert!(jobs.get("j1", &user("u2")).is_none(), "someone else's job");
        assert!(jobs.get("nope", &user("u1")).is_none());
        let percent = |jobs: &PlanJobs| jobs.get("j1", &user("u1")).map(|job| job.percent());
        assert_eq!(percent(&jobs), Some(5));
        jobs.phase("j1", PlanPhase::Optimising);
        let share = percent(&jobs).unwrap_or_default();
        assert!((10..=95).contains(&share), "{share}");
        jobs.phase("j1", PlanPhase::Storing);
        assert_eq!(percent(&jobs), Some(97));
        jobs.finish("j1", JobState::Done(PlanId::from("p1".to_owned())));
        let job = jobs
            .get("j1", &user("u1"))
            .map(|job| (job.state.clone(), job.percent()));
        assert_eq!(
            job,
            Some((JobState::Done(PlanId::from("p1".to_owned())), 100))
        );
        assert_eq!(
            jobs.try_start("j2", &user("u1"), "2 Dec", Duration::from_secs(2), 2),
            Ok(()),
            "a finished job no longer counts"
        );
    }

    #[test]
    fn a_job_whose_thread_died_long_ago_no_longer_blocks_its_owner() {
        let jobs = PlanJobs::default();
        let limit = Duration::from_secs(2);
        assert_eq!(jobs.try_start("j1", &user("u1"), "", limit, 1), Ok(()));
        let Some(long_ago) = Instant::now().checked_sub(STALE_AFTER + Duration::from_secs(1))
        else {
            return; // A machine up for less than that cannot have such a job.
        };
        if let Some(job) = jobs.lock().get_mut("j1") {
            job.started = long_ago;
        }
        assert_eq!(jobs.try_start("j2", &user("u1"), "", limit, 1), Ok(()));
    }

    #[test]
    fn the_optimising_share_follows_the_time_limit() {
        let job = PlanJob {
            owner: user("u"),
            period: String::new(),
            started: Instant::now(),
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
