//! The deterministic demo region (DESIGN.md section 7) as pure data: districts of a northern
//! Kazakh region modelled on Kostanay oblast, the registry of supervised persons, the mobile
//! groups and the demo users. Nothing here touches the database or the clock.
//!
//! The same `(seed, persons, today)` always gives the same region: the generator is
//! `Pcg64Mcg` (portable across platforms), ids come from its bytes, and no output depends on hash
//! order. Each part draws from its own stream split off the seed, so the districts, groups and
//! users stay the same when only the number of persons changes.

mod conviction;
mod districts;
mod geometry;
mod groups;
mod names;
mod persons;
mod places;
pub mod roads;
mod towns;
mod villages;

use chrono::NaiveDate;
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

use crate::domain::District;
use crate::domain::mobile_group::MobileGroup;
use crate::domain::person::Person;
use crate::domain::user::Role;

/// Everything the demo database is seeded with, apart from checks, visits and offences.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoRegion {
    /// Five towns and seven rural districts whose boundaries tile the region.
    pub districts: Vec<District>,
    /// The registry of supervised persons.
    pub persons: Vec<Person>,
    /// Twelve mobile groups; every district is covered by at least one.
    pub groups: Vec<MobileGroup>,
    /// Demo sign-ins: `admin`, `prosecutor`, `supervisor`, `officer01`..`officer24`.
    pub users: Vec<DemoUser>,
}

/// A demo user account, before it gets an id and a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUser {
    /// Sign-in name.
    pub login: String,
    /// "Last First Middle", as documents write it.
    pub full_name: String,
    /// Role.
    pub role: Role,
    /// For officers, the index into [`DemoRegion::groups`] of their group.
    pub group_index: Option<usize>,
}

/// Generates the demo region. `today` anchors dates (conviction, release and supervision start
/// are before it, expungement after it); `persons` is 1,500 for the demo.
pub fn generate(seed: u64, persons: usize, today: NaiveDate) -> DemoRegion {
    let mut master = Pcg64Mcg::seed_from_u64(seed);
    let mut district_rng = Pcg64Mcg::from_rng(&mut master);
    let mut person_rng = Pcg64Mcg::from_rng(&mut master);
    let mut group_rng = Pcg64Mcg::from_rng(&mut master);
    let mut user_rng = Pcg64Mcg::from_rng(&mut master);

    let districts = districts::build(&mut district_rng);
    let persons = persons::generate(&mut person_rng, persons, today, &districts);
    let groups = groups::build(&mut group_rng, &districts);
    let users = groups::users(&mut user_rng, groups.len());
    DemoRegion {
        districts,
        persons,
        groups,
        users,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::domain::Iin;
    use crate::domain::location::district_of;
    use crate::domain::person::{PersonStatus, RiskTier, Sex, SupervisionKind};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()
    }

    fn share<T>(items: &[T], test: impl Fn(&T) -> bool) -> f64 {
        items.iter().filter(|item| test(item)).count() as f64 / items.len().max(1) as f64
    }

    #[test]
    fn the_same_seed_gives_the_same_region_and_another_seed_another() {
        let region = generate(42, 300, today());
        assert_eq!(region, generate(42, 300, today()));
        assert_ne!(region.persons, generate(43, 300, today()).persons);
    }

    #[test]
    fn districts_groups_and_users_do_not_depend_on_the_number_of_persons() {
        let (small, large) = (generate(42, 10, today()), generate(42, 500, today()));
        assert_eq!(
            (small.districts, small.groups, small.users),
            (large.districts, large.groups, large.users)
        );
    }

    #[test]
    fn the_demo_registry_has_1500_persons_with_unique_valid_iins_that_agree_with_them() {
        let persons = generate(1, 1500, today()).persons;
        assert_eq!(persons.len(), 1500);
        let iins: BTreeSet<&str> = persons.iter().map(|p| p.iin.as_str()).collect();
        assert_eq!(iins.len(), 1500);
        for p in &persons {
            let parsed = Iin::parse(p.iin.as_str());
            assert_eq!(
                parsed.as_ref().map(Iin::birth_date),
                Ok(Some(p.birth_date)),
                "{}",
                p.iin
            );
            assert_eq!(parsed.map(|i| i.sex()), Ok(p.sex));
        }
        let ids: BTreeSet<&str> = persons.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids.len(), 1500);
    }

    #[test]
    fn every_home_lies_in_exactly_one_district_the_one_the_person_names() {
        let region = generate(2, 1500, today());
        for p in &region.persons {
            let holders: Vec<&District> = region
                .districts
                .iter()
                .filter(|d| d.contains(p.home))
                .collect();
            assert_eq!(holders.len(), 1, "{} at {:?}", p.home_address, p.home);
            assert_eq!(holders[0].id, p.district_id);
            assert_eq!(
                district_of(&region.districts, p.home).map(|d| &d.id),
                Some(&p.district_id)
            );
            let work = p
                .work
                .as_ref()
                .map(|w| district_of(&region.districts, w.point).is_some());
            assert_ne!(
                work,
                Some(false),
                "work of {} outside the region",
                p.full_name()
            );
        }
    }

    #[test]
    fn most_persons_live_in_towns_in_proportion_to_population() {
        let region = generate(3, 1500, today());
        let urban: BTreeSet<_> = region
            .districts
            .iter()
            .filter(|d| d.kind == crate::domain::DistrictKind::Urban)
            .map(|d| &d.id)
            .collect();
        let in_towns = share(&region.persons, |p| urban.contains(&p.district_id));
        assert!((0.5..0.7).contains(&in_towns), "{in_towns}");
        for d in &region.districts {
            assert!(
                region.persons.iter().any(|p| p.district_id == d.id),
                "nobody in {}",
                d.code
            );
        }
    }

    #[test]
    #[expect(
        clippy::too_many_lines,
        reason = "a table of the registry's proportions, one row per share checked"
    )]
    fn proportions_look_like_a_real_registry() {
        let persons = generate(4, 1500, today()).persons;
        let within = |value: f64, low: f64, high: f64| (low..=high).contains(&value);
        let checks = [
            ("male", share(&persons, |p| p.sex == Sex::Male), 0.86, 0.94),
            (
                "employed",
                share(&persons, |p| p.work.is_some()),
                0.55,
                0.65,
            ),
            (
                "active",
                share(&persons, |p| p.status == PersonStatus::Active),
                0.89,
                0.95,
            ),
            (
                "high risk",
                share(&persons, |p| p.risk_tier == RiskTier::High),
                0.16,
                0.25,
            ),
            (
                "medium risk",
                share(&persons, |p| p.risk_tier == RiskTier::Medium),
                0.35,
                0.46,
            ),
            (
                "low risk",
                share(&persons, |p| p.risk_tier == RiskTier::Low),
                0.34,
                0.46,
            ),
            (
                "probation",
                share(&persons, |p| {
                    p.supervision_kind == SupervisionKind::Probation
                }),
                0.40,
                0.50,
            ),
            (
                "parole",
                share(&persons, |p| p.supervision_kind == SupervisionKind::Parole),
                0.12,
                0.18,
            ),
            (
                "no priors",
                share(&persons, |p| p.conviction.prior_convictions == 0),
                0.45,
                0.65,
            ),
        ];
        for (what, value, low, high) in checks {
            assert!(
                within(value, low, high),
                "{what}: {value:.3} not in {low}..{high}"
            );
        }
        assert!(
            persons
                .iter()
                .all(|p| p.supervision_start <= today() && p.version == 1)
        );
        assert!(persons.iter().all(|p| {
            p.phone
                .as_ref()
                .is_none_or(|n| n.len() == 12 && n.starts_with("+77"))
        }));
    }

    #[test]
    fn every_district_is_covered_by_a_group() {
        let region = generate(5, 0, today());
        assert_eq!(region.groups.len(), 12);
        for d in &region.districts {
            assert!(
                region.groups.iter().any(|g| g.district_ids.contains(&d.id)),
                "{} uncovered",
                d.code
            );
        }
        let population: i64 = region.districts.iter().map(|d| d.population).sum();
        assert!((900_000..=1_100_000).contains(&population));
    }

    #[test]
    fn demo_logins_are_admin_prosecutor_supervisor_and_two_officers_per_group() {
        let users = generate(6, 0, today()).users;
        let logins: Vec<&str> = users.iter().map(|u| u.login.as_str()).collect();
        let mut expected = vec![
            "admin".to_owned(),
            "prosecutor".to_owned(),
            "supervisor".to_owned(),
        ];
        expected.extend((1..=24).map(|n| format!("officer{n:02}")));
        assert_eq!(logins, expected);
        let roles: Vec<Role> = users.iter().take(3).map(|u| u.role).collect();
        assert_eq!(
            roles,
            [Role::Administrator, Role::Prosecutor, Role::Supervisor]
        );
        assert_eq!(users[3].group_index, Some(0));
        assert_eq!(users[4].group_index, Some(0));
        assert_eq!(users[5].group_index, Some(1));
        assert!(users[3..].iter().all(|u| u.role == Role::Officer));
    }

    #[test]
    fn every_neighbourhood_and_village_lies_in_its_own_district() {
        let districts = generate(7, 0, today()).districts;
        let towns = towns::TOWNS.iter().flat_map(|t| {
            t.clusters
                .iter()
                .map(move |c| (t.code, t.prefix, c.centre()))
        });
        let villages = villages::VILLAGES
            .iter()
            .map(|v| (v.code, v.name, v.cluster.centre()));
        for (code, place, centre) in towns.chain(villages) {
            assert_eq!(
                district_of(&districts, centre).map(|d| d.code.as_str()),
                Some(code),
                "{place}"
            );
        }
    }

    #[test]
    fn a_national_scale_registry_of_100_000_persons_is_generated() {
        let persons = generate(8, 100_000, today()).persons;
        assert_eq!(persons.len(), 100_000);
        let iins: std::collections::HashSet<&str> =
            persons.iter().map(|p| p.iin.as_str()).collect();
        assert_eq!(iins.len(), 100_000);
    }
}
