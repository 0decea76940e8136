//! Load generator (issue 8, DESIGN.md section 5): against a running server on the demo region, it
//! signs in the 24 officers and the supervisor, then drives each endpoint in turn at each level of
//! concurrency for a fixed time, every simulated client on its own keep-alive connection, and
//! prints throughput and latency percentiles per endpoint and level.
//!
//!   cargo run --release --example load -- --addr 127.0.0.1:18100 --clients 10,100,500 --seconds 10
//!
//! `--addr A,B` spreads the clients over several app servers of one database (a fleet;
//! `bench/fleet/run.sh`); `--server-pid` then reports the first one's memory.
//!
//! Endpoints: `healthz` (`GET /healthz`: no session, one trivial query; the peer each page's
//! throughput is printed against), `route` (an officer's `GET /field/today`), `visit`
//! (`PUT /api/v1/visits/{id}`, a new visit with a fresh UUID each time, on a check of the
//! officer's route) and `coverage` (the supervisor's `GET /reports/coverage`). `--think-ms T` makes each client wait about T ms
//! between requests (users rather than a flood). `--sign-ins N` ends the run with N sign-ins (50
//! at a time, the officers in turn: each one an Argon2 verification on the server) and prints the
//! server's resident memory after them, and again a few seconds later (what it keeps).
//! `bench/load/run.sh` prepares the database, starts the release server and runs this on SQLite
//! and PostgreSQL.

#![expect(clippy::unwrap_used)]

#[path = "../common/field.rs"]
mod field;
#[path = "../common/http.rs"]
mod http;

use std::sync::Arc;
use std::time::{Duration, Instant};

use field::{PASSWORD, Session, ad_hoc_visit_body, officer_session, visit_body};
use http::Conn;

const TIMEOUT: Duration = Duration::from_secs(30);

struct Args {
    addr: String,
    clients: Vec<usize>,
    seconds: u64,
    endpoints: Vec<String>,
    server_pid: Option<u32>,
    think_ms: u64,
    sign_ins: usize,
}

fn parse_args() -> Args {
    let mut args = Args {
        addr: "127.0.0.1:8080".to_owned(),
        clients: vec![10, 100, 500],
        seconds: 10,
        endpoints: ["healthz", "route", "visit", "coverage"]
            .map(String::from)
            .to_vec(),
        server_pid: None,
        think_ms: 0,
        sign_ins: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--addr" => args.addr = value,
            "--clients" => {
                args.clients = value.split(',').map(|c| c.parse().unwrap()).collect();
            }
            "--seconds" => args.seconds = value.parse().unwrap(),
            "--endpoints" => args.endpoints = value.split(',').map(str::to_owned).collect(),
            "--server-pid" => args.server_pid = value.parse().ok(),
            "--think-ms" => args.think_ms = value.parse().unwrap(),
            "--sign-ins" => args.sign_ins = value.parse().unwrap(),
            _ => panic!("unknown flag {flag}"),
        }
    }
    args
}

/// What one level of one endpoint measured.
struct Outcome {
    latencies_us: Vec<u64>,
    errors: usize,
    statuses: std::collections::BTreeMap<u16, usize>,
    elapsed: Duration,
}

#[expect(
    clippy::too_many_lines,
    reason = "the clients spawned and each one's loop: send, read, count, think, until the deadline"
)]
async fn drive(
    addrs: Arc<Vec<String>>,
    endpoint: Arc<String>,
    sessions: Arc<Vec<Session>>,
    clients: usize,
    seconds: u64,
    think_ms: u64,
) -> Outcome {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        // A fleet (`--addr A,B`): client c talks to server c mod n, as a load balancer would
        // spread them, with a session that may have been made on another server.
        let addr = addrs[c % addrs.len()].clone();
        let endpoint = endpoint.clone();
        let sessions = sessions.clone();
        tasks.push(tokio::spawn(async move {
            let session = &sessions[c % sessions.len()];
            let mut conn = Conn::new(&addr);
            conn.cookie = session.cookie.clone();
            conn.csrf = session.csrf.clone();
            let mut latencies = Vec::new();
            let mut statuses = std::collections::BTreeMap::new();
            let mut errors = 0;
            let mut n = c;
            // Users who think also start at different moments (within one think time): all
            // starting at once would put a burst of every client's first request in the
            // percentiles.
            if think_ms > 0 {
                tokio::time::sleep(Duration::from_millis((c as u64 * 7919) % think_ms)).await;
            }
            while Instant::now() < deadline {
                n += clients;
                let sent = Instant::now();
                let answer = match endpoint.as_str() {
                    "route" => conn.get("/field/today", TIMEOUT).await,
                    "healthz" => conn.get("/healthz", TIMEOUT).await,
                    "coverage" => conn.get("/reports/coverage", TIMEOUT).await,
                    _ => {
                        let stop = &session.stops[n % session.stops.len()];
                        let id = uuid::Uuid::now_v7();
                        conn.request(
                            "PUT",
                            &format!("/api/v1/visits/{id}"),
                            Some("application/json"),
                            // A client's first visit is on a check, the later ones ad hoc: a
                            // check takes one visit, so again it would be a 409.
                            if n < 2 * clients {
                                visit_body(stop, &format!("load {n}"))
                            } else {
                                ad_hoc_visit_body(stop, &format!("load {n}"))
                            }
                            .as_bytes(),
                            TIMEOUT,
                        )
                        .await
                    }
                };
                match answer {
                    Ok(answer) => {
                        latencies.push(sent.elapsed().as_micros() as u64);
                        *statuses.entry(answer.status).or_insert(0) += 1;
                    }
                    Err(_) => errors += 1,
                }
                // With think time, a user waits between requests (0.5 to 1.5 times it),
                // as an officer reading the route; without, a client fires back to back.
                if think_ms > 0 {
                    let jitter = (n as u64 * 7919) % think_ms;
                    tokio::time::sleep(Duration::from_millis(think_ms / 2 + jitter)).await;
                }
            }
            (latencies, statuses, errors)
        }));
    }
    let mut outcome = Outcome {
        latencies_us: Vec::new(),
        errors: 0,
        statuses: Default::default(),
        elapsed: Duration::ZERO,
    };
    for task in tasks {
        let (latencies, statuses, errors) = task.await.unwrap();
        outcome.latencies_us.extend(latencies);
        for (s, n) in statuses {
            *outcome.statuses.entry(s).or_insert(0) += n;
        }
        outcome.errors += errors;
    }
    outcome.elapsed = started.elapsed();
    outcome
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

/// Resident and peak memory of the server, MB, from /proc.
fn server_memory(pid: Option<u32>) -> String {
    let Some(pid) = pid else {
        return String::new();
    };
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .unwrap_or(f64::NAN)
    };
    format!("{:.0}/{:.0}", field("VmRSS:"), field("VmHWM:"))
}

/// `n` sign-ins, 50 at a time, each on a new connection, the officers in turn; prints how long
/// they took and the server's memory right after and 3 s later.
async fn sign_ins(addr: &str, n: usize, server_pid: Option<u32>) {
    let started = Instant::now();
    let mut tasks = Vec::new();
    let at_once = 50.min(n.max(1));
    for t in 0..at_once {
        let addr = addr.to_owned();
        tasks.push(tokio::spawn(async move {
            let (mut failed, mut why) = (0, None);
            for i in (t..n).step_by(at_once) {
                let mut conn = Conn::new(&addr);
                // Each sign-in from an address of its own (all of 127/8 is this machine), as
                // tablets have: one address would meet the per-address sign-in limit of issue 13
                // after a few, and measure refusals instead of Argon2.
                conn.source = Some(std::net::IpAddr::V4(std::net::Ipv4Addr::new(
                    127,
                    1,
                    (i / 250) as u8,
                    (i % 250 + 1) as u8,
                )));
                let login = format!("officer{:02}", i % 24 + 1);
                if let Err(error) = conn.sign_in(&login, PASSWORD).await {
                    failed += 1;
                    why.get_or_insert(error.to_string());
                }
            }
            (failed, why)
        }));
    }
    let (mut failed, mut why) = (0, None);
    for task in tasks {
        let (f, w) = task.await.unwrap();
        failed += f;
        why = why.or(w);
    }
    println!(
        "sign-in  {n:>7} in {:.1} s, {failed} failed{}, {at_once} at a time; server MB rss/peak {}",
        started.elapsed().as_secs_f64(),
        why.map(|w| format!(" (first: {w})")).unwrap_or_default(),
        server_memory(server_pid)
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    println!(
        "# server memory after the run (3 s later), MB rss/peak: {}",
        server_memory(server_pid)
    );
}

#[tokio::main]
#[expect(
    clippy::too_many_lines,
    reason = "a benchmark's run, its phases in the order its report prints them"
)]
async fn main() {
    let args = parse_args();
    {
        let addrs: Arc<Vec<String>> = Arc::new(args.addr.split(',').map(str::to_owned).collect());
        let mut officers = Vec::new();
        for i in 1..=24 {
            // Signed in on the fleet's servers in turn.
            let at = &addrs[i % addrs.len()];
            let session = officer_session(at, &format!("officer{i:02}"))
                .await
                .unwrap();
            if !session.stops.is_empty() {
                officers.push(session);
            }
        }
        assert!(
            !officers.is_empty(),
            "no officer has a route today: publish a plan for today first"
        );
        let stops: usize = officers.iter().map(|s| s.stops.len()).sum();
        let mut supervisor = Conn::new(&addrs[0]);
        supervisor.sign_in("supervisor", PASSWORD).await.unwrap();
        let supervisor = vec![Session {
            cookie: supervisor.cookie,
            csrf: supervisor.csrf,
            stops: Vec::new(),
        }];
        let officers = Arc::new(officers);
        let supervisor = Arc::new(supervisor);
        println!(
            "# {} officers with a route ({} stops); {} s per level; think time {} ms; load average {}",
            officers.len(),
            stops,
            args.seconds,
            args.think_ms,
            std::fs::read_to_string("/proc/loadavg")
                .unwrap_or_default()
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        );
        println!(
            "{:<9} {:>7} {:>8} {:>9} {:>8} {:>8} {:>8} {:>8} {:>7}  {:<16} server MB rss/peak",
            "endpoint",
            "clients",
            "requests",
            "req/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "errors",
            "statuses",
        );
        // Requests per second by endpoint and level, for the ratios printed after the table.
        let mut rates = std::collections::BTreeMap::new();
        for endpoint in &args.endpoints {
            for &clients in &args.clients {
                let sessions = if endpoint == "coverage" {
                    supervisor.clone()
                } else {
                    officers.clone()
                };
                let mut outcome = drive(
                    addrs.clone(),
                    Arc::new(endpoint.clone()),
                    sessions,
                    clients,
                    args.seconds,
                    args.think_ms,
                )
                .await;
                outcome.latencies_us.sort_unstable();
                let l = &outcome.latencies_us;
                let statuses = outcome
                    .statuses
                    .iter()
                    .map(|(s, n)| format!("{s}:{n}"))
                    .collect::<Vec<_>>()
                    .join(",");
                let rate = l.len() as f64 / outcome.elapsed.as_secs_f64();
                rates.insert((endpoint.as_str(), clients), rate);
                println!(
                    "{:<9} {:>7} {:>8} {:>9.0} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>7}  {:<16} {}",
                    endpoint,
                    clients,
                    l.len(),
                    rate,
                    percentile(l, 0.50),
                    percentile(l, 0.95),
                    percentile(l, 0.99),
                    percentile(l, 1.0),
                    outcome.errors,
                    statuses,
                    server_memory(args.server_pid),
                );
            }
        }
        // The peer in the same run: a page's throughput against the same server's `/healthz`
        // (no session, one trivial query) at the same level, what issue 18's target 6 asks.
        for (&(endpoint, clients), rate) in &rates {
            if let Some(peer) = rates
                .get(&("healthz", clients))
                .filter(|_| endpoint != "healthz")
            {
                println!(
                    "# {endpoint} / healthz at {clients} clients: {:.2} ({rate:.0} / {peer:.0} req/s)",
                    rate / peer
                );
            }
        }
        if args.sign_ins > 0 {
            sign_ins(&addrs[0], args.sign_ins, args.server_pid).await;
        }
    }
}
