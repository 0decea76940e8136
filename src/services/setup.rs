//! The first run of an office's server: an empty database without the demo region has no user,
//! so start-up prints a one-time token and the first administrator is made at `/setup` with it
//! (or with `baqylau user add`). Only the token's hash is stored; it dies with its first use.

use subtle::ConstantTimeEq as _;

use crate::db::audit::{AuditAction, AuditKind, AuditRecord};
use crate::db::{self, DbConnection};

/// The settings key of the token's hash.
const TOKEN_KEY: &str = "setup_token_sha256";

fn hash(token: &str) -> String {
    crate::digest::sha256_hex(token.as_bytes())
}

/// When the database has no user yet, makes a new set-up token (replacing any earlier one),
/// stores its hash and returns it to be printed; `None` when users exist.
pub fn prepare_token(conn: &mut DbConnection) -> anyhow::Result<Option<String>> {
    if db::users::count_users(conn)? > 0 {
        return Ok(None);
    }
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("no randomness for a set-up token: {e}"))?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    db::settings::set(conn, TOKEN_KEY, &hash(&token))?;
    Ok(Some(token))
}

/// Whether set-up is still open: no user exists and a token was made.
pub fn is_open(conn: &mut DbConnection) -> diesel::QueryResult<bool> {
    Ok(db::users::count_users(conn)? == 0 && db::settings::find(conn, TOKEN_KEY)?.is_some())
}

/// Whether `token` is the printed one (compared in constant time).
pub fn token_matches(conn: &mut DbConnection, token: &str) -> diesel::QueryResult<bool> {
    let Some(stored) = db::settings::find(conn, TOKEN_KEY)? else {
        return Ok(false);
    };
    Ok(bool::from(
        stored.as_bytes().ct_eq(hash(token.trim()).as_bytes()),
    ))
}

/// Retires the token (after the first administrator is made).
pub fn retire_token(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    db::settings::delete(conn, TOKEN_KEY)
}

/// Makes the first administrator, retires the token and audits it, in one transaction; `false`
/// (nothing written) when a user exists by then: two servers, or two people, cannot both make
/// one.
pub fn make_first_administrator(
    conn: &mut DbConnection,
    row: &db::users::NewUserRow,
    ip: Option<&str>,
) -> diesel::QueryResult<bool> {
    db::write_transaction(conn, |conn| {
        if db::users::count_users(conn)? > 0 {
            return Ok(false);
        }
        db::users::insert(conn, row, None)?;
        retire_token(conn)?;
        let details = serde_json::json!({ "via": "setup", "role": row.role });
        let record = AuditRecord::under(
            &row.login,
            None,
            ip,
            AuditAction::Create,
            AuditKind::User,
            row.id.as_str(),
        );
        db::audit::insert(conn, &record.details(details))?;
        Ok(true)
    })
}
