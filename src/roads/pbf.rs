//! Reading an OpenStreetMap extract (`.osm.pbf`, with the `osmpbf` crate) into the builder:
//! two passes over the file, blocks decoded on every core. Elements are sorted by id before they
//! reach the builder, so the same file always gives the same network.

use std::path::Path;

use osmpbf::{BlobDecode, BlobReader, Element};
use rayon::prelude::*;

use super::builder::{BuildError, NetworkBuilder};
use super::network::{Bbox, RoadNetwork};
use super::osm::{OsmNode, OsmWay};

/// Why an extract could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file is missing, unreadable, not a PBF file, or cut short.
    #[error("cannot read {path} as an OpenStreetMap .osm.pbf extract: {message}")]
    Unreadable {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// It reads, but holds no network.
    #[error("{path}: {source}")]
    Empty {
        /// The file.
        path: String,
        /// Why.
        source: BuildError,
    },
}

#[derive(Default)]
struct Ways {
    ways: Vec<OsmWay>,
    timestamp: Option<i64>,
    headers: usize,
}

#[derive(Default)]
struct Nodes {
    nodes: Vec<OsmNode>,
}

fn tags<'a>(it: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<(String, String)> {
    it.map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
}

/// Reads `path` and builds its network, keeping only what lies inside `bbox` when given.
pub fn read(path: &Path, bbox: Option<Bbox>) -> Result<RoadNetwork, ImportError> {
    let shown = path.display().to_string();
    let unreadable = |e: osmpbf::Error| ImportError::Unreadable {
        path: shown.clone(),
        message: e.to_string(),
    };
    // Two passes: the ways of roads first, then the nodes they need (and the addresses).
    let first = scan(path, road_way).map_err(unreadable)?;
    if first.headers == 0 {
        return Err(ImportError::Unreadable {
            path: shown,
            message: "it has no OSMHeader block".to_owned(),
        });
    }
    let mut builder = NetworkBuilder::new(bbox);
    let mut ways = first.ways;
    ways.sort_unstable_by_key(|w| w.id);
    for way in ways {
        builder.add_way(way);
    }
    builder.start_nodes();
    let second = scan(path, |element, out: &mut Nodes| {
        needed_node(&builder, element, out)
    })
    .map_err(unreadable)?;
    let mut nodes = second.nodes;
    nodes.sort_unstable_by_key(|n| n.id);
    for node in nodes {
        builder.add_node(node);
    }
    let name = path
        .file_name()
        .map_or_else(|| shown.clone(), |n| n.to_string_lossy().into_owned());
    builder
        .build(name, first.timestamp)
        .map_err(|source| ImportError::Empty {
            path: shown,
            source,
        })
}

/// Keeps `element` when it is the way of a road.
fn road_way(element: Element<'_>, out: &mut Ways) {
    if let Element::Way(w) = element
        && NetworkBuilder::wants_way(w.tags().map(|(k, _)| k))
    {
        out.ways.push(OsmWay {
            id: w.id(),
            refs: w.refs().collect(),
            tags: tags(w.tags()),
        });
    }
}

/// Keeps `element` when it is a node the roads of `builder` need, or an address.
fn needed_node(builder: &NetworkBuilder, element: Element<'_>, out: &mut Nodes) {
    let keep = |id: i64, has_address: bool| has_address || builder.needs(id);
    match element {
        Element::Node(n) if keep(n.id(), has_address(n.tags())) => out.nodes.push(OsmNode {
            id: n.id(),
            lat: n.lat(),
            lon: n.lon(),
            tags: tags(n.tags()),
        }),
        Element::DenseNode(n) if keep(n.id(), has_address(n.tags())) => {
            out.nodes.push(OsmNode {
                id: n.id(),
                lat: n.lat(),
                lon: n.lon(),
                tags: tags(n.tags()),
            });
        }
        _ => {}
    }
}

fn has_address<'a>(mut tags: impl Iterator<Item = (&'a str, &'a str)>) -> bool {
    tags.any(|(k, _)| k == "addr:housenumber")
}

trait Part: Default + Send {
    fn merge(self, other: Self) -> Self;
    fn header(&mut self, _timestamp: Option<i64>) {}
}

impl Part for Ways {
    fn merge(mut self, other: Self) -> Self {
        self.ways.extend(other.ways);
        self.timestamp = self.timestamp.or(other.timestamp);
        self.headers += other.headers;
        self
    }

    fn header(&mut self, timestamp: Option<i64>) {
        self.headers += 1;
        self.timestamp = self.timestamp.or(timestamp);
    }
}

impl Part for Nodes {
    fn merge(mut self, other: Self) -> Self {
        self.nodes.extend(other.nodes);
        self
    }
}

/// One pass over the file: every data block decoded in parallel and handed element by element
/// to `visit`; the parts are merged.
fn scan<P: Part>(
    path: &Path,
    visit: impl Fn(Element<'_>, &mut P) + Sync,
) -> Result<P, osmpbf::Error> {
    let reader = BlobReader::from_path(path)?;
    reader
        .par_bridge()
        .map(|blob| -> Result<P, osmpbf::Error> {
            let mut part = P::default();
            match blob?.decode()? {
                BlobDecode::OsmHeader(header) => {
                    part.header(header.osmosis_replication_timestamp());
                }
                BlobDecode::OsmData(block) => {
                    for element in block.elements() {
                        visit(element, &mut part);
                    }
                }
                BlobDecode::Unknown(_) => {}
            }
            Ok(part)
        })
        .try_reduce(P::default, |a, b| Ok(a.merge(b)))
}
