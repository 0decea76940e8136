//! What the coverage reports read of the visits is enough: only the successes from the longest
//! contact standard (and a day) before the period, plus each person-kind's last success before
//! that, are read (issue 7's speed at 100,000 persons). These figures would change if that
//! window were a day too short, or if the last success long before the period were not read.

use baqylau::domain::GeoPoint;
use baqylau::domain::person::Person;
use baqylau::domain::visit::VisitOutcome;
use baqylau::reports::crime_trends::Period;
use chrono::{NaiveDate, NaiveDateTime};

use crate::support::TestApp;
use crate::support::builders::person;
use crate::support::records::visit;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A local time in the region (UTC+5) as stored (UTC).
fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, min, 0).unwrap() - chrono::Duration::hours(5)
}

/// Three low-tier persons of the office (home within 30 days, work within 60, the longest
/// standard), all supervised since 2020:
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
    let (app, office) = TestApp::office();
    let district = &office.districts[0];
    let people: Vec<Person> = ["Старый", "Край", "Крайний"]
        .iter()
        .enumerate()
        .map(|(i, last)| {
            let mut build = person(last, "Тест", i as u16 + 1, office.point_in(0, i), district)
                .supervised_from(day(2020, 1, 1));
            if i > 0 {
                build = build.works_at(
                    "ТОО «Алматы»",
                    GeoPoint {
                        lat: 43.25,
                        lon: 76.95,
                    },
                );
            }
            app.add_person(build)
        })
        .collect();
    let officer = app.user_id("officer01");
    let (old, edge, edge2) = (&people[0].id, &people[1].id, &people[2].id);
    let home = |person, at, outcome| visit(person, &officer, at, outcome);
    let work = |person, at| home(person, at, VisitOutcome::Employed).at_work();
    for v in [
        home(old, local(2024, 1, 10, 10, 0), VisitOutcome::Present),
        home(old, local(2025, 5, 20, 10, 0), VisitOutcome::Absent),
        home(edge, local(2025, 3, 25, 12, 0), VisitOutcome::Present),
        work(edge, local(2025, 1, 30, 0, 30)),
        home(edge2, local(2025, 3, 25, 12, 0), VisitOutcome::Present),
        work(edge2, local(2025, 1, 29, 3, 0)),
    ] {
        app.record_visit(v);
    }
    let suspect = people[2].iin.as_str().to_owned();
    app.add_offence("W-1", day(2025, 3, 31), &district.id, |o| {
        o.suspect_iin = Some(suspect);
    });
    Fixture {
        old: old.to_string(),
        edge: edge.to_string(),
        edge2: edge2.to_string(),
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
