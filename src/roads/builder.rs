//! From OpenStreetMap elements to a [`RoadNetwork`], in the two passes a PBF file allows: the
//! ways first (which roads, which nodes they need), then the nodes (positions, addresses).
//! The PBF reader and the demo generator both feed this builder, so the demo's roads go through
//! the same rules as a real extract.

use rustc_hash::FxHashMap;

use super::ch::{self, InputArc};
use super::network::{AddressPoint, Bbox, E7, NetworkMeta, RoadNetwork, Segment};
use super::osm::{OsmNode, OsmWay, WayProfile, address, way_profile};
use super::scc::largest_component;

/// A way kept from the first pass.
struct DrivableWay {
    profile: WayProfile,
    refs: Vec<i64>,
}

/// A building (or any way) with an address: its centre is the address point.
struct AddressWay {
    street: String,
    number: String,
    refs: Vec<i64>,
}

/// Collects ways, then nodes, then builds the network.
pub struct NetworkBuilder {
    bbox: Option<Bbox>,
    ways: Vec<DrivableWay>,
    address_ways: Vec<AddressWay>,
    /// Sorted node ids the kept ways need; `coords` is parallel to it after `start_nodes`.
    needed: Vec<i64>,
    coords: Vec<Option<E7>>,
    addresses: Vec<(String, String, E7)>,
}

/// Why the elements give no network.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BuildError {
    /// No way a car may drive, or none inside the box.
    #[error("the extract has no roads a car may drive{0}")]
    NoRoads(&'static str),
}

impl NetworkBuilder {
    /// A builder keeping only what lies inside `bbox`, when given.
    pub fn new(bbox: Option<Bbox>) -> Self {
        Self {
            bbox,
            ways: Vec::new(),
            address_ways: Vec::new(),
            needed: Vec::new(),
            coords: Vec::new(),
            addresses: Vec::new(),
        }
    }

    /// Whether the first pass should hand this way over (cheap test before copying tags).
    pub fn wants_way<'a>(mut keys: impl Iterator<Item = &'a str>) -> bool {
        keys.any(|k| k == "highway" || k == "addr:housenumber")
    }

    /// First pass: a way.
    pub fn add_way(&mut self, way: OsmWay) {
        if way.refs.len() < 2 {
            return;
        }
        if let Some(profile) = way_profile(&way.tags) {
            self.ways.push(DrivableWay {
                profile,
                refs: way.refs,
            });
        } else if let Some((street, number)) = address(&way.tags) {
            self.address_ways.push(AddressWay {
                street,
                number,
                refs: way.refs,
            });
        }
    }

    /// Ends the first pass: from now on `needs` and `add_node` work.
    pub fn start_nodes(&mut self) {
        let mut needed: Vec<i64> = self
            .ways
            .iter()
            .flat_map(|w| w.refs.iter())
            .chain(self.address_ways.iter().flat_map(|w| w.refs.iter()))
            .copied()
            .collect();
        needed.sort_unstable();
        needed.dedup();
        self.coords = vec![None; needed.len()];
        self.needed = needed;
    }

    /// Whether the second pass should hand over the node with this id (positions are needed
    /// only for nodes of kept ways; address nodes are recognised by their tags).
    pub fn needs(&self, id: i64) -> bool {
        self.needed.binary_search(&id).is_ok()
    }

    /// Second pass: a node (its position if a kept way uses it, its address if it has one).
    pub fn add_node(&mut self, node: OsmNode) {
        if self.bbox.is_some_and(|b| !b.contains(node.lat, node.lon)) {
            return;
        }
        let at = E7::from_degrees(node.lat, node.lon);
        if let Ok(i) = self.needed.binary_search(&node.id) {
            self.coords[i] = Some(at);
        }
        if let Some((street, number)) = address(&node.tags) {
            self.addresses.push((street, number, at));
        }
    }

    fn coord(&self, id: i64) -> Option<(usize, E7)> {
        let i = self.needed.binary_search(&id).ok()?;
        Some((i, (*self.coords.get(i)?)?))
    }

    /// Builds the network: segments between junctions, the largest strongly connected part,
    /// addresses, and the hierarchy.
    pub fn build(
        self,
        source: String,
        osm_timestamp: Option<i64>,
    ) -> Result<RoadNetwork, BuildError> {
        let raw = self.segments();
        if raw.segments.is_empty() {
            return Err(BuildError::NoRoads(if self.bbox.is_some() {
                " inside the --bbox"
            } else {
                ""
            }));
        }
        let keep = largest_component(raw.nodes.len(), raw.arcs());
        let mut net = raw.restrict(&keep);
        let bbox = self
            .bbox
            .or_else(|| Bbox::around(net.nodes.iter().chain(&net.shape).copied()).map(pad))
            .ok_or(BuildError::NoRoads(""))?;
        net.meta = NetworkMeta {
            source,
            osm_timestamp,
            bbox,
        };
        self.add_addresses(&mut net);
        let arcs: Vec<InputArc> = net
            .directed_edges()
            .filter_map(|(i, forward)| {
                let s = net.segments.get(i as usize)?;
                let (from, to, time) = if forward {
                    (s.a, s.b, s.forward_ms?)
                } else {
                    (s.b, s.a, s.backward_ms?)
                };
                Some(InputArc {
                    from,
                    to,
                    time_ms: time,
                    dist_dm: s.length_dm,
                    edge: i * 2 + u32::from(!forward),
                })
            })
            .collect();
        net.ch = ch::build(net.nodes.len(), &arcs);
        Ok(net)
    }

    fn add_addresses(&self, net: &mut RoadNetwork) {
        let mut names: FxHashMap<String, u32> = net
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        let centres = self.address_ways.iter().filter_map(|w| {
            let points: Vec<E7> = w
                .refs
                .iter()
                .filter_map(|r| self.coord(*r))
                .map(|c| c.1)
                .collect();
            let n = i64::try_from(points.len()).ok().filter(|n| *n > 0)?;
            let lat = points.iter().map(|p| i64::from(p.lat)).sum::<i64>() / n;
            let lon = points.iter().map(|p| i64::from(p.lon)).sum::<i64>() / n;
            let at = E7 {
                lat: i32::try_from(lat).ok()?,
                lon: i32::try_from(lon).ok()?,
            };
            Some((w.street.as_str(), w.number.as_str(), at))
        });
        let nodes = self
            .addresses
            .iter()
            .map(|(s, n, at)| (s.as_str(), n.as_str(), *at));
        for (street, number, at) in nodes.chain(centres) {
            let next = names.len() as u32;
            let index = *names.entry(street.to_owned()).or_insert_with(|| {
                net.names.push(street.to_owned());
                next
            });
            net.addresses.push(AddressPoint {
                street: index,
                number: number.to_owned(),
                at,
            });
        }
    }

    /// Cuts every kept way at its junctions (nodes shared by ways, and the ends of every run of
    /// nodes inside the box) into segments.
    fn segments(&self) -> RawNetwork {
        let mut uses = vec![0u8; self.needed.len()];
        for way in &self.ways {
            for r in &way.refs {
                if let Some((i, _)) = self.coord(*r) {
                    uses[i] = uses[i].saturating_add(1);
                }
            }
        }
        let mut raw = RawNetwork::default();
        let mut junction: FxHashMap<usize, u32> = FxHashMap::default();
        let mut names: FxHashMap<&str, u32> = FxHashMap::default();
        for way in &self.ways {
            let name = way.profile.name.as_deref().map(|n| {
                let next = raw.names.len() as u32;
                *names.entry(n).or_insert_with(|| {
                    raw.names.push(n.to_owned());
                    next
                })
            });
            // Runs of consecutive nodes that are present (inside the box, in the extract).
            let points: Vec<Option<(usize, E7)>> =
                way.refs.iter().map(|r| self.coord(*r)).collect();
            for run in points.split(Option::is_none) {
                let run: Vec<(usize, E7)> = run.iter().flatten().copied().collect();
                raw.add_run(&run, &uses, &mut junction, &way.profile, name);
            }
        }
        raw
    }
}

/// The roads' extent grown by about two kilometres: a farm just beyond the last mapped road of
/// an extract is still in its area (then too far from a road, not outside the network).
fn pad(b: Bbox) -> Bbox {
    const PAD_DEG: f64 = 0.02;
    Bbox {
        south: (b.south - PAD_DEG).max(-90.0),
        west: (b.west - PAD_DEG).max(-180.0),
        north: (b.north + PAD_DEG).min(90.0),
        east: (b.east + PAD_DEG).min(180.0),
    }
}

/// Segments before the strongly connected part is chosen.
#[derive(Default)]
struct RawNetwork {
    nodes: Vec<E7>,
    segments: Vec<Segment>,
    shape: Vec<E7>,
    names: Vec<String>,
}

impl RawNetwork {
    fn junction(&mut self, junction: &mut FxHashMap<usize, u32>, (i, at): (usize, E7)) -> u32 {
        *junction.entry(i).or_insert_with(|| {
            self.nodes.push(at);
            (self.nodes.len() - 1) as u32
        })
    }

    fn add_run(
        &mut self,
        run: &[(usize, E7)],
        uses: &[u8],
        junction: &mut FxHashMap<usize, u32>,
        profile: &WayProfile,
        name: Option<u32>,
    ) {
        let (Some(&first), Some(_)) = (run.first(), run.get(1)) else {
            return;
        };
        let mut start = self.junction(junction, first);
        let mut shape_start = self.shape.len();
        let mut length_m = 0.0;
        let mut last = first.1;
        for (k, &(i, at)) in run.iter().enumerate().skip(1) {
            if at == last {
                continue;
            }
            length_m += last.distance_m(at);
            last = at;
            let is_end = k + 1 == run.len();
            if !is_end && uses.get(i).copied().unwrap_or(0) < 2 {
                self.shape.push(at);
                continue;
            }
            let end = self.junction(junction, (i, at));
            let seconds = length_m / (profile.speed_kmh / 3.6);
            let ms = (seconds * 1000.0)
                .round()
                .clamp(1.0, f64::from(u32::MAX / 4)) as u32;
            self.segments.push(Segment {
                a: start,
                b: end,
                shape_start: shape_start as u32,
                shape_end: self.shape.len() as u32,
                length_dm: (length_m * 10.0).round().min(f64::from(u32::MAX / 4)) as u32,
                forward_ms: profile.forward.then_some(ms),
                backward_ms: profile.backward.then_some(ms),
                class: profile.class,
                name,
            });
            start = end;
            shape_start = self.shape.len();
            length_m = 0.0;
        }
    }

    fn arcs(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.segments.iter().flat_map(|s| {
            let f = s.forward_ms.map(|_| (s.a, s.b));
            let b = s.backward_ms.map(|_| (s.b, s.a));
            f.into_iter().chain(b)
        })
    }

    /// Keeps the segments whose both ends are in `keep` (by junction), renumbering junctions
    /// and compacting shapes and names.
    fn restrict(self, keep: &[bool]) -> RoadNetwork {
        let mut renumber = vec![u32::MAX; self.nodes.len()];
        let mut nodes = Vec::new();
        for (i, at) in self.nodes.iter().enumerate() {
            if keep.get(i).copied().unwrap_or(false) {
                renumber[i] = nodes.len() as u32;
                nodes.push(*at);
            }
        }
        let mut segments = Vec::new();
        let mut shape = Vec::new();
        let mut name_map = vec![u32::MAX; self.names.len()];
        let mut names = Vec::new();
        for s in &self.segments {
            let (a, b) = (renumber[s.a as usize], renumber[s.b as usize]);
            if a == u32::MAX || b == u32::MAX {
                continue;
            }
            let start = shape.len() as u32;
            shape.extend_from_slice(&self.shape[s.shape_start as usize..s.shape_end as usize]);
            let name = s.name.map(|n| {
                let slot = &mut name_map[n as usize];
                if *slot == u32::MAX {
                    *slot = names.len() as u32;
                    names.push(self.names[n as usize].clone());
                }
                *slot
            });
            segments.push(Segment {
                a,
                b,
                shape_start: start,
                shape_end: shape.len() as u32,
                name,
                ..s.clone()
            });
        }
        RoadNetwork {
            meta: NetworkMeta {
                source: String::new(),
                osm_timestamp: None,
                bbox: super::network::Bbox {
                    south: 0.0,
                    west: 0.0,
                    north: 0.0,
                    east: 0.0,
                },
            },
            nodes,
            segments,
            shape,
            names,
            addresses: Vec::new(),
            ch: ch::Ch::default(),
        }
    }
}
