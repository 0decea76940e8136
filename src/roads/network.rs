//! The road network as it is stored and routed on: junctions, road segments between them with
//! their shape, class, street name and travel times, the address points, and the contraction
//! hierarchy that answers routes and matrices.

use geo::{Distance, Haversine, Point};
use serde::{Deserialize, Serialize};

use super::ch::Ch;
use super::osm::RoadClass;

/// A position in units of 1e-7 degrees (about a centimetre), as OpenStreetMap stores them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct E7 {
    /// Latitude times 1e7.
    pub lat: i32,
    /// Longitude times 1e7.
    pub lon: i32,
}

impl E7 {
    /// Rounds degrees to 1e-7 (coordinates on Earth fit in i32 at this scale).
    pub fn from_degrees(lat: f64, lon: f64) -> E7 {
        E7 {
            lat: (lat * 1e7).round() as i32,
            lon: (lon * 1e7).round() as i32,
        }
    }

    /// Latitude, degrees.
    pub fn lat(self) -> f64 {
        f64::from(self.lat) / 1e7
    }

    /// Longitude, degrees.
    pub fn lon(self) -> f64 {
        f64::from(self.lon) / 1e7
    }

    /// `[lat, lon]` in degrees, as route paths are printed.
    pub fn lat_lon(self) -> [f64; 2] {
        [self.lat(), self.lon()]
    }

    /// Great-circle distance in metres.
    pub fn distance_m(self, other: E7) -> f64 {
        haversine_m(self.lat(), self.lon(), other.lat(), other.lon())
    }
}

/// Great-circle distance between two points given in degrees, metres.
pub fn haversine_m(lat_a: f64, lon_a: f64, lat_b: f64, lon_b: f64) -> f64 {
    Haversine.distance(Point::new(lon_a, lat_a), Point::new(lon_b, lat_b))
}

/// A latitude-longitude box, degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bbox {
    /// Southern edge.
    pub south: f64,
    /// Western edge.
    pub west: f64,
    /// Northern edge.
    pub north: f64,
    /// Eastern edge.
    pub east: f64,
}

impl Bbox {
    /// Parses `S,W,N,E` in degrees (the `--bbox` option).
    pub fn parse(text: &str) -> Result<Bbox, String> {
        let parts: Vec<f64> = text
            .split(',')
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|e| format!("--bbox must be S,W,N,E in degrees ({e})"))?;
        let [south, west, north, east] = parts[..] else {
            return Err(format!(
                "--bbox must be four numbers S,W,N,E, not {}",
                parts.len()
            ));
        };
        let bbox = Bbox {
            south,
            west,
            north,
            east,
        };
        let valid = (-90.0..=90.0).contains(&south)
            && (-90.0..=90.0).contains(&north)
            && (-180.0..=180.0).contains(&west)
            && (-180.0..=180.0).contains(&east)
            && south < north
            && west < east;
        if !valid {
            return Err(format!(
                "--bbox {text} is not a box S,W,N,E with S < N and W < E in degrees"
            ));
        }
        Ok(bbox)
    }

    /// Whether the point lies inside (edges included).
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        (self.south..=self.north).contains(&lat) && (self.west..=self.east).contains(&lon)
    }

    /// The smallest box around `points`, or `None` when there are none.
    pub fn around(points: impl IntoIterator<Item = E7>) -> Option<Bbox> {
        let mut it = points.into_iter();
        let first = it.next()?;
        let start = Bbox {
            south: first.lat(),
            west: first.lon(),
            north: first.lat(),
            east: first.lon(),
        };
        Some(it.fold(start, |b, p| Bbox {
            south: b.south.min(p.lat()),
            west: b.west.min(p.lon()),
            north: b.north.max(p.lat()),
            east: b.east.max(p.lon()),
        }))
    }
}

/// A road between two junctions (or a dead end): one stretch of one way, with its shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Junction at the start (the way's direction).
    pub a: u32,
    /// Junction at the end.
    pub b: u32,
    /// Its intermediate points: `shape[shape_start..shape_end]` of the network.
    pub shape_start: u32,
    /// End of the intermediate points (exclusive).
    pub shape_end: u32,
    /// Length along the shape, decimetres.
    pub length_dm: u32,
    /// Driving time from `a` to `b`, milliseconds; `None` where a one-way forbids it.
    pub forward_ms: Option<u32>,
    /// Driving time from `b` to `a`, milliseconds; `None` where a one-way forbids it.
    pub backward_ms: Option<u32>,
    /// The road's class.
    pub class: RoadClass,
    /// Index of the street name in the network's names, if it has one.
    pub name: Option<u32>,
}

/// A house from the extract's `addr:*` tags (a node, or a building's centre).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressPoint {
    /// Index of the street (or place) name in the network's names.
    pub street: u32,
    /// The house number as tagged ("12", "12А", "12/1").
    pub number: String,
    /// Where it is.
    pub at: E7,
}

/// Where the network came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkMeta {
    /// The file name the office imported (no directories).
    pub source: String,
    /// The extract's replication timestamp (seconds since 1970, UTC), when its header has one.
    pub osm_timestamp: Option<i64>,
    /// The box the network covers: `--bbox` when given, else the roads' extent.
    pub bbox: Bbox,
}

/// A routable road network (the largest strongly connected part of what a car may drive).
#[derive(Debug, Clone, PartialEq)]
pub struct RoadNetwork {
    /// Source, date and box.
    pub meta: NetworkMeta,
    /// Junction positions; a segment's `a` and `b` index this.
    pub nodes: Vec<E7>,
    /// The roads between junctions.
    pub segments: Vec<Segment>,
    /// Intermediate points of all segments, each segment's in one run.
    pub shape: Vec<E7>,
    /// Street names and address places, each once.
    pub names: Vec<String>,
    /// Houses with numbers.
    pub addresses: Vec<AddressPoint>,
    /// The contraction hierarchy over the segments' directions.
    pub ch: Ch,
}

impl RoadNetwork {
    /// The whole polyline of a segment from `a` to `b`, junctions included.
    pub fn polyline(&self, segment: &Segment) -> Vec<E7> {
        let inner = self
            .shape
            .get(segment.shape_start as usize..segment.shape_end as usize)
            .unwrap_or_default();
        let mut line = Vec::with_capacity(inner.len() + 2);
        line.extend(self.nodes.get(segment.a as usize));
        line.extend_from_slice(inner);
        line.extend(self.nodes.get(segment.b as usize));
        line
    }

    /// A street or place name by index.
    pub fn name(&self, index: Option<u32>) -> Option<&str> {
        index
            .and_then(|i| self.names.get(i as usize))
            .map(String::as_str)
    }

    /// Directed edges: `(segment index, forward?)` for every direction a car may drive.
    pub fn directed_edges(&self) -> impl Iterator<Item = (u32, bool)> + '_ {
        self.segments.iter().enumerate().flat_map(|(i, s)| {
            let i = i as u32;
            let forward = s.forward_ms.map(|_| (i, true));
            let backward = s.backward_ms.map(|_| (i, false));
            forward.into_iter().chain(backward)
        })
    }

    /// Number of directed edges (what `roads info` calls edges).
    pub fn edge_count(&self) -> usize {
        self.directed_edges().count()
    }
}
