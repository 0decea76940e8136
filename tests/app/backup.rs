//! `baqylau backup` of a running SQLite database under write load (DESIGN.md section 6): while a
//! writer records visits through the app's own code path, the binary copies the database several
//! times; every copy passes SQLite's integrity and foreign-key checks and holds a moment of the
//! database (between the visits counted before and after it was taken). SQLite only: for
//! PostgreSQL the README points to pg_dump.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use baqylau::db::{self, DatabaseUrl, schema::visits};
use baqylau::domain::check::CheckKind;
use baqylau::services::visits::VisitInput;
use diesel::connection::SimpleConnection as _;
use diesel::prelude::*;
use diesel::sql_types::Text;

fn run(dir: &Path, args: &[&str]) {
    let out = crate::cli::baqylau(dir, args, "");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn pool(path: &Path) -> db::DbPool {
    let url = DatabaseUrl::parse(&format!("sqlite://{}", path.display())).unwrap();
    db::connect(&url, 2).unwrap()
}

fn count(conn: &mut db::DbConnection) -> i64 {
    visits::table.count().get_result(conn).unwrap()
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Records visits of officer01's route today, one after another, until told to stop.
fn writer(pool: db::DbPool, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        let mut conn = pool.get().unwrap();
        let row = db::users::find_by_login(&mut conn, "officer01")
            .unwrap()
            .unwrap();
        let officer = db::users::find_user(&mut conn, &baqylau::domain::UserId::from(row.id))
            .unwrap()
            .unwrap();
        let group = officer.mobile_group_id.clone().unwrap();
        let today = chrono::Utc::now()
            .with_timezone(&chrono_tz::Asia::Almaty)
            .date_naive();
        // Home checks only, recorded ad hoc: one outcome per check would refuse a second visit
        // on a check, and the writer goes round the route many times.
        let route: Vec<_> = db::checks::route_of(&mut conn, &group, today)
            .unwrap()
            .into_iter()
            .filter(|c| c.kind == CheckKind::Home)
            .collect();
        assert!(!route.is_empty(), "officer01 has a home check today");
        let mut written = 0;
        while !stop.load(Ordering::Relaxed) {
            let check = &route[written % route.len()];
            let input = VisitInput {
                check_id: None,
                person_id: check.person_id.to_string(),
                kind: check.kind.to_string(),
                outcome: if check.kind == CheckKind::Work {
                    "employed"
                } else {
                    "present"
                }
                .to_owned(),
                notes: Some(format!("backup load {written}")),
                recorded_at: chrono::Utc::now().to_rfc3339(),
                lat: Some(check.location.lat),
                lon: Some(check.location.lon),
                accuracy_m: Some(10.0),
                ..VisitInput::default()
            };
            let id = baqylau::domain::VisitId::new();
            baqylau::services::visits::record(
                &mut conn,
                &officer,
                &id,
                &input,
                baqylau::services::visits::RecordContext {
                    failures_for_follow_up: 2,
                    correction_minutes: 10,
                    tz: chrono_tz::Asia::Almaty,
                    now: baqylau::db::now_utc(),
                    ip: None,
                },
            )
            .unwrap();
            written += 1;
        }
        written
    })
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "a scenario test: its steps and checks read in order, as one story"
)]
fn backups_taken_while_visits_are_written_are_whole_and_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(d, &["demo-data", "--persons", "200"]);
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Almaty)
        .date_naive()
        .to_string();
    run(
        d,
        &[
            "plan",
            "--from",
            &today,
            "--days",
            "1",
            "--publish",
            "--seconds",
            "1",
        ],
    );
    let live = pool(&d.join("b.db"));
    let stop = Arc::new(AtomicBool::new(false));
    let handle = writer(live.clone(), stop.clone());
    // Let the writer get going before the first copy.
    while count(&mut live.get().unwrap()) < 20 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let mut copies = Vec::new();
    for n in 0..3 {
        let copy = d.join(format!("copy{n}.db"));
        let before = count(&mut live.get().unwrap());
        run(d, &["backup", copy.to_str().unwrap()]);
        let after = count(&mut live.get().unwrap());
        copies.push((copy, before, after));
    }
    stop.store(true, Ordering::Relaxed);
    let written = handle.join().unwrap();
    let mut last = 0;
    for (copy, before, after) in copies {
        let mut conn = pool(&copy).get().unwrap();
        let check: Vec<Line> =
            diesel::sql_query("SELECT integrity_check AS line FROM pragma_integrity_check")
                .load(&mut conn)
                .unwrap();
        assert_eq!(
            check.iter().map(|l| l.line.as_str()).collect::<Vec<_>>(),
            ["ok"],
            "{}",
            copy.display()
        );
        let broken: Vec<Line> =
            diesel::sql_query("SELECT \"table\" AS line FROM pragma_foreign_key_check")
                .load(&mut conn)
                .unwrap();
        assert!(
            broken.is_empty(),
            "dangling references in {}",
            copy.display()
        );
        let held = count(&mut conn);
        assert!(
            (before..=after).contains(&held) && held >= last,
            "{}: {held} visits, taken between {before} and {after}",
            copy.display()
        );
        last = held;
        // The copy is a database the app opens and migrates no further.
        conn.batch_execute("SELECT 1 FROM users LIMIT 1").unwrap();
    }
    assert!(
        written as i64 > last,
        "the writer went on after the last copy"
    );
}
