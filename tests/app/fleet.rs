//! A fleet of real app servers (the built `baqylau` binary, started as a load balancer's pool
//! would be) on one database: PostgreSQL when the suite runs on it, else one SQLite file. Two
//! servers started at the same moment on an empty database both come up with the demo loaded
//! once; a session made on one works on the other and a sign-out on one ends it on both; failed
//! sign-ins are counted across both; a plan started on one shows its progress on the other, and
//! when its server is killed, or stopped, the other shows it failed with a way to start again.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use baqylau::db::schema::{persons, users};
use diesel::prelude::*;

#[path = "../../bench/common/http.rs"]
#[expect(
    dead_code,
    reason = "the shared client has helpers this test does not use"
)]
mod http;

use http::{Conn, csrf_of};

use crate::support::{PASSWORD, drop_schema, fresh_database};

const T: Duration = Duration::from_secs(60);
/// Seconds without a heartbeat after which a plan job counts as lost (the servers' setting).
const LOST_S: u64 = 3;

/// One running server process.
pub struct Server {
    child: Child,
    /// Its `host:port`.
    pub addr: String,
}

impl Server {
    /// Starts `baqylau serve` on a free loopback port over `database_url`, in `dir`.
    fn start(database_url: &str, dir: &std::path::Path, key: &str) -> Self {
        Self::start_with(database_url, dir, key, &[])
    }

    /// [`Server::start`] with more settings (`BAQYLAU_…` variables).
    pub fn start_with(
        database_url: &str,
        dir: &std::path::Path,
        key: &str,
        extra: &[(&str, &str)],
    ) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        let child = Command::new(env!("CARGO_BIN_EXE_baqylau"))
            .arg("serve")
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("BAQYLAU_DATABASE_URL", database_url)
            .env("BAQYLAU_BIND", &addr)
            .env("BAQYLAU_SECRET_KEY", key)
            .env("BAQYLAU_DEMO", "yes")
            .env("BAQYLAU_DEMO_HISTORY", "off")
            .env("BAQYLAU_PLAN_JOB_LOST_SECONDS", LOST_S.to_string())
            .env("BAQYLAU_WORKERS", "2")
            .env("BAQYLAU_LOG", "warn")
            .envs(extra.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        Server { child, addr }
    }

    /// Waits until the server answers `/healthz`; panics with its error output if it exited.
    pub async fn ready(&mut self) {
        self.ready_by(|addr| async move {
            let mut conn = Conn::new(&addr);
            conn.get("/healthz", Duration::from_secs(2))
                .await
                .is_ok_and(|a| a.status == 200)
        })
        .await;
    }

    /// Waits until `up` says the server answers; panics with its error output if it exited.
    pub async fn ready_by<F, Fut>(&mut self, up: F)
    where
        F: Fn(String) -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(180) {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut text = String::new();
                if let Some(mut err) = self.child.stderr.take() {
                    std::io::Read::read_to_string(&mut err, &mut text).unwrap();
                }
                panic!("the server on {} exited ({status}): {text}", self.addr);
            }
            if up(self.addr.clone()).await {
                return;
            }
            actix_web::rt::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("the server on {} never answered", self.addr);
    }

    /// A signed-in client of this server.
    async fn signed_in(&self, login: &str) -> Conn {
        let mut conn = Conn::new(&self.addr);
        conn.sign_in(login, PASSWORD).await.unwrap();
        conn
    }

    /// A client of this server carrying `other`'s cookies and token (the load balancer sent the
    /// same browser elsewhere).
    fn same_browser(&self, other: &Conn) -> Conn {
        let mut conn = Conn::new(&self.addr);
        conn.cookie.clone_from(&other.cookie);
        conn.csrf.clone_from(&other.csrf);
        conn
    }

    /// Asks the server to stop (SIGTERM, as systemd does) and waits for it to exit.
    fn stop(mut self) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
        let started = Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            assert!(
                started.elapsed() < Duration::from_secs(40),
                "the server did not stop"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Posts a form with the client's token.
async fn post(conn: &mut Conn, path: &str, form: &str) -> http::Answer {
    let token = conn.csrf.clone().unwrap_or_default();
    let body = format!("csrf_token={token}&{form}");
    conn.request(
        "POST",
        path,
        Some("application/x-www-form-urlencoded"),
        body.as_bytes(),
        T,
    )
    .await
    .unwrap()
}

/// A job's status as its page's script reads it: `running`, `done` or `failed`.
async fn job_status(conn: &mut Conn, job: &str) -> String {
    let answer = conn.get(&format!("{job}?format=json"), T).await.unwrap();
    assert_eq!(answer.status, 200, "{job}: {}", answer.body);
    let value: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    value["status"].as_str().unwrap_or_default().to_owned()
}

/// Starts a plan of tomorrow for all groups; its progress page's path.
async fn start_plan(conn: &mut Conn) -> String {
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string();
    let answer = post(conn, "/planning/plans", &format!("from={tomorrow}&days=3")).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let job = answer.location.unwrap();
    assert!(job.starts_with("/planning/jobs/"), "{job}");
    job
}

#[actix_web::test]
async fn two_servers_on_one_database_act_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let (url, schema) = fresh_database(dir.path());
    let key = "ab".repeat(64);
    // Started at the same moment on an empty database: both come up.
    let mut a = Server::start(&url, dir.path(), &key);
    let mut b = Server::start(&url, dir.path(), &key);
    a.ready().await;
    b.ready().await;
    let db = baqylau::db::connect(&baqylau::db::DatabaseUrl::parse(&url).unwrap(), 2).unwrap();
    let (people, prosecutors): (i64, i64) = {
        let conn = &mut db.get().unwrap();
        let people = persons::table.count().get_result(conn).unwrap();
        let prosecutors = users::table
            .filter(users::login.eq("prosecutor"))
            .count()
            .get_result(conn)
            .unwrap();
        (people, prosecutors)
    };
    assert_eq!(
        (people, prosecutors),
        (1500, 1),
        "the demo region, loaded once"
    );

    // A session made on A works on B; a sign-out on B ends it on A too.
    let mut on_a = a.signed_in("prosecutor").await;
    let mut on_b = b.same_browser(&on_a);
    assert_eq!(on_b.get("/registry/persons", T).await.unwrap().status, 200);
    let out = post(&mut on_b, "/logout", "").await;
    assert_eq!(out.status, 303, "{}", out.body);
    let after = on_a.get("/registry/persons", T).await.unwrap();
    assert_eq!(after.status, 303, "the session ended on A as well");
    assert!(after.location.unwrap_or_default().starts_with("/login"));

    // Failed sign-ins count across both: three on A and two on B lock the account (5).
    for (server, n) in [(&a, 3), (&b, 2)] {
        for _ in 0..n {
            let mut conn = Conn::new(&server.addr);
            let page = conn.get("/login", T).await.unwrap();
            let token = csrf_of(&page.body).unwrap_or_default();
            conn.csrf = Some(token);
            let answer = post(&mut conn, "/login", "login=supervisor&password=wrong-guess").await;
            assert_eq!(answer.status, 422, "a wrong password is refused");
        }
    }
    let mut late = Conn::new(&a.addr);
    assert!(
        late.sign_in("supervisor", PASSWORD).await.is_err(),
        "the right password after five failures on two servers is refused: the lock holds"
    );

    // A plan started on A shows its progress on B; A is killed; B then shows it failed.
    let mut planner = a.signed_in("prosecutor").await;
    let job = start_plan(&mut planner).await;
    let mut watcher = b.same_browser(&planner);
    drop(a);
    assert_eq!(job_status(&mut watcher, &job).await, "running");
    actix_web::rt::time::sleep(Duration::from_secs(LOST_S + 1)).await;
    assert_eq!(job_status(&mut watcher, &job).await, "failed");
    let page = watcher.get(&job, T).await.unwrap();
    assert!(page.body.contains("id=\"restart-form\""), "{}", page.body);

    // A third server stopped as systemd stops it marks its plan failed at once, well before
    // the heartbeat's timeout, and B offers to start it again.
    let mut c = Server::start(&url, dir.path(), &key);
    c.ready().await;
    let mut planner = c.signed_in("prosecutor").await;
    let job = start_plan(&mut planner).await;
    let mut watcher = b.same_browser(&planner);
    drop(planner);
    c.stop();
    assert_eq!(
        job_status(&mut watcher, &job).await,
        "failed",
        "stopped, not lost"
    );
    // And the plan made again on B is made there.
    let again = start_plan(&mut watcher).await;
    let started = Instant::now();
    while job_status(&mut watcher, &again).await == "running" {
        assert!(started.elapsed() < Duration::from_secs(120), "never made");
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    }
    assert_eq!(job_status(&mut watcher, &again).await, "done");
    drop(b);
    drop(db);
    drop_schema(schema.as_ref());
}
