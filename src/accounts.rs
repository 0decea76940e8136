//! Passwords and the sign-in policy: Argon2id hashes and the lock after repeated failures.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use chrono::{NaiveDateTime, TimeDelta};

/// Hashes a password with Argon2id (the crate's defaults: m = 19 MiB, t = 2, p = 1) and a fresh
/// random salt, as a PHC string.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password failed: {e}"))
}

/// Whether the password matches the stored PHC hash; a malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// A hash of a password nobody knows, verified when the login is unknown so that the answer takes
/// as long as for a real user and does not reveal which logins exist.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a real password, only for timing").unwrap_or_default())
}

/// When repeated failures lock an account, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Failed sign-ins in a row that lock the account.
    pub max_failed_logins: i32,
    /// How long the lock lasts.
    pub lock_minutes: i64,
}

impl LockoutPolicy {
    /// After one more failure (`failed_before` failures so far), the new count and, when the limit
    /// is reached, the time the lock ends.
    pub fn after_failure(
        self,
        failed_before: i32,
        now: NaiveDateTime,
    ) -> (i32, Option<NaiveDateTime>) {
        let failed = failed_before.saturating_add(1);
        if failed >= self.max_failed_logins {
            (0, Some(now + TimeDelta::minutes(self.lock_minutes)))
        } else {
            (failed, None)
        }
    }
}

/// Checks a new password wherever one is set (the admin's forms, `baqylau user add|passwd`): at
/// least 12 characters and not a common password ([`crate::domain::password`]). Returns the
/// message key of the problem.
pub fn validate_new_password(password: &str) -> Result<(), &'static str> {
    crate::domain::password::check_new_password(password).map_err(|p| p.message_key())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let hash = hash_password("correct horse").unwrap_or_default();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[test]
    fn the_fifth_failure_locks_for_the_policy_time() {
        let policy = LockoutPolicy {
            max_failed_logins: 5,
            lock_minutes: 15,
        };
        let now = chrono::DateTime::UNIX_EPOCH.naive_utc();
        assert_eq!(policy.after_failure(3, now), (4, None));
        assert_eq!(
            policy.after_failure(4, now),
            (0, Some(now + TimeDelta::minutes(15)))
        );
    }
}
