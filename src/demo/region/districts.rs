//! The demo region's districts, modelled on Kostanay oblast: five towns and seven rural districts
//! with real names, approximate real positions and boundaries that tile the oblast.
//!
//! The rural districts are the cells of a Voronoi-like partition of a simplified oblast outline
//! around hand-placed sites; each town is a small polygon cut out as a hole of the rural cell
//! around it. So every point of the outline lies in exactly one district (points on a shared
//! edge lie in none), which is what `location::district_of` needs to be unambiguous.
//!
//! The real oblast has about 830,000 residents in 20 districts and towns; the demo merges
//! neighbouring rural districts into seven and rounds the total up to about a million, as
//! DESIGN.md section 7 asks.

use rand::Rng;

use super::geometry::{LON_SCALE, LonLat, bend_shared_edges, polygon, town_ring, voronoi_cells};
use crate::domain::{District, DistrictId, DistrictKind, GeoPoint};

/// A simplified, convex outline of Kostanay oblast, clockwise from the north-west corner on the
/// Russian border.
const OUTLINE: [LonLat; 18] = [
    (61.00, 54.00),
    (62.40, 54.30),
    (63.80, 54.45),
    (65.20, 54.55),
    (66.20, 54.10),
    (66.70, 53.30),
    (67.30, 52.30),
    (67.90, 51.00),
    (68.10, 50.20),
    (67.70, 49.30),
    (66.30, 48.80),
    (64.50, 48.90),
    (63.00, 49.20),
    (62.10, 49.90),
    (61.40, 50.90),
    (60.90, 51.80),
    (60.70, 52.70),
    (60.75, 53.40),
];

/// Names of a district: code, Kazakh, Russian, English.
type Names = [&'static str; 4];

/// A town district: a small polygon around its centre.
struct TownSpec {
    names: Names,
    population: i64,
    /// Centre as (latitude, longitude).
    centre: (f64, f64),
    /// Half-widths east-west and north-south, km.
    radius_km: (f64, f64),
    /// Radius scale per vertex, counter-clockwise from due east.
    wobble: [f64; 12],
}

/// A rural district: the cell of the partition around `site` (longitude, latitude).
struct RuralSpec {
    names: Names,
    population: i64,
    site: LonLat,
}

const TOWNS: [TownSpec; 5] = [
    TownSpec {
        names: ["KST", "Қостанай қаласы", "г. Костанай", "Kostanay City"],
        population: 310_000,
        centre: (53.2150, 63.6050),
        radius_km: (5.5, 7.0),
        // Narrow on the east, where the Tobol river and Zatobolsk are.
        wobble: [
            0.78, 0.85, 1.0, 1.05, 1.1, 1.0, 0.95, 1.05, 1.1, 1.0, 0.9, 0.8,
        ],
    },
    TownSpec {
        names: ["RUD", "Рудный қаласы", "г. Рудный", "Rudny City"],
        population: 140_000,
        centre: (52.9620, 63.1150),
        radius_km: (4.5, 4.0),
        wobble: [
            1.1, 1.0, 0.9, 1.0, 1.05, 0.95, 1.0, 1.1, 0.9, 0.95, 1.05, 1.0,
        ],
    },
    TownSpec {
        names: ["LIS", "Лисаков қаласы", "г. Лисаковск", "Lisakovsk City"],
        population: 42_000,
        centre: (52.5450, 62.5000),
        radius_km: (3.5, 3.0),
        wobble: [
            1.0, 1.1, 0.95, 0.9, 1.0, 1.05, 1.1, 0.95, 1.0, 0.9, 1.0, 1.05,
        ],
    },
    TownSpec {
        names: ["ZHT", "Жітіқара қаласы", "г. Житикара", "Zhitikara Town"],
        population: 36_000,
        centre: (52.1900, 61.2050),
        radius_km: (3.5, 3.0),
        wobble: [
            0.95, 1.0, 1.1, 1.0, 0.9, 1.0, 1.05, 1.0, 0.95, 1.1, 1.0, 0.9,
        ],
    },
    TownSpec {
        names: ["ARK", "Арқалық қаласы", "г. Аркалык", "Arkalyk City"],
        population: 40_000,
        centre: (50.2480, 66.9150),
        radius_km: (4.0, 3.5),
        wobble: [
            1.0, 0.95, 1.05, 1.1, 1.0, 0.9, 1.0, 1.05, 0.95, 1.0, 1.1, 0.95,
        ],
    },
];

// The sites are not the district centres: they are placed so that the cells come out roughly
// where the merged real districts lie and each town falls well inside the cell that surrounds it.
const RURAL: [RuralSpec; 7] = [
    RuralSpec {
        names: [
            "KSR",
            "Қостанай ауданы",
            "Костанайский район",
            "Kostanay District",
        ],
        population: 92_000,
        site: (63.75, 53.25),
    },
    RuralSpec {
        names: [
            "KRB",
            "Қарабалық ауданы",
            "Карабалыкский район",
            "Karabalyk District",
        ],
        population: 58_000,
        site: (62.00, 53.75),
    },
    RuralSpec {
        names: [
            "MND",
            "Меңдіқара ауданы",
            "Мендыкаринский район",
            "Mendykara District",
        ],
        population: 52_000,
        site: (64.90, 53.90),
    },
    RuralSpec {
        names: [
            "BML",
            "Бейімбет Майлин ауданы",
            "район Беимбета Майлина",
            "Beimbet Mailin District",
        ],
        population: 56_000,
        site: (62.75, 52.75),
    },
    RuralSpec {
        names: [
            "ZHR",
            "Жітіқара ауданы",
            "Житикаринский район",
            "Zhitikara District",
        ],
        population: 44_000,
        site: (61.60, 51.70),
    },
    RuralSpec {
        names: [
            "AUL",
            "Әулиекөл ауданы",
            "Аулиекольский район",
            "Auliekol District",
        ],
        population: 62_000,
        site: (64.40, 52.10),
    },
    RuralSpec {
        names: [
            "AMG",
            "Амангелді ауданы",
            "Амангельдинский район",
            "Amangeldi District",
        ],
        population: 38_000,
        site: (65.50, 50.20),
    },
];

/// Builds the twelve districts, towns first; only the ids come from `rng`.
pub(super) fn build(rng: &mut impl Rng) -> Vec<District> {
    let town_rings: Vec<Vec<LonLat>> = TOWNS
        .iter()
        .map(|t| {
            town_ring(
                GeoPoint {
                    lat: t.centre.0,
                    lon: t.centre.1,
                },
                t.radius_km,
                &t.wobble,
            )
        })
        .collect();
    let sites: Vec<LonLat> = RURAL.iter().map(|r| r.site).collect();
    let cells = bend_shared_edges(&voronoi_cells(&OUTLINE, &sites));

    let mut districts = Vec::with_capacity(TOWNS.len() + RURAL.len());
    for (town, ring) in TOWNS.iter().zip(&town_rings) {
        let boundary = polygon(ring, &[]);
        districts.push(district(
            rng,
            town.names,
            DistrictKind::Urban,
            town.population,
            boundary,
        ));
    }
    for (index, (rural, cell)) in RURAL.iter().zip(&cells).enumerate() {
        // A town becomes a hole of the cell that holds its centre (towns_lie_inside_one_cell
        // checks that the whole town does).
        let holes: Vec<&[LonLat]> = TOWNS
            .iter()
            .zip(&town_rings)
            .filter(|(town, _)| nearest_site(&sites, (town.centre.1, town.centre.0)) == index)
            .map(|(_, ring)| ring.as_slice())
            .collect();
        let boundary = polygon(cell, &holes);
        districts.push(district(
            rng,
            rural.names,
            DistrictKind::Rural,
            rural.population,
            boundary,
        ));
    }
    districts
}

fn district(
    rng: &mut impl Rng,
    [code, kk, ru, en]: Names,
    kind: DistrictKind,
    population: i64,
    boundary: geo::Polygon<f64>,
) -> District {
    District {
        id: DistrictId::from_random_bytes(rng.random()),
        code: code.to_owned(),
        name_kk: kk.to_owned(),
        name_ru: ru.to_owned(),
        name_en: en.to_owned(),
        kind,
        population,
        boundary,
    }
}

/// The index of the site nearest on the ground, the same rule the cells follow.
fn nearest_site(sites: &[LonLat], (lon, lat): LonLat) -> usize {
    let ground = |(site_lon, site_lat): LonLat| {
        let dx = (site_lon - lon) * LON_SCALE;
        let dy = site_lat - lat;
        dx * dx + dy * dy
    };
    sites
        .iter()
        .enumerate()
        .min_by(|a, b| ground(*a.1).total_cmp(&ground(*b.1)))
        .map_or(0, |(index, _)| index)
}

#[cfg(test)]
mod tests {
    use geo::{Area, Contains, Point};
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    use super::*;

    fn districts() -> Vec<District> {
        build(&mut Pcg64Mcg::seed_from_u64(1))
    }

    #[test]
    fn the_outline_is_convex_so_clipping_it_is_sound() {
        for k in 0..OUTLINE.len() {
            let (a, b, c) = (OUTLINE[k], OUTLINE[(k + 1) % 18], OUTLINE[(k + 2) % 18]);
            let cross = (b.0 - a.0) * (c.1 - b.1) - (b.1 - a.1) * (c.0 - b.0);
            assert!(cross < 0.0, "outline turns the wrong way at {b:?}");
        }
    }

    #[test]
    fn districts_cover_the_outline_exactly_once() {
        let outline_area = polygon(&OUTLINE, &[]).unsigned_area();
        let sum: f64 = districts().iter().map(|d| d.boundary.unsigned_area()).sum();
        assert!(
            (sum - outline_area).abs() < 1e-6 * outline_area,
            "{sum} vs {outline_area}"
        );
    }

    #[test]
    fn towns_lie_inside_one_cell_as_holes() {
        let districts = districts();
        for town in districts.iter().filter(|d| d.kind == DistrictKind::Urban) {
            let hosts: Vec<&str> = districts
                .iter()
                .filter(|d| {
                    d.boundary
                        .interiors()
                        .iter()
                        .any(|h| h == town.boundary.exterior())
                })
                .map(|d| d.code.as_str())
                .collect();
            assert_eq!(hosts.len(), 1, "{} is a hole of {hosts:?}", town.code);
            let host = districts.iter().find(|d| d.code == hosts[0]);
            let outer = host.map(|h| geo::Polygon::new(h.boundary.exterior().clone(), vec![]));
            assert!(
                outer.is_some_and(|o| o.contains(&town.boundary)),
                "{} leaks",
                town.code
            );
        }
    }

    #[test]
    fn no_point_lies_in_two_districts() {
        let districts = districts();
        let (mut inside, mut steps) = (0, 0);
        for i in 0..400 {
            for j in 0..400 {
                let lon = 60.6 + 7.6 * f64::from(i) / 400.0 + 1e-7;
                let lat = 48.7 + 6.0 * f64::from(j) / 400.0 + 1e-7;
                let holders = districts
                    .iter()
                    .filter(|d| d.boundary.contains(&Point::new(lon, lat)))
                    .count();
                assert!(holders <= 1, "({lon}, {lat}) lies in {holders} districts");
                inside += holders;
                steps += 1;
            }
        }
        assert!(
            inside * 2 > steps,
            "only {inside} of {steps} samples lie in a district"
        );
    }

    #[test]
    fn towns_and_rural_districts_add_up_to_about_a_million() {
        let districts = districts();
        let total: i64 = districts.iter().map(|d| d.population).sum();
        assert!((900_000..=1_100_000).contains(&total), "{total}");
        assert_eq!(districts.len(), 12);
        let codes: Vec<&str> = districts.iter().map(|d| d.code.as_str()).collect();
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
    }

    #[test]
    fn boundaries_are_small_simple_polygons() {
        for d in districts() {
            let vertices = d.boundary.exterior().0.len() - 1;
            assert!(
                (4..=20).contains(&vertices),
                "{} has {vertices} vertices",
                d.code
            );
        }
    }
}
