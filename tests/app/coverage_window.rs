//! What the coverage reports read of the visits is enough: only the successes from the longest
//! contact standard (and a day) before the period, plus each person-kind's last success before
//! that, are read (issue 7's speed at 100,000 persons). These figures would change if that
//! window were a day too short, or if the last success long before the period were not read.

use baqylau::db;
use baqylau::db::offences::OffenceRow;
use baqylau::db::schema::{follow_ups, offences, persons, visits};
use baqylau::reports::crime_trends::Period;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::coverage_vs_crime::{home_visit, officer_id};
use crate::support::TestApp;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A local time in the region (UTC+5) as stored (UTC).
fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, min, 0).unwrap() - chrono::Duration::hours(5)
}

/// Three low-tier persons (home within 30 days, work within 60, the longest standard), all
/// supervised since 2020, the only active ones of the demo region:
/// - `old`, not employed, last visited on 10 January 2024 (a year and more before the period;
///   a failed visit in May 2025 does not count);
/// - `edge`, employed, home visited on 25 March 2025, work on 30 January 2025 at 00:30 local
///   time (still 29 January in UTC): 60 days before 31 March, the period's first day;
/// - `edge2`, employed, home visited on 25 March 2025, work on 29 January 2025 at 03:00 local
///   time (28 January in UTC): 60 days before 30 March, the day before `edge2`'s re-offence on
///   31 March.
struct Fixture {
    app: TestApp,
    old: String,
    edge: String,
    edge2: String,
}

fn fixture() -> Fixture {
    let app = TestApp::with_demo(12);
    let mut conn = app.conn();
    diesel::delete(follow_ups::table)
        .execute(&mut conn)
        .unwrap();
    diesel::delete(visits::table).execute(&mut conn).unwrap();
    diesel::delete(offences::table).execute(&mut conn).unwrap();
    diesel::update(persons::table)
        .set(persons::status.eq("moved_out"))
        .execute(&mut conn)
        .unwrap();
    let people: Vec<(String, String, String)> = persons::table
        .select((persons::id, persons::iin, persons::district_id))
        .order(persons::id)
        .limit(3)
        .load(&mut conn)
        .unwrap();
    for (i, (id, _, _)) in people.iter().enumerate() {
        let employed = i > 0;
        diesel::update(persons::table.find(id))
            .set((
                persons::risk_tier.eq("low"),
                persons::supervision_start.eq(day(2020, 1, 1)),
                persons::status.eq("active"),
                persons::work_lat.eq(employed.then_some(43.25)),
                persons::work_lon.eq(employed.then_some(76.95)),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let officer = officer_id(&app);
    let (old, edge, edge2) = (&people[0].0, &people[1].0, &people[2].0);
    let work = |id: &str, person: &str, at: NaiveDateTime| {
        let mut v = home_visit(id, person, &officer, at, "employed");
        v.kind = "work".to_owned();
        v
    };
    let rows = [
        home_visit("w-1", old, &officer, local(2024, 1, 10, 10, 0), "present"),
        home_visit("w-2", old, &officer, local(2025, 5, 20, 10, 0), "absent"),
        home_visit("w-3", edge, &officer, local(2025, 3, 25, 12, 0), "present"),
        work("w-4", edge, local(2025, 1, 30, 0, 30)),
        home_visit("w-5", edge2, &officer, local(2025, 3, 25, 12, 0), "present"),
        work("w-6", edge2, local(2025, 1, 29, 3, 0)),
    ];
    for v in &rows {
        db::visits::insert(&mut conn, v, None, None).unwrap();
    }
    let offence = OffenceRow {
        id: "W-1".to_owned(),
        offence_date: day(2025, 3, 31),
        district_id: people[2].2.clone(),
        lat: None,
        lon: None,
        article: "188".to_owned(),
        severity: "medium".to_owned(),
        offence_type: "theft".to_owned(),
        place: "street".to_owned(),
        suspect_iin: Some(people[2].1.clone()),
    };
    db::offences::insert_all(&mut conn, &[offence]).unwrap();
    drop(conn);
    Fixture {
        old: old.clone(),
        edge: edge.clone(),
        edge2: edge2.clone(),
        app,
    }
}

fn period() -> Period {
    Period::new(day(2025, 3, 31), day(2025, 5, 31)).unwrap()
}

#[test]
fn a_visit_at_the_standards_edge_covers_and_the_last_visit_long_before_is_found() {
    let f = fixture();
    let tz = f.app.state.tz;
    let report = baqylau::services::reports::coverage(&mut f.app.conn(), period(), None, tz)
        .unwrap()
        .unwrap();
    // 31 March: homes of edge and edge2 covered (25 March), old's overdue; edge's work covered
    // by its visit of 30 January (local day) on the 60-day edge, edge2's (29 January) overdue.
    let march = &report.monthly[0];
    assert_eq!(march.key, "2025-03-31");
    assert_eq!((march.home.covered, march.home.overdue), (2, 1));
    assert_eq!((march.work.covered, march.work.overdue), (1, 1));
    let lapsing = |person: &str, kind: &str| {
        report
            .lapsing
            .iter()
            .find(|o| o.person_id == person && o.kind == kind)
            .map(|o| (o.days_since, o.days_overdue, o.never_visited))
    };
    // 10 January 2024 to 31 May 2025: 507 days, 477 past the 30-day standard; visited before.
    assert_eq!(lapsing(&f.old, "home"), Some((507, 477, false)));
    // 30 January to 31 May: 121 days; 29 January: 122.
    assert_eq!(lapsing(&f.edge, "work"), Some((121, 61, false)));
    assert_eq!(lapsing(&f.edge2, "work"), Some((122, 62, false)));
    assert_eq!(lapsing(&f.edge, "home"), Some((67, 37, false)));
}

#[test]
fn a_reoffence_on_the_first_day_sees_the_visit_a_standard_before_the_day_before() {
    let f = fixture();
    let tz = f.app.state.tz;
    let report = baqylau::services::reports::coverage_vs_crime(
        &mut f.app.conn(),
        period(),
        None,
        tz,
        f.app.state.today(),
    )
    .unwrap()
    .unwrap();
    // On 30 March edge2's home (25 March) and work (29 January, 60 days before) were covered.
    let covered = &report.reoffending[0];
    assert_eq!(covered.key, "covered");
    assert_eq!((covered.offences, covered.persons), (1, 1));
    assert_eq!(report.reoffending[1].offences, 0);
}
