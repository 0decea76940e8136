//! Plans: a period, the groups planned, draft or published, and a version that makes a second
//! editor's change a conflict instead of a silent overwrite.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::plans;
use super::{DbConnection, now_utc};

/// A row of `plans`.
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

impl PlanRow {
    /// The last day of the period.
    pub fn to_date(&self) -> NaiveDate {
        self.from_date + chrono::Duration::days(i64::from(self.days.max(1)) - 1)
    }

    /// Whether officers see it.
    pub fn is_published(&self) -> bool {
        self.status == "published"
    }
}

/// Inserts a plan.
pub fn insert(conn: &mut DbConnection, row: &PlanRow) -> QueryResult<()> {
    diesel::insert_into(plans::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// The plan with that id.
pub fn find_plan(conn: &mut DbConnection, id: &str) -> QueryResult<Option<PlanRow>> {
    plans::table
        .find(id)
        .select(PlanRow::as_select())
        .first(conn)
        .optional()
}

/// The newest plans first.
pub fn list_plans(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<PlanRow>> {
    plans::table
        .order((plans::from_date.desc(), plans::created_at.desc()))
        .limit(limit)
        .select(PlanRow::as_select())
        .load(conn)
}

/// Claims the next version of a plan for a change made on `version`: `false` when someone else
/// changed it first (the caller refuses the change).
pub fn bump_version(conn: &mut DbConnection, id: &str, version: i32) -> QueryResult<bool> {
    let changed = diesel::update(
        plans::table
            .filter(plans::id.eq(id))
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
pub fn publish(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    let now = now_utc();
    diesel::update(plans::table.find(id))
        .set((
            plans::status.eq("published"),
            plans::published_at.eq(Some(now)),
        ))
        .execute(conn)
        .map(drop)
}

/// Makes `change` to a plan in one transaction if the plan is still at `version` (and moves it to
/// the next version); `false`, with nothing written, when someone else changed it first.
pub fn change_if_current(
    conn: &mut DbConnection,
    id: &str,
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
