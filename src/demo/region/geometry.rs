//! Plane geometry of the demo region: the Voronoi-like partition of the oblast outline, town
//! outlines, and random offsets in kilometres.
//!
//! Work happens in a plane where x is longitude times the cosine of the region's middle latitude,
//! so that a bisector between two sites is perpendicular on the ground as well as on the map.
//! Every vertex is rounded to 1e-5 degrees (about a metre) at the end: two cells compute their
//! shared corner by different clips, and rounding makes both copies the same number, so the
//! districts share edges exactly instead of overlapping by a rounding error.

use std::collections::BTreeSet;

use geo::{LineString, Polygon};
use rand::Rng;

use crate::domain::GeoPoint;

/// Kilometres in one degree of latitude (mean Earth radius 6,371 km).
const KM_PER_DEG_LAT: f64 = 111.195;

/// cos(52.5°): the scale of longitude against latitude in the middle of the region.
pub(super) const LON_SCALE: f64 = 0.6088;

/// Vertices are rounded to this many per degree (1e-5 degrees, about a metre).
const ROUNDING: f64 = 1e5;

/// A vertex as (longitude, latitude), the order `geo` and GeoJSON use.
pub(super) type LonLat = (f64, f64);

/// The cell of each site inside `outline`: the part of the outline closer to that site than to
/// any other (distances on the ground). The outline must be convex.
pub(super) fn voronoi_cells(outline: &[LonLat], sites: &[LonLat]) -> Vec<Vec<LonLat>> {
    let to_plane = |(lon, lat): LonLat| (lon * LON_SCALE, lat);
    let plane_outline: Vec<(f64, f64)> = outline.iter().copied().map(to_plane).collect();
    let plane_sites: Vec<(f64, f64)> = sites.iter().copied().map(to_plane).collect();
    plane_sites
        .iter()
        .enumerate()
        .map(|(i, &own)| {
            let cell = plane_sites
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .fold(plane_outline.clone(), |cell, (_, &other)| {
                    clip_to_nearer_half(&cell, own, other)
                });
            tidy_ring(cell.into_iter().map(|(x, y)| (x / LON_SCALE, y)))
        })
        .collect()
}

/// Bends every edge two cells share into a shallow S, so districts do not look like crystals.
/// The bend depends only on the edge's two ends, so both neighbours insert the very same
/// vertices and still share the edge exactly; edges on the outline stay straight.
pub(super) fn bend_shared_edges(cells: &[Vec<LonLat>]) -> Vec<Vec<LonLat>> {
    let key = |p: LonLat| (p.0.to_bits(), p.1.to_bits());
    let directed: BTreeSet<_> = cells
        .iter()
        .flat_map(|cell| {
            (0..cell.len()).map(move |k| (key(cell[k]), key(cell[(k + 1) % cell.len()])))
        })
        .collect();
    cells
        .iter()
        .map(|cell| {
            let mut bent = Vec::with_capacity(cell.len() * 3);
            for (k, &from) in cell.iter().enumerate() {
                let to = cell[(k + 1) % cell.len()];
                bent.push(from);
                if directed.contains(&(key(to), key(from))) {
                    bent.extend(bend(from, to));
                }
            }
            tidy_ring(bent)
        })
        .collect()
}

/// The two inner vertices of the S between `from` and `to`, in that direction.
fn bend(from: LonLat, to: LonLat) -> [LonLat; 2] {
    // Work from the lexicographically smaller end so both directions agree.
    let forward = (from.0, from.1) < (to.0, to.1);
    let (a, b) = if forward { (from, to) } else { (to, from) };
    let (dx, dy) = ((b.0 - a.0) * LON_SCALE, b.1 - a.1);
    // A sign from the coordinates, not from the rng: the shape must not change with the seed.
    let sign = if (a.0 * 1e3 + b.1 * 1e3).round().rem_euclid(2.0) == 0.0 {
        1.0
    } else {
        -1.0
    };
    let at = |t: f64, push: f64| {
        let (x, y) = (
            a.0 * LON_SCALE + t * dx - push * dy,
            a.1 + t * dy + push * dx,
        );
        (x / LON_SCALE, y)
    };
    let points = [at(1.0 / 3.0, sign * 0.05), at(2.0 / 3.0, -sign * 0.04)];
    let round = |(x, y): LonLat| {
        (
            (x * ROUNDING).round() / ROUNDING,
            (y * ROUNDING).round() / ROUNDING,
        )
    };
    match forward {
        true => [round(points[0]), round(points[1])],
        false => [round(points[1]), round(points[0])],
    }
}

/// Sutherland-Hodgman against one half-plane: keeps the part of `ring` nearer to `own` than to
/// `other`.
fn clip_to_nearer_half(ring: &[(f64, f64)], own: (f64, f64), other: (f64, f64)) -> Vec<(f64, f64)> {
    let mid = ((own.0 + other.0) / 2.0, (own.1 + other.1) / 2.0);
    let dir = (other.0 - own.0, other.1 - own.1);
    let side = |p: (f64, f64)| (p.0 - mid.0) * dir.0 + (p.1 - mid.1) * dir.1;
    let mut kept = Vec::with_capacity(ring.len() + 1);
    for (k, &current) in ring.iter().enumerate() {
        let next = ring[(k + 1) % ring.len()];
        let (s_current, s_next) = (side(current), side(next));
        if s_current <= 0.0 {
            kept.push(current);
        }
        if (s_current <= 0.0) != (s_next <= 0.0) {
            let t = s_current / (s_current - s_next);
            kept.push((
                current.0 + t * (next.0 - current.0),
                current.1 + t * (next.1 - current.1),
            ));
        }
    }
    kept
}

/// Rounds vertices to the shared grid and drops the repeats rounding creates.
fn tidy_ring(points: impl IntoIterator<Item = LonLat>) -> Vec<LonLat> {
    let round = |v: f64| (v * ROUNDING).round() / ROUNDING;
    let mut ring: Vec<LonLat> = Vec::new();
    for (lon, lat) in points {
        let p = (round(lon), round(lat));
        if ring.last() != Some(&p) {
            ring.push(p);
        }
    }
    if ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    ring
}

/// A town outline: an ellipse of `radius_km` (east-west, north-south) around `centre` with one
/// vertex per entry of `wobble`, each scaling its radius, so towns do not look like circles.
pub(super) fn town_ring(centre: GeoPoint, radius_km: (f64, f64), wobble: &[f64]) -> Vec<LonLat> {
    let count = wobble.len() as f64;
    tidy_ring(wobble.iter().enumerate().map(|(k, scale)| {
        let angle = std::f64::consts::TAU * k as f64 / count;
        let p = offset_km(
            centre,
            radius_km.0 * scale * angle.cos(),
            radius_km.1 * scale * angle.sin(),
        );
        (p.lon, p.lat)
    }))
}

/// A polygon from an exterior ring and holes of (lon, lat) vertices.
pub(super) fn polygon(exterior: &[LonLat], holes: &[&[LonLat]]) -> Polygon<f64> {
    let ring = |r: &[LonLat]| LineString::from(r.to_vec());
    Polygon::new(ring(exterior), holes.iter().map(|h| ring(h)).collect())
}

/// The point `east_km` east and `north_km` north of `from` (flat Earth, fine over a few dozen km).
pub(super) fn offset_km(from: GeoPoint, east_km: f64, north_km: f64) -> GeoPoint {
    let km_per_deg_lon = KM_PER_DEG_LAT * from.lat.to_radians().cos();
    GeoPoint {
        lat: from.lat + north_km / KM_PER_DEG_LAT,
        lon: from.lon + east_km / km_per_deg_lon,
    }
}

/// A point scattered around `centre` with a normal spread of `sigma_km` in each direction.
pub(super) fn scatter(rng: &mut impl Rng, centre: GeoPoint, sigma_km: f64) -> GeoPoint {
    let (east, north) = standard_normal_pair(rng);
    offset_km(centre, east * sigma_km, north * sigma_km)
}

/// Two independent standard normal numbers (Box-Muller), so no distribution crate is needed.
fn standard_normal_pair(rng: &mut impl Rng) -> (f64, f64) {
    // 1 - u lies in (0, 1], which keeps the logarithm finite.
    let radius = (-2.0 * (1.0 - rng.random::<f64>()).ln()).sqrt();
    let angle = std::f64::consts::TAU * rng.random::<f64>();
    (radius * angle.cos(), radius * angle.sin())
}

/// Picks an index with probability proportional to its weight; weights must not all be zero.
pub(super) fn pick_weighted(
    rng: &mut impl Rng,
    weights: impl IntoIterator<Item = u32> + Clone,
) -> usize {
    let total: u64 = weights.clone().into_iter().map(u64::from).sum();
    let mut ticket = rng.random_range(0..total.max(1));
    for (index, weight) in weights.into_iter().enumerate() {
        if ticket < u64::from(weight) {
            return index;
        }
        ticket -= u64::from(weight);
    }
    0
}

#[cfg(test)]
mod tests {
    use geo::{Area, Contains, Point};
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    use super::*;

    const SQUARE: [LonLat; 4] = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)];

    #[test]
    fn voronoi_cells_tile_the_outline_without_gaps() {
        let sites = [(0.5, 0.5), (1.5, 0.4), (1.0, 1.6)];
        let cells = voronoi_cells(&SQUARE, &sites);
        let area: f64 = cells.iter().map(|c| polygon(c, &[]).unsigned_area()).sum();
        assert!((area - 4.0).abs() < 1e-6, "cells cover {area} of 4");
        for (cell, site) in cells.iter().zip(sites) {
            assert!(polygon(cell, &[]).contains(&Point::new(site.0, site.1)));
        }
    }

    #[test]
    fn a_one_km_offset_is_one_km_on_the_ground() {
        let kostanay = GeoPoint {
            lat: 53.21,
            lon: 63.62,
        };
        let east = offset_km(kostanay, 1.0, 0.0);
        let north = offset_km(kostanay, 0.0, 1.0);
        assert!((kostanay.distance_m(east) - 1000.0).abs() < 5.0);
        assert!((kostanay.distance_m(north) - 1000.0).abs() < 5.0);
    }

    #[test]
    fn weighted_pick_never_picks_a_zero_weight() {
        let mut rng = Pcg64Mcg::seed_from_u64(7);
        let weights = [0u32, 3, 0, 1];
        for _ in 0..1000 {
            let index = pick_weighted(&mut rng, weights);
            assert!(index == 1 || index == 3);
        }
    }
}
