//! Where people live and work in the demo region: a town neighbourhood or a village, and the
//! home and work addresses made from its streets and employers.

use rand::Rng;
use rand::seq::IndexedRandom;

use super::geometry::pick_weighted;
use super::towns::{COMMON_STREETS, Cluster, TOWNS, Town};
use super::villages::{FARMS, VILLAGE_STREETS, VILLAGES, Village};

/// Where a person lives: a town neighbourhood or a village.
#[derive(Clone, Copy)]
pub(super) enum Locality {
    /// A neighbourhood (index into `clusters`) of a town.
    Town(&'static Town, usize),
    /// A village.
    Village(&'static Village),
}

/// Picks where a person of district `code` lives (the regional centre for an unknown code,
/// which `every_district_code_has_somewhere_to_live` rules out).
pub(super) fn pick_locality(rng: &mut impl Rng, code: &str) -> Locality {
    if let Some(town) = TOWNS.iter().find(|t| t.code == code) {
        let index = pick_weighted(rng, town.clusters.iter().map(|c| c.weight));
        return Locality::Town(town, index);
    }
    let villages: Vec<&'static Village> = VILLAGES.iter().filter(|v| v.code == code).collect();
    let index = pick_weighted(rng, villages.iter().map(|v| v.cluster.weight));
    match villages.get(index) {
        Some(village) => Locality::Village(village),
        None => Locality::Town(&TOWNS[0], 0),
    }
}

impl Locality {
    /// The cluster homes of this locality scatter around.
    pub fn cluster(self) -> &'static Cluster {
        match self {
            Locality::Town(town, index) => &town.clusters[index.min(town.clusters.len() - 1)],
            Locality::Village(village) => &village.cluster,
        }
    }

    /// Code of the district the locality lies in.
    pub fn district_code(self) -> &'static str {
        match self {
            Locality::Town(town, _) => town.code,
            Locality::Village(village) => village.code,
        }
    }

    /// A street address here: flats and houses in towns, houses in villages.
    pub fn address(self, rng: &mut impl Rng) -> String {
        match self {
            Locality::Town(town, _) => town_address(rng, town),
            Locality::Village(village) => {
                let street = VILLAGE_STREETS.choose(rng).unwrap_or(&"ул. Центральная");
                let house = rng.random_range(1..=90);
                match rng.random_bool(0.2) {
                    // Two-family houses (двухквартирный дом) are common in villages.
                    true => format!(
                        "{}, {street}, {house}, кв. {}",
                        village.prefix(),
                        rng.random_range(1..=2)
                    ),
                    false => format!("{}, {street}, {house}", village.prefix()),
                }
            }
        }
    }

    /// The town's central neighbourhood (the village itself), where most jobs are.
    pub fn centre(self) -> Locality {
        match self {
            Locality::Town(town, _) => Locality::Town(town, 0),
            village => village,
        }
    }

    /// A workplace address: no flat numbers, sometimes an industrial zone.
    pub fn work_address(self, rng: &mut impl Rng) -> String {
        let prefix = match self {
            Locality::Town(town, _) => town.prefix.to_owned(),
            Locality::Village(village) => village.prefix(),
        };
        if rng.random_bool(0.15) {
            return format!("{prefix}, промзона, {}", rng.random_range(1..=40));
        }
        let streets = match self {
            Locality::Town(town, _) => town.streets,
            Locality::Village(_) => VILLAGE_STREETS,
        };
        let street = streets.choose(rng).unwrap_or(&"ул. Абая");
        format!("{prefix}, {street}, {}", rng.random_range(1..=120))
    }

    /// A named employer here (the caller adds sole traders).
    pub fn employer(self, rng: &mut impl Rng) -> &'static str {
        let list = match self {
            Locality::Town(town, _) => town.employers,
            Locality::Village(_) => FARMS,
        };
        list.choose(rng).copied().unwrap_or("ТОО «Агрофирма Колос»")
    }
}

fn town_address(rng: &mut impl Rng, town: &Town) -> String {
    let style = rng.random_range(0..100);
    if style < 20
        && let Some(micro) = town.microdistricts.choose(rng)
    {
        let (house, flat) = (rng.random_range(1..=60), rng.random_range(1..=120));
        return format!("{}, {micro}, д. {house}, кв. {flat}", town.prefix);
    }
    let street = if rng.random_bool(0.7) {
        town.streets.choose(rng)
    } else {
        COMMON_STREETS.choose(rng)
    };
    let street = street.unwrap_or(&"ул. Абая");
    let house = rng.random_range(1..=150);
    if style < 75 {
        format!(
            "{}, {street}, {house}, кв. {}",
            town.prefix,
            rng.random_range(1..=140)
        )
    } else {
        // Private houses on the town's edges.
        format!("{}, {street}, {house}", town.prefix)
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    use super::*;

    #[test]
    fn addresses_start_with_the_town_or_the_district_and_village() {
        let mut rng = Pcg64Mcg::seed_from_u64(3);
        let kostanay = Locality::Town(&TOWNS[0], 0);
        assert!(kostanay.address(&mut rng).starts_with("г. Костанай, "));
        let village = Locality::Village(&VILLAGES[0]);
        assert!(
            village
                .address(&mut rng)
                .starts_with("Костанайский р-н, с. Затобольск, ул. ")
        );
    }

    #[test]
    fn every_district_code_has_somewhere_to_live() {
        let mut rng = Pcg64Mcg::seed_from_u64(3);
        for code in [
            "KST", "RUD", "LIS", "ZHT", "ARK", "KSR", "KRB", "MND", "BML", "ZHR", "AUL", "AMG",
        ] {
            let locality = pick_locality(&mut rng, code);
            assert_eq!(locality.district_code(), code);
        }
    }
}
