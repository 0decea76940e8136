//! Plans as stored: a period, the groups planned (ids joined by commas), draft or published,
//! and a version that makes a second editor's change a conflict instead of a silent overwrite.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::rows::{BadRow, convert_all, word};
use super::schema::plans;
use super::{DbConnection, now_utc};
use crate::domain::plan::{Plan, PlanStatus};
use crate::domain::{MobileGroupId, PlanId, UserId};

/// A row of `plans`; [`Plan`] is what the rest of the crate works with.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plans)]
#[expect(
    missing_docs,
    reason = "the fields mirror the columns of the migration"
)]
pub struct PlanRow {
    pub id: String,
    pub from_date: NaiveDate,
    pub days: i32,
    pub group_ids: String,
    pub status: String,
    pub seed: i64,
    pub version: i32,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
}

impl TryFrom<PlanRow> for Plan {
    type Error = BadRow;

    fn try_from(row: PlanRow) -> Result<Self, BadRow> {
        const T: &str = "plans";
        Ok(Plan {
            days: u32::try_from(row.days).map_err(|e| BadRow::new(T, "days", (row.days, e)))?,
            seed: u64::try_from(row.seed).map_err(|e| BadRow::new(T, "seed", (row.seed, e)))?,
            status: word(PlanStatus::parse(&row.status), T, "status", &row.status)?,
            group_ids: row
                .group_ids
                .split(',')
                .filter(|id| !id.is_empty())
                .map(|id| MobileGroupId::from(id.to_owned()))
                .collect(),
            id: PlanId::from(row.id),
            from_date: row.from_date,
            version: row.version,
            created_by: row.created_by.map(UserId::from),
            created_at: row.created_at,
            updated_at: row.updated_at,
            published_at: row.published_at,
        })
    }
}

impl TryFrom<&Plan> for PlanRow {
    type Error = BadRow;

    fn try_from(plan: &Plan) -> Result<Self, BadRow> {
        const T: &str = "plans";
        Ok(PlanRow {
            id: plan.id.to_string(),
            from_date: plan.from_date,
            days: i32::try_from(plan.days).map_err(|e| BadRow::new(T, "days", (plan.days, e)))?,
            group_ids: plan
                .group_ids
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(","),
            status: plan.status.as_str().to_owned(),
            // A seed at or above 2^63 does not fit the column (the planner never draws one).
            seed: i64::try_from(plan.seed).map_err(|e| BadRow::new(T, "seed", (plan.seed, e)))?,
            version: plan.version,
            created_by: plan.created_by.as_ref().map(ToString::to_string),
            created_at: plan.created_at,
            updated_at: plan.updated_at,
            published_at: plan.published_at,
        })
    }
}

/// Inserts a plan.
pub fn insert(conn: &mut DbConnection, plan: &Plan) -> QueryResult<()> {
    diesel::insert_into(plans::table)
        .values(PlanRow::try_from(plan)?)
        .execute(conn)
        .map(drop)
}

/// The plan with that id.
pub fn find_plan(conn: &mut DbConnection, id: &PlanId) -> QueryResult<Option<Plan>> {
    let row = plans::table
        .find(id.as_str())
        .select(PlanRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(Plan::try_from).transpose()?)
}

/// The newest plans first.
pub fn list_plans(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<Plan>> {
    let rows = plans::table
        .order((plans::from_date.desc(), plans::created_at.desc()))
        .limit(limit)
        .select(PlanRow::as_select())
        .load(conn)?;
    convert_all(rows)
}

/// Claims the next version of a plan for a change made on `version`: `false` when someone else
/// changed it first (the caller refuses the change).
pub fn bump_version(conn: &mut DbConnection, id: &PlanId, version: i32) -> QueryResult<bool> {
    let changed = diesel::update(
        plans::table
            .filter(plans::id.eq(id.as_str()))
            .filter(plans::version.eq(version)),
    )
    .set((
        plans::version.eq(version + 1),
        plans::updated_at.eq(now_utc()),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Marks a plan published.
pub fn publish(conn: &mut DbConnection, id: &PlanId) -> QueryResult<()> {
    let now = now_utc();
    diesel::update(plans::table.find(id.as_str()))
        .set((
            plans::status.eq(PlanStatus::Published.as_str()),
            plans::published_at.eq(Some(now)),
        ))
        .execute(conn)
        .map(drop)
}

/// Makes `change` to a plan in one transaction if the plan is still at `version` (and moves it to
/// the next version); `false`, with nothing written, when someone else changed it first.
pub fn change_if_current(
    conn: &mut DbConnection,
    id: &PlanId,
    version: i32,
    change: impl FnOnce(&mut DbConnection) -> QueryResult<()>,
) -> QueryResult<bool> {
    super::write_transaction(conn, |conn| {
        if !bump_version(conn, id, version)? {
            return Ok(false);
        }
        change(conn)?;
        Ok(true)
    })
}
