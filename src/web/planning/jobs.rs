//! Plans made in the background: a new plan's optimisation runs on a thread of its own while
//! the prosecutor watches a progress page, then lands on the plan. The jobs live in the database
//! (`plan_jobs`), so any app server of a fleet shows any job's progress; the server making one
//! beats a heartbeat, and a job whose heartbeat stopped (its server died) shows as failed with a
//! way to start it again.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use super::forms::NewPlan;
use super::job_limits::{self, Busy, Running};
use crate::db::plan_jobs::{self, PlanJobRow};
use crate::db::{self, DbConnection, DbPool, now_utc};
use crate::domain::plan::{PlanJobPhase, PlanJobStatus};
use crate::domain::user::User;
use crate::domain::{MobileGroupId, PlanId, UserId};
use crate::roads::NetworkCache;
use crate::services::Actor;
use crate::services::plans::{self, PlanOptions, PlanPhase};

/// The message key of a job whose server stopped or died while making it.
pub const LOST_KEY: &str = "plan-job-lost";

/// Where a plan job is.
#[derive(Debug, Clone, PartialEq)]
pub enum JobState {
    /// Being made, in this phase since then.
    Running {
        /// Current phase.
        phase: PlanJobPhase,
        /// When the phase began.
        since: NaiveDateTime,
    },
    /// The plan is stored under this id.
    Done(PlanId),
    /// The plan could not be made: the message key.
    Failed(String),
}

/// One plan job as its owner sees it.
#[derive(Debug, Clone)]
pub struct PlanJob {
    /// The plan's first day.
    pub from: NaiveDate,
    /// Its days.
    pub days: u32,
    /// The groups asked for (all when empty).
    pub group_ids: Vec<MobileGroupId>,
    /// The optimiser's time limit, to turn elapsed time into a share.
    pub time_limit: Duration,
    /// Where it is.
    pub state: JobState,
}

impl PlanJob {
    /// The share of the work done at `now`, 0 to 100: reading and drawing the checks, then the
    /// optimiser's time (the most of it), then storing.
    pub fn percent(&self, now: NaiveDateTime) -> u8 {
        match &self.state {
            JobState::Running { phase, since } => match phase {
                PlanJobPhase::Reading => 5,
                PlanJobPhase::Optimising => {
                    let elapsed = (now - *since).num_milliseconds().max(0) as f64 / 1000.0;
                    let share = elapsed / self.time_limit.as_secs_f64().max(0.001);
                    (10.0 + 85.0 * share.min(1.0)).round() as u8
                }
                PlanJobPhase::Storing => 97,
            },
            JobState::Done(_) | JobState::Failed(_) => 100,
        }
    }

    fn from_row(row: PlanJobRow, now: NaiveDateTime, lost_after: TimeDelta) -> Self {
        let lost = now - row.heartbeat_at > lost_after;
        let state = match (PlanJobStatus::parse(&row.status), row.plan_id, row.error) {
            (Some(PlanJobStatus::Done), Some(plan), _) => JobState::Done(PlanId::from(plan)),
            (Some(PlanJobStatus::Running), _, _) if !lost => JobState::Running {
                phase: PlanJobPhase::parse(&row.phase).unwrap_or(PlanJobPhase::Reading),
                since: row.phase_started_at,
            },
            (Some(PlanJobStatus::Running), _, _) => JobState::Failed(LOST_KEY.to_owned()),
            (_, _, error) => JobState::Failed(error.unwrap_or_else(|| LOST_KEY.to_owned())),
        };
        PlanJob {
            from: row.from_date,
            days: u32::try_from(row.days).unwrap_or(1),
            group_ids: row
                .group_ids
                .split(',')
                .filter(|g| !g.is_empty())
                .map(|g| MobileGroupId::from(g.to_owned()))
                .collect(),
            time_limit: Duration::from_millis(u64::try_from(row.time_limit_ms).unwrap_or(0)),
            state,
        }
    }
}

/// This server's jobs: its name in `plan_jobs.server`, made once per process, and how long a
/// job may go without a heartbeat before it counts as lost (`plan_job_lost_seconds`).
#[derive(Debug, Clone)]
pub struct PlanJobs {
    server: String,
    lost_after: TimeDelta,
}

impl PlanJobs {
    /// This process's jobs; a job without a heartbeat for `lost_after_s` seconds is lost.
    pub fn new(lost_after_s: i64) -> Self {
        let host = std::env::var("HOSTNAME")
            .ok()
            .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "server".to_owned());
        let mut tag = [0u8; 3];
        let tag = match getrandom::fill(&mut tag) {
            Ok(()) => tag.iter().map(|b| format!("{b:02x}")).collect::<String>(),
            Err(_) => String::new(),
        };
        Self {
            server: format!("{host}:{}:{tag}", std::process::id()),
            lost_after: TimeDelta::seconds(lost_after_s.max(3)),
        }
    }

    /// How often the server making a job says it is alive: a sixth of the time after which it
    /// counts as lost, so a busy moment or two never makes a living job look dead.
    fn beat_every(&self) -> Duration {
        Duration::from_millis(u64::try_from(self.lost_after.num_milliseconds() / 6).unwrap_or(500))
    }

    /// A job as `user` may see it: `None` for an unknown job or someone else's.
    pub fn get(
        &self,
        conn: &mut DbConnection,
        id: &str,
        user: &UserId,
    ) -> diesel::QueryResult<Option<PlanJob>> {
        let now = now_utc();
        Ok(plan_jobs::find(conn, id)?
            .filter(|row| row.owner_id == user.as_str())
            .map(|row| PlanJob::from_row(row, now, self.lost_after)))
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
}

impl PlanJobs {
    /// This server's name in the jobs it makes.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Registers a new job of `owner` for `plan` unless the limits refuse it
    /// ([`job_limits::admit`]: one per user, `max_total` in the whole fleet, counting only
    /// jobs whose server is alive). The check and the insert are one write transaction, so two
    /// requests at once, to one server or two, cannot both pass.
    pub fn try_start(
        &self,
        conn: &mut DbConnection,
        id: &str,
        owner: &UserId,
        plan: &NewPlan,
        time_limit: Duration,
        max_total: usize,
    ) -> diesel::QueryResult<Result<(), Busy>> {
        db::write_transaction(conn, |conn| {
            let now = now_utc();
            let alive_since = now - self.lost_after;
            let running = plan_jobs::list_running(conn, alive_since)?;
            let admitted = job_limits::admit(
                running.iter().map(|(id, owner)| Running { id, owner }),
                owner.as_str(),
                max_total,
            );
            if let Err(busy) = admitted {
                return Ok(Err(busy));
            }
            let row = PlanJobRow {
                id: id.to_owned(),
                owner_id: owner.as_str().to_owned(),
                from_date: plan.from,
                days: i32::try_from(plan.days).unwrap_or(1),
                group_ids: plan
                    .group_ids
                    .iter()
                    .map(MobileGroupId::as_str)
                    .collect::<Vec<_>>()
                    .join(","),
                status: PlanJobStatus::Running.as_str().to_owned(),
                phase: PlanJobPhase::Reading.as_str().to_owned(),
                phase_started_at: now,
                time_limit_ms: i64::try_from(time_limit.as_millis()).unwrap_or(i64::MAX),
                started_at: now,
                heartbeat_at: now,
                finished_at: None,
                server: self.server.clone(),
                plan_id: None,
                error: None,
            };
            plan_jobs::insert(conn, &row)?;
            Ok(Ok(()))
        })
    }

    /// Makes the plan of a job registered with [`PlanJobs::try_start`] on a thread of its own
    /// (not a web worker, not the blocking pool that serves every page's queries), writing each
    /// phase, a heartbeat every few seconds, and how it ended.
    pub fn run(&self, pool: DbPool, roads: Arc<NetworkCache>, job: NewJob) -> std::io::Result<()> {
        let alive = Arc::new(AtomicBool::new(true));
        spawn_heartbeat(
            pool.clone(),
            job.id.clone(),
            alive.clone(),
            self.beat_every(),
        )?;
        std::thread::Builder::new()
            .name("plan".into())
            .spawn(move || {
                let made = make(&pool, &roads, &job);
                alive.store(false, Ordering::Relaxed);
                let outcome = match &made {
                    Ok(plan) => Ok(plan.as_str()),
                    Err(e) => {
                        tracing::error!(error = %e, "a plan could not be made");
                        Err("plan-error-failed")
                    }
                };
                let finished = pool
                    .get()
                    .map_err(anyhow::Error::from)
                    .and_then(|mut conn| Ok(plan_jobs::finish(&mut conn, &job.id, outcome, now_utc())?));
                if let Err(error) = finished {
                    tracing::error!(%error, job = job.id, "the end of a plan job could not be stored");
                }
            })
            .map(drop)
    }

    /// Marks the jobs this server is still making as failed (it is stopping): their pages then
    /// offer to start them again at once, not after the heartbeat's timeout.
    pub fn fail_running(&self, conn: &mut DbConnection) -> diesel::QueryResult<usize> {
        plan_jobs::fail_all_of_server(conn, &self.server, LOST_KEY, now_utc())
    }
}

/// Makes the plan, writing each phase on a connection of its own.
fn make(pool: &DbPool, roads: &NetworkCache, job: &NewJob) -> anyhow::Result<PlanId> {
    let mut conn = pool.get()?;
    let progress = |phase: PlanPhase| {
        let phase = match phase {
            PlanPhase::Reading => PlanJobPhase::Reading,
            PlanPhase::Optimising => PlanJobPhase::Optimising,
            PlanPhase::Storing => PlanJobPhase::Storing,
        };
        let written = pool
            .get()
            .map_err(anyhow::Error::from)
            .and_then(|mut c| Ok(plan_jobs::set_phase(&mut c, &job.id, phase, now_utc())?));
        if let Err(error) = written {
            tracing::warn!(%error, "a plan job's phase could not be stored");
        }
    };
    let actor = Actor {
        user: &job.user,
        ip: job.ip.as_deref(),
    };
    let (id, _) = plans::create_plan_for(&mut conn, roads, &job.options, actor, &progress)?;
    Ok(id)
}

/// Writes the job's heartbeat every few seconds until `alive` turns false.
fn spawn_heartbeat(
    pool: DbPool,
    id: String,
    alive: Arc<AtomicBool>,
    every: Duration,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("plan-heartbeat".into())
        .spawn(move || {
            while alive.load(Ordering::Relaxed) {
                std::thread::sleep(every);
                if !alive.load(Ordering::Relaxed) {
                    break;
                }
                if let Ok(mut conn) = pool.get()
                    && let Err(error) = plan_jobs::beat(&mut conn, &id, now_utc())
                {
                    tracing::warn!(%error, "a plan job's heartbeat could not be stored");
                }
            }
        })
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(state: JobState) -> PlanJob {
        PlanJob {
            from: NaiveDate::MIN,
            days: 1,
            group_ids: Vec::new(),
            time_limit: Duration::from_secs(4),
            state,
        }
    }

    #[test]
    fn the_optimising_share_follows_the_time_limit() {
        let now = chrono::DateTime::UNIX_EPOCH.naive_utc() + TimeDelta::hours(1);
        let half = job(JobState::Running {
            phase: PlanJobPhase::Optimising,
            since: now - TimeDelta::seconds(2),
        });
        assert_eq!(half.percent(now), 53, "half the time: 10 + 85 / 2");
        let late = job(JobState::Running {
            phase: PlanJobPhase::Optimising,
            since: now - TimeDelta::seconds(9),
        });
        assert_eq!(late.percent(now), 95, "never past the optimiser's share");
        assert_eq!(job(JobState::Failed(LOST_KEY.into())).percent(now), 100);
    }
}
