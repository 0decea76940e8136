//! The travel-matrix provider on roads, the planner's entry point: points in, a
//! [`TravelMatrix`] out (seconds and metres, not symmetric), plus for each point whether it is on
//! the network or fell back to the great-circle estimate, and why.

use serde::Serialize;

use super::router::Router;
use super::snap::Snap;
use crate::routing::{GreatCircle, LatLon, TravelMatrix};

/// A point farther than this from every road is not on the network (a farm off the mapped
/// tracks, a typo in the coordinates); the planner falls back to great-circle for it.
pub const DEFAULT_MAX_SNAP_M: f64 = 1_000.0;

/// Where a point's travel times come from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum PointSource {
    /// Snapped to a road this far away (metres).
    Road {
        /// Metres from the point to its road.
        snap_m: f64,
    },
    /// Great-circle times, for this reason.
    GreatCircle {
        /// Why the roads were not used.
        reason: FallbackReason,
    },
}

/// Why a point fell back to the great-circle estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum FallbackReason {
    /// No road network has been imported.
    NoNetwork,
    /// The point lies outside the imported network's box.
    OutsideNetwork,
    /// The nearest road is too far (metres).
    TooFarFromRoad {
        /// Metres to the nearest road.
        distance_m: f64,
    },
    /// The coordinates are not a point on Earth (NaN, out of range).
    InvalidPoint,
}

impl FallbackReason {
    /// A stable key for messages (`roads-fallback-<key>` in the catalogues of the next slice).
    pub fn key(&self) -> &'static str {
        match self {
            FallbackReason::NoNetwork => "no-network",
            FallbackReason::OutsideNetwork => "outside-network",
            FallbackReason::TooFarFromRoad { .. } => "too-far-from-road",
            FallbackReason::InvalidPoint => "invalid-point",
        }
    }
}

/// A matrix and where each point's times come from.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadMatrix {
    /// Durations in seconds and distances in metres, rounded up; `duration(i, j)` is from i to j.
    pub matrix: TravelMatrix,
    /// Per point, in the order given.
    pub sources: Vec<PointSource>,
}

impl RoadMatrix {
    /// How many points are on the roads.
    pub fn on_roads(&self) -> usize {
        self.sources
            .iter()
            .filter(|s| matches!(s, PointSource::Road { .. }))
            .count()
    }
}

/// Snaps a point, or says why it cannot be.
pub fn locate(router: &Router, point: LatLon, max_snap_m: f64) -> Result<Snap, FallbackReason> {
    let valid = point.lat.is_finite()
        && point.lon.is_finite()
        && (-90.0..=90.0).contains(&point.lat)
        && (-180.0..=180.0).contains(&point.lon);
    if !valid {
        return Err(FallbackReason::InvalidPoint);
    }
    if !router.net.meta.bbox.contains(point.lat, point.lon) {
        return Err(FallbackReason::OutsideNetwork);
    }
    let snap = router
        .snap(point.lat, point.lon)
        .ok_or(FallbackReason::OutsideNetwork)?;
    if snap.distance_m > max_snap_m {
        return Err(FallbackReason::TooFarFromRoad {
            distance_m: snap.distance_m,
        });
    }
    Ok(snap)
}

/// The travel matrix between `points`: on the roads where both ends snap within `max_snap_m`
/// (see [`DEFAULT_MAX_SNAP_M`]), else `fallback(i, j)` as `(seconds, metres)`, which the planner
/// gives as its own great-circle leg (or use [`great_circle_fallback`]). Without a network
/// (`router` is `None`) every point falls back with [`FallbackReason::NoNetwork`].
pub fn travel_matrix(
    router: Option<&Router>,
    points: &[LatLon],
    max_snap_m: f64,
    fallback: &(dyn Fn(usize, usize) -> (i64, i64) + Sync),
) -> RoadMatrix {
    let located: Vec<Result<Snap, FallbackReason>> = points
        .iter()
        .map(|p| match router {
            Some(r) => locate(r, *p, max_snap_m),
            None => Err(FallbackReason::NoNetwork),
        })
        .collect();
    let road = router.map(|r| road_cells(r, &located)).unwrap_or_default();
    let n = points.len();
    let matrix = TravelMatrix::from_fn(n, |i, j| {
        if i == j {
            return (0, 0);
        }
        match road.get(i * n + j).copied().flatten() {
            // Rounded up, as the great-circle provider does, so no plan promises too early.
            Some((ms, dm)) => (ms.div_ceil(1000) as i64, dm.div_ceil(10) as i64),
            None => fallback(i, j),
        }
    });
    let sources = located
        .iter()
        .map(|l| match l {
            Ok(snap) => PointSource::Road {
                snap_m: snap.distance_m,
            },
            Err(reason) => PointSource::GreatCircle { reason: *reason },
        })
        .collect();
    RoadMatrix { matrix, sources }
}

/// Road times and lengths between every pair of snapped points (`None` for the rest), as
/// (ms, dm), row-major.
fn road_cells(
    router: &Router,
    located: &[Result<Snap, FallbackReason>],
) -> Vec<Option<(u64, u64)>> {
    let out: Vec<Vec<_>> = located
        .iter()
        .map(|l| {
            l.as_ref()
                .map(|s| router.seeds(s, true))
                .unwrap_or_default()
        })
        .collect();
    let inn: Vec<Vec<_>> = located
        .iter()
        .map(|l| {
            l.as_ref()
                .map(|s| router.seeds(s, false))
                .unwrap_or_default()
        })
        .collect();
    let cells = router.net.ch.many_to_many(&out, &inn);
    let n = located.len();
    cells
        .into_iter()
        .enumerate()
        .map(|(k, cell)| {
            let (i, j) = (k / n.max(1), k % n.max(1));
            let via = cell.map(|(ms, dm)| (f64::from(ms), f64::from(dm) / 10.0));
            let direct = match (located.get(i), located.get(j)) {
                (Some(Ok(a)), Some(Ok(b))) => router.direct(a, b),
                _ => None,
            };
            let best = match (via, direct) {
                (Some(v), Some(d)) if d.0 < v.0 => Some(d),
                (Some(v), _) => Some(v),
                (None, d) => d,
            };
            best.map(|(ms, m)| (ms.ceil() as u64, (m * 10.0).ceil() as u64))
        })
        .collect()
}

/// A fallback that prices a pair as `provider` does (great-circle distance times circuity at
/// its speed), for callers without a leg function of their own.
pub fn great_circle_fallback(
    provider: GreatCircle,
    points: &[LatLon],
) -> impl Fn(usize, usize) -> (i64, i64) + Sync + '_ {
    move |i, j| match (points.get(i), points.get(j)) {
        (Some(a), Some(b)) => {
            let m = provider.matrix(&[*a, *b]);
            (m.duration(0, 1), m.distance(0, 1))
        }
        _ => (0, 0),
    }
}
