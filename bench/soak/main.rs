//! Soak: no visit lost (issue 8, DESIGN.md section 6). 50 simulated tablets submit 10,000 visits
//! (each a fresh UUID made on the "device") to `PUT /api/v1/visits/{id}` through flaky networks:
//! random disconnects before the answer, short timeouts and resubmissions of visits already
//! acknowledged. Meanwhile the server, a child of this program, is killed with SIGKILL and
//! started again every few seconds. A tablet keeps a visit in its queue until it gets a 2xx, as
//! the field app does. At the end the database is read directly: every acknowledged visit must be
//! stored exactly once with the content sent, and no visit twice (by id or by content).
//!
//!   cargo run --release --example soak -- --bin target/release/baqylau --addr 127.0.0.1:18200
//!
//! The database and the server's settings come from the environment (`BAQYLAU_*`, as the
//! server reads them); `bench/soak/run.sh` prepares both backends and runs this.

#![expect(clippy::unwrap_used)]

#[path = "../common/field.rs"]
#[expect(dead_code, reason = "the ad hoc visit is the load benchmark's")]
mod field;
#[path = "../common/http.rs"]
mod http;

use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use rand::{Rng as _, SeedableRng as _};
use tokio::sync::Mutex;

use field::{Session, officer_session, visit_body};
use http::Conn;

struct Args {
    bin: String,
    addr: String,
    tablets: usize,
    visits: usize,
    kill_every_ms: (u64, u64),
    seed: u64,
}

fn parse_args() -> Args {
    let mut args = Args {
        bin: "target/release/baqylau".to_owned(),
        addr: "127.0.0.1:18200".to_owned(),
        tablets: 50,
        visits: 10_000,
        kill_every_ms: (1500, 5000),
        seed: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--bin" => args.bin = value,
            "--addr" => args.addr = value,
            "--tablets" => args.tablets = value.parse().unwrap(),
            "--visits" => args.visits = value.parse().unwrap(),
            "--seed" => args.seed = value.parse().unwrap(),
            "--kill-every-ms" => {
                let (a, b) = value.split_once(',').unwrap();
                args.kill_every_ms = (a.parse().unwrap(), b.parse().unwrap());
            }
            _ => panic!("unknown flag {flag}"),
        }
    }
    args
}

/// The server under test, started and SIGKILLed by this program.
struct Server {
    bin: String,
    addr: String,
    child: Option<Child>,
}

impl Server {
    async fn start(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open("soak-server.log")
            .unwrap();
        let child = Command::new(&self.bin)
            .arg("serve")
            .env("BAQYLAU_BIND", &self.addr)
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap();
        self.child = Some(child);
        for _ in 0..600 {
            let mut conn = Conn::new(&self.addr);
            if conn
                .get("/healthz", Duration::from_millis(500))
                .await
                .is_ok_and(|a| a.status == 200)
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not come back; see soak-server.log");
    }

    /// SIGKILL (std's `Child::kill` on Unix): no shutdown, no flush, as a power cut of the process.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }
}

/// A visit waiting on a tablet: its device-made id and the exact body it sends every time.
#[derive(Clone)]
struct Pending {
    id: String,
    body: String,
    notes: String,
}

#[derive(Default)]
struct Tally {
    acknowledged: HashMap<String, String>,
    created: usize,
    resent_ok: usize,
    conflicts: Vec<String>,
    unexpected: Vec<String>,
    timeouts: usize,
    disconnects: usize,
    failures: usize,
    resubmissions: usize,
}

#[expect(
    clippy::too_many_lines,
    reason = "one tablet's queue in order: send, time out or drop, send again, count"
)]
async fn tablet(
    t: usize,
    addr: Arc<String>,
    session: Session,
    visits: usize,
    seed: u64,
    tally: Arc<Mutex<Tally>>,
    done: Arc<AtomicUsize>,
) {
    let mut rng = rand_pcg::Pcg64::seed_from_u64(seed ^ (t as u64 * 0x9E37_79B9));
    let mut queue: Vec<Pending> = (0..visits)
        .map(|n| {
            let stop = &session.stops[(t + n) % session.stops.len()];
            let notes = format!("soak {t}-{n}");
            Pending {
                id: uuid::Uuid::now_v7().to_string(),
                body: visit_body(stop, &notes),
                notes,
            }
        })
        .collect();
    queue.reverse();
    let mut conn = Conn::new(&addr);
    conn.cookie = session.cookie.clone();
    conn.csrf = session.csrf.clone();
    let mut acked: Vec<Pending> = Vec::new();
    while let Some(visit) = queue.last().cloned() {
        // Now and then a visit already acknowledged is sent again (a lost answer on the
        // device's side, a double tap): it must get 200, never be stored twice.
        let (visit, resend) = if !acked.is_empty() && rng.random_bool(0.1) {
            (acked[rng.random_range(0..acked.len())].clone(), true)
        } else {
            (visit, false)
        };
        let roll: f64 = rng.random();
        // 5 %: the network drops while the answer is on its way (a timeout shorter than the
        // server's work); 5 %: a slow network's short timeout; else a patient wait.
        let timeout = if roll < 0.05 {
            Duration::from_millis(rng.random_range(0..3))
        } else if roll < 0.10 {
            Duration::from_millis(rng.random_range(5..50))
        } else {
            Duration::from_secs(10)
        };
        let answer = conn
            .request(
                "PUT",
                &format!("/api/v1/visits/{}", visit.id),
                Some("application/json"),
                visit.body.as_bytes(),
                timeout,
            )
            .await;
        let mut backoff = false;
        let mut tally = tally.lock().await;
        if resend {
            tally.resubmissions += 1;
        }
        match answer {
            Ok(a) if a.status == 201 || a.status == 200 => {
                if a.status == 201 {
                    tally.created += 1;
                } else {
                    tally.resent_ok += 1;
                }
                tally
                    .acknowledged
                    .insert(visit.id.clone(), visit.notes.clone());
                if !resend {
                    queue.pop();
                    acked.push(visit);
                    done.fetch_add(1, Ordering::Relaxed);
                }
            }
            Ok(a) if a.status == 409 => tally
                .conflicts
                .push(format!("{} ({}): {}", visit.id, visit.notes, a.body)),
            Ok(a) if a.status >= 500 => {
                tally.failures += 1;
                backoff = true;
            }
            Ok(a) => {
                tally
                    .unexpected
                    .push(format!("{} {}: {}", visit.id, a.status, a.body));
                // Not retried: the bench reports it.
                if !resend {
                    queue.pop();
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                if timeout < Duration::from_millis(3) {
                    tally.disconnects += 1;
                } else {
                    tally.timeouts += 1;
                }
            }
            Err(_) => {
                tally.failures += 1;
                backoff = true;
            }
        }
        drop(tally);
        // The field app waits before it tries again when the server is down or busy.
        if backoff {
            tokio::time::sleep(Duration::from_millis(rng.random_range(100..500))).await;
        }
        // Now and then the officer walks to the next door.
        if rng.random_bool(0.02) {
            tokio::time::sleep(Duration::from_millis(rng.random_range(10..200))).await;
        }
    }
}

#[tokio::main]
#[expect(
    clippy::too_many_lines,
    reason = "a benchmark's run, its phases in the order its report prints them"
)]
async fn main() {
    let args = parse_args();
    let started = Instant::now();
    let mut server = Server {
        bin: args.bin.clone(),
        addr: args.addr.clone(),
        child: None,
    };
    server.start().await;
    let before = count_visits();
    let mut sessions = Vec::new();
    for t in 0..args.tablets {
        let login = format!("officer{:02}", t % 24 + 1);
        let session = officer_session(&args.addr, &login).await.unwrap();
        assert!(!session.stops.is_empty(), "{login} has no route today");
        sessions.push(session);
    }
    let tally = Arc::new(Mutex::new(Tally::default()));
    let done = Arc::new(AtomicUsize::new(0));
    let addr = Arc::new(args.addr.clone());
    let per_tablet = args.visits / args.tablets;
    let mut tasks = Vec::new();
    for (t, session) in sessions.into_iter().enumerate() {
        tasks.push(tokio::spawn(tablet(
            t,
            addr.clone(),
            session,
            per_tablet,
            args.seed,
            tally.clone(),
            done.clone(),
        )));
    }
    let all = per_tablet * args.tablets;
    let mut kills = 0;
    let mut rng = rand_pcg::Pcg64::seed_from_u64(args.seed);
    let mut downtime = Duration::ZERO;
    while done.load(Ordering::Relaxed) < all {
        let wait = rng.random_range(args.kill_every_ms.0..args.kill_every_ms.1);
        tokio::time::sleep(Duration::from_millis(wait)).await;
        if done.load(Ordering::Relaxed) >= all {
            break;
        }
        server.kill();
        kills += 1;
        let down = Instant::now();
        tokio::time::sleep(Duration::from_millis(rng.random_range(100..1000))).await;
        server.start().await;
        downtime += down.elapsed();
        println!(
            "  kill {kills}: {} of {all} visits acknowledged, {:.0} s",
            done.load(Ordering::Relaxed),
            started.elapsed().as_secs_f64()
        );
    }
    for task in tasks {
        task.await.unwrap();
    }
    server.kill();
    let tally = tally.lock().await;
    let verdict = verify(&tally.acknowledged, before);
    println!(
        "tablets {}, visits {all}, server SIGKILLed {kills} times (down {:.1} s in all), {:.0} s",
        args.tablets,
        downtime.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "answers: 201 created {}, 200 again {}, resubmissions of acknowledged visits {}, \
         timeouts {}, disconnects before the answer {}, connection failures or 5xx {}",
        tally.created,
        tally.resent_ok,
        tally.resubmissions,
        tally.timeouts,
        tally.disconnects,
        tally.failures
    );
    println!(
        "409 on a resubmission {}, other unexpected answers {}",
        tally.conflicts.len(),
        tally.unexpected.len()
    );
    for line in tally.conflicts.iter().chain(&tally.unexpected).take(10) {
        println!("  {line}");
    }
    println!("{}", verdict.join("\n"));
    let ok = verdict.iter().all(|l| l.starts_with("ok"))
        && tally.conflicts.is_empty()
        && tally.unexpected.is_empty();
    println!("{}", if ok { "PASS" } else { "FAIL" });
    if !ok {
        std::process::exit(1);
    }
}

/// A connection to the database the server uses (the same `BAQYLAU_*` settings).
fn connection() -> diesel::r2d2::PooledConnection<baqylau::db::DbManager> {
    let settings = baqylau::config::Settings::load(None).unwrap();
    let url = baqylau::db::DatabaseUrl::parse(&settings.database_url).unwrap();
    baqylau::db::connect(&url, 1).unwrap().get().unwrap()
}

fn count_visits() -> i64 {
    use baqylau::db::schema::visits;
    visits::table.count().get_result(&mut connection()).unwrap()
}

/// Reads the stored soak visits and checks them against the acknowledged ones.
#[expect(
    clippy::too_many_lines,
    reason = "one check per property of the stored visits, listed one after the other"
)]
fn verify(acknowledged: &HashMap<String, String>, before: i64) -> Vec<String> {
    use baqylau::db::schema::visits;
    let mut conn = connection();
    let rows: Vec<(String, Option<String>)> = visits::table
        .filter(visits::notes.like("soak %"))
        .select((visits::id, visits::notes))
        .load(&mut conn)
        .unwrap();
    let total: i64 = visits::table.count().get_result(&mut conn).unwrap();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_content: HashMap<&str, usize> = HashMap::new();
    for (id, notes) in &rows {
        *by_id.entry(id).or_default() += 1;
        *by_content
            .entry(notes.as_deref().unwrap_or(""))
            .or_default() += 1;
    }
    let lost: Vec<&String> = acknowledged
        .keys()
        .filter(|id| !by_id.contains_key(id.as_str()))
        .collect();
    let wrong: Vec<&String> = acknowledged
        .iter()
        .filter(|(id, notes)| {
            rows.iter()
                .any(|(i, n)| i == *id && n.as_deref() != Some(notes.as_str()))
        })
        .map(|(id, _)| id)
        .collect();
    let twice_by_id = by_id.values().filter(|&&n| n > 1).count();
    let twice_by_content = by_content.values().filter(|&&n| n > 1).count();
    let ids: HashSet<&str> = acknowledged.keys().map(String::as_str).collect();
    let stray = rows
        .iter()
        .filter(|(id, _)| !ids.contains(id.as_str()))
        .count();
    let mark = |good: bool| if good { "ok  " } else { "FAIL" };
    vec![
        format!(
            "{} acknowledged visits {}, stored soak visits {} (visits in all: {before} before, {total} after)",
            mark(rows.len() == acknowledged.len()),
            acknowledged.len(),
            rows.len()
        ),
        format!(
            "{} acknowledged but not stored: {}",
            mark(lost.is_empty()),
            lost.len()
        ),
        format!(
            "{} stored with other content than acknowledged: {}",
            mark(wrong.is_empty()),
            wrong.len()
        ),
        format!(
            "{} stored twice by id: {twice_by_id}",
            mark(twice_by_id == 0)
        ),
        format!(
            "{} stored twice by content: {twice_by_content}",
            mark(twice_by_content == 0)
        ),
        format!(
            "{} stored but never acknowledged: {stray}",
            mark(stray == 0)
        ),
    ]
}
