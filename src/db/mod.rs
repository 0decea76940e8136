//! The database layer: one connection type over SQLite and PostgreSQL (a diesel
//! `MultiConnection`), the pool, migrations, and one helper per table module. Web and domain code
//! never see which backend runs (STYLE.md section 2).

pub mod audit;
pub mod checks;
mod connection;
pub mod contact_standards;
pub mod corrections;
pub mod coverage_months;
pub mod districts;
pub mod drive_reads;
pub mod follow_ups;
pub mod migrations;
pub mod mobile_groups;
pub mod offences;
pub mod persons;
pub mod plan_jobs;
pub mod plan_travel;
pub mod plans;
pub mod report_reads;
pub mod road_networks;
pub mod rows;
mod scan_values;
pub mod schema;
pub mod sessions;
pub mod settings;
pub mod sign_in_throttle;
pub mod startup_lock;
pub mod users;
pub mod visits;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::{self, R2D2Connection};
use diesel::{Connection, PgConnection, SqliteConnection};

pub use connection::DbConnection;

/// The shared pool of connections, and the gate in front of it that [`run`] passes: as many
/// pieces of database work on threads at once as there are connections. The others wait as
/// futures, which cost a few hundred bytes, instead of on threads of their own, which cost a
/// stack and an allocator arena each: 500 clients of a report had made 500 threads and kept
/// 280 MB (`bench/RESULTS.md` §12). Reads the pool's methods through `Deref`.
#[derive(Debug, Clone)]
pub struct DbPool {
    connections: r2d2::Pool<DbManager>,
    gate: Arc<tokio::sync::Semaphore>,
}

impl DbPool {
    fn new(connections: r2d2::Pool<DbManager>) -> Self {
        let gate = tokio::sync::Semaphore::new(connections.max_size() as usize);
        Self {
            connections,
            gate: Arc::new(gate),
        }
    }
}

impl std::ops::Deref for DbPool {
    type Target = r2d2::Pool<DbManager>;

    fn deref(&self) -> &Self::Target {
        &self.connections
    }
}

/// Which backend a database URL names, with the address to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A PostgreSQL connection string (`postgres://` or `postgresql://`).
    Postgres(String),
    /// The path of a SQLite file.
    Sqlite(PathBuf),
}

/// Why a database URL cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DatabaseUrlError {
    /// Neither `postgres://`, `postgresql://`, `sqlite://` nor a path to a `.db` file.
    #[error(
        "BAQYLAU_DATABASE_URL {0:?} is not a database URL: use sqlite://PATH (for example \
         sqlite://data/baqylau.db) or postgres://USER@HOST:PORT/DATABASE"
    )]
    Unrecognised(String),
}

impl DatabaseUrl {
    /// Reads a URL. A bare path counts as SQLite only when it ends in `.db`, `.sqlite` or
    /// `.sqlite3`, so a mistyped PostgreSQL URL never silently becomes a new empty SQLite file.
    pub fn parse(url: &str) -> Result<Self, DatabaseUrlError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            && !path.is_empty()
        {
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        let is_sqlite_file = [".db", ".sqlite", ".sqlite3"]
            .iter()
            .any(|ext| url.ends_with(ext));
        if is_sqlite_file && !url.contains("://") {
            return Ok(Self::Sqlite(PathBuf::from(url)));
        }
        Err(DatabaseUrlError::Unrecognised(url.to_owned()))
    }

    /// The URL with any password hidden, for logs and messages.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
            Self::Postgres(url) => redact_password(url),
        }
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Opens connections for the pool, with the SQLite settings DESIGN.md section 6 asks for.
#[derive(Debug, Clone)]
pub struct DbManager {
    url: DatabaseUrl,
}

/// SQLite settings per connection. `busy_timeout` must come first: switching to WAL takes a lock,
/// and pooled connections opening at once otherwise fail with "database is locked" (STACK.md).
/// `synchronous = FULL` makes an acknowledged visit survive a power cut (DESIGN.md section 6).
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                              PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";

/// SQLite settings for a connection that writes a whole history at once (the demo): a 64 MB
/// page cache instead of 2 MB, so the history's tables stay in memory instead of going through
/// the kernel page by page; temporary tables and statement journals in memory (the history's
/// inserts fire triggers, and each such statement in a transaction keeps a journal that went to
/// a file in /var/tmp: two thirds of the demo's page writes); and `synchronous = NORMAL`, which
/// in WAL mode skips the sync at each commit (a power cut may lose the last weeks written, never
/// corrupt the file; the demo is made again only on an empty database).
const SQLITE_BULK_PRAGMAS: &str =
    "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA synchronous = NORMAL;";

/// The pool's own settings again after [`SQLITE_BULK_PRAGMAS`] (SQLite's defaults, and
/// [`SQLITE_PRAGMAS`]' `synchronous`).
const SQLITE_POOL_PRAGMAS: &str =
    "PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT; PRAGMA synchronous = FULL;";

/// Runs `work` on `conn` with the bulk-writing settings on SQLite (nothing changes on
/// PostgreSQL), and gives the connection its pool settings back afterwards, whatever `work`
/// returned: it goes back to the pool.
pub fn with_bulk_writes<T>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    if sqlite {
        conn.batch_execute(SQLITE_BULK_PRAGMAS)?;
    }
    let result = work(conn);
    if sqlite {
        conn.batch_execute(SQLITE_POOL_PRAGMAS)?;
    }
    result
}

impl r2d2::ManageConnection for DbManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match &self.url {
            DatabaseUrl::Postgres(url) => PgConnection::establish(url)
                .map(DbConnection::Postgresql)
                .map_err(r2d2::Error::ConnectionError),
            DatabaseUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())
                    .map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// Opens the pool (creating the SQLite file `0600` in a `0700` folder when needed) and fails
/// fast with a message that names the database when it cannot be reached.
pub fn connect(url: &DatabaseUrl, pool_size: u32) -> anyhow::Result<DbPool> {
    use anyhow::Context as _;
    let max_size = match url {
        DatabaseUrl::Sqlite(path) => {
            create_sqlite_file(path)?;
            4
        }
        DatabaseUrl::Postgres(_) => 12,
    };
    r2d2::Pool::builder()
        .max_size(if pool_size == 0 { max_size } else { pool_size })
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(5))
        .build(DbManager { url: url.clone() })
        .map(DbPool::new)
        .with_context(|| format!("cannot open the database {}", url.redacted()))
}

/// Opens the pool and applies pending migrations; returns the pool and how many migrations ran.
pub fn open(url: &DatabaseUrl, pool_size: u32) -> anyhow::Result<(DbPool, usize)> {
    use anyhow::Context as _;
    let pool = connect(url, pool_size)?;
    let mut conn = pool
        .get()
        .with_context(|| format!("cannot connect to {}", url.redacted()))?;
    let applied = migrations::run_pending(&mut conn)?;
    Ok((pool, applied))
}

/// The SQLite file and its folder, private to the server's user before SQLite opens the file:
/// SQLite gives its `-wal`, `-shm` and journal files the database file's mode.
fn create_sqlite_file(path: &std::path::Path) -> anyhow::Result<()> {
    use anyhow::Context as _;
    if path.as_os_str() == ":memory:" {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        crate::private_files::create_private_dir(dir).with_context(|| {
            format!(
                "cannot create the folder {} for the database",
                dir.display()
            )
        })?;
    }
    crate::private_files::create_private_file(path)
        .with_context(|| format!("cannot create the database file {}", path.display()))?;
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let side = std::path::PathBuf::from(side);
        if side.exists() {
            crate::private_files::create_private_file(&side)
                .with_context(|| format!("cannot make {} private", side.display()))?;
        }
    }
    Ok(())
}

/// Why database work failed: no connection came free in time, a query failed, the blocking task
/// died, or the work itself gave up with its own error. Carries no HTTP knowledge; the web's
/// `AppError: From<DbError>` (in `error.rs`) gives each its answer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// No connection came free in time: the pool is exhausted or the database is down.
    #[error("no database connection: {0}")]
    Pool(#[from] r2d2::PoolError),
    /// The work waited its turn at the pool's gate for the pool's whole connection timeout:
    /// more work than the connections could take.
    #[error("no database connection came free in {0:?}")]
    Queue(Duration),
    /// A query failed.
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    /// The blocking task that held the connection panicked or was cancelled.
    #[error("the database task failed: {0}")]
    Task(#[from] actix_web::error::BlockingError),
    /// The work's own failure (a rule it checked, a service's error), kept whole so that the
    /// caller gets it back: a handler's `AppError` travels inside and comes out unchanged.
    #[error(transparent)]
    Work(#[from] anyhow::Error),
}

/// Runs blocking database work on actix's thread pool so web workers stay free, once the pool's
/// gate lets it in (no more at once than connections); waiting at the gate and then for a
/// connection each take at most the pool's connection timeout.
pub async fn run<T, F>(pool: &DbPool, work: F) -> Result<T, DbError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, DbError> + Send + 'static,
    T: Send + 'static,
{
    let wait = pool.connection_timeout();
    let permit = match tokio::time::timeout(wait, pool.gate.clone().acquire_owned()).await {
        Ok(Ok(permit)) => permit,
        // Timed out, or the gate closed (never done: the pool owns it).
        Ok(Err(_)) | Err(_) => return Err(DbError::Queue(wait)),
    };
    let pool = pool.clone();
    actix_web::web::block(move || {
        let _permit = permit;
        let mut conn = pool.get()?;
        work(&mut conn)
    })
    .await?
}

/// A transaction for work that writes. On SQLite it begins with `BEGIN IMMEDIATE`, taking the
/// write lock up front: a deferred transaction that reads first and writes later fails at once
/// with SQLITE_BUSY when another writer got there in between, and busy_timeout does not help.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let DbConnection::Sqlite(inner) = conn else {
        return conn.transaction(work);
    };
    AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
    let outcome = work(conn);
    let DbConnection::Sqlite(inner) = conn else {
        return outcome;
    };
    match outcome {
        Ok(value) => {
            AnsiTransactionManager::commit_transaction(inner)?;
            Ok(value)
        }
        Err(error) => {
            if let Err(rollback) = AnsiTransactionManager::rollback_transaction(inner) {
                tracing::error!(%rollback, "rollback after a failed write failed");
            }
            Err(error)
        }
    }
}

/// Whether the connection is SQLite (for the rare backend-specific statement).
pub fn is_sqlite(conn: &DbConnection) -> bool {
    matches!(conn, DbConnection::Sqlite(_))
}

/// Current UTC time as stored in `TIMESTAMP` columns, truncated to microseconds so both backends
/// store exactly the same value: the system clock's (the demo's, under its
/// [`crate::clock::ThreadPin`]).
pub fn now_utc() -> chrono::NaiveDateTime {
    crate::clock::Clock::system().now_utc()
}

/// Writes a consistent copy of a live SQLite database with `VACUUM INTO` (readers and writers
/// may go on meanwhile; the copy is one snapshot).
pub fn backup_sqlite(conn: &mut DbConnection, dest: &std::path::Path) -> anyhow::Result<()> {
    let DbConnection::Sqlite(inner) = conn else {
        anyhow::bail!("backup_sqlite needs a SQLite connection");
    };
    // `VACUUM INTO` fills an existing empty file and keeps its mode: a backup is as private as
    // the database.
    if let Some(dir) = dest.parent() {
        crate::private_files::create_private_dir(dir)?;
    }
    crate::private_files::create_private_file(dest)?;
    let path = dest.to_string_lossy().replace('\'', "''");
    if let Err(error) = inner.batch_execute(&format!("VACUUM INTO '{path}'")) {
        // Best effort: the empty file made above is no backup.
        let _ = std::fs::remove_file(dest);
        return Err(error.into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_chooses_the_backend() {
        assert!(matches!(
            DatabaseUrl::parse("postgres://u@h/db"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        assert!(matches!(
            DatabaseUrl::parse("sqlite://data/x.db"),
            Ok(DatabaseUrl::Sqlite(_))
        ));
        assert!(matches!(
            DatabaseUrl::parse("data/x.db"),
            Ok(DatabaseUrl::Sqlite(_))
        ));
    }

    #[test]
    fn mistyped_urls_are_refused_not_created() {
        assert!(DatabaseUrl::parse("postgress://u@h/db").is_err());
        assert!(DatabaseUrl::parse("mysql://u@h/db").is_err());
        assert!(DatabaseUrl::parse("baqylau").is_err());
        assert!(DatabaseUrl::parse("").is_err());
    }

    #[test]
    fn passwords_are_hidden_in_messages() {
        let url = DatabaseUrl::Postgres("postgres://app:s3cret@db:5432/baqylau".to_owned());
        assert_eq!(url.redacted(), "postgres://app:***@db:5432/baqylau");
    }

    /// The threads of this process, from `/proc/self/status`.
    fn threads() -> usize {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| {
                let line = status.lines().find(|l| l.starts_with("Threads:"))?;
                line.split_whitespace().nth(1)?.parse().ok()
            })
            .unwrap_or(0)
    }

    #[actix_web::test]
    #[expect(clippy::unwrap_used, reason = "tests fail loudly")]
    async fn work_beyond_the_connections_waits_as_futures_not_on_threads() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("gate.db"));
        let pool = connect(&url, 1).unwrap();
        let before = threads();
        let running = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (most, most_threads) = (
            Arc::new(std::sync::atomic::AtomicUsize::new(0)),
            Arc::new(std::sync::atomic::AtomicUsize::new(0)),
        );
        // 150 pieces of work on one connection, each holding it 2 ms: 0.3 s in all, far inside
        // the 5 s the last one may wait. Without the gate each would wait for the connection on
        // a blocking thread of its own (up to 512 of them): 150 more threads when tried.
        let works = (0..150).map(|_| {
            let (running, most, most_threads) =
                (running.clone(), most.clone(), most_threads.clone());
            run(&pool, move |conn| {
                use std::sync::atomic::Ordering::SeqCst;
                let now = running.fetch_add(1, SeqCst) + 1;
                most.fetch_max(now, SeqCst);
                most_threads.fetch_max(threads(), SeqCst);
                conn.batch_execute("SELECT 1")?;
                std::thread::sleep(Duration::from_millis(2));
                running.fetch_sub(1, SeqCst);
                Ok(())
            })
        });
        let done = futures_util::future::join_all(works).await;
        assert!(done.iter().all(Result::is_ok), "every piece of work ran");
        assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), 1);
        // Other tests run beside this one and make threads of their own: allow them 60.
        let grew = most_threads
            .load(std::sync::atomic::Ordering::SeqCst)
            .saturating_sub(before);
        assert!(
            grew < 60,
            "{grew} threads more while 150 pieces of work waited"
        );
    }

    #[actix_web::test]
    #[expect(clippy::unwrap_used, reason = "tests fail loudly")]
    async fn work_that_waits_at_the_gate_past_the_timeout_is_told_busy() {
        use actix_web::ResponseError as _;
        let dir = tempfile::tempdir().unwrap();
        let pool = connect(&DatabaseUrl::Sqlite(dir.path().join("busy.db")), 1).unwrap();
        let (release, held) = std::sync::mpsc::channel::<()>();
        // One piece of work holds the only permit until told to stop.
        let shared = pool.clone();
        let holder = actix_web::rt::spawn(async move {
            run(&shared, move |_conn| {
                held.recv_timeout(Duration::from_secs(30)).ok();
                Ok(())
            })
            .await
        });
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        let started = std::time::Instant::now();
        let late = run(&pool, |_conn| Ok(())).await;
        let waited = started.elapsed();
        let Err(error @ DbError::Queue(_)) = late else {
            panic!("expected a wait at the gate to time out, got {late:?}");
        };
        assert!(waited >= pool.connection_timeout(), "{waited:?}");
        let answer = crate::error::AppError::from(error);
        assert_eq!(
            answer.status_code(),
            actix_web::http::StatusCode::SERVICE_UNAVAILABLE
        );
        release.send(()).unwrap();
        holder.await.unwrap().unwrap();
        assert!(
            run(&pool, |_conn| Ok(())).await.is_ok(),
            "the gate opens again"
        );
    }
}
