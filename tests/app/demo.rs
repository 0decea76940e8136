//! The demo region as loaded into the database (SQLite or PostgreSQL): the whole region reads
//! back valid, and loading is once only.

use std::collections::{BTreeMap, BTreeSet};

use baqylau::domain::Iin;
use baqylau::domain::location::district_of;

use crate::support::{PASSWORD, TestApp};

#[test]
fn the_demo_region_reads_back_whole_and_valid() {
    let app = TestApp::with_demo(1500);
    let mut conn = app.conn();
    let districts = baqylau::db::districts::list_districts(&mut conn).unwrap();
    assert_eq!(districts.len(), 12);
    let persons = baqylau::db::persons::list_all_persons(&mut conn).unwrap();
    assert_eq!(persons.len(), 1500);
    let mut iins = BTreeSet::new();
    let mut per_district: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &persons {
        let name = p.full_name();
        let iin = Iin::parse(p.iin.as_str()).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(
            iin.birth_date(),
            Some(p.birth_date),
            "{name}: IIN and birth date agree"
        );
        assert_eq!(iin.sex(), p.sex, "{name}: IIN and sex agree");
        assert!(iins.insert(p.iin.as_str().to_owned()), "{name}: IIN unique");
        let home = district_of(&districts, p.home)
            .unwrap_or_else(|| panic!("{name}: home outside the region"));
        assert_eq!(
            home.id, p.district_id,
            "{name}: the district holds the home point"
        );
        assert_eq!(
            districts.iter().filter(|d| d.contains(p.home)).count(),
            1,
            "{name}: districts do not overlap"
        );
        if let Some(work) = &p.work {
            assert!(
                district_of(&districts, work.point).is_some(),
                "{name}: workplace inside the region"
            );
        }
        assert!(
            p.conviction.conviction_date
                <= p.conviction
                    .release_date
                    .unwrap_or(p.conviction.conviction_date)
        );
        *per_district.entry(home.code.as_str()).or_default() += 1;
    }
    assert_eq!(
        per_district.len(),
        12,
        "every district has persons: {per_district:?}"
    );
    let users = baqylau::db::users::list_users(&mut conn).unwrap();
    assert_eq!(users.iter().filter(|u| u.role == "officer").count(), 24);
}

#[test]
fn the_demo_region_is_loaded_only_into_an_empty_database() {
    let app = TestApp::with_demo(20);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let again = baqylau::demo::load_if_empty(&mut app.conn(), 2026, 20, today, PASSWORD).unwrap();
    assert!(again.is_none());
    assert_eq!(
        baqylau::db::persons::count_persons(&mut app.conn()).unwrap(),
        20
    );
    // Migrations run again change nothing.
    baqylau::db::migrations::run_pending(&mut app.conn()).unwrap();
}

#[test]
fn the_demo_history_is_made_by_the_planner_and_coverage_rises_as_groups_come_on_line() {
    use baqylau::db::schema::{checks, plans, visits};
    use diesel::prelude::*;
    let app = TestApp::with_demo(150);
    let today = chrono::NaiveDate::from_ymd_opt(2025, 4, 2).unwrap();
    let summary =
        baqylau::demo::history::generate_if_absent(&mut app.conn(), 2026, today, 2, &mut |_, _| {})
            .unwrap()
            .expect("a history");
    // 2025-01-06 to the week before 2025-03-31: 12 weekly plans.
    assert_eq!(summary.plans, 12);
    assert!(
        summary.visits > 0 && summary.visits == summary.checks,
        "{summary:?}"
    );
    let stored: i64 = visits::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(stored as usize, summary.visits);
    // Every plan passes the independent checker.
    let ids: Vec<String> = plans::table
        .select(plans::id)
        .load(&mut app.conn())
        .unwrap();
    for id in &ids {
        let problems = baqylau::services::plans::check_stored(
            &mut app.conn(),
            &baqylau::domain::PlanId::from(id.clone()),
        )
        .unwrap();
        assert!(problems.is_empty(), "{id}: {problems:?}");
    }
    // More groups on line later: the last month has more visits than the first.
    let in_month = |from: (u32, u32), to: (u32, u32)| -> i64 {
        let a = chrono::NaiveDate::from_ymd_opt(2025, from.0, from.1).unwrap();
        let b = chrono::NaiveDate::from_ymd_opt(2025, to.0, to.1).unwrap();
        checks::table
            .filter(checks::planned_date.between(a, b))
            .filter(checks::status.eq_any(["done", "missed"]))
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    assert!(
        in_month((3, 3), (3, 28)) > in_month((1, 6), (1, 31)),
        "coverage rises"
    );
    // Made once only.
    assert!(
        baqylau::demo::history::generate_if_absent(&mut app.conn(), 2026, today, 2, &mut |_, _| {})
            .unwrap()
            .is_none()
    );
}
