//! Country roads of the demo region and the river they must cross on bridges.
//!
//! Every settlement is joined to the road net by a minimum spanning tree over their centres,
//! and each town also to its nearest town by a trunk road. The Tobol runs from the south-west
//! past Lisakovsk and along Kostanay's eastern edge to the north; a road whose straight line would
//! cross it goes by the nearest of four bridges instead.

use super::{Gen, Place, tags};
use crate::demo::region::geometry::offset_km;
use crate::domain::GeoPoint;

const fn p(lat: f64, lon: f64) -> GeoPoint {
    GeoPoint { lat, lon }
}

/// The river's course, south to north (approximate, kept clear of the town centres).
const RIVER: [GeoPoint; 13] = [
    p(51.90, 61.85),
    p(52.30, 62.20),
    p(52.55, 62.56),
    p(52.69, 62.62),
    p(52.85, 62.95),
    p(53.00, 63.25),
    p(53.12, 63.55),
    p(53.215, 63.665),
    p(53.30, 63.70),
    p(53.45, 63.78),
    p(53.70, 63.95),
    p(54.10, 64.05),
    p(54.60, 64.20),
];

/// The bridges: river vertices (south of Lisakovsk, at Tobol, in Kostanay, in the north).
const BRIDGES: [GeoPoint; 4] = [RIVER[1], RIVER[3], RIVER[7], RIVER[10]];

/// A street whose crossing lies this close to a bridge is the bridge.
const BRIDGE_REACH_M: f64 = 250.0;

/// The river's course.
pub(super) fn river() -> Vec<GeoPoint> {
    RIVER.to_vec()
}

/// Where segment a-b crosses segment c-d (in the lon-lat plane), if it does.
fn intersection(a: GeoPoint, b: GeoPoint, c: GeoPoint, d: GeoPoint) -> Option<GeoPoint> {
    let (r, s) = (
        (b.lon - a.lon, b.lat - a.lat),
        (d.lon - c.lon, d.lat - c.lat),
    );
    let denom = r.0 * s.1 - r.1 * s.0;
    if denom.abs() < 1e-15 {
        return None;
    }
    let (qx, qy) = (c.lon - a.lon, c.lat - a.lat);
    let t = (qx * s.1 - qy * s.0) / denom;
    let u = (qx * r.1 - qy * r.0) / denom;
    ((0.0..=1.0).contains(&t) && (0.0..=1.0).contains(&u)).then_some(GeoPoint {
        lat: a.lat + t * r.1,
        lon: a.lon + t * r.0,
    })
}

fn crossing(river: &[GeoPoint], a: GeoPoint, b: GeoPoint) -> Option<GeoPoint> {
    river
        .windows(2)
        .find_map(|w| intersection(a, b, w[0], w[1]))
}

/// Whether the road piece a-b crosses the river.
pub(super) fn crosses(river: &[GeoPoint], a: GeoPoint, b: GeoPoint) -> bool {
    crossing(river, a, b).is_some()
}

/// Whether the piece a-b crosses the river at a bridge.
pub(super) fn is_bridge(a: GeoPoint, b: GeoPoint) -> bool {
    crossing(&RIVER, a, b)
        .is_some_and(|x| BRIDGES.iter().any(|br| br.distance_m(x) < BRIDGE_REACH_M))
}

/// Pairs of places to join: a minimum spanning tree over the centres (Prim), plus each town to
/// its nearest town.
fn links(places: &[Place]) -> Vec<(usize, usize)> {
    let n = places.len();
    let dist = |i: usize, j: usize| places[i].centre.distance_m(places[j].centre);
    let mut joined = vec![false; n];
    let mut best: Vec<(f64, usize)> = vec![(f64::INFINITY, 0); n];
    let mut links = Vec::new();
    let mut current = 0;
    for _ in 1..n {
        joined[current] = true;
        for j in (0..n).filter(|j| !joined[*j]) {
            let d = dist(current, j);
            if d < best[j].0 {
                best[j] = (d, current);
            }
        }
        let next = (0..n)
            .filter(|j| !joined[*j])
            .min_by(|a, b| best[*a].0.total_cmp(&best[*b].0));
        let Some(next) = next else { break };
        links.push((best[next].1, next));
        current = next;
    }
    for i in (0..n).filter(|i| places[*i].is_town) {
        let nearest = (0..n)
            .filter(|j| *j != i && places[*j].is_town)
            .min_by(|a, b| dist(i, *a).total_cmp(&dist(i, *b)));
        if let Some(j) = nearest
            && !links.contains(&(i, j))
            && !links.contains(&(j, i))
        {
            links.push((i, j));
        }
    }
    links
}

fn nearest_junction(place: &Place, to: GeoPoint) -> Option<(i64, GeoPoint)> {
    place
        .junctions
        .iter()
        .copied()
        .min_by(|a, b| a.1.distance_m(to).total_cmp(&b.1.distance_m(to)))
}

impl Gen {
    /// Joins the places by country roads.
    pub(super) fn country_roads(&mut self, places: &[Place]) {
        for (i, j) in links(places) {
            let (a, b) = (&places[i], &places[j]);
            let (Some(from), Some(to)) =
                (nearest_junction(a, b.centre), nearest_junction(b, a.centre))
            else {
                continue;
            };
            let class = match (a.is_town, b.is_town) {
                (true, true) => "trunk",
                _ if a.weight >= 3 && b.weight >= 3 => "secondary",
                (true, false) | (false, true) => "secondary",
                _ => "unclassified",
            };
            let name = format!("{} — {}", a.name, b.name);
            let bridge = crossing(&self.river, from.1, to.1).and_then(|x| {
                BRIDGES
                    .iter()
                    .copied()
                    .min_by(|p, q| p.distance_m(x).total_cmp(&q.distance_m(x)))
            });
            let mut refs = Vec::new();
            match bridge {
                Some(bridge) => {
                    let middle = self.node(bridge, Vec::new());
                    self.country_leg(&mut refs, from, (middle, bridge));
                    self.country_leg(&mut refs, (middle, bridge), to);
                }
                None => self.country_leg(&mut refs, from, to),
            }
            refs.dedup();
            self.way(refs, tags(&[("highway", class), ("name", &name)]));
        }
    }

    /// Appends a gently winding road from `from` to `to` (both ends included) to `refs`.
    fn country_leg(&mut self, refs: &mut Vec<i64>, from: (i64, GeoPoint), to: (i64, GeoPoint)) {
        let length_km = from.1.distance_m(to.1) / 1000.0;
        let steps = (length_km / 2.0).ceil().max(1.0) as usize;
        let (dn, de) = (
            (to.1.lat - from.1.lat) * 111.195,
            (to.1.lon - from.1.lon) * 111.195 * from.1.lat.to_radians().cos(),
        );
        let norm = (dn * dn + de * de).sqrt().max(1e-9);
        let amplitude_km = (length_km * 0.02).min(1.5);
        refs.push(from.0);
        for k in 1..steps {
            let t = k as f64 / steps as f64;
            let bend = amplitude_km * (std::f64::consts::PI * t).sin() * (3.0 * t).sin();
            let on = GeoPoint {
                lat: from.1.lat + t * (to.1.lat - from.1.lat),
                lon: from.1.lon + t * (to.1.lon - from.1.lon),
            };
            let at = offset_km(on, -dn / norm * bend, de / norm * bend);
            refs.push(self.node(at, Vec::new()));
        }
        refs.push(to.0);
    }
}
