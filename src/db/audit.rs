//! The audit log: who read or changed which record, when, from where. Rows are only ever
//! inserted (DESIGN.md section 2).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::audit_entries;
use super::{DbConnection, now_utc};
use crate::domain::AuditEntryId;
use crate::domain::user::User;

/// What an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// Signed in.
    Login,
    /// A failed sign-in (wrong password, unknown login, locked or disabled account).
    LoginFailed,
    /// Signed out.
    Logout,
    /// Opened a record.
    Read,
    /// Created a record.
    Create,
    /// Changed a record.
    Update,
    /// Was refused access to a record.
    Denied,
}

impl AuditAction {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::Logout => "logout",
            AuditAction::Read => "read",
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::Denied => "denied",
        }
    }
}

/// An entry to write.
#[derive(Debug, Clone)]
pub struct AuditRecord<'a> {
    /// Who acted (none for a failed sign-in of an unknown login).
    pub user: Option<&'a User>,
    /// The login named, also when no user has it.
    pub login: &'a str,
    /// What happened.
    pub action: AuditAction,
    /// The kind of record: `person`, `user`, `session`, ...
    pub entity_kind: &'a str,
    /// The record's id.
    pub entity_id: Option<&'a str>,
    /// The client's address.
    pub ip: Option<&'a str>,
    /// JSON details: before and after of a change, the reason of a failure.
    pub details: Option<String>,
}

/// A stored audit entry.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_entries)]
pub struct AuditEntryRow {
    /// Id.
    pub id: String,
    /// When (UTC).
    pub at: NaiveDateTime,
    /// Who.
    pub user_id: Option<String>,
    /// Login named.
    pub user_login: String,
    /// What.
    pub action: String,
    /// Kind of record.
    pub entity_kind: String,
    /// Record id.
    pub entity_id: Option<String>,
    /// Client address.
    pub ip: Option<String>,
    /// Details (JSON).
    pub details: Option<String>,
}

/// Writes an entry.
pub fn insert(conn: &mut DbConnection, record: &AuditRecord<'_>) -> QueryResult<()> {
    diesel::insert_into(audit_entries::table)
        .values((
            audit_entries::id.eq(AuditEntryId::new().as_str()),
            audit_entries::at.eq(now_utc()),
            audit_entries::user_id.eq(record.user.map(|u| u.id.as_str())),
            audit_entries::user_login.eq(record.login),
            audit_entries::action.eq(record.action.as_str()),
            audit_entries::entity_kind.eq(record.entity_kind),
            audit_entries::entity_id.eq(record.entity_id),
            audit_entries::ip.eq(record.ip),
            audit_entries::details.eq(record.details.as_deref()),
        ))
        .execute(conn)
        .map(drop)
}

/// Writes that `user` read a person's record: `person_id`, or none for an export of many
/// records; `details` say how (JSON).
pub fn insert_person_read(
    conn: &mut DbConnection,
    user: &User,
    person_id: Option<&str>,
    ip: Option<&str>,
    details: Option<String>,
) -> QueryResult<()> {
    insert(
        conn,
        &AuditRecord {
            user: Some(user),
            login: &user.login,
            action: AuditAction::Read,
            entity_kind: "person",
            entity_id: person_id,
            ip,
            details,
        },
    )
}

/// The newest entries about one record, newest first.
pub fn list_for_entity(
    conn: &mut DbConnection,
    entity_kind: &str,
    entity_id: &str,
    limit: i64,
) -> QueryResult<Vec<AuditEntryRow>> {
    audit_entries::table
        .filter(audit_entries::entity_kind.eq(entity_kind))
        .filter(audit_entries::entity_id.eq(entity_id))
        .order((audit_entries::at.desc(), audit_entries::id.desc()))
        .limit(limit)
        .select(AuditEntryRow::as_select())
        .load(conn)
}

/// One page of the whole log, newest first, with the total count.
pub fn list_page(
    conn: &mut DbConnection,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<AuditEntryRow>, i64)> {
    let total = audit_entries::table.count().get_result(conn)?;
    let rows = audit_entries::table
        .order((audit_entries::at.desc(), audit_entries::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(AuditEntryRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}
