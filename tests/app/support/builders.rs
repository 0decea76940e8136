//! Builders: a small office and the persons a test needs, inserted through `db::` as the app
//! itself stores them. The demo region (`TestApp::with_demo`) is for tests about the demo or
//! about figures over a whole region; everything else starts from [`TestApp::office`].
//!
//! The office: two urban districts side by side in Kostanay (`OFC-W` west of 63.62° E,
//! `OFC-E` east of it), two mobile groups working 09:00-22:00 on workdays, twelve checks a
//! shift (group 1 covers the west, group 2 the east) and one
//! user per role with the demo's logins and [`super::PASSWORD`]: `admin`, `prosecutor`,
//! `supervisor`, `officer01` and `officer02` in group 1, `officer03` in group 2.

use baqylau::db;
use baqylau::domain::check::{Check, CheckStatus};
use baqylau::domain::contact_standard::default_contact_standards;
use baqylau::domain::mobile_group::Weekdays;
use baqylau::domain::person::{
    CheckKind, Conviction, Person, PersonStatus, RiskTier, Severity, Sex, SupervisionKind,
    Workplace,
};
use baqylau::domain::plan::{Plan, PlanStatus};
use baqylau::domain::user::Role;
use baqylau::domain::{
    CheckId, District, DistrictId, DistrictKind, GeoPoint, Iin, MobileGroupId, PersonId, PlanId,
    UserId,
};
use chrono::NaiveDate;
use diesel::Connection as _;
use geo::{LineString, Polygon};

use super::TestApp;

/// The office's districts: code, Russian name, west and east edges (degrees east).
const DISTRICTS: [(&str, &str, f64, f64); 2] = [
    ("OFC-W", "Западный", 63.55, 63.62),
    ("OFC-E", "Восточный", 63.62, 63.69),
];
/// The office's districts span these latitudes.
const SOUTH: f64 = 53.17;
const NORTH: f64 = 53.24;

/// The office's users: login, full name, role, group index.
const USERS: [(&str, &str, Role, Option<usize>); 6] = [
    ("admin", "Админов Админ", Role::Administrator, None),
    ("prosecutor", "Прокуророва Айгуль", Role::Prosecutor, None),
    ("supervisor", "Надзоров Ерлан", Role::Supervisor, None),
    ("officer01", "Первый Офицер", Role::Officer, Some(0)),
    ("officer02", "Второй Офицер", Role::Officer, Some(0)),
    ("officer03", "Третий Офицер", Role::Officer, Some(1)),
];

/// What [`TestApp::office`] made, for the tests' own inserts and assertions.
pub struct Office {
    /// West, then east.
    pub districts: Vec<District>,
    /// Group 1 (west), group 2 (east).
    pub groups: Vec<MobileGroupId>,
}

impl Office {
    /// A point inside district `index` (0 west, 1 east), `step` places along a diagonal so
    /// persons built one after another live apart.
    pub fn point_in(&self, index: usize, step: usize) -> GeoPoint {
        let (_, _, west, east) = DISTRICTS[index];
        let t = 0.1 + 0.8 * ((step % 50) as f64 / 50.0);
        GeoPoint {
            lat: SOUTH + (NORTH - SOUTH) * t,
            lon: west + (east - west) * t,
        }
    }
}

fn rectangle(west: f64, east: f64) -> Polygon<f64> {
    let ring = vec![
        (west, SOUTH),
        (east, SOUTH),
        (east, NORTH),
        (west, NORTH),
        (west, SOUTH),
    ];
    Polygon::new(LineString::from(ring), vec![])
}

fn districts() -> Vec<District> {
    DISTRICTS
        .iter()
        .map(|&(code, name, west, east)| District {
            id: DistrictId::new(),
            code: code.to_owned(),
            name_kk: name.to_owned(),
            name_ru: name.to_owned(),
            name_en: code.to_owned(),
            kind: DistrictKind::Urban,
            population: 100_000,
            boundary: rectangle(west, east),
        })
        .collect()
}

fn group(name: &str, district: &District) -> baqylau::domain::mobile_group::MobileGroup {
    let c = district.boundary.exterior().0[0];
    baqylau::domain::mobile_group::MobileGroup {
        id: MobileGroupId::new(),
        name: name.to_owned(),
        base_address: format!("{name}, база"),
        base: GeoPoint {
            lat: c.y + 0.01,
            lon: c.x + 0.01,
        },
        // Work checks fall in 09:00-18:00, home checks in 18:00-22:00: the shift spans both
        // (the demo's groups work 10:00-22:00).
        shift_start_min: 9 * 60,
        shift_end_min: 22 * 60,
        max_checks_per_shift: 12,
        active_days: Weekdays::WORKDAYS,
        district_ids: vec![district.id.clone()],
        version: 1,
    }
}

/// [`super::PASSWORD`] hashed once per run (hashing is slow by design).
fn password_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| baqylau::accounts::hash_password(super::PASSWORD).unwrap())
        .clone()
}

/// Inserts an active user `(login, full name, role)` with the hashed password, in `group`.
fn insert_user(
    conn: &mut db::DbConnection,
    hash: &str,
    (login, name, role): (&str, &str, Role),
    group: Option<&MobileGroupId>,
) -> UserId {
    let now = db::now_utc();
    let id = UserId::new();
    let row = db::users::NewUserRow {
        id: id.to_string(),
        login: login.to_owned(),
        full_name: name.to_owned(),
        role: role.as_str().to_owned(),
        password_hash: hash.to_owned(),
        is_active: true,
        created_at: now,
        updated_at: now,
    };
    db::users::insert(conn, &row, group).unwrap();
    id
}

impl TestApp {
    /// A fresh database holding the small office (see the module's doc) and no persons.
    pub fn office() -> (Self, Office) {
        let app = Self::new();
        let office = app.fill_office();
        (app, office)
    }

    /// Inserts the office into this app's empty database.
    pub fn fill_office(&self) -> Office {
        let districts = districts();
        let groups = [group("МГ-1", &districts[0]), group("МГ-2", &districts[1])];
        let hash = password_hash();
        let mut conn = self.conn();
        for d in &districts {
            db::districts::insert(&mut conn, d).unwrap();
        }
        for g in &groups {
            db::mobile_groups::insert(&mut conn, g).unwrap();
        }
        for (login, name, role, group) in USERS {
            let group = group.map(|i| &groups[i].id);
            insert_user(&mut conn, &hash, (login, name, role), group);
        }
        db::contact_standards::insert_all(&mut conn, &default_contact_standards()).unwrap();
        Office {
            districts,
            groups: groups.into_iter().map(|g| g.id).collect(),
        }
    }

    /// Inserts one more urban district, `row` places north of the office (no group covers it),
    /// with `population` residents.
    pub fn add_district(&self, code: &str, name: &str, row: usize, population: i64) -> District {
        let height = NORTH - SOUTH;
        let south = NORTH + height * row as f64;
        let (west, east) = (DISTRICTS[0].2, DISTRICTS[1].3);
        let ring = vec![
            (west, south),
            (east, south),
            (east, south + height),
            (west, south + height),
            (west, south),
        ];
        let district = District {
            id: DistrictId::new(),
            code: code.to_owned(),
            name_kk: name.to_owned(),
            name_ru: name.to_owned(),
            name_en: code.to_owned(),
            kind: DistrictKind::Urban,
            population,
            boundary: Polygon::new(LineString::from(ring), vec![]),
        };
        db::districts::insert(&mut self.conn(), &district).unwrap();
        district
    }

    /// Inserts one more officer signing in as `login` with the office's password, in group
    /// `group` (an index into [`Office::groups`]).
    pub fn add_officer(&self, office: &Office, login: &str, group: usize) -> UserId {
        let hash = password_hash();
        let who = (login, "Ещё Офицер", Role::Officer);
        insert_user(&mut self.conn(), &hash, who, Some(&office.groups[group]))
    }

    /// Gives a group another name (as an administrator's edit would).
    pub fn rename_group(&self, id: &MobileGroupId, name: &str) {
        let mut conn = self.conn();
        let mut group = db::mobile_groups::find_mobile_group(&mut conn, id)
            .unwrap()
            .unwrap();
        group.name = name.to_owned();
        assert_eq!(db::mobile_groups::update(&mut conn, &group).unwrap(), 1);
    }

    /// Inserts a person made by `build` (start from [`person`]) and returns it.
    pub fn add_person(&self, build: PersonBuilder) -> Person {
        let person = build.person;
        db::persons::insert(&mut self.conn(), &person).unwrap();
        person
    }
}

impl TestApp {
    /// A published plan for `day` whose routes hold, for each `(group index, persons)`, the
    /// persons' home checks in order (due a week later, windows 09:00-18:00, half an hour
    /// apart), inserted through `db::` as the planner stores them; the checks by route.
    pub fn publish_routes(
        &self,
        office: &Office,
        day: NaiveDate,
        routes: &[(usize, &[&Person])],
    ) -> Vec<Vec<Check>> {
        let now = db::now_utc();
        let plan = Plan {
            id: PlanId::new(),
            from_date: day,
            days: 1,
            group_ids: office.groups.clone(),
            status: PlanStatus::Published,
            seed: 1,
            version: 1,
            created_by: None,
            created_at: now,
            updated_at: now,
            published_at: Some(now),
        };
        let placed: Vec<Vec<Check>> = routes
            .iter()
            .map(|(group, persons)| {
                let stop = |(i, p): (usize, &&Person)| Check {
                    id: CheckId::new(),
                    plan_id: Some(plan.id.clone()),
                    person_id: p.id.clone(),
                    kind: CheckKind::Home,
                    address: p.home_address.clone(),
                    location: p.home,
                    district_id: p.district_id.clone(),
                    due_date: day + chrono::Duration::days(7),
                    allowed_days: vec![day],
                    window_start_min: 9 * 60,
                    window_end_min: 18 * 60,
                    service_min: 15,
                    priority: 10_000,
                    status: CheckStatus::Published,
                    mobile_group_id: Some(office.groups[*group].clone()),
                    planned_date: Some(day),
                    position: Some(i as i32 + 1),
                    planned_arrival_min: Some(9 * 60 + 30 * i as i32),
                    unplaced_reason: None,
                    pinned: false,
                    created_at: now,
                    updated_at: now,
                };
                persons.iter().enumerate().map(stop).collect()
            })
            .collect();
        let mut conn = self.conn();
        db::plans::insert(&mut conn, &plan).unwrap();
        db::checks::insert_all(&mut conn, &placed.concat()).unwrap();
        placed
    }
}

/// A person to insert, with sensible defaults: active, a first medium-gravity conviction
/// (so the low risk tier the rules suggest), on probation since 1 June 2026, living at the
/// point given.
pub struct PersonBuilder {
    person: Person,
}

/// A person named `last first` living at `home` in district `district`; `serial` (below 1,000:
/// an IIN holds four digits of `serial * 10 + k`) keeps IINs apart (use a different one per
/// person of a test).
pub fn person(
    last: &str,
    first: &str,
    serial: u16,
    home: GeoPoint,
    district: &District,
) -> PersonBuilder {
    assert!(serial < 1000, "serial {serial}: IINs repeat from 1,000 on");
    let birth_date = NaiveDate::from_ymd_opt(1990, 3, 15).unwrap();
    // Some serials give no valid IIN (the check digit would be 10): each serial owns a block of
    // ten and takes the first that works, so different serials never share an IIN.
    let iin: Iin = (0..10)
        .find_map(|k| Iin::generate(birth_date, Sex::Male, serial * 10 + k))
        .unwrap();
    PersonBuilder {
        person: Person {
            id: PersonId::new(),
            iin,
            last_name: last.to_owned(),
            first_name: first.to_owned(),
            middle_name: None,
            birth_date,
            sex: Sex::Male,
            phone: Some("+77011234567".to_owned()),
            conviction: Conviction {
                article: "188 ч.2".to_owned(),
                severity: Severity::Medium,
                conviction_date: NaiveDate::from_ymd_opt(2025, 9, 1).unwrap(),
                release_date: None,
                expungement_date: None,
                prior_convictions: 0,
            },
            supervision_kind: SupervisionKind::Probation,
            supervision_start: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            restrictions: None,
            curfew: None,
            risk_tier: RiskTier::Low,
            risk_tier_reason: None,
            status: PersonStatus::Active,
            home_address: format!("ул. Тестовая, {serial}"),
            home,
            district_id: district.id.clone(),
            work: None,
            version: 1,
        },
    }
}

impl PersonBuilder {
    /// With this risk tier, and a prosecutor's reason when it is not the suggested one.
    pub fn risk(mut self, tier: RiskTier) -> Self {
        self.person.risk_tier = tier;
        self.person.risk_tier_reason =
            (tier != RiskTier::Low).then(|| "Решение прокурора по материалам дела".to_owned());
        self
    }

    /// In this status (active by default).
    pub fn status(mut self, status: PersonStatus) -> Self {
        self.person.status = status;
        self
    }

    /// Under supervision since `day` (1 June 2026 by default): a person never checked falls
    /// due a standard's interval after it.
    pub fn supervised_from(mut self, day: NaiveDate) -> Self {
        self.person.supervision_start = day;
        self
    }

    /// The person, not inserted (for a file to import).
    pub fn build(self) -> Person {
        self.person
    }

    /// Employed at `point`.
    pub fn works_at(mut self, employer: &str, point: GeoPoint) -> Self {
        self.person.work = Some(Workplace {
            employer: employer.to_owned(),
            address: format!("{employer}, проходная"),
            point,
        });
        self
    }
}

/// Surnames of a crowd: Russian and Kazakh (with the letters only Kazakh has).
const SURNAMES: [&str; 8] = [
    "Иванов",
    "Жұмабаев",
    "Ким",
    "Сейітқали",
    "Омаров",
    "Нұрланов",
    "Петров",
    "Әбенов",
];
const FIRST_NAMES: [&str; 5] = ["Ерлан", "Сергей", "Айдар", "Нұрлан", "Виктор"];

impl TestApp {
    /// Inserts `n` persons of the office in one transaction and returns them, varied as a
    /// registry is: the two districts by turns, risk tiers low, medium, high by turns, every
    /// fourth employed in the other district, eight surnames (Russian and Kazakh) and five
    /// first names; serials from `first_serial` on (keep them apart from a test's own persons).
    pub fn add_crowd(&self, office: &Office, n: usize, first_serial: u16) -> Vec<Person> {
        const TIERS: [RiskTier; 3] = [RiskTier::Low, RiskTier::Medium, RiskTier::High];
        let crowd: Vec<Person> = (0..n)
            .map(|i| {
                let d = i % 2;
                let mut build = person(
                    SURNAMES[i % SURNAMES.len()],
                    FIRST_NAMES[i % FIRST_NAMES.len()],
                    first_serial + i as u16,
                    office.point_in(d, i / 2),
                    &office.districts[d],
                )
                .risk(TIERS[i % 3]);
                if i % 4 == 0 {
                    build = build.works_at(&format!("ТОО «Завод {i}»"), office.point_in(1 - d, i));
                }
                build.person
            })
            .collect();
        let mut conn = self.conn();
        conn.transaction::<_, diesel::result::Error, _>(|conn| {
            crowd.iter().try_for_each(|p| db::persons::insert(conn, p))
        })
        .unwrap();
        crowd
    }

    /// The office with a crowd of `n` persons (see [`TestApp::add_crowd`]) of serials from
    /// 100 on (a test's own persons take serials below 100).
    pub fn office_with_crowd(n: usize) -> (Self, Office, Vec<Person>) {
        let (app, office) = Self::office();
        let crowd = app.add_crowd(&office, n, 100);
        (app, office, crowd)
    }
}

/// The id of the first person of the registry by id (for tests over the demo region).
pub fn first_person_id(app: &TestApp) -> String {
    baqylau::db::persons::list_all_persons(&mut app.conn())
        .unwrap()
        .remove(0)
        .id
        .to_string()
}
