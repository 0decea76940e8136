//! The session store: actix-session keeps each session's values in the `sessions` table, and the
//! cookie holds only a random key (signed). Nothing is cached in the server's memory, so sign-out
//! or a disabled account on one app server ends the session on all of them (DESIGN.md section 8).

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use chrono::{DateTime, NaiveDateTime, TimeDelta};

use crate::clock::Clock;
use crate::db::sessions::{self, EndReason, SessionRow, SessionUpdate};
use crate::db::{DbError, DbPool};

/// Values the store reads from a session's state (written by `web::session`).
pub mod keys {
    /// The signed-in user's id.
    pub const USER_ID: &str = "uid";
    /// The session's hard end, unix seconds.
    pub const UNTIL: &str = "until";
    /// The client's address at sign-in.
    pub const IP: &str = "ip";
    /// The browser at sign-in.
    pub const USER_AGENT: &str = "ua";
    /// The session's own id hash, added by `load` so that a handler can name its session (to keep
    /// it when the user ends their others). Never stored in the state.
    pub const SESSION_ID: &str = "_sid";
    /// Set by `load` when no database connection came free in time: the request is answered
    /// 503 (try again) and the session is left as it was.
    pub const BUSY: &str = "_busy";
    /// Values that belong to a sign-in: dropped when a session ended under a running request.
    pub const SIGN_IN: &[&str] = &[USER_ID, UNTIL, "since", "seen", "csrf", SESSION_ID];
}

/// How long a session without a user lives (the language and the sign-in form's token).
const ANONYMOUS_HOURS: i64 = 24;

/// The database-backed store.
#[derive(Clone)]
pub struct DbSessionStore {
    pool: DbPool,
    clock: Clock,
}

impl DbSessionStore {
    /// A store over the app's pool, judging expiry by the app's clock.
    pub fn new(pool: DbPool, clock: Clock) -> Self {
        Self { pool, clock }
    }
}

/// The id under which a key's session is stored: its SHA-256, hex.
pub fn id_of(key: &str) -> String {
    crate::digest::sha256_hex(key.as_bytes())
}

fn new_key() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness for a session: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn text(state: &HashMap<String, String>, key: &str) -> Option<String> {
    serde_json::from_str::<String>(state.get(key)?).ok()
}

/// When a session with this state ends: its sign-in's hard end, or a day for one without a user.
fn expires_at(state: &HashMap<String, String>, now: NaiveDateTime) -> NaiveDateTime {
    let until = state
        .get(keys::UNTIL)
        .and_then(|v| v.parse::<i64>().ok())
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .map(|at| at.naive_utc());
    match (until, state.contains_key(keys::USER_ID)) {
        (Some(until), _) => until,
        // A user's session without a recorded end cannot outlive the longest allowed one.
        (None, true) => now + TimeDelta::hours(14),
        (None, false) => now + TimeDelta::hours(ANONYMOUS_HOURS),
    }
}

fn serialise(state: &HashMap<String, String>) -> anyhow::Result<String> {
    let mut stored = state.clone();
    stored.remove(keys::SESSION_ID);
    stored.remove(keys::BUSY);
    Ok(serde_json::to_string(&stored)?)
}

fn new_row(
    state: &HashMap<String, String>,
    key: &str,
    now: chrono::NaiveDateTime,
) -> anyhow::Result<SessionRow> {
    Ok(SessionRow {
        id: id_of(key),
        user_id: text(state, keys::USER_ID),
        created_at: now,
        last_seen_at: now,
        expires_at: expires_at(state, now),
        ended_at: None,
        ended_reason: None,
        ip: text(state, keys::IP),
        user_agent: text(state, keys::USER_AGENT),
        state: serialise(state)?,
    })
}

/// The store's database work, through the pool's gate like every request's (`db::run`): a
/// session is loaded on every request, so 500 clients would otherwise wait on 500 threads.
async fn blocking<T: Send + 'static>(
    pool: &DbPool,
    work: impl FnOnce(&mut crate::db::DbConnection) -> anyhow::Result<T> + Send + 'static,
) -> Result<T, DbError> {
    crate::db::run(pool, move |conn| work(conn).map_err(DbError::Work)).await
}

impl DbSessionStore {
    async fn insert(&self, state: HashMap<String, String>) -> anyhow::Result<SessionKey> {
        let key = new_key()?;
        let row = new_row(&state, &key, self.clock.now_utc())?;
        blocking(&self.pool, move |conn| Ok(sessions::insert(conn, &row)?)).await?;
        SessionKey::try_from(key).map_err(anyhow::Error::from)
    }
}

impl SessionStore for DbSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<HashMap<String, String>>, LoadError> {
        let id = id_of(key.as_ref());
        let now = self.clock.now_utc();
        let found = blocking(&self.pool, {
            let id = id.clone();
            move |conn| Ok(sessions::find_live(conn, &id, now)?)
        })
        .await;
        let found = match found {
            Ok(found) => found,
            Err(error @ (DbError::Pool(_) | DbError::Queue(_))) => {
                // Overloaded for a moment: a marked state makes `authenticate` answer 503 to try
                // again, instead of a 500 or signing the user out.
                tracing::warn!(%error, "no database connection to load a session");
                let busy = HashMap::from([(keys::BUSY.to_owned(), "true".to_owned())]);
                return Ok(Some(busy));
            }
            Err(error) => return Err(LoadError::Other(error.into())),
        };
        let Some(row) = found else { return Ok(None) };
        let mut state: HashMap<String, String> =
            serde_json::from_str(&row.state).map_err(|e| LoadError::Deserialization(e.into()))?;
        state.insert(
            keys::SESSION_ID.to_owned(),
            serde_json::to_string(&id).unwrap_or_default(),
        );
        Ok(Some(state))
    }

    async fn save(
        &self,
        state: HashMap<String, String>,
        _ttl: &Duration,
    ) -> Result<SessionKey, SaveError> {
        self.insert(state).await.map_err(SaveError::Other)
    }

    async fn update(
        &self,
        key: SessionKey,
        state: HashMap<String, String>,
        _ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        if state.contains_key(keys::BUSY) {
            return Ok(key);
        }
        let id = id_of(key.as_ref());
        let stored = serialise(&state).map_err(UpdateError::Serialization)?;
        let user_id = text(&state, keys::USER_ID);
        let now = self.clock.now_utc();
        let until = expires_at(&state, now);
        let live = blocking(&self.pool, move |conn| {
            let change = SessionUpdate {
                user_id: user_id.as_deref(),
                state: &stored,
                last_seen_at: now,
                expires_at: until,
            };
            Ok(sessions::update_live(conn, &id, &change)?)
        })
        .await
        .map_err(|e| UpdateError::Other(e.into()))?;
        if live {
            return Ok(key);
        }
        // Ended while this request ran: keep what is not the sign-in (language, theme, a
        // message) in a new session, never the user.
        let mut rest = state;
        for name in keys::SIGN_IN {
            rest.remove(*name);
        }
        self.insert(rest).await.map_err(UpdateError::Other)
    }

    async fn update_ttl(&self, _key: &SessionKey, _ttl: &Duration) -> anyhow::Result<()> {
        // The end is fixed at sign-in and the last-seen time is refreshed with the state.
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> anyhow::Result<()> {
        let id = id_of(key.as_ref());
        let now = self.clock.now_utc();
        blocking(&self.pool, move |conn| {
            sessions::end(conn, &id, EndReason::SignedOut, now)?;
            Ok(())
        })
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_id_is_the_keys_hash_not_the_key() {
        let id = id_of("abc");
        assert_eq!(
            id,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_session_ends_at_its_sign_ins_end_and_one_without_a_user_within_a_day() {
        let now = chrono::DateTime::UNIX_EPOCH.naive_utc();
        let mut state = HashMap::new();
        assert_eq!(expires_at(&state, now), now + TimeDelta::hours(24));
        state.insert(keys::UNTIL.to_owned(), "3600".to_owned());
        assert_eq!(expires_at(&state, now), now + TimeDelta::hours(1));
    }
}
