//! Sign-in flood (issue 13): parallel wrong passwords against a running release server on the
//! demo region, from one address and from many (each simulated client connects from its own
//! loopback address, 127.0.x.y, so the server sees real distinct peers), while an officer who is
//! already signed in keeps loading their route. It prints, per phase, the answers, how many
//! guesses the server actually checked against a password (from the audit log), which accounts
//! ended up locked, and the officer's latency beside the same latency before the flood.
//!
//!   cargo run --release --example signin_flood -- --addr 127.0.0.1:18110 --server-pid PID
//!
//! `bench/signin/run.sh` prepares the database, starts the server and runs this on SQLite and
//! PostgreSQL. It reads the audit log through `BAQYLAU_DATABASE_URL`, the server's database.

#![expect(clippy::unwrap_used)]

#[path = "../common/http.rs"]
#[expect(
    dead_code,
    reason = "the shared client has helpers this bench does not use"
)]
mod http;

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use baqylau::db::schema::{audit_entries, users};
use diesel::prelude::*;
use http::{Conn, csrf_of};

const PASSWORD: &str = "baqylau-demo";
const TIMEOUT: Duration = Duration::from_secs(60);

/// One sign-in attempt from `source`; returns the status.
async fn attempt(addr: &str, source: IpAddr, login: &str, password: &str) -> u16 {
    let mut conn = Conn::new(addr);
    conn.source = Some(source);
    let Ok(page) = conn.get("/login", TIMEOUT).await else {
        return 0;
    };
    let token = csrf_of(&page.body).unwrap_or_default();
    let form = format!("csrf_token={token}&login={login}&password={password}&next=%2F");
    conn.request(
        "POST",
        "/login",
        Some("application/x-www-form-urlencoded"),
        form.as_bytes(),
        TIMEOUT,
    )
    .await
    .map_or(0, |a| a.status)
}

/// Runs the attempts `concurrency` at a time; returns (status, count) pairs.
async fn flood(
    addr: &str,
    attempts: Vec<(IpAddr, String)>,
    concurrency: usize,
) -> Vec<(u16, usize)> {
    let queue = Arc::new(std::sync::Mutex::new(attempts));
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (queue, addr) = (queue.clone(), addr.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            loop {
                let next = queue.lock().unwrap().pop();
                let Some((source, login)) = next else { break };
                statuses.push(attempt(&addr, source, &login, "wrong-guess").await);
            }
            statuses
        }));
    }
    let mut counts: std::collections::BTreeMap<u16, usize> = Default::default();
    for task in tasks {
        for status in task.await.unwrap() {
            *counts.entry(status).or_default() += 1;
        }
    }
    counts.into_iter().collect()
}

/// The officer's route loaded again and again until `stop`; returns the latencies in ms.
async fn officer_meanwhile(addr: String, stop: Arc<AtomicBool>) -> Vec<f64> {
    let mut conn = Conn::new(&addr);
    conn.source = Some(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 50)));
    conn.sign_in("officer02", PASSWORD).await.unwrap();
    let mut latencies = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let started = Instant::now();
        let answer = conn.get("/field/today", TIMEOUT).await.unwrap();
        assert_eq!(answer.status, 200, "the officer stays signed in");
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    latencies
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * p).round() as usize]
}

/// Password checks the server made for `login` (the audit log's wrong-password entries), and
/// whether the account is locked now.
fn audit_of(conn: &mut baqylau::db::DbConnection, login: &str) -> (i64, bool) {
    let checked = audit_entries::table
        .filter(audit_entries::user_login.eq(login))
        .filter(audit_entries::details.like("%wrong_password%"))
        .count()
        .get_result(conn)
        .unwrap();
    let locked = users::table
        .filter(users::login.eq(login))
        .select(users::locked_until)
        .first::<Option<chrono::NaiveDateTime>>(conn)
        .unwrap()
        .is_some_and(|t| t > chrono::Utc::now().naive_utc());
    (checked, locked)
}

fn locked_accounts(conn: &mut baqylau::db::DbConnection) -> Vec<String> {
    users::table
        .filter(users::locked_until.gt(chrono::Utc::now().naive_utc()))
        .select(users::login)
        .order(users::login)
        .load(conn)
        .unwrap()
}

fn server_rss_mb(pid: Option<u32>) -> String {
    let Some(pid) = pid else {
        return "-".to_owned();
    };
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    format!("{:.0}/{:.0}", kb("VmRSS:") / 1024.0, kb("VmHWM:") / 1024.0)
}

fn report(
    phase: &str,
    statuses: &[(u16, usize)],
    took: Duration,
    officer: &mut [f64],
    rss: String,
) {
    let answers: Vec<String> = statuses.iter().map(|(s, n)| format!("{s}:{n}")).collect();
    println!(
        "{phase:<44} answers {:<14} {:>6.1} s  officer p50 {:>6.1} ms p99 {:>6.1} ms ({} loads)  server MB {rss}",
        answers.join(","),
        took.as_secs_f64(),
        percentile(officer, 0.5),
        percentile(officer, 0.99),
        officer.len(),
    );
}

async fn phase(addr: &str, name: &str, attempts: Vec<(IpAddr, String)>, pid: Option<u32>) {
    let stop = Arc::new(AtomicBool::new(false));
    let officer = tokio::spawn(officer_meanwhile(addr.to_owned(), stop.clone()));
    let started = Instant::now();
    let quiet = attempts.is_empty();
    let statuses = flood(addr, attempts, 50).await;
    if quiet {
        // The same officer for a few seconds with nothing else going on: the baseline.
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    let took = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let mut latencies = officer.await.unwrap();
    report(name, &statuses, took, &mut latencies, server_rss_mb(pid));
}

#[tokio::main]
#[expect(
    clippy::too_many_lines,
    reason = "a benchmark's run, its phases in the order its report prints them"
)]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (mut addr, mut pid) = ("127.0.0.1:8080".to_owned(), None);
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--addr" => addr = args.next().unwrap(),
            "--server-pid" => pid = args.next().and_then(|p| p.parse().ok()),
            other => panic!("unknown option {other}"),
        }
    }
    let url = std::env::var("BAQYLAU_DATABASE_URL").unwrap();
    let pool = baqylau::db::connect(&baqylau::db::DatabaseUrl::parse(&url).unwrap(), 2).unwrap();
    let mut db = pool.get().unwrap();
    let one = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));

    // Quiet: the officer's route with nothing else going on.
    phase(&addr, "quiet (no attempts)", Vec::new(), pid).await;

    let burst = (0..200).map(|_| (one, "prosecutor".to_owned())).collect();
    phase(&addr, "A: 200 at one account from one address", burst, pid).await;
    let (checked, locked) = audit_of(&mut db, "prosecutor");
    println!("   prosecutor: {checked} guesses checked against the password, locked: {locked}");
    let right = attempt(
        &addr,
        IpAddr::V4(Ipv4Addr::new(127, 0, 0, 9)),
        "prosecutor",
        PASSWORD,
    )
    .await;
    println!("   the right password from elsewhere while locked: {right} (422 = refused)");

    let spray_from = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 3));
    let mut spray = Vec::new();
    for n in 3..=24 {
        for _ in 0..5 {
            spray.push((spray_from, format!("officer{n:02}")));
        }
    }
    phase(
        &addr,
        "B: 5 at each of 22 accounts from one address",
        spray,
        pid,
    )
    .await;
    let locked = locked_accounts(&mut db);
    println!(
        "   accounts locked now: {} ({}) of 22 tried, besides the prosecutor of phase A",
        locked.len() - 1,
        locked
            .iter()
            .filter(|l| *l != "prosecutor")
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );

    let many: Vec<(IpAddr, String)> = (0..300u16)
        .map(|i| {
            let ip = IpAddr::V4(Ipv4Addr::new(
                127,
                0,
                1 + (i / 250) as u8,
                1 + (i % 250) as u8,
            ));
            (ip, "supervisor".to_owned())
        })
        .collect();
    phase(&addr, "C: 300 at one account from 300 addresses", many, pid).await;
    let (checked, locked) = audit_of(&mut db, "supervisor");
    println!("   supervisor: {checked} guesses checked against the password, locked: {locked}");
}
