//! Passwords and the sign-in policy: Argon2id hashes and the lock after repeated failures.

use std::cell::RefCell;

use argon2::password_hash::phc::{Output, ParamsString, Salt};
use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, Version};
use chrono::{NaiveDateTime, TimeDelta};

thread_local! {
    /// Argon2's working memory (19 MiB at the default parameters), kept by each thread that
    /// hashes and used again for its next hash. Allocated afresh for every hash, glibc kept
    /// each freed block in its arenas (it raises its own threshold for handing large blocks
    /// back after the first): five sign-ins in a row took the server from 17 to 96 MB resident,
    /// twenty at once to 250 MB. Hashing runs on the [`Hasher`]'s few threads, so this is at
    /// most one block per such thread. Argon2 writes every block before it reads it, so what a
    /// previous hash left in it does not matter.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Argon2 of `password` and `salt` into `out`, in this thread's reused memory.
fn argon2_into(
    argon: &Argon2<'_>,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    BLOCKS.with_borrow_mut(|blocks| {
        blocks.resize(argon.params().block_count(), Block::new());
        argon.hash_password_into_with_memory(password, salt, out, &mut blocks[..])
    })
}

/// Hashes a password with Argon2id (the crate's defaults: m = 19 MiB, t = 2, p = 1) and a fresh
/// random salt, as a PHC string.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no randomness for a salt: {e}"))?;
    hash_password_with_salt(password, &salt)
}

/// [`hash_password`] with a given salt (at least 8 bytes), for the demo's published password,
/// whose hash must be the same for a seed; never for a password someone chose.
pub fn hash_password_with_salt(password: &str, salt: &[u8]) -> anyhow::Result<String> {
    let failed = |e: &dyn std::fmt::Display| anyhow::anyhow!("hashing a password failed: {e}");
    let params = Params::default();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2_into(&argon, password.as_bytes(), salt, &mut out).map_err(|e| failed(&e))?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(&e))?,
        salt: Some(Salt::new(salt).map_err(|e| failed(&e))?),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(hash.to_string())
}

/// Whether the password matches the stored PHC hash (its own algorithm, version and
/// parameters); a malformed hash never matches. The comparison takes constant time.
pub fn verify_password(password: &str, hash: &str) -> bool {
    let Ok(stored) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&stored.salt, &stored.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(stored.algorithm.as_str()),
        Params::try_from(&stored),
    ) else {
        return false;
    };
    let version = match stored.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(version)) => version,
        Some(Err(_)) => return false,
    };
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    argon2_into(&argon, password.as_bytes(), salt, &mut out).is_ok()
        // `Output`'s comparison is constant-time.
        && Output::new(&out).is_ok_and(|computed| computed == *expected)
}

/// A hash of a password nobody knows, verified when the login is unknown so that the answer takes
/// as long as for a real user and does not reveal which logins exist.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a real password, only for timing").unwrap_or_default())
}

/// Why the hashing threads could not answer.
#[derive(Debug, thiserror::Error)]
pub enum HasherError {
    /// A thousand hashes wait already (a flood): try again in a moment.
    #[error("too many passwords are being checked at once")]
    Busy,
    /// The threads are gone (the server is stopping).
    #[error("the hashing threads stopped")]
    Stopped,
    /// Hashing itself failed.
    #[error(transparent)]
    Failed(anyhow::Error),
}

/// Argon2 work on a few threads of its own. Each hash takes 19 MiB and a core for about a tenth
/// of a second; on the shared blocking pool every one of its many threads would keep such blocks
/// in its allocator arena after use (a sign-in flood grew the server past 1.5 GB), and a flood
/// would take the threads that serve the pages' queries. Here at most `threads` hashes run at
/// once, always on the same threads, and the rest wait in line.
#[derive(Clone)]
pub struct Hasher {
    jobs: std::sync::mpsc::SyncSender<Box<dyn FnOnce() + Send>>,
}

impl Hasher {
    /// Starts `threads` hashing threads (at least one).
    pub fn start(threads: usize) -> anyhow::Result<Self> {
        let (jobs, queue) = std::sync::mpsc::sync_channel::<Box<dyn FnOnce() + Send>>(1024);
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    loop {
                        let job = match queue.lock() {
                            Ok(queue) => queue.recv(),
                            Err(poisoned) => poisoned.into_inner().recv(),
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_closed) => break,
                        }
                    }
                })?;
        }
        Ok(Self { jobs })
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HasherError> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Box<dyn FnOnce() + Send> = Box::new(move || {
            let _ = answer.send(work());
        });
        self.jobs.try_send(job).map_err(|e| match e {
            std::sync::mpsc::TrySendError::Full(_) => HasherError::Busy,
            std::sync::mpsc::TrySendError::Disconnected(_) => HasherError::Stopped,
        })?;
        answered.await.map_err(|_dropped| HasherError::Stopped)
    }

    /// [`verify_password`] on the hashing threads.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, HasherError> {
        self.run(move || verify_password(&password, &hash)).await
    }

    /// [`hash_password`] on the hashing threads.
    pub async fn hash(&self, password: String) -> Result<String, HasherError> {
        self.run(move || hash_password(&password))
            .await?
            .map_err(HasherError::Failed)
    }
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
    fn our_hash_is_the_argon2_crates_own_and_we_verify_what_it_makes() {
        use argon2::{PasswordHasher as _, PasswordVerifier as _};
        let salt = b"sixteen-byte-slt";
        let ours = hash_password_with_salt("correct horse", salt).unwrap_or_default();
        let theirs = Argon2::default()
            .hash_password_with_salt(b"correct horse", salt)
            .map(|h| h.to_string())
            .unwrap_or_default();
        assert_eq!(ours, theirs, "the same PHC string, parameters and all");
        assert!(
            Argon2::default()
                .verify_password(b"correct horse", ours.as_str())
                .is_ok()
        );
        // A hash made with other parameters (an older or stronger setting) is verified with
        // its own, read from the string.
        let params = Params::new(4096, 3, 1, None).unwrap_or_default();
        let other = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_with_salt(b"battery staple", salt)
            .map(|h| h.to_string())
            .unwrap_or_default();
        assert!(other.contains("m=4096,t=3"), "{other}");
        assert!(verify_password("battery staple", &other));
        assert!(!verify_password("correct horse", &other));
        // And after that smaller hash, the default one still verifies on the same thread.
        assert!(verify_password("correct horse", &ours));
        let tampered = ours.replace("$argon2id$", "$argon2i$");
        assert!(!verify_password("correct horse", &tampered));
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
