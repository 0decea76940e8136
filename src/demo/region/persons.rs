//! The demo registry of supervised persons: who they are, where they live and work, and what
//! they were convicted of.
//!
//! Homes are drawn around town neighbourhoods and villages in proportion to district
//! populations, and each home's district is then found by point-in-polygon, never assumed.

use std::collections::HashSet;

use chrono::{Days, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;

use super::conviction;
use super::geometry::{pick_weighted, scatter};
use super::names::{NameTables, initials};
use super::places::{Locality, pick_locality};
use crate::domain::location::district_of;
use crate::domain::person::{Person, PersonStatus, Sex, Workplace, suggested_risk_tier};
use crate::domain::{District, DistrictId, GeoPoint, Iin, PersonId};

/// Age brackets (first and last year of age) and their weights: most of the registry is
/// between 25 and 45.
const AGES: [((u32, u32), u32); 5] = [
    ((18, 24), 12),
    ((25, 34), 33),
    ((35, 44), 30),
    ((45, 54), 16),
    ((55, 70), 9),
];

/// Statuses and their weights per thousand: nearly everyone is active.
const STATUSES: [(PersonStatus, u32); 5] = [
    (PersonStatus::Active, 920),
    (PersonStatus::InCustody, 30),
    (PersonStatus::MovedOut, 25),
    (PersonStatus::Wanted, 15),
    (PersonStatus::Deceased, 10),
];

/// Mobile operators' 7xx codes in Kazakhstan (Beeline, Kcell, Tele2, Altel).
const MOBILE_CODES: [&str; 12] = [
    "700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778",
];

/// Draws `count` persons living in `districts` as of `today`.
pub(super) fn generate(
    rng: &mut impl Rng,
    count: usize,
    today: NaiveDate,
    districts: &[District],
) -> Vec<Person> {
    let names = NameTables::new();
    if districts.is_empty() {
        return Vec::new();
    }
    let weights: Vec<u32> = districts
        .iter()
        .map(|d| u32::try_from(d.population).unwrap_or(0))
        .collect();
    let mut issued: HashSet<String> = HashSet::with_capacity(count);
    (0..count)
        .map(|_| {
            let district = &districts[pick_weighted(rng, weights.iter().copied())];
            person(rng, &names, &mut issued, district, districts, today)
        })
        .collect()
}

fn person(
    rng: &mut impl Rng,
    names: &NameTables,
    issued: &mut HashSet<String>,
    district: &District,
    districts: &[District],
    today: NaiveDate,
) -> Person {
    let id = PersonId::from_random_bytes(rng.random());
    let locality = pick_locality(rng, &district.code);
    let (home, district_id) = point_in(rng, locality, 1.0, districts);
    let sex = if rng.random_bool(0.9) {
        Sex::Male
    } else {
        Sex::Female
    };
    let name = names.draw(rng, sex);
    let (birth_date, iin) = birth_and_iin(rng, sex, today, issued);
    let record = conviction::draw(rng, birth_date, today);
    let risk_tier = suggested_risk_tier(
        record.conviction.severity,
        record.conviction.prior_convictions,
        0,
    );
    let status = STATUSES[pick_weighted(rng, STATUSES.map(|s| s.1))].0;
    let home_address = locality.address(rng);
    let work = rng
        .random_bool(0.6)
        .then(|| workplace(rng, names, locality, districts));
    let phone = rng.random_bool(0.95).then(|| phone(rng));
    Person {
        id,
        iin,
        last_name: name.last,
        first_name: name.first,
        middle_name: name.middle,
        birth_date,
        sex,
        phone,
        conviction: record.conviction,
        supervision_kind: record.supervision_kind,
        supervision_start: record.supervision_start,
        restrictions: record.restrictions,
        curfew: record.curfew,
        risk_tier,
        risk_tier_reason: None,
        status,
        home_address,
        home,
        district_id,
        work,
        version: 1,
    }
}

/// A point scattered around the locality that lies in the locality's own district, with the
/// district that holds it. A point that strays over a border (or outside the region) is drawn
/// again, so an address in Rudny never gets a point in the fields outside it.
fn point_in(
    rng: &mut impl Rng,
    locality: Locality,
    spread: f64,
    districts: &[District],
) -> (GeoPoint, DistrictId) {
    let cluster = locality.cluster();
    for _ in 0..50 {
        let point = scatter(rng, cluster.centre(), cluster.sigma_km * spread);
        if let Some(found) =
            district_of(districts, point).filter(|d| d.code == locality.district_code())
        {
            return (point, found.id.clone());
        }
    }
    // Unreachable in practice (a stray is rare and 50 in a row never happen); the centre lies in
    // the district, which the tests check for every locality.
    let centre = cluster.centre();
    let found = district_of(districts, centre).or(districts.first());
    (
        centre,
        found.map_or_else(|| DistrictId::from(String::new()), |d| d.id.clone()),
    )
}

/// A birth date 18 to 70 years before `today` and an IIN no one else has.
fn birth_and_iin(
    rng: &mut impl Rng,
    sex: Sex,
    today: NaiveDate,
    issued: &mut HashSet<String>,
) -> (NaiveDate, Iin) {
    let (first, last) = AGES[pick_weighted(rng, AGES.map(|a| a.1))].0;
    let age_days = rng.random_range(u64::from(first) * 366..=u64::from(last) * 365 + 364);
    let mut birth_date = today.checked_sub_days(Days::new(age_days)).unwrap_or(today);
    let mut serial: u16 = rng.random_range(0..10_000);
    loop {
        // Some serials give a never-issued number and a few are taken: try the next one; after
        // all 10,000, the next day (a region never gets there).
        for _ in 0..10_000 {
            serial = (serial + 1) % 10_000;
            if let Some(iin) = Iin::generate(birth_date, sex, serial)
                && issued.insert(iin.as_str().to_owned())
            {
                return (birth_date, iin);
            }
        }
        birth_date = birth_date
            .checked_sub_days(Days::new(1))
            .unwrap_or(birth_date);
    }
}

/// `+77XXXXXXXXX`: country code 7, then a 7xx mobile code and seven digits.
fn phone(rng: &mut impl Rng) -> String {
    let code = MOBILE_CODES.choose(rng).copied().unwrap_or("701");
    format!("+7{code}{:07}", rng.random_range(0..10_000_000))
}

/// A workplace near where the person lives: a named employer or a sole trader.
fn workplace(
    rng: &mut impl Rng,
    names: &NameTables,
    locality: Locality,
    districts: &[District],
) -> Workplace {
    let employer = if rng.random_bool(0.25) {
        let sex = if rng.random_bool(0.7) {
            Sex::Male
        } else {
            Sex::Female
        };
        let owner = names.draw(rng, sex);
        format!("ИП {} {}", owner.last, initials(&owner))
    } else {
        locality.employer(rng).to_owned()
    };
    // Work lies around the town centre (or in the village), more spread out than homes.
    let (point, _) = point_in(rng, locality.centre(), 1.5, districts);
    Workplace {
        employer,
        address: locality.work_address(rng),
        point,
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    use super::*;

    #[test]
    fn ages_run_from_18_to_70_and_iins_agree_with_birth_and_sex() {
        let mut rng = Pcg64Mcg::seed_from_u64(21);
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        let mut issued = HashSet::new();
        for _ in 0..5000 {
            let sex = if rng.random_bool(0.5) {
                Sex::Male
            } else {
                Sex::Female
            };
            let (birth, iin) = birth_and_iin(&mut rng, sex, today, &mut issued);
            let age = today.years_since(birth).unwrap_or(0);
            assert!((18..=70).contains(&age), "age {age}");
            assert_eq!((iin.birth_date(), iin.sex()), (Some(birth), sex));
        }
        assert_eq!(issued.len(), 5000);
    }

    #[test]
    fn phones_are_kazakh_mobile_numbers() {
        let number = phone(&mut Pcg64Mcg::seed_from_u64(2));
        assert_eq!(number.len(), 12);
        assert!(number.starts_with("+77") && number[1..].chars().all(|c| c.is_ascii_digit()));
    }
}
