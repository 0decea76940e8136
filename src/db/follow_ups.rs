//! Follow-ups as stored: one open row per person and kind (a unique index says so), which a new
//! cause adds to; the prosecutors' queue with its filters, urgency order and pages; assigning
//! and closing, each guarded by the row's version.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{follow_ups, mobile_group_districts, persons};
use crate::domain::follow_up::{
    FollowUpAge, FollowUpOutcome, FollowUpReason, FollowUpStatus, LINGERING_DAYS, urgency_rank,
};
use crate::domain::{FollowUpId, UserId};

/// A row of `follow_ups`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = follow_ups)]
#[expect(
    missing_docs,
    reason = "the fields mirror the columns of the migrations"
)]
pub struct FollowUpRow {
    pub id: String,
    pub person_id: String,
    pub visit_id: Option<String>,
    pub reason: String,
    pub status: String,
    pub assigned_to: Option<String>,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub cause_count: i32,
    pub last_cause_at: NaiveDateTime,
    pub assigned_at: Option<NaiveDateTime>,
    pub outcome: Option<String>,
    pub closed_by: Option<String>,
    pub version: i32,
}

/// A line of the queue: the follow-up and what the list shows of its person.
#[derive(Debug, Clone, Queryable)]
#[expect(missing_docs, reason = "the fields mirror the columns")]
pub struct FollowUpListRow {
    pub follow_up: FollowUpRow,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub district_id: String,
    pub risk_tier: String,
}

/// Whose follow-ups the queue shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Assignee {
    /// Anyone's, and nobody's.
    #[default]
    Any,
    /// Those assigned to this user.
    User(UserId),
    /// Those assigned to nobody yet.
    Nobody,
}

/// The queue's filters; `now` dates the ages.
#[derive(Debug, Clone)]
pub struct FollowUpFilter {
    /// Open or closed ones.
    pub status: FollowUpStatus,
    /// One kind.
    pub reason: Option<FollowUpReason>,
    /// Persons living in one district.
    pub district_id: Option<String>,
    /// Persons living in a district the group covers.
    pub mobile_group_id: Option<String>,
    /// How long ago it was opened.
    pub age: Option<FollowUpAge>,
    /// Whose.
    pub assignee: Assignee,
    /// The time the ages count back from.
    pub now: NaiveDateTime,
}

/// A new cause for a follow-up: whom, which kind, the visit that found it and when.
#[derive(Debug, Clone, Copy)]
pub struct Cause<'a> {
    /// The person.
    pub person_id: &'a str,
    /// The kind.
    pub reason: FollowUpReason,
    /// The visit that found it.
    pub visit_id: &'a str,
    /// When (the server's time of the visit).
    pub at: NaiveDateTime,
}

/// Adds a cause to the person's open follow-up of that kind, or opens one, in the caller's
/// transaction. Two visits of one person stored at the very same moment on PostgreSQL may both
/// find none; the unique index then refuses the second, whose device sends it again.
pub fn raise(conn: &mut DbConnection, cause: &Cause<'_>) -> QueryResult<()> {
    let open: Option<String> = follow_ups::table
        .filter(follow_ups::person_id.eq(cause.person_id))
        .filter(follow_ups::reason.eq(cause.reason.as_str()))
        .filter(follow_ups::status.eq(FollowUpStatus::Open.as_str()))
        .select(follow_ups::id)
        .first(conn)
        .optional()?;
    if let Some(id) = open {
        // A cause keeps the version: a prosecutor's open form stays valid when the field adds
        // to what they are handling.
        diesel::update(follow_ups::table.find(id))
            .set((
                follow_ups::cause_count.eq(follow_ups::cause_count + 1),
                follow_ups::last_cause_at.eq(cause.at),
                follow_ups::visit_id.eq(Some(cause.visit_id)),
            ))
            .execute(conn)?;
        return Ok(());
    }
    diesel::insert_into(follow_ups::table)
        .values((
            follow_ups::id.eq(FollowUpId::new().as_str()),
            follow_ups::person_id.eq(cause.person_id),
            follow_ups::visit_id.eq(Some(cause.visit_id)),
            follow_ups::reason.eq(cause.reason.as_str()),
            follow_ups::status.eq(FollowUpStatus::Open.as_str()),
            follow_ups::created_at.eq(cause.at),
            follow_ups::last_cause_at.eq(cause.at),
            follow_ups::cause_count.eq(1),
            follow_ups::version.eq(1),
        ))
        .execute(conn)
        .map(drop)
}

/// Takes back what a visit raised, when the officer corrects its outcome within the window (in the
/// caller's transaction): a follow-up this visit alone opened, not yet taken up by anyone, goes; a
/// follow-up it only added a cause to keeps its earlier causes, one fewer.
pub fn withdraw(conn: &mut DbConnection, visit_id: &str) -> QueryResult<()> {
    let raised_by = follow_ups::table
        .filter(follow_ups::visit_id.eq(Some(visit_id)))
        .filter(follow_ups::status.eq(FollowUpStatus::Open.as_str()));
    diesel::delete(
        raised_by
            .filter(follow_ups::cause_count.le(1))
            .filter(follow_ups::assigned_to.is_null()),
    )
    .execute(conn)?;
    diesel::update(raised_by.filter(follow_ups::cause_count.gt(1)))
        .set(follow_ups::cause_count.eq(follow_ups::cause_count - 1))
        .execute(conn)
        .map(drop)
}

/// The follow-ups a filter lets through, as a boxed query joined with their persons.
macro_rules! filtered {
    ($filter:expr) => {{
        let filter: &FollowUpFilter = $filter;
        let mut query = follow_ups::table
            .inner_join(persons::table)
            .filter(follow_ups::status.eq(filter.status.as_str()))
            .into_boxed();
        if let Some(reason) = filter.reason {
            query = query.filter(follow_ups::reason.eq(reason.as_str()));
        }
        if let Some(district) = &filter.district_id {
            query = query.filter(persons::district_id.eq(district.clone()));
        }
        if let Some(group) = &filter.mobile_group_id {
            query = query.filter(
                persons::district_id.eq_any(
                    mobile_group_districts::table
                        .filter(mobile_group_districts::mobile_group_id.eq(group.clone()))
                        .select(mobile_group_districts::district_id),
                ),
            );
        }
        if let Some(age) = filter.age {
            let (from, to) = age.opened_between(filter.now);
            if let Some(from) = from {
                query = query.filter(follow_ups::created_at.gt(from));
            }
            if let Some(to) = to {
                query = query.filter(follow_ups::created_at.le(to));
            }
        }
        match &filter.assignee {
            Assignee::Any => {}
            Assignee::User(user) => {
                query = query.filter(follow_ups::assigned_to.eq(user.as_str().to_owned()));
            }
            Assignee::Nobody => query = query.filter(follow_ups::assigned_to.is_null()),
        }
        query
    }};
}

/// `CASE` ranks of the urgency order, written from the domain's words (never from input).
fn urgency_order() -> String {
    let reasons: String = FollowUpReason::ALL
        .iter()
        .map(|r| format!(" WHEN '{}' THEN {}", r.as_str(), urgency_rank(*r)))
        .collect();
    let tiers: String = crate::domain::person::RiskTier::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| format!(" WHEN '{}' THEN {i}", t.as_str()))
        .collect();
    format!("CASE follow_ups.reason{reasons} ELSE 9 END, CASE persons.risk_tier{tiers} ELSE 9 END")
}

/// A page of the queue, most urgent first (kind, then the person's risk tier, then the most
/// causes, then the oldest; closed ones newest first), and how many match in all.
pub fn list(
    conn: &mut DbConnection,
    filter: &FollowUpFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<FollowUpListRow>, i64)> {
    let total: i64 = filtered!(filter).count().get_result(conn)?;
    let query = filtered!(filter).select((
        FollowUpRow::as_select(),
        persons::last_name,
        persons::first_name,
        persons::middle_name,
        persons::district_id,
        persons::risk_tier,
    ));
    let rows = if filter.status == FollowUpStatus::Closed {
        query
            .order((follow_ups::closed_at.desc(), follow_ups::id.asc()))
            .offset(offset)
            .limit(limit)
            .load(conn)?
    } else {
        query
            .order((
                diesel::dsl::sql::<diesel::sql_types::Integer>(&urgency_order()).asc(),
                follow_ups::cause_count.desc(),
                follow_ups::created_at.asc(),
                follow_ups::id.asc(),
            ))
            .offset(offset)
            .limit(limit)
            .load(conn)?
    };
    Ok((rows, total))
}

/// The home page's figures: open follow-ups, those assigned to `user`, those assigned to
/// nobody, and those open longer than [`LINGERING_DAYS`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FollowUpCounts {
    /// Open.
    pub open: i64,
    /// Open and assigned to the user.
    pub mine: i64,
    /// Open and assigned to nobody.
    pub unassigned: i64,
    /// Open for more than thirty days.
    pub lingering: i64,
}

/// Counts the open follow-ups for the home page.
pub fn counts(
    conn: &mut DbConnection,
    user: &UserId,
    now: NaiveDateTime,
) -> QueryResult<FollowUpCounts> {
    let open = || follow_ups::table.filter(follow_ups::status.eq(FollowUpStatus::Open.as_str()));
    Ok(FollowUpCounts {
        open: open().count().get_result(conn)?,
        mine: open()
            .filter(follow_ups::assigned_to.eq(user.as_str()))
            .count()
            .get_result(conn)?,
        unassigned: open()
            .filter(follow_ups::assigned_to.is_null())
            .count()
            .get_result(conn)?,
        lingering: open()
            .filter(follow_ups::created_at.le(now - chrono::Duration::days(LINGERING_DAYS)))
            .count()
            .get_result(conn)?,
    })
}

/// The follow-up with that id, if any.
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<FollowUpRow>> {
    follow_ups::table
        .find(id)
        .select(FollowUpRow::as_select())
        .first(conn)
        .optional()
}

/// Every open follow-up, oldest first (the demo office works through them).
pub fn list_open(conn: &mut DbConnection) -> QueryResult<Vec<FollowUpRow>> {
    follow_ups::table
        .filter(follow_ups::status.eq(FollowUpStatus::Open.as_str()))
        .order((follow_ups::created_at.asc(), follow_ups::id.asc()))
        .select(FollowUpRow::as_select())
        .load(conn)
}

/// Assigns an open follow-up of `version` to a user (none: to nobody); the rows changed (0: it
/// changed or closed meanwhile).
pub fn assign(
    conn: &mut DbConnection,
    id: &str,
    version: i32,
    user: Option<&UserId>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        follow_ups::table
            .find(id)
            .filter(follow_ups::version.eq(version))
            .filter(follow_ups::status.eq(FollowUpStatus::Open.as_str())),
    )
    .set((
        follow_ups::assigned_to.eq(user.map(UserId::as_str)),
        follow_ups::assigned_at.eq(user.map(|_| now)),
        follow_ups::version.eq(version + 1),
    ))
    .execute(conn)
}

/// What closing a follow-up writes.
#[derive(Debug, Clone, Copy)]
pub struct Closing<'a> {
    /// The version the prosecutor saw.
    pub version: i32,
    /// What came of it.
    pub outcome: FollowUpOutcome,
    /// Their note.
    pub note: &'a str,
    /// Who closed it.
    pub by: &'a UserId,
    /// When.
    pub at: NaiveDateTime,
}

/// Closes an open follow-up of the version given; the rows changed (0: it changed or closed
/// meanwhile). Whoever closes it is its assignee from then on, if nobody was.
pub fn close(conn: &mut DbConnection, id: &str, closing: &Closing<'_>) -> QueryResult<usize> {
    let changed = diesel::update(
        follow_ups::table
            .find(id)
            .filter(follow_ups::version.eq(closing.version))
            .filter(follow_ups::status.eq(FollowUpStatus::Open.as_str())),
    )
    .set((
        follow_ups::status.eq(FollowUpStatus::Closed.as_str()),
        follow_ups::outcome.eq(Some(closing.outcome.as_str())),
        follow_ups::note.eq(Some(closing.note)),
        follow_ups::closed_by.eq(Some(closing.by.as_str())),
        follow_ups::closed_at.eq(Some(closing.at)),
        follow_ups::version.eq(closing.version + 1),
    ))
    .execute(conn)?;
    if changed == 1 {
        diesel::update(
            follow_ups::table
                .find(id)
                .filter(follow_ups::assigned_to.is_null()),
        )
        .set((
            follow_ups::assigned_to.eq(Some(closing.by.as_str())),
            follow_ups::assigned_at.eq(Some(closing.at)),
        ))
        .execute(conn)?;
    }
    Ok(changed)
}
