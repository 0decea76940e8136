//! The demo region's roads as OpenStreetMap elements: each town and village a grid of named
//! streets with house numbers, country roads between them (trunk roads between the towns), and
//! the Tobol river, which roads cross only on a few bridges.
//!
//! The elements are fed to `roads::builder` exactly as the PBF reader feeds it (ways, then
//! nodes), so the demo's network passes the same tag rules, connectivity and hierarchy as a real
//! extract. We feed the element stream instead of writing a `.osm.pbf`: `osmpbf` only reads,
//! and a writer (protobuf encoding, deflate) would add code and first-start time for nothing the
//! builder does not already see.
//!
//! Deterministic for the seed (`Pcg64Mcg`, ids in generation order).

mod country;
mod names;
#[cfg(test)]
mod tests;

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::geometry::offset_km;
use super::towns::{COMMON_STREETS, TOWNS, Town};
use super::villages::{VILLAGE_STREETS, VILLAGES};
use crate::domain::{District, GeoPoint};
use crate::roads::RoadNetwork;
use crate::roads::builder::{BuildError, NetworkBuilder};
use crate::roads::osm::{OsmNode, OsmWay};

/// The demo's OpenStreetMap elements.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DemoOsm {
    /// Nodes: road nodes and house-number points.
    pub nodes: Vec<OsmNode>,
    /// Ways: streets and roads.
    pub ways: Vec<OsmWay>,
}

/// A town or village as the country roads see it: its centre and the junctions of its grid.
struct Place {
    name: String,
    centre: GeoPoint,
    is_town: bool,
    weight: u32,
    junctions: Vec<(i64, GeoPoint)>,
}

/// How one settlement's grid is laid out.
struct GridSpec<'a> {
    centre: GeoPoint,
    /// Half the grid's width and height, km.
    half_km: (f64, f64),
    spacing_m: f64,
    /// Streets named first (those the persons' addresses use), then the region's extra names.
    streets: Vec<&'a str>,
    /// Every this-many street is a main one (tertiary, 50 km/h).
    main_every: i64,
    /// Where the grid may lie (a town's district), else everywhere.
    district: Option<&'a District>,
    /// Metres between house numbers on one side.
    house_every_m: f64,
}

/// Generates the demo roads for the demo region's districts.
pub fn generate(seed: u64, districts: &[District]) -> DemoOsm {
    let mut g = Gen {
        out: DemoOsm::default(),
        rng: Pcg64Mcg::seed_from_u64(seed ^ 0x526f_6164_7321),
        river: country::river(),
    };
    let mut places: Vec<Place> = TOWNS
        .iter()
        .filter_map(|town| {
            let district = districts.iter().find(|d| d.code == town.code)?;
            Some(g.town(town, district))
        })
        .collect();
    for village in VILLAGES {
        let sigma = village.cluster.sigma_km;
        let spec = GridSpec {
            centre: village.cluster.centre(),
            half_km: (1.8 * sigma, 1.8 * sigma),
            spacing_m: 220.0,
            streets: VILLAGE_STREETS.to_vec(),
            main_every: 5,
            district: None,
            house_every_m: 45.0,
        };
        let junctions = g.grid(&spec);
        places.push(Place {
            name: village.name.to_owned(),
            centre: village.cluster.centre(),
            is_town: false,
            weight: village.cluster.weight,
            junctions,
        });
    }
    g.country_roads(&places);
    g.out
}

/// The demo roads built into a network through the importer's builder.
pub fn network(seed: u64, districts: &[District]) -> Result<RoadNetwork, BuildError> {
    let osm = generate(seed, districts);
    let mut builder = NetworkBuilder::new(None);
    for way in osm.ways {
        builder.add_way(way);
    }
    builder.start_nodes();
    for node in osm.nodes {
        builder.add_node(node);
    }
    // A fixed date: the demo's "extract" is the same every time.
    builder.build("demo-region.osm.pbf".to_owned(), Some(1_764_547_200))
}

fn bounds(d: &District) -> (GeoPoint, GeoPoint) {
    use geo::BoundingRect as _;
    let rect = d.boundary.bounding_rect();
    let (min, max) = rect.map_or(((0.0, 0.0), (0.0, 0.0)), |r| (r.min().x_y(), r.max().x_y()));
    (
        GeoPoint {
            lat: min.1,
            lon: min.0,
        },
        GeoPoint {
            lat: max.1,
            lon: max.0,
        },
    )
}

struct Gen {
    out: DemoOsm,
    rng: Pcg64Mcg,
    river: Vec<GeoPoint>,
}

fn tags(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

impl Gen {
    /// A town's grid over its district's bounding box, kept inside the district.
    fn town(&mut self, town: &Town, d: &District) -> Place {
        let (lo, hi) = bounds(d);
        let centre = GeoPoint {
            lat: (lo.lat + hi.lat) / 2.0,
            lon: (lo.lon + hi.lon) / 2.0,
        };
        let half_km = (
            (hi.lon - lo.lon) / 2.0 * 111.195 * centre.lat.to_radians().cos(),
            (hi.lat - lo.lat) / 2.0 * 111.195,
        );
        // The persons' addresses use the town's own streets and the common ones: those first.
        let mut streets: Vec<&str> = town.streets.to_vec();
        streets.extend(COMMON_STREETS.iter().filter(|s| !town.streets.contains(s)));
        let spec = GridSpec {
            centre,
            half_km,
            spacing_m: 250.0,
            streets,
            main_every: 4,
            district: Some(d),
            house_every_m: 60.0,
        };
        Place {
            name: town.prefix.trim_start_matches("г. ").to_owned(),
            centre,
            is_town: true,
            weight: 10,
            junctions: self.grid(&spec),
        }
    }

    fn node(&mut self, at: GeoPoint, node_tags: Vec<(String, String)>) -> i64 {
        let id = self.out.nodes.len() as i64 + 1;
        self.out.nodes.push(OsmNode {
            id,
            lat: at.lat,
            lon: at.lon,
            tags: node_tags,
        });
        id
    }

    fn way(&mut self, refs: Vec<i64>, way_tags: Vec<(String, String)>) {
        let id = self.out.ways.len() as i64 + 1;
        self.out.ways.push(OsmWay {
            id,
            refs,
            tags: way_tags,
        });
    }

    fn position(&self, id: i64) -> Option<GeoPoint> {
        let n = self.out.nodes.get(usize::try_from(id - 1).ok()?)?;
        Some(GeoPoint {
            lat: n.lat,
            lon: n.lon,
        })
    }

    /// Lays out a grid; returns its junctions (id, position).
    #[expect(
        clippy::too_many_lines,
        reason = "the grid's junctions, streets and addresses laid out in one pass"
    )]
    fn grid(&mut self, spec: &GridSpec<'_>) -> Vec<(i64, GeoPoint)> {
        let step_km = spec.spacing_m / 1000.0;
        let cols = (spec.half_km.0 / step_km).floor() as i64;
        let rows = (spec.half_km.1 / step_km).floor() as i64;
        let width = (2 * cols + 1) as usize;
        let mut ids: Vec<Option<i64>> = Vec::with_capacity(width * (2 * rows + 1) as usize);
        let mut junctions = Vec::new();
        for r in -rows..=rows {
            for c in -cols..=cols {
                // A little jitter: real streets are not ruled lines.
                let (je, jn) = (
                    self.rng.random_range(-0.02..0.02),
                    self.rng.random_range(-0.02..0.02),
                );
                let at = offset_km(
                    spec.centre,
                    c as f64 * step_km + je,
                    r as f64 * step_km + jn,
                );
                let inside = spec.district.is_none_or(|d| d.contains(at));
                let id = inside.then(|| self.node(at, Vec::new()));
                if let Some(id) = id {
                    junctions.push((id, at));
                }
                ids.push(id);
            }
        }
        let at = |r: i64, c: i64| {
            ids.get(((r + rows) * width as i64 + c + cols) as usize)
                .copied()
                .flatten()
        };
        let mut names = spec
            .streets
            .iter()
            .copied()
            .chain(names::EXTRA.iter().copied())
            .cycle();
        // Streets alternate: a row, a column, ... so that the addresses' names are spread in
        // both directions.
        let lines = (2 * rows + 1).max(2 * cols + 1);
        for k in 0..lines {
            for horizontal in [true, false] {
                let (index, count) = if horizontal {
                    (k - rows, 2 * cols + 1)
                } else {
                    (k - cols, 2 * rows + 1)
                };
                if (horizontal && k > 2 * rows) || (!horizontal && k > 2 * cols) {
                    continue;
                }
                let line: Vec<Option<i64>> = (0..count)
                    .map(|m| {
                        if horizontal {
                            at(index, m - cols)
                        } else {
                            at(m - rows, index)
                        }
                    })
                    .collect();
                let name = names.next().unwrap_or("ул. Центральная");
                let main = index % spec.main_every == 0;
                self.street(&line, name, main, spec.house_every_m);
            }
        }
        junctions
    }

    /// One street along a line of grid junctions (gaps split it), with house numbers.
    fn street(&mut self, line: &[Option<i64>], name: &str, main: bool, house_every_m: f64) {
        let oneway = !main && self.rng.random_bool(0.08);
        let mut way_tags = vec![
            ("highway", if main { "tertiary" } else { "residential" }),
            ("name", name),
        ];
        if oneway {
            way_tags.push((
                "oneway",
                if self.rng.random_bool(0.5) {
                    "yes"
                } else {
                    "-1"
                },
            ));
        }
        let mut number = 0u32;
        let mut run: Vec<i64> = Vec::new();
        for pair in line.windows(2).chain(std::iter::once(&[None, None][..])) {
            let (a, b) = (pair[0], pair[1]);
            let crossing = match (
                a.and_then(|a| self.position(a)),
                b.and_then(|b| self.position(b)),
            ) {
                (Some(p), Some(q)) => {
                    number = self.houses(p, q, name, number, house_every_m);
                    country::crosses(&self.river, p, q) && !country::is_bridge(p, q)
                }
                _ => true,
            };
            if let Some(a) = a
                && run.last() != Some(&a)
            {
                run.push(a);
            }
            if crossing {
                if run.len() >= 2 {
                    self.way(std::mem::take(&mut run), tags(&way_tags));
                }
                run.clear();
            } else if let Some(b) = b {
                run.push(b);
            }
        }
    }

    /// House numbers between two junctions: odd on the left, even on the right, 15 m off the
    /// street, continuing from `last`; returns the last number given.
    fn houses(&mut self, p: GeoPoint, q: GeoPoint, street: &str, last: u32, every_m: f64) -> u32 {
        let length_m = p.distance_m(q);
        let count = (length_m / every_m).floor() as u32;
        let (dn, de) = (
            (q.lat - p.lat) * 111_195.0,
            (q.lon - p.lon) * 111_195.0 * p.lat.to_radians().cos(),
        );
        let norm = (dn * dn + de * de).sqrt().max(1e-9);
        let (left_e, left_n) = (-dn / norm * 0.015, de / norm * 0.015);
        let mut n = last;
        for k in 0..count {
            let t = (f64::from(k) + 0.5) / f64::from(count.max(1));
            let on = GeoPoint {
                lat: p.lat + t * (q.lat - p.lat),
                lon: p.lon + t * (q.lon - p.lon),
            };
            for side in [1.0, -1.0] {
                n += 1;
                let at = offset_km(on, side * left_e, side * left_n);
                let number = n.to_string();
                self.node(
                    at,
                    tags(&[("addr:street", street), ("addr:housenumber", &number)]),
                );
            }
        }
        n
    }
}
