//! Server-side sessions: one row per session, found by the SHA-256 of the random key the cookie
//! holds (a copy of the table gives no live cookie). Ending a row ends the session on every app
//! server at once (DESIGN.md section 6).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::sessions;

/// Why a session ended, as stored in `ended_reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// The user signed out (or the session was replaced by a new one at sign-in).
    SignedOut,
    /// The user changed their password (their other sessions end).
    PasswordChanged,
    /// An administrator set a new password.
    PasswordReset,
    /// An administrator disabled the account.
    Disabled,
    /// An administrator ended it from the user's page.
    EndedByAdmin,
    /// The user ended it from their account page.
    EndedByUser,
    /// Idle too long or past its end.
    Expired,
}

impl EndReason {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::SignedOut => "signed_out",
            EndReason::PasswordChanged => "password_changed",
            EndReason::PasswordReset => "password_reset",
            EndReason::Disabled => "disabled",
            EndReason::EndedByAdmin => "ended_by_admin",
            EndReason::EndedByUser => "ended_by_user",
            EndReason::Expired => "expired",
        }
    }
}

/// A row of `sessions`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    /// SHA-256 of the cookie's key, hex.
    pub id: String,
    /// The signed-in user; none before sign-in (the language and the sign-in form's token).
    pub user_id: Option<String>,
    /// When the session began (UTC).
    pub created_at: NaiveDateTime,
    /// The last request that changed it (refreshed at most once a minute).
    pub last_seen_at: NaiveDateTime,
    /// When it ends whatever happens.
    pub expires_at: NaiveDateTime,
    /// When it was ended, if it was.
    pub ended_at: Option<NaiveDateTime>,
    /// Why it was ended.
    pub ended_reason: Option<String>,
    /// The client's address at sign-in.
    pub ip: Option<String>,
    /// The browser at sign-in.
    pub user_agent: Option<String>,
    /// The session's values (JSON object of JSON-encoded values).
    pub state: String,
}

/// The live session with that id hash at `now`, if any.
pub fn find_live(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<SessionRow>> {
    sessions::table
        .find(id)
        .filter(sessions::ended_at.is_null())
        .filter(sessions::expires_at.gt(now))
        .select(SessionRow::as_select())
        .first(conn)
        .optional()
}

/// Stores a new session.
pub fn insert(conn: &mut DbConnection, row: &SessionRow) -> QueryResult<()> {
    diesel::insert_into(sessions::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// What a request changed in a live session.
#[derive(Debug, Clone)]
pub struct SessionUpdate<'a> {
    /// The user (set at sign-in).
    pub user_id: Option<&'a str>,
    /// The values.
    pub state: &'a str,
    /// The request's time.
    pub last_seen_at: NaiveDateTime,
    /// The new end (never later than the one stored: a session cannot prolong itself).
    pub expires_at: NaiveDateTime,
}

/// Updates a live session; returns false when it has been ended meanwhile (by sign-out on another
/// server, a password change or an administrator), so it must not be revived.
pub fn update_live(
    conn: &mut DbConnection,
    id: &str,
    change: &SessionUpdate<'_>,
) -> QueryResult<bool> {
    let changed = diesel::update(
        sessions::table
            .find(id)
            .filter(sessions::ended_at.is_null())
            .filter(sessions::expires_at.gt(change.last_seen_at)),
    )
    .set((
        sessions::user_id.eq(change.user_id),
        sessions::state.eq(change.state),
        sessions::last_seen_at.eq(change.last_seen_at),
        sessions::expires_at.eq(change.expires_at),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}

/// Ends one session.
pub fn end(
    conn: &mut DbConnection,
    id: &str,
    reason: EndReason,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .find(id)
            .filter(sessions::ended_at.is_null()),
    )
    .set((
        sessions::ended_at.eq(now),
        sessions::ended_reason.eq(reason.as_str()),
    ))
    .execute(conn)
}

/// Ends one session of `user_id` (an administrator or the user ending it by its id hash);
/// returns whether it was live.
pub fn end_of_user(
    conn: &mut DbConnection,
    user_id: &str,
    id: &str,
    reason: EndReason,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let ended = diesel::update(
        sessions::table
            .find(id)
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::ended_at.is_null()),
    )
    .set((
        sessions::ended_at.eq(now),
        sessions::ended_reason.eq(reason.as_str()),
    ))
    .execute(conn)?;
    Ok(ended > 0)
}

/// Ends every live session of a user, but `keep` (the session asking, when a user changes their
/// own password); returns how many ended.
pub fn end_all_of_user(
    conn: &mut DbConnection,
    user_id: &str,
    keep: Option<&str>,
    reason: EndReason,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let query = sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::ended_at.is_null())
        .filter(sessions::id.ne(keep.unwrap_or("")));
    diesel::update(query)
        .set((
            sessions::ended_at.eq(now),
            sessions::ended_reason.eq(reason.as_str()),
        ))
        .execute(conn)
}

/// A user's sessions, newest first: the live ones and those ended or expired in the last 30 days.
pub fn list_of_user(
    conn: &mut DbConnection,
    user_id: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<SessionRow>> {
    let since = now - chrono::TimeDelta::days(30);
    sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::last_seen_at.gt(since))
        .order(sessions::last_seen_at.desc())
        .limit(50)
        .select(SessionRow::as_select())
        .load(conn)
}

/// Deletes what no one needs any more: sessions without a user once they expired or ended, and
/// users' sessions ended or expired more than 30 days ago. Returns how many rows went.
pub fn purge(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    let anonymous = diesel::delete(
        sessions::table.filter(sessions::user_id.is_null()).filter(
            sessions::expires_at
                .le(now)
                .or(sessions::ended_at.is_not_null()),
        ),
    )
    .execute(conn)?;
    let old = now - chrono::TimeDelta::days(30);
    let users = diesel::delete(
        sessions::table.filter(sessions::expires_at.le(old).or(sessions::ended_at.le(old))),
    )
    .execute(conn)?;
    Ok(anonymous + users)
}
