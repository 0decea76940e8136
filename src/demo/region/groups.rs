//! The demo region's twelve mobile groups (six based in Kostanay, the others in the towns) and
//! the demo users: one administrator, prosecutor and supervisor, and two officers per group.
//!
//! Bases are police stations at approximate positions; their street addresses are invented.

use rand::Rng;

use super::DemoUser;
use super::names::NameTables;
use crate::domain::mobile_group::{MobileGroup, Weekdays};
use crate::domain::person::{Sex, full_name};
use crate::domain::user::Role;
use crate::domain::{District, GeoPoint, MobileGroupId};

/// Monday to Saturday: the usual week of the groups.
const SIX_DAYS: Weekdays = Weekdays(0b011_1111);

/// A group as planned: name, base address, base (latitude, longitude), shift in minutes after
/// midnight, most checks per shift, days, and the codes of the districts it covers.
struct GroupSpec {
    name: &'static str,
    base_address: &'static str,
    base: (f64, f64),
    shift_min: (u16, u16),
    max_checks: u16,
    days: Weekdays,
    districts: &'static [&'static str],
}

const fn g(
    name: &'static str,
    base_address: &'static str,
    base: (f64, f64),
    shift_min: (u16, u16),
    max_checks: u16,
    days: Weekdays,
    districts: &'static [&'static str],
) -> GroupSpec {
    GroupSpec {
        name,
        base_address,
        base,
        shift_min,
        max_checks,
        days,
        districts,
    }
}

// Shifts run into the evening (to 22:00) for the city groups, because curfew checks and people
// who work by day are found at home in the evening; groups driving far into rural districts work
// by daylight and make fewer checks.
const GROUPS: [GroupSpec; 12] = [
    g(
        "МГ-1 (Костанай, центр)",
        "г. Костанай, ул. Байтурсынова, 59, УП г. Костанай",
        (53.2170, 63.6230),
        (600, 1320),
        24,
        Weekdays::ALL,
        &["KST"],
    ),
    g(
        "МГ-2 (Костанай, север)",
        "г. Костанай, пр. Кобыланды батыра, 14, ОП «Северный»",
        (53.2480, 63.6020),
        (600, 1320),
        22,
        SIX_DAYS,
        &["KST", "KSR"],
    ),
    g(
        "МГ-3 (Костанай, юг)",
        "г. Костанай, ул. Тарана, 117, ОП «Южный»",
        (53.1850, 63.5800),
        (480, 1200),
        22,
        SIX_DAYS,
        &["KST"],
    ),
    g(
        "МГ-4 (Костанай, запад)",
        "г. Костанай, ул. Каирбекова, 372, ОП «Западный»",
        (53.2130, 63.5600),
        (720, 1320),
        22,
        SIX_DAYS,
        &["KST"],
    ),
    g(
        "МГ-5 (Костанай — Затобольск)",
        "г. Костанай, ул. Гоголя, 28, ОП «Восточный»",
        (53.2000, 63.6400),
        (540, 1260),
        20,
        SIX_DAYS,
        &["KST", "KSR"],
    ),
    g(
        "МГ-6 (Костанай — Карабалык, Мендыкара)",
        "г. Костанай, ул. Дулатова, 75, ОП «Привокзальный»",
        (53.2300, 63.5900),
        (480, 1200),
        18,
        Weekdays::WORKDAYS,
        &["KST", "KRB", "MND"],
    ),
    g(
        "МГ-7 (Рудный, центр)",
        "г. Рудный, пр. 50 лет Октября, 61, УП г. Рудного",
        (52.9640, 63.1200),
        (600, 1320),
        24,
        SIX_DAYS,
        &["RUD"],
    ),
    g(
        "МГ-8 (Рудный — район Б. Майлина)",
        "г. Рудный, ул. Качарская, 12, ОП «Горняцкий»",
        (52.9700, 63.0950),
        (540, 1260),
        20,
        SIX_DAYS,
        &["RUD", "BML"],
    ),
    g(
        "МГ-9 (Лисаковск)",
        "г. Лисаковск, 1 мкр., д. 23, ОП г. Лисаковска",
        (52.5460, 62.4980),
        (540, 1260),
        20,
        SIX_DAYS,
        &["LIS", "BML"],
    ),
    g(
        "МГ-10 (Житикара)",
        "г. Житикара, ул. Ленина, 40, ОП Житикаринского района",
        (52.1880, 61.2030),
        (540, 1260),
        20,
        SIX_DAYS,
        &["ZHT", "ZHR"],
    ),
    g(
        "МГ-11 (Аулиеколь)",
        "Аулиекольский р-н, с. Аулиеколь, ул. Абая, 21, ОП Аулиекольского района",
        (52.3700, 64.1000),
        (480, 1200),
        18,
        Weekdays::WORKDAYS,
        &["AUL", "KSR"],
    ),
    g(
        "МГ-12 (Аркалык)",
        "г. Аркалык, пр. Абылай хана, 8, ОП г. Аркалыка",
        (50.2500, 66.9100),
        (540, 1260),
        18,
        SIX_DAYS,
        &["ARK", "AMG"],
    ),
];

/// Builds the twelve groups; only the ids come from `rng`. District codes that `districts`
/// lacks are skipped.
pub(super) fn build(rng: &mut impl Rng, districts: &[District]) -> Vec<MobileGroup> {
    GROUPS
        .iter()
        .map(|spec| MobileGroup {
            id: MobileGroupId::from_random_bytes(rng.random()),
            name: spec.name.to_owned(),
            base_address: spec.base_address.to_owned(),
            base: GeoPoint {
                lat: spec.base.0,
                lon: spec.base.1,
            },
            shift_start_min: spec.shift_min.0,
            shift_end_min: spec.shift_min.1,
            max_checks_per_shift: spec.max_checks,
            active_days: spec.days,
            district_ids: spec
                .districts
                .iter()
                .filter_map(|code| districts.iter().find(|d| d.code == *code))
                .map(|d| d.id.clone())
                .collect(),
            version: 1,
        })
        .collect()
}

/// The demo users: `admin`, `prosecutor`, `supervisor`, then `officer01`, `officer02`, ... two
/// per group in group order.
pub(super) fn users(rng: &mut impl Rng, group_count: usize) -> Vec<DemoUser> {
    let fixed = [
        ("admin", "Сейтказина Жанна Маратовна", Role::Administrator),
        (
            "prosecutor",
            "Бекмухамбетов Ерлан Серикович",
            Role::Prosecutor,
        ),
        ("supervisor", "Козлов Андрей Викторович", Role::Supervisor),
    ];
    let mut users: Vec<DemoUser> = fixed
        .into_iter()
        .map(|(login, name, role)| DemoUser {
            login: login.to_owned(),
            full_name: name.to_owned(),
            role,
            group_index: None,
        })
        .collect();
    let names = NameTables::new();
    for index in 0..group_count * 2 {
        // Most patrol officers are men.
        let sex = if rng.random_bool(0.85) {
            Sex::Male
        } else {
            Sex::Female
        };
        let name = names.draw(rng, sex);
        users.push(DemoUser {
            login: format!("officer{:02}", index + 1),
            full_name: full_name(&name.last, &name.first, name.middle.as_deref()),
            role: Role::Officer,
            group_index: Some(index / 2),
        });
    }
    users
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    use super::*;
    use crate::domain::location::district_of;

    #[test]
    fn each_base_lies_in_a_district_its_group_covers() {
        let districts = super::super::districts::build(&mut Pcg64Mcg::seed_from_u64(4));
        for group in build(&mut Pcg64Mcg::seed_from_u64(4), &districts) {
            let home = district_of(&districts, group.base).map(|d| d.id.clone());
            assert!(
                home.is_some_and(|id| group.district_ids.contains(&id)),
                "{}",
                group.name
            );
            assert!(group.shift_start_min < group.shift_end_min && group.shift_end_min <= 24 * 60);
            assert!((18..=24).contains(&group.max_checks_per_shift));
        }
    }

    #[test]
    fn officers_come_two_per_group_after_the_three_desk_users() {
        let users = users(&mut Pcg64Mcg::seed_from_u64(4), 12);
        assert_eq!(users.len(), 27);
        assert_eq!(users[3].login, "officer01");
        assert_eq!(users[26].login, "officer24");
        assert_eq!(users[26].group_index, Some(11));
        assert!(users.iter().all(|u| u.full_name.split(' ').count() >= 2));
    }
}
