//! A loaded network ready to answer: snapping, one route with its path (and the road class it
//! mostly drives on), and the seeds that put a snapped point into the hierarchy's searches.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use super::addresses::AddressIndex;
use super::ch::Seed;
use super::network::{E7, RoadNetwork, Segment};
use super::osm::RoadClass;
use super::snap::{Snap, SnapIndex};
use super::streets::StreetIndex;

/// The stretch between a point and its road is driven (or walked) slowly: a yard, a courtyard,
/// a field track nobody mapped.
pub const ACCESS_SPEED_KMH: f64 = 20.0;

/// A network with its snapping index.
#[derive(Debug)]
pub struct Router {
    /// The network.
    pub net: RoadNetwork,
    /// This load's number in the process, never reused: what remembers work done on a network
    /// (drawn maps) tells networks apart by it.
    generation: u64,
    index: SnapIndex,
    /// Built on first use: a process that never draws a map or searches pays nothing.
    streets: OnceLock<StreetIndex>,
    addresses: OnceLock<AddressIndex>,
}

/// The fastest way between two snapped points: (ms, metres), and the directed edges through the
/// hierarchy.
enum Fastest {
    Direct((f64, f64)),
    Roads((f64, f64), Vec<u32>),
}

/// One route.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Route {
    /// Length, metres (the access stretches from the points to their roads included).
    pub meters: f64,
    /// Driving time, seconds.
    pub seconds: f64,
    /// From the first point to the second along the roads, `[lat, lon]`.
    pub path: Vec<[f64; 2]>,
}

impl Router {
    /// Indexes the network for snapping.
    pub fn new(net: RoadNetwork) -> Router {
        static LOADS: AtomicU64 = AtomicU64::new(1);
        let index = SnapIndex::new(&net);
        Router {
            net,
            generation: LOADS.fetch_add(1, Ordering::Relaxed),
            index,
            streets: OnceLock::new(),
            addresses: OnceLock::new(),
        }
    }

    /// This load's number in the process: two routers with one number are one load of one
    /// network.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The segments' boxes for maps (built on first use).
    pub fn streets(&self) -> &StreetIndex {
        self.streets.get_or_init(|| StreetIndex::new(&self.net))
    }

    /// The address search index (built on first use).
    pub fn addresses(&self) -> &AddressIndex {
        self.addresses.get_or_init(|| AddressIndex::new(&self.net))
    }

    /// The nearest road to a point.
    pub fn snap(&self, lat: f64, lon: f64) -> Option<Snap> {
        self.index.snap(&self.net, lat, lon)
    }

    fn segment(&self, snap: &Snap) -> Option<&Segment> {
        self.net.segments.get(snap.segment as usize)
    }

    /// Junctions a search leaves `snap` through (`outgoing`) or reaches it from, with the time
    /// and distance of the part of its segment in between (the access stretch included).
    pub fn seeds(&self, snap: &Snap, outgoing: bool) -> Vec<Seed> {
        let Some(s) = self.segment(snap) else {
            return Vec::new();
        };
        let len = f64::from(s.length_dm) / 10.0;
        let at = snap.offset_m.clamp(0.0, len);
        let access_ms = snap.distance_m / (ACCESS_SPEED_KMH / 3.6) * 1000.0;
        let seed = |node: u32, ms: u32, part_m: f64| Seed {
            node,
            time_ms: (f64::from(ms) * part_m / len.max(1e-9) + access_ms).round() as u32,
            dist_dm: ((part_m + snap.distance_m) * 10.0).round() as u32,
        };
        let mut seeds = Vec::with_capacity(2);
        // Leaving forwards reaches b; arriving forwards comes from a. Backwards the other way.
        if let Some(ms) = s.forward_ms {
            seeds.push(if outgoing {
                seed(s.b, ms, len - at)
            } else {
                seed(s.a, ms, at)
            });
        }
        if let Some(ms) = s.backward_ms {
            seeds.push(if outgoing {
                seed(s.a, ms, at)
            } else {
                seed(s.b, ms, len - at)
            });
        }
        seeds
    }

    /// Driving along one segment from one snapped point to another, when a one-way allows it:
    /// (ms, metres), access stretches included.
    pub fn direct(&self, from: &Snap, to: &Snap) -> Option<(f64, f64)> {
        if from.segment != to.segment {
            return None;
        }
        let s = self.segment(from)?;
        let len = (f64::from(s.length_dm) / 10.0).max(1e-9);
        let along = to.offset_m - from.offset_m;
        let ms = if along >= 0.0 {
            s.forward_ms
        } else {
            s.backward_ms
        }?;
        let access_m = from.distance_m + to.distance_m;
        let access_ms = access_m / (ACCESS_SPEED_KMH / 3.6) * 1000.0;
        Some((
            f64::from(ms) * along.abs() / len + access_ms,
            along.abs() + access_m,
        ))
    }

    /// The fastest way between two snapped points: along their one segment, or through the
    /// hierarchy.
    fn fastest(&self, from: &Snap, to: &Snap) -> Option<Fastest> {
        let hierarchy = self
            .net
            .ch
            .route(&self.seeds(from, true), &self.seeds(to, false));
        let direct = self.direct(from, to);
        match (direct, hierarchy) {
            (Some(d), Some((ms, _, _))) if d.0 <= f64::from(ms) => Some(Fastest::Direct(d)),
            (Some(d), None) => Some(Fastest::Direct(d)),
            (_, Some((ms, dm, edges))) => {
                Some(Fastest::Roads((f64::from(ms), f64::from(dm) / 10.0), edges))
            }
            (None, None) => None,
        }
    }

    /// The fastest route between two snapped points, or `None` when none exists.
    pub fn route(&self, from: &Snap, to: &Snap) -> Option<Route> {
        let mut path = vec![from.at];
        let (ms, metres) = match self.fastest(from, to)? {
            Fastest::Direct(d) => {
                path.extend(self.cut(from.segment, from.offset_m, to.offset_m));
                d
            }
            Fastest::Roads(r, edges) => {
                self.trace(from, to, &edges, &mut path);
                r
            }
        };
        path.push(to.at);
        // Cuts at a snapped point can repeat it within rounding; a path never doubles back.
        path.dedup_by(|b, a| a.distance_m(*b) < 0.5);
        Some(Route {
            meters: metres,
            seconds: ms / 1000.0,
            path: path.into_iter().map(E7::lat_lon).collect(),
        })
    }

    /// The road class the fastest route between two snapped points spends most of its driving
    /// time on (the access stretches to and from the roads left out; a tie goes to the major
    /// class), or `None` when there is no route.
    pub fn dominant_class(&self, from: &Snap, to: &Snap) -> Option<RoadClass> {
        let mut ms = [0.0_f64; RoadClass::ALL.len()];
        let mut add = |segment: u32, t: f64| {
            if let Some(s) = self.net.segments.get(segment as usize) {
                ms[usize::from(s.class.as_u8())] += t.max(0.0);
            }
        };
        match self.fastest(from, to)? {
            Fastest::Direct((t, _)) => add(from.segment, t),
            Fastest::Roads(_, edges) => {
                let first = edges.first().and_then(|&e| self.tail(e));
                let last = edges.last().and_then(|&e| self.head(e));
                let (first, last) = match (first, last) {
                    (Some(f), Some(l)) => (f, l),
                    _ => {
                        let meeting = self.meeting(from, to)?;
                        (meeting, meeting)
                    }
                };
                add(from.segment, self.part_ms(from, first, true));
                for &e in &edges {
                    let s = self.net.segments.get((e / 2) as usize);
                    let t = s.and_then(|s| {
                        if e % 2 == 0 {
                            s.forward_ms
                        } else {
                            s.backward_ms
                        }
                    });
                    add(e / 2, f64::from(t.unwrap_or(0)));
                }
                add(to.segment, self.part_ms(to, last, false));
            }
        }
        let best = ms.iter().copied().fold(0.0_f64, f64::max);
        let at = ms.iter().position(|t| *t >= best)?;
        RoadClass::from_u8(u8::try_from(at).ok()?)
    }

    /// Milliseconds on the road between a snapped point and a junction at an end of its segment
    /// (its seed's time without the access stretch).
    fn part_ms(&self, snap: &Snap, node: u32, outgoing: bool) -> f64 {
        let access_ms = snap.distance_m / (ACCESS_SPEED_KMH / 3.6) * 1000.0;
        self.seeds(snap, outgoing)
            .iter()
            .find(|s| s.node == node)
            .map_or(0.0, |s| f64::from(s.time_ms) - access_ms)
    }

    /// The path of a hierarchy route: from the first point to the first junction, the directed
    /// edges, and on to the second point.
    fn trace(&self, from: &Snap, to: &Snap, edges: &[u32], path: &mut Vec<E7>) {
        let first = match edges.first() {
            Some(&e) => self.tail(e),
            None => self.meeting(from, to),
        };
        if let Some(node) = first {
            path.extend(self.cut_to_node(from, node, true));
        }
        for &e in edges {
            let Some(s) = self.net.segments.get((e / 2) as usize) else {
                continue;
            };
            let mut line = self.net.polyline(s);
            if e % 2 == 1 {
                line.reverse();
            }
            path.extend(line);
        }
        let last = match edges.last() {
            Some(&e) => self.head(e),
            None => first,
        };
        if let Some(node) = last {
            path.extend(self.cut_to_node(to, node, false));
        }
    }

    fn tail(&self, edge: u32) -> Option<u32> {
        let s = self.net.segments.get((edge / 2) as usize)?;
        Some(if edge.is_multiple_of(2) { s.a } else { s.b })
    }

    fn head(&self, edge: u32) -> Option<u32> {
        let s = self.net.segments.get((edge / 2) as usize)?;
        Some(if edge.is_multiple_of(2) { s.b } else { s.a })
    }

    /// The junction both points reach when the route has no edge between them.
    fn meeting(&self, from: &Snap, to: &Snap) -> Option<u32> {
        let outs = self.seeds(from, true);
        let ins = self.seeds(to, false);
        outs.iter()
            .flat_map(|o| ins.iter().map(move |i| (o, i)))
            .filter(|(o, i)| o.node == i.node)
            .min_by_key(|(o, i)| o.time_ms.saturating_add(i.time_ms))
            .map(|(o, _)| o.node)
    }

    /// The shape between a snapped point and one end of its segment: leaving the point
    /// (`leaving`) towards `node`, or arriving from `node` at the point.
    fn cut_to_node(&self, snap: &Snap, node: u32, leaving: bool) -> Vec<E7> {
        let Some(s) = self.segment(snap) else {
            return Vec::new();
        };
        let len = f64::from(s.length_dm) / 10.0;
        let end = if node == s.b && s.a != s.b { len } else { 0.0 };
        if leaving {
            self.cut(snap.segment, snap.offset_m, end)
        } else {
            self.cut(snap.segment, end, snap.offset_m)
        }
    }

    /// The points of a segment's shape from `from_m` to `to_m` along it (either way round),
    /// ends included.
    fn cut(&self, segment: u32, from_m: f64, to_m: f64) -> Vec<E7> {
        let Some(s) = self.net.segments.get(segment as usize) else {
            return Vec::new();
        };
        let line = self.net.polyline(s);
        let (lo, hi) = (from_m.min(to_m), from_m.max(to_m));
        let mut out = vec![point_at(&line, lo)];
        let mut walked = 0.0;
        for w in line.windows(2) {
            walked += w[0].distance_m(w[1]);
            if walked > lo && walked < hi {
                out.push(w[1]);
            }
        }
        out.push(point_at(&line, hi));
        if from_m > to_m {
            out.reverse();
        }
        out
    }
}

/// The point `at_m` metres along a polyline.
fn point_at(line: &[E7], at_m: f64) -> E7 {
    let mut walked = 0.0;
    for w in line.windows(2) {
        let step = w[0].distance_m(w[1]);
        if walked + step >= at_m && step > 0.0 {
            let t = ((at_m - walked) / step).clamp(0.0, 1.0);
            return E7::from_degrees(
                w[0].lat() + t * (w[1].lat() - w[0].lat()),
                w[0].lon() + t * (w[1].lon() - w[0].lon()),
            );
        }
        walked += step;
    }
    line.last().copied().unwrap_or_default()
}
