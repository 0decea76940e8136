//! The audit log: who read or changed which record, when, from where. Rows are only ever
//! inserted (DESIGN.md section 2).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{audit_entries, audit_person_set_members};
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

/// The kind of record an entry is about, as stored in `audit_entries.entity_kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditKind {
    /// A person of the registry.
    Person,
    /// A list of persons read at once (a search, a route, an export).
    PersonList,
    /// A user account.
    User,
    /// A sign-in session.
    Session,
    /// A plan.
    Plan,
    /// A visit.
    Visit,
    /// A follow-up.
    FollowUp,
    /// A mobile group.
    MobileGroup,
    /// A district.
    District,
    /// The contact standards.
    ContactStandard,
    /// An import of offences (one entry per file).
    OffenceImport,
}

impl AuditKind {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::Person => "person",
            AuditKind::PersonList => "person_list",
            AuditKind::User => "user",
            AuditKind::Session => "session",
            AuditKind::Plan => "plan",
            AuditKind::Visit => "visit",
            AuditKind::FollowUp => "follow_up",
            AuditKind::MobileGroup => "mobile_group",
            AuditKind::District => "district",
            AuditKind::ContactStandard => "contact_standard",
            AuditKind::OffenceImport => "offence_import",
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
    /// The kind of record.
    pub entity_kind: AuditKind,
    /// The record's id.
    pub entity_id: Option<&'a str>,
    /// The client's address.
    pub ip: Option<&'a str>,
    /// JSON details: before and after of a change, the reason of a failure.
    pub details: Option<String>,
}

impl<'a> AuditRecord<'a> {
    /// `user`'s `action` on the record of `kind` with `id` (none for many records or none),
    /// from `ip`; details are added with [`AuditRecord::details`].
    pub fn by(
        user: &'a User,
        ip: Option<&'a str>,
        action: AuditAction,
        kind: AuditKind,
        id: impl Into<Option<&'a str>>,
    ) -> Self {
        Self::under(&user.login, Some(user), ip, action, kind, id)
    }

    /// An `action` under `login` where no signed-in user may stand behind it (a sign-in
    /// attempt, the first account, an import from the command line): `user` when one does.
    pub fn under(
        login: &'a str,
        user: Option<&'a User>,
        ip: Option<&'a str>,
        action: AuditAction,
        kind: AuditKind,
        id: impl Into<Option<&'a str>>,
    ) -> Self {
        AuditRecord {
            user,
            login,
            action,
            entity_kind: kind,
            entity_id: id.into(),
            ip,
            details: None,
        }
    }

    /// `user`'s change to their own account (`what`: `password_changed`, `session_ended`).
    pub fn own_account(user: &'a User, ip: Option<&'a str>, what: &str) -> Self {
        Self::by(
            user,
            ip,
            AuditAction::Update,
            AuditKind::User,
            user.id.as_str(),
        )
        .details(serde_json::json!({ "change": what }))
    }

    /// The entry with JSON `details`: before and after of a change, the reason of a failure.
    #[must_use]
    pub fn details(self, details: serde_json::Value) -> Self {
        AuditRecord {
            details: Some(details.to_string()),
            ..self
        }
    }
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
            audit_entries::entity_kind.eq(record.entity_kind.as_str()),
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
    let record = AuditRecord {
        details,
        ..AuditRecord::by(user, ip, AuditAction::Read, AuditKind::Person, person_id)
    };
    insert(conn, &record)
}

/// A page that showed persons: where (`registry_list`, `plan`, `today`, `coverage_report`), the
/// query or record it showed them for, and the persons.
#[derive(Debug, Clone)]
pub struct ListRead<'a> {
    /// The page.
    pub via: &'a str,
    /// The search and filters, or the plan or date shown.
    pub query: &'a str,
    /// The persons it showed.
    pub person_ids: &'a [String],
}

/// Writes one `read` entry for a page that showed many persons, naming how many and the query,
/// and the set of persons it showed, so each person's page lists the view among its viewers. A
/// page that showed nobody is not recorded.
///
/// The set is stored once and named by its content ([`person_set`]): a route or a search seen
/// again writes its entry row and nothing more, where linking each person anew wrote two rows
/// per person on every view (bench/RESULTS.md §12, most of a route page's writes).
pub fn insert_list_read(
    conn: &mut DbConnection,
    user: &User,
    read: &ListRead<'_>,
    ip: Option<&str>,
) -> QueryResult<()> {
    let ids = distinct_person_ids(read.person_ids);
    if ids.is_empty() {
        return Ok(());
    }
    // A plan shows a person twice when both their home and work are checked: count persons.
    let details = serde_json::json!({
        "via": read.via,
        "count": ids.len(),
        "query": read.query,
    });
    conn.transaction(|conn| {
        let set = person_set(conn, &ids)?;
        diesel::insert_into(audit_entries::table)
            .values((
                audit_entries::id.eq(AuditEntryId::new().as_str()),
                audit_entries::at.eq(now_utc()),
                audit_entries::user_id.eq(Some(user.id.as_str())),
                audit_entries::user_login.eq(&user.login),
                audit_entries::action.eq(AuditAction::Read.as_str()),
                audit_entries::entity_kind.eq(AuditKind::PersonList.as_str()),
                audit_entries::entity_id.eq(None::<&str>),
                audit_entries::ip.eq(ip),
                audit_entries::details.eq(Some(details.to_string())),
                audit_entries::person_set_id.eq(Some(set.as_str())),
            ))
            .execute(conn)
            .map(drop)
    })
}

/// The ids, sorted and without repeats. The values are ids of our own making (UUIDs); anything
/// else is left out rather than quoted into [`person_set`]'s statements.
fn distinct_person_ids(person_ids: &[String]) -> Vec<&str> {
    let mut ids: Vec<&str> = person_ids
        .iter()
        .map(String::as_str)
        .filter(|id| is_plain_id(id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn is_plain_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The stored set of exactly these persons (`ids` sorted and distinct), made when it is new: its
/// id is the lowercase hex SHA-256 of the ids joined by `'\n'`, so the same persons always name
/// the same set, and other persons another (short of a SHA-256 collision). Two requests making
/// the same new set at once both succeed: the second insert does nothing, and the first's
/// members are written in the same transaction as its set row.
fn person_set(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<String> {
    let set = crate::digest::sha256_hex(ids.join("\n").as_bytes());
    let made = diesel::sql_query(format!(
        "INSERT INTO audit_person_sets (id) VALUES ('{set}') ON CONFLICT DO NOTHING"
    ))
    .execute(conn)?;
    if made == 0 {
        return Ok(set);
    }
    // 500 to a statement: one row per statement would make a plan page of two thousand
    // persons write two thousand statements.
    for chunk in ids.chunks(500) {
        let values: Vec<String> = chunk
            .iter()
            .map(|id| format!("('{set}', '{id}')"))
            .collect();
        diesel::sql_query(format!(
            "INSERT INTO audit_person_set_members (set_id, person_id) VALUES {}",
            values.join(", ")
        ))
        .execute(conn)?;
    }
    Ok(set)
}

/// Who saw a person, newest first: reads of the record itself and the lists that showed it.
pub fn list_person_viewers(
    conn: &mut DbConnection,
    person_id: &str,
    limit: i64,
) -> QueryResult<Vec<AuditEntryRow>> {
    let mut rows = list_for_entity(conn, AuditKind::Person, person_id, limit)?;
    let sets = audit_person_set_members::table
        .filter(audit_person_set_members::person_id.eq(person_id))
        .select(audit_person_set_members::set_id);
    let listed: Vec<AuditEntryRow> = audit_entries::table
        .filter(audit_entries::person_set_id.eq_any(sets.nullable()))
        .order((audit_entries::at.desc(), audit_entries::id.desc()))
        .limit(limit)
        .select(AuditEntryRow::as_select())
        .load(conn)?;
    rows.extend(listed);
    rows.sort_by(|a, b| (b.at, &b.id).cmp(&(a.at, &a.id)));
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(rows)
}

/// The newest entries about one record, newest first.
pub fn list_for_entity(
    conn: &mut DbConnection,
    entity_kind: AuditKind,
    entity_id: &str,
    limit: i64,
) -> QueryResult<Vec<AuditEntryRow>> {
    audit_entries::table
        .filter(audit_entries::entity_kind.eq(entity_kind.as_str()))
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
