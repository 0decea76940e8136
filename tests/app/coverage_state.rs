//! The stored coverage state of closed months (issue 18, target 1): after every kind of write
//! that changes a month's coverage (a visit, a late visit into a closed month, a correction, a
//! change of tier, district, employment or status, a removal, an import, a new contact
//! standard), the coverage-against-crime report read through the store equals the report
//! evaluated from the raw records, and every month the store holds as fresh equals a fresh
//! recomputation. Each write is checked to change the report's numbers, so a write path that did
//! not mark its months stale would leave the store's figures behind and fail here.

use baqylau::db;
use baqylau::db::offences::OffenceRow;
use baqylau::db::visits::VisitRow;
use baqylau::domain::contact_standard::ContactStandard;
use baqylau::domain::person::{CheckKind, Person, PersonStatus, RiskTier, Workplace};
use baqylau::domain::person_record::{PersonRecord, RecordContext};
use baqylau::reports::coverage_vs_crime::CoverageVsCrime;
use baqylau::reports::crime_trends::Period;
use baqylau::services::imports::{self, ImportKind, ImportedBy};
use baqylau::services::reports;
use chrono::{NaiveDate, NaiveDateTime};

use crate::support::TestApp;
use crate::support::builders::{Office, person};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(6, 0, 0).unwrap()
}

/// Today in the tests: 20 November 2026, so months to October are closed.
fn today() -> NaiveDate {
    day(2026, 11, 20)
}

/// The twelve closed months the page shows by default, and a period running to today.
fn periods() -> [Period; 2] {
    [
        Period::new(day(2025, 11, 1), day(2026, 10, 31)).unwrap(),
        Period::new(day(2026, 2, 15), today()).unwrap(),
    ]
}

struct World {
    app: TestApp,
    office: Office,
    officer: String,
    persons: Vec<Person>,
    visits: usize,
}

impl World {
    /// The office with six persons supervised since 2025 (tiers mixed, two employed), visits
    /// every few weeks through 2026, and two offences by persons of the registry.
    fn new() -> Self {
        let clock = baqylau::clock::Clock::pinned_to_day(today());
        let app = TestApp::with_clock(clock);
        let office = app.fill_office();
        let officer = officer_id(&app);
        let tiers = [RiskTier::High, RiskTier::Medium, RiskTier::Low];
        let persons: Vec<Person> = (0..6)
            .map(|i| {
                let d = &office.districts[i % 2];
                let mut b = person(
                    "Тестов",
                    &format!("П{i}"),
                    100 + i as u16,
                    office.point_in(i % 2, i),
                    d,
                )
                .risk(tiers[i % 3]);
                if i < 2 {
                    b = b.works_at("Завод", office.point_in(i % 2, 20 + i));
                }
                let mut p = app.add_person(b);
                p.supervision_start = day(2025, 3 + i as u32, 1);
                assert!(db::persons::update(&mut app.conn(), &p).unwrap());
                p.version += 1;
                p
            })
            .collect();
        let mut world = Self {
            app,
            office,
            officer,
            persons,
            visits: 0,
        };
        for (i, p) in world.persons.clone().iter().enumerate() {
            let mut d = day(2025, 12, 1) + chrono::Duration::days(i as i64 * 3);
            while d < today() {
                world.visit(p, CheckKind::Home, d, "present");
                if p.work.is_some() {
                    world.visit(
                        p,
                        CheckKind::Work,
                        d + chrono::Duration::days(2),
                        "employed",
                    );
                }
                d += chrono::Duration::days(20 + 7 * i as i64);
            }
        }
        world.offence(0, day(2026, 4, 12));
        world.offence(3, day(2026, 9, 2));
        world
    }

    fn visit(&mut self, p: &Person, kind: CheckKind, d: NaiveDate, outcome: &str) -> VisitRow {
        self.visits += 1;
        let mut row = home_visit(
            &format!("cs-{}", self.visits),
            p.id.as_str(),
            &self.officer,
            at(d),
            outcome,
        );
        row.kind = kind.as_str().to_owned();
        db::visits::insert(&mut self.app.conn(), &row, None, None).unwrap();
        row
    }

    fn offence(&self, person: usize, d: NaiveDate) {
        let p = &self.persons[person];
        let row = OffenceRow {
            id: format!("CS-{person}-{d}"),
            offence_date: d,
            district_id: p.district_id.as_str().to_owned(),
            lat: None,
            lon: None,
            article: "188".to_owned(),
            severity: "medium".to_owned(),
            offence_type: "theft".to_owned(),
            place: "street".to_owned(),
            suspect_iin: Some(p.iin.as_str().to_owned()),
        };
        db::offences::insert_all(&mut self.app.conn(), &[row]).unwrap();
    }

    fn save(&mut self, i: usize, change: impl FnOnce(&mut Person)) {
        change(&mut self.persons[i]);
        assert!(db::persons::update(&mut self.app.conn(), &self.persons[i]).unwrap());
        self.persons[i].version += 1;
    }

    /// The reports of both periods, region and each district, evaluated from the raw records.
    fn live(&self) -> Vec<CoverageVsCrime> {
        let tz = self.app.state.tz;
        let mut conn = self.app.conn();
        self.areas()
            .iter()
            .flat_map(|area| periods().map(|p| (p, area.clone())))
            .map(|(p, area)| {
                reports::coverage_vs_crime_live(&mut conn, p, area.as_deref(), tz)
                    .unwrap()
                    .unwrap()
            })
            .collect()
    }

    /// The same through the store.
    fn stored(&self) -> Vec<CoverageVsCrime> {
        let tz = self.app.state.tz;
        let mut conn = self.app.conn();
        self.areas()
            .iter()
            .flat_map(|area| periods().map(|p| (p, area.clone())))
            .map(|(p, area)| {
                reports::coverage_vs_crime(&mut conn, p, area.as_deref(), tz, today())
                    .unwrap()
                    .unwrap()
            })
            .collect()
    }

    fn areas(&self) -> Vec<Option<String>> {
        let mut areas = vec![None];
        areas.extend(self.office.districts.iter().map(|d| Some(d.code.clone())));
        areas
    }

    /// The store's fresh months equal a recomputation from the raw records.
    fn assert_store_is_true(&self) {
        let tz = self.app.state.tz;
        let mut conn = self.app.conn();
        let stored = reports::stored_coverage_months(&mut conn).unwrap();
        assert!(!stored.is_empty());
        let fresh: Vec<_> = stored.into_iter().filter(|(_, stale, _)| !stale).collect();
        let months: Vec<NaiveDate> = fresh.iter().map(|(m, _, _)| *m).collect();
        let again = reports::recomputed_coverage_months(&mut conn, &months, tz).unwrap();
        for ((month, _, states), (again_month, again_states)) in fresh.iter().zip(&again) {
            assert_eq!(month, again_month);
            assert_eq!(states, again_states, "month {month}");
        }
    }

    /// Stored months (first days) marked stale.
    fn stale_months(&self) -> Vec<NaiveDate> {
        reports::stored_coverage_months(&mut self.app.conn())
            .unwrap()
            .into_iter()
            .filter(|(_, stale, _)| *stale)
            .map(|(m, _, _)| m)
            .collect()
    }

    /// Reads through the store twice (the second read takes the stored months) and compares
    /// with the raw records; returns the live reports.
    fn check(&self, what: &str) -> Vec<CoverageVsCrime> {
        let live = self.live();
        assert_eq!(self.stored(), live, "{what}: first read");
        assert!(
            self.stale_months().is_empty(),
            "{what}: {:?}",
            self.stale_months()
        );
        assert_eq!(self.stored(), live, "{what}: read from the store");
        self.assert_store_is_true();
        live
    }

    /// `write` changes the figures of a closed month, and the store follows.
    fn write_and_check(&mut self, what: &str, write: impl FnOnce(&mut Self)) {
        let before = self.check(what);
        write(self);
        assert!(
            !self.stale_months().is_empty(),
            "{what}: no month marked stale"
        );
        let after = self.check(what);
        assert!(before != after, "{what}: the write changed no figure");
    }
}

/// A person as a persons CSV file.
fn csv_of(p: &Person, code: &str) -> Vec<u8> {
    baqylau::domain::person_csv::write([PersonRecord::from_person(p, code)])
}

#[test]
fn every_kind_of_write_keeps_the_stored_months_equal_to_the_raw_records() {
    let mut w = World::new();
    w.write_and_check("a late visit into a closed month", |w| {
        let p = w.persons[5].clone();
        w.visit(&p, CheckKind::Home, day(2026, 3, 30), "present");
        // Its month and every later one are stale, the months before not.
        let stale = w.stale_months();
        assert_eq!(stale.first(), Some(&day(2026, 3, 1)), "{stale:?}");
        assert!(stale.contains(&day(2026, 10, 1)));
    });
    let p = w.persons[4].clone();
    let mut row = w.visit(&p, CheckKind::Home, day(2026, 7, 30), "present");
    w.write_and_check("a correction of a closed month's visit", |w| {
        row.outcome = "absent".to_owned();
        db::corrections::replace(&mut w.app.conn(), &row, None, None).unwrap();
    });
    let p = w.persons[2].clone();
    let mut row = w.visit(&p, CheckKind::Home, day(2026, 7, 31), "present");
    w.write_and_check("a visit moved to another day", |w| {
        row.device_at = at(day(2026, 1, 2));
        db::corrections::replace(&mut w.app.conn(), &row, None, None).unwrap();
    });
    w.write_and_check("a change of tier", |w| {
        w.save(3, |p| p.risk_tier = RiskTier::Low)
    });
    w.write_and_check("a move to the other district", |w| {
        let other = w.office.districts[0].id.clone();
        w.save(1, |p| p.district_id = other);
    });
    w.write_and_check("a new workplace", |w| {
        let point = w.office.point_in(0, 40);
        w.save(2, |p| {
            p.work = Some(Workplace {
                employer: "Склад".to_owned(),
                address: "Склад, ворота".to_owned(),
                point,
            })
        });
    });
    w.write_and_check("a later start of supervision", |w| {
        w.save(5, |p| p.supervision_start = day(2026, 2, 20))
    });
    w.write_and_check("a removal", |w| {
        w.save(0, |p| p.status = PersonStatus::MovedOut)
    });
    w.write_and_check("an import of a person", import_person);
    // A new standard marks nothing: the months were made on other standards, so are not used.
    let before = w.check("before a new contact standard");
    let standard = ContactStandard {
        risk_tier: RiskTier::Low,
        check_kind: CheckKind::Home,
        max_interval_days: 3,
    };
    db::contact_standards::update_interval(&mut w.app.conn(), &standard).unwrap();
    assert!(w.check("a new contact standard") != before);
}

/// Imports a person supervised since January 2026 through the persons importer.
fn import_person(w: &mut World) {
    let district = &w.office.districts[1];
    let mut p = person("Импортов", "Иван", 300, w.office.point_in(1, 30), district)
        .risk(RiskTier::High)
        .build();
    p.supervision_start = day(2026, 1, 10);
    let districts = db::districts::list_districts(&mut w.app.conn()).unwrap();
    let ctx = RecordContext {
        districts: &districts,
        today: today(),
    };
    let by = ImportedBy {
        user: None,
        login: "test",
    };
    let report = imports::import(
        &mut w.app.conn(),
        ImportKind::Persons,
        &csv_of(&p, &district.code),
        &ctx,
        by,
        &mut |_, _| {},
    )
    .unwrap();
    assert!(report.is_clean(), "{:?}", report.errors);
    assert_eq!(report.new, 1);
}

/// A small generator of numbers (xorshift): the same seed, the same writes.
struct Seeded(u64);

impl Seeded {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn a_seeded_random_sequence_of_writes_keeps_the_store_equal_to_the_raw_records() {
    let mut w = World::new();
    let mut rng = Seeded(0x5eed_c0de);
    let outcomes = ["present", "absent", "violation", "refused"];
    w.check("start");
    for step in 0..24 {
        let i = rng.below(6) as usize;
        let p = w.persons[i].clone();
        let d = day(2025, 12, 1) + chrono::Duration::days(rng.below(350) as i64);
        match rng.below(5) {
            0 | 1 => {
                let outcome = outcomes[rng.below(4) as usize];
                w.visit(&p, CheckKind::Home, d, outcome);
            }
            2 => {
                let tiers = [RiskTier::High, RiskTier::Medium, RiskTier::Low];
                let tier = tiers[rng.below(3) as usize];
                w.save(i, |p| p.risk_tier = tier);
            }
            3 => {
                let status = if p.status == PersonStatus::Active {
                    PersonStatus::InCustody
                } else {
                    PersonStatus::Active
                };
                w.save(i, |p| p.status = status);
            }
            _ => {
                let row = w.visit(&p, CheckKind::Home, d, "present");
                let mut moved = row.clone();
                moved.device_at = at(d - chrono::Duration::days(rng.below(90) as i64));
                moved.outcome = outcomes[rng.below(4) as usize].to_owned();
                db::corrections::replace(&mut w.app.conn(), &moved, None, None).unwrap();
            }
        }
        if step % 3 == 2 {
            w.check(&format!("step {step}"));
        }
    }
}

#[test]
fn a_recomputation_is_not_stored_over_a_write_made_while_it_read() {
    let w = World::new();
    let month = day(2026, 5, 1);
    let mut conn = w.app.conn();
    db::coverage_months::add_missing(&mut conn, &[month]).unwrap();
    let read = db::coverage_months::marks(&mut conn, &[month]).unwrap();
    let version = read[0].version;
    drop(conn);
    // A late visit arrives while the month is being recomputed from what was read before.
    let mut w = w;
    let p = w.persons[1].clone();
    w.visit(&p, CheckKind::Home, day(2026, 5, 20), "present");
    let mut conn = w.app.conn();
    let stored = db::coverage_months::store(&mut conn, (month, version), "basis", &[]).unwrap();
    assert!(!stored);
    let mark = &db::coverage_months::marks(&mut conn, &[month]).unwrap()[0];
    assert!(mark.stale);
    assert_eq!(mark.version, version + 1);
    // Over the version it read, a store succeeds.
    assert!(db::coverage_months::store(&mut conn, (month, mark.version), "basis", &[]).unwrap());
}

/// An ad-hoc home visit by `officer` at `at` (UTC), with nothing flagged.
fn home_visit(id: &str, person: &str, officer: &str, at: NaiveDateTime, outcome: &str) -> VisitRow {
    VisitRow {
        id: id.to_owned(),
        check_id: None,
        person_id: person.to_owned(),
        kind: "home".to_owned(),
        officer_id: officer.to_owned(),
        mobile_group_id: None,
        outcome: outcome.to_owned(),
        violation_kind: None,
        notes: None,
        device_at: at,
        server_at: at,
        lat: None,
        lon: None,
        accuracy_m: None,
        distance_m: None,
        far_from_address: false,
        evidence: "good".to_owned(),
        check_was_cancelled: false,
        ad_hoc: true,
        payload: "{}".to_owned(),
    }
}

/// The id of the office's first officer.
fn officer_id(app: &TestApp) -> String {
    app.user_id("officer01").to_string()
}
