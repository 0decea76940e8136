//! Plans being made in the background, one row a job: who started it and for which period, its
//! phase, the heartbeat of the server making it, and how it ended. Any app server reads any job.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::plan_jobs;
use crate::domain::plan::{PlanJobPhase, PlanJobStatus};

/// A row of `plan_jobs`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_jobs)]
pub struct PlanJobRow {
    /// Job id (its progress page is `/planning/jobs/{id}`).
    pub id: String,
    /// Who started it: only they see it.
    pub owner_id: String,
    /// The plan's first day.
    pub from_date: NaiveDate,
    /// The plan's days.
    pub days: i32,
    /// The groups asked for, comma-separated (empty: all).
    pub group_ids: String,
    /// `running`, `done` or `failed`.
    pub status: String,
    /// `reading`, `optimising` or `storing`.
    pub phase: String,
    /// When the phase began.
    pub phase_started_at: NaiveDateTime,
    /// The optimiser's time limit (to turn elapsed time into progress).
    pub time_limit_ms: i64,
    /// When the job was started.
    pub started_at: NaiveDateTime,
    /// The last sign of life of the server making it.
    pub heartbeat_at: NaiveDateTime,
    /// When it ended.
    pub finished_at: Option<NaiveDateTime>,
    /// The server making it (host and process).
    pub server: String,
    /// The stored plan, once done.
    pub plan_id: Option<String>,
    /// The message key of a failure.
    pub error: Option<String>,
}

/// Stores a new job.
pub fn insert(conn: &mut DbConnection, row: &PlanJobRow) -> QueryResult<()> {
    diesel::insert_into(plan_jobs::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// The job with that id.
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<PlanJobRow>> {
    plan_jobs::table
        .find(id)
        .select(PlanJobRow::as_select())
        .first(conn)
        .optional()
}

/// (id, owner) of the jobs still being made: running, with a heartbeat since `alive_since`.
pub fn list_running(
    conn: &mut DbConnection,
    alive_since: NaiveDateTime,
) -> QueryResult<Vec<(String, String)>> {
    plan_jobs::table
        .filter(plan_jobs::status.eq(PlanJobStatus::Running.as_str()))
        .filter(plan_jobs::heartbeat_at.ge(alive_since))
        .order(plan_jobs::started_at.asc())
        .select((plan_jobs::id, plan_jobs::owner_id))
        .load(conn)
}

/// Moves a running job to a phase (a sign of life too).
pub fn set_phase(
    conn: &mut DbConnection,
    id: &str,
    phase: PlanJobPhase,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        plan_jobs::table
            .find(id)
            .filter(plan_jobs::status.eq(PlanJobStatus::Running.as_str())),
    )
    .set((
        plan_jobs::phase.eq(phase.as_str()),
        plan_jobs::phase_started_at.eq(now),
        plan_jobs::heartbeat_at.eq(now),
    ))
    .execute(conn)
    .map(drop)
}

/// A running job's sign of life.
pub fn beat(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        plan_jobs::table
            .find(id)
            .filter(plan_jobs::status.eq(PlanJobStatus::Running.as_str())),
    )
    .set(plan_jobs::heartbeat_at.eq(now))
    .execute(conn)
    .map(drop)
}

/// Ends a running job: done with its plan, or failed with the message key.
pub fn finish(
    conn: &mut DbConnection,
    id: &str,
    outcome: Result<&str, &str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let (status, plan, error) = match outcome {
        Ok(plan) => (PlanJobStatus::Done, Some(plan), None),
        Err(key) => (PlanJobStatus::Failed, None, Some(key)),
    };
    diesel::update(
        plan_jobs::table
            .find(id)
            .filter(plan_jobs::status.eq(PlanJobStatus::Running.as_str())),
    )
    .set((
        plan_jobs::status.eq(status.as_str()),
        plan_jobs::plan_id.eq(plan),
        plan_jobs::error.eq(error),
        plan_jobs::finished_at.eq(Some(now)),
        plan_jobs::heartbeat_at.eq(now),
    ))
    .execute(conn)
    .map(drop)
}

/// Marks every job a server is still making as failed with `error` (the server is stopping);
/// returns how many.
pub fn fail_all_of_server(
    conn: &mut DbConnection,
    server: &str,
    error: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        plan_jobs::table
            .filter(plan_jobs::server.eq(server))
            .filter(plan_jobs::status.eq(PlanJobStatus::Running.as_str())),
    )
    .set((
        plan_jobs::status.eq(PlanJobStatus::Failed.as_str()),
        plan_jobs::error.eq(Some(error)),
        plan_jobs::finished_at.eq(Some(now)),
    ))
    .execute(conn)
}
