//! Snapping a point to the nearest road: an R-tree over every straight piece of every segment,
//! in a plane of metres around the network's middle latitude (f32 keeps the tree small: a
//! centimetre's precision over a thousand kilometres).

use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};

use super::network::{E7, RoadNetwork, haversine_m};

/// Metres in one degree of latitude.
const M_PER_DEG: f64 = 111_195.0;

type Piece = GeomWithData<Line<[f32; 2]>, (u32, u32)>;

/// The R-tree of a network's road pieces.
#[derive(Debug)]
pub struct SnapIndex {
    tree: RTree<Piece>,
    lon_scale: f64,
}

/// A point moved onto the nearest road.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// The segment it lies on.
    pub segment: u32,
    /// Metres along the segment's shape from its `a` end.
    pub offset_m: f64,
    /// Metres from the given point to the road.
    pub distance_m: f64,
    /// The point on the road.
    pub at: E7,
}

impl SnapIndex {
    /// Indexes every piece of every segment.
    pub fn new(net: &RoadNetwork) -> SnapIndex {
        let middle = (net.meta.bbox.south + net.meta.bbox.north) / 2.0;
        let lon_scale = middle.to_radians().cos().max(0.01);
        let mut pieces = Vec::with_capacity(net.shape.len() + net.segments.len());
        for (i, s) in net.segments.iter().enumerate() {
            let line = net.polyline(s);
            for (k, w) in line.windows(2).enumerate() {
                let (p, q) = (plane(w[0], lon_scale), plane(w[1], lon_scale));
                pieces.push(Piece::new(Line::new(p, q), (i as u32, k as u32)));
            }
        }
        SnapIndex {
            tree: RTree::bulk_load(pieces),
            lon_scale,
        }
    }

    /// The nearest road to (`lat`, `lon`), or `None` for an empty network.
    pub fn snap(&self, net: &RoadNetwork, lat: f64, lon: f64) -> Option<Snap> {
        let x = (lon * self.lon_scale * M_PER_DEG) as f32;
        let y = (lat * M_PER_DEG) as f32;
        let piece = self.tree.nearest_neighbor(&[x, y])?;
        let (segment, k) = piece.data;
        let line = net.polyline(net.segments.get(segment as usize)?);
        let (from, to) = (*line.get(k as usize)?, *line.get(k as usize + 1)?);
        // Project in the plane (f64), then measure on the sphere.
        let (p, q) = (plane64(from, self.lon_scale), plane64(to, self.lon_scale));
        let (px, py) = (lon * self.lon_scale * M_PER_DEG, lat * M_PER_DEG);
        let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (((px - p[0]) * dx + (py - p[1]) * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let at = E7::from_degrees(
            from.lat() + t * (to.lat() - from.lat()),
            from.lon() + t * (to.lon() - from.lon()),
        );
        let before: f64 = line
            .windows(2)
            .take(k as usize)
            .map(|w| w[0].distance_m(w[1]))
            .sum();
        Some(Snap {
            segment,
            offset_m: before + from.distance_m(at),
            distance_m: haversine_m(lat, lon, at.lat(), at.lon()),
            at,
        })
    }
}

fn plane(p: E7, lon_scale: f64) -> [f32; 2] {
    let [x, y] = plane64(p, lon_scale);
    [x as f32, y as f32]
}

fn plane64(p: E7, lon_scale: f64) -> [f64; 2] {
    [p.lon() * lon_scale * M_PER_DEG, p.lat() * M_PER_DEG]
}
