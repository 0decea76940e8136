//! Builders of what happens to the office's persons after they are registered: visits recorded
//! through `db::visits` (with the check's new status and the follow-up they raise, as the field
//! API stores them), offences through `db::offences`, a check's status or placement through
//! `db::checks`, a group's capacity through `db::mobile_groups` and a district's population
//! through `db::districts`. Nothing here writes a row by hand.

use baqylau::db;
use baqylau::db::offences::OffenceRow;
use baqylau::domain::check::{Check, CheckStatus};
use baqylau::domain::person::{CheckKind, Person};
use baqylau::domain::visit::{EvidenceQuality, FollowUpReason, Visit, VisitOutcome};
use baqylau::domain::{District, DistrictId, PersonId, UserId, VisitId};
use chrono::NaiveDateTime;

use super::TestApp;

/// A visit to record with [`TestApp::record_visit`]: ad hoc and at home unless told, with good
/// evidence and no position.
pub struct VisitBuilder {
    visit: Visit,
    check_status: Option<CheckStatus>,
    follow_up: Option<FollowUpReason>,
}

/// A home visit of `person` by `officer` at `at` (UTC) that found `outcome`.
pub fn visit(
    person: &PersonId,
    officer: &UserId,
    at: NaiveDateTime,
    outcome: VisitOutcome,
) -> VisitBuilder {
    VisitBuilder {
        visit: Visit {
            id: VisitId::new(),
            check_id: None,
            person_id: person.clone(),
            kind: CheckKind::Home,
            officer_id: officer.clone(),
            mobile_group_id: None,
            outcome,
            violation_kind: None,
            notes: None,
            device_at: at,
            server_at: at,
            position: None,
            accuracy_m: None,
            distance_m: None,
            far_from_address: false,
            evidence: EvidenceQuality::Good,
            check_was_cancelled: false,
            ad_hoc: true,
            payload: "{}".to_owned(),
        },
        check_status: None,
        follow_up: None,
    }
}

impl VisitBuilder {
    /// Of the person's work rather than home.
    pub fn at_work(mut self) -> Self {
        self.visit.kind = CheckKind::Work;
        self
    }

    /// Made on `check` (no longer ad hoc), which takes `status`.
    pub fn on_check(mut self, check: &Check, status: CheckStatus) -> Self {
        self.visit.check_id = Some(check.id.clone());
        self.visit.kind = check.kind;
        self.visit.mobile_group_id = check.mobile_group_id.clone();
        self.visit.ad_hoc = false;
        self.check_status = Some(status);
        self
    }

    /// Raising (or adding a cause to) a follow-up of `reason`.
    pub fn raising(mut self, reason: FollowUpReason) -> Self {
        self.follow_up = Some(reason);
        self
    }
}

impl TestApp {
    /// Stores a visit through `db::visits::insert`, as the field API does; returns its id.
    pub fn record_visit(&self, build: VisitBuilder) -> VisitId {
        let row = db::visits::VisitRow::from(&build.visit);
        db::visits::insert(&mut self.conn(), &row, build.check_status, build.follow_up).unwrap();
        build.visit.id
    }

    /// The id of the user signing in as `login`.
    pub fn user_id(&self, login: &str) -> UserId {
        let row = db::users::find_by_login(&mut self.conn(), login)
            .unwrap()
            .unwrap();
        UserId::from(row.id)
    }

    /// Stores an offence on `day` in `district` (a theft of medium gravity in the street unless
    /// changed by `change`), through `db::offences`.
    pub fn add_offence(
        &self,
        id: &str,
        day: chrono::NaiveDate,
        district: &DistrictId,
        change: impl FnOnce(&mut OffenceRow),
    ) {
        let mut row = OffenceRow {
            id: id.to_owned(),
            offence_date: day,
            district_id: district.as_str().to_owned(),
            lat: None,
            lon: None,
            article: "188".to_owned(),
            severity: "medium".to_owned(),
            offence_type: "theft".to_owned(),
            place: "street".to_owned(),
            suspect_iin: None,
        };
        change(&mut row);
        db::offences::insert_all(&mut self.conn(), &[row]).unwrap();
    }

    /// Changes a stored check through `db::checks::update_placement` (its status, day, group,
    /// pin).
    pub fn change_check(&self, id: &baqylau::domain::CheckId, change: impl FnOnce(&mut Check)) {
        let mut conn = self.conn();
        let mut check = db::checks::find_check(&mut conn, id).unwrap().unwrap();
        change(&mut check);
        db::checks::update_placement(&mut conn, &check).unwrap();
    }

    /// Changes a stored person through `db::persons::update` (a registry edit: a new version).
    pub fn change_person(&self, id: &PersonId, change: impl FnOnce(&mut Person)) {
        let mut conn = self.conn();
        let mut person = db::persons::find_person(&mut conn, id).unwrap().unwrap();
        change(&mut person);
        assert!(db::persons::update(&mut conn, &person).unwrap());
    }

    /// Every group takes at most `max` checks a shift (an administrator's edit).
    pub fn set_group_capacity(&self, max: u16) {
        let mut conn = self.conn();
        for mut group in db::mobile_groups::list_mobile_groups(&mut conn).unwrap() {
            group.max_checks_per_shift = max;
            assert_eq!(db::mobile_groups::update(&mut conn, &group).unwrap(), 1);
        }
    }

    /// Gives a district another number of residents.
    pub fn set_population(&self, district: &District, population: i64) {
        let mut conn = self.conn();
        let (_, version) = db::districts::find_by_code(&mut conn, &district.code)
            .unwrap()
            .unwrap();
        let changed = District {
            population,
            ..district.clone()
        };
        assert_eq!(
            db::districts::update_names_and_population(&mut conn, &changed, version).unwrap(),
            1
        );
    }
}
