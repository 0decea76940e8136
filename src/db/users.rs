//! Users, their sign-in state and their mobile group.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{mobile_group_members, users};
use super::sessions::{self, EndReason};
use super::{DbConnection, now_utc};
use crate::domain::user::{Role, User};
use crate::domain::{MobileGroupId, UserId};

/// A row of `users`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    /// Id.
    pub id: String,
    /// Sign-in name.
    pub login: String,
    /// Full name.
    pub full_name: String,
    /// Role word.
    pub role: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Whether the account may sign in.
    pub is_active: bool,
    /// Failed sign-ins in a row.
    pub failed_logins: i32,
    /// Locked until then (UTC).
    pub locked_until: Option<NaiveDateTime>,
    /// Chosen UI language.
    pub preferred_lang: Option<String>,
    /// Optimistic-locking version.
    pub version: i32,
}

/// A new user to insert.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUserRow {
    /// Id.
    pub id: String,
    /// Sign-in name.
    pub login: String,
    /// Full name.
    pub full_name: String,
    /// Role word.
    pub role: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Whether the account may sign in.
    pub is_active: bool,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
}

impl UserRow {
    /// The domain user, with the officer's group looked up separately.
    pub fn into_user(self, mobile_group_id: Option<MobileGroupId>) -> User {
        User {
            role: Role::parse(&self.role).unwrap_or(Role::Officer),
            id: UserId::from(self.id),
            login: self.login,
            full_name: self.full_name,
            mobile_group_id,
            is_active: self.is_active,
        }
    }
}

/// The user with that login, if any.
pub fn find_by_login(conn: &mut DbConnection, login: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::login.eq(login))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// The user with that id and their group, if any.
pub fn find_user(conn: &mut DbConnection, id: &UserId) -> QueryResult<Option<User>> {
    let row = users::table
        .find(id.as_str())
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    let group = find_group_of(conn, id)?;
    Ok(Some(row.into_user(group)))
}

/// The mobile group an officer belongs to.
pub fn find_group_of(conn: &mut DbConnection, id: &UserId) -> QueryResult<Option<MobileGroupId>> {
    mobile_group_members::table
        .find(id.as_str())
        .select(mobile_group_members::mobile_group_id)
        .first::<String>(conn)
        .optional()
        .map(|g| g.map(MobileGroupId::from))
}

/// Inserts a user (and their group membership, for an officer).
pub fn insert(
    conn: &mut DbConnection,
    row: &NewUserRow,
    group: Option<&MobileGroupId>,
) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(row)
        .execute(conn)?;
    if let Some(group) = group {
        diesel::insert_into(mobile_group_members::table)
            .values((
                mobile_group_members::user_id.eq(&row.id),
                mobile_group_members::mobile_group_id.eq(group.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// An account as a sign-in attempt found it, after counting the attempt.
#[derive(Debug, Clone, Queryable)]
pub struct Attempted {
    /// Id.
    pub id: String,
    /// Failed sign-ins in a row, this attempt included.
    pub failed_logins: i32,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Whether the account may sign in.
    pub is_active: bool,
    /// Chosen UI language.
    pub preferred_lang: Option<String>,
}

/// Counts a sign-in attempt on the account `login` before its password is checked, in one
/// statement (`failed_logins + 1 ... RETURNING`), so that attempts sent at once all count. A
/// locked account is not counted and gives none, as does an unknown login.
pub fn count_attempt(
    conn: &mut DbConnection,
    login: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Attempted>> {
    diesel::update(
        users::table.filter(users::login.eq(login)).filter(
            users::locked_until
                .is_null()
                .or(users::locked_until.le(now)),
        ),
    )
    .set(users::failed_logins.eq(users::failed_logins + 1))
    .returning((
        users::id,
        users::failed_logins,
        users::password_hash,
        users::is_active,
        users::preferred_lang,
    ))
    .get_result(conn)
    .optional()
}

/// Locks an account until `until` and starts its count again.
pub fn lock(conn: &mut DbConnection, id: &str, until: NaiveDateTime) -> QueryResult<()> {
    update_failed_logins(conn, id, 0, Some(until))
}

/// Stores the failure count and lock after a failed sign-in.
pub fn update_failed_logins(
    conn: &mut DbConnection,
    id: &str,
    failed_logins: i32,
    locked_until: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::failed_logins.eq(failed_logins),
            users::locked_until.eq(locked_until),
        ))
        .execute(conn)
        .map(drop)
}

/// Clears the failure count after a successful sign-in.
pub fn reset_failed_logins(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    update_failed_logins(conn, id, 0, None)
}

/// Replaces a user's password hash (an administrator's reset, or `baqylau user passwd`), lifts
/// any lock and ends every session of the user: whoever held the old password is out.
pub fn update_password(
    conn: &mut DbConnection,
    login: &str,
    password_hash: &str,
) -> QueryResult<usize> {
    let changed = set_password_hash(conn, login, password_hash)?;
    let ids: Vec<String> = users::table
        .filter(users::login.eq(login))
        .select(users::id)
        .load(conn)?;
    for id in ids {
        sessions::end_all_of_user(conn, &id, None, EndReason::PasswordReset, now_utc())?;
    }
    Ok(changed)
}

/// A user's change of their own password: their other sessions end, `keep` (the one asking)
/// goes on.
pub fn change_own_password(
    conn: &mut DbConnection,
    id: &UserId,
    login: &str,
    password_hash: &str,
    keep: Option<&str>,
) -> QueryResult<usize> {
    let changed = set_password_hash(conn, login, password_hash)?;
    sessions::end_all_of_user(
        conn,
        id.as_str(),
        keep,
        EndReason::PasswordChanged,
        now_utc(),
    )?;
    Ok(changed)
}

fn set_password_hash(
    conn: &mut DbConnection,
    login: &str,
    password_hash: &str,
) -> QueryResult<usize> {
    diesel::update(users::table.filter(users::login.eq(login)))
        .set((
            users::password_hash.eq(password_hash),
            users::failed_logins.eq(0),
            users::locked_until.eq(None::<NaiveDateTime>),
            users::updated_at.eq(now_utc()),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)
}

/// Stores the user's chosen language.
pub fn update_preferred_lang(conn: &mut DbConnection, id: &UserId, lang: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id.as_str()))
        .set(users::preferred_lang.eq(lang))
        .execute(conn)
        .map(drop)
}

/// One line of the user list.
#[derive(Debug, Clone, Queryable)]
pub struct UserListRow {
    /// Id.
    pub id: String,
    /// Sign-in name.
    pub login: String,
    /// Full name.
    pub full_name: String,
    /// Role word.
    pub role: String,
    /// Active or disabled.
    pub is_active: bool,
    /// Locked until then.
    pub locked_until: Option<NaiveDateTime>,
    /// Group id of an officer.
    pub mobile_group_id: Option<String>,
}

/// All users ordered by login.
pub fn list_users(conn: &mut DbConnection) -> QueryResult<Vec<UserListRow>> {
    users::table
        .left_join(mobile_group_members::table)
        .select((
            users::id,
            users::login,
            users::full_name,
            users::role,
            users::is_active,
            users::locked_until,
            mobile_group_members::mobile_group_id.nullable(),
        ))
        .order(users::login.asc())
        .load(conn)
}

/// How many users there are (an empty database has none).
pub fn count_users(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

/// The user row with that id, if any.
pub fn find_user_row(conn: &mut DbConnection, id: &UserId) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id.as_str())
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// Changes a user's name and role if the row still has `version`; returns the rows changed (0
/// when someone else changed it first).
pub fn update_user(
    conn: &mut DbConnection,
    id: &UserId,
    version: i32,
    full_name: &str,
    role: Role,
) -> QueryResult<usize> {
    diesel::update(
        users::table
            .find(id.as_str())
            .filter(users::version.eq(version)),
    )
    .set((
        users::full_name.eq(full_name),
        users::role.eq(role.as_str()),
        users::updated_at.eq(now_utc()),
        users::version.eq(users::version + 1),
    ))
    .execute(conn)
}

/// Enables or disables a user. A disabled user cannot sign in and their sessions end; enabling
/// them again revives none of those.
pub fn update_is_active(conn: &mut DbConnection, id: &UserId, is_active: bool) -> QueryResult<()> {
    diesel::update(users::table.find(id.as_str()))
        .set((
            users::is_active.eq(is_active),
            users::updated_at.eq(now_utc()),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)?;
    if !is_active {
        sessions::end_all_of_user(conn, id.as_str(), None, EndReason::Disabled, now_utc())?;
    }
    Ok(())
}

/// Puts a user in a group (leaving any other), or in none.
pub fn update_group(
    conn: &mut DbConnection,
    id: &UserId,
    group: Option<&MobileGroupId>,
) -> QueryResult<()> {
    diesel::delete(mobile_group_members::table.find(id.as_str())).execute(conn)?;
    if let Some(group) = group {
        diesel::insert_into(mobile_group_members::table)
            .values((
                mobile_group_members::user_id.eq(id.as_str()),
                mobile_group_members::mobile_group_id.eq(group.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}
