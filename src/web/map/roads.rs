//! The roads under a map: the streets inside its frame, of the classes its scale shows,
//! projected, cut to the frame and simplified to about a pixel (Douglas-Peucker, `geo`), one
//! `<path>` per class; and route lines along the roads between consecutive stops.

use std::collections::BTreeMap;
use std::sync::Arc;

use geo::{LineString, Simplify as _};

use super::{HEIGHT, Projection, WIDTH};
use crate::app::AppState;
use crate::db;
use crate::domain::GeoPoint;
use crate::roads::streets::widest_class_for;
use crate::roads::{DEFAULT_MAX_SNAP_M, NetworkCache, RoadClass, Router};

/// Pixels a simplified line may stray from the road (the picture's own resolution).
const TOLERANCE_PX: f64 = 0.7;

/// Bytes the streets may take of a map's SVG: the minor classes are left out beyond it, so a
/// map stays well under 250 KB whatever the network.
const STREETS_BUDGET: usize = 180_000;

/// The network for a page's map: `None` without one, or when it cannot be loaded (logged: a
/// map without streets is better than no page). One small query when the process holds the
/// current network already.
pub async fn roads_for(state: &AppState) -> Option<Arc<Router>> {
    let cache: Arc<NetworkCache> = state.roads.clone();
    let loaded = db::run(&state.pool, move |conn| {
        Ok(cache.active(conn).map_err(|e| e.to_string()))
    })
    .await;
    match loaded {
        Ok(Ok(router)) => router,
        Ok(Err(error)) => {
            tracing::warn!(%error, "the road network could not be loaded for a map");
            None
        }
        Err(error) => {
            tracing::warn!(%error, "the road network could not be loaded for a map");
            None
        }
    }
}

/// The route through `stops` along the roads: each leg a road route where both ends snap
/// within [`DEFAULT_MAX_SNAP_M`] and a route exists, else a straight leg.
pub fn along_roads(router: &Router, stops: &[GeoPoint]) -> Vec<GeoPoint> {
    let mut path: Vec<GeoPoint> = Vec::new();
    let near = |g: &GeoPoint| {
        router
            .snap(g.lat, g.lon)
            .filter(|s| s.distance_m <= DEFAULT_MAX_SNAP_M)
    };
    for leg in stops.windows(2) {
        let route = near(&leg[0])
            .zip(near(&leg[1]))
            .and_then(|(a, b)| router.route(&a, &b));
        path.push(leg[0]);
        if let Some(route) = route {
            path.extend(route.path.iter().map(|&[lat, lon]| GeoPoint { lat, lon }));
        }
    }
    path.extend(stops.last().copied());
    path
}

/// The streets inside the projection's frame as SVG paths, by class, major roads last (on top).
pub(super) fn street_layer(router: &Router, p: &Projection) -> String {
    let frame = p.frame();
    let span_km = (frame.north - frame.south).max((frame.east - frame.west) * p.kx) * 111.195;
    let net = &router.net;
    let mut by_class: BTreeMap<RoadClass, String> = BTreeMap::new();
    for i in router
        .streets()
        .within(net, &frame, widest_class_for(span_km))
    {
        let Some(s) = net.segments.get(i as usize) else {
            continue;
        };
        let line: Vec<(f64, f64)> = net
            .polyline(s)
            .iter()
            .map(|e| p.xy(e.lon(), e.lat()))
            .collect();
        let d = by_class.entry(s.class).or_default();
        for run in clip(&line) {
            push_run(d, &run);
        }
    }
    // Major classes first into the budget; what does not fit is left out whole.
    let mut kept = Vec::new();
    let mut size = 0;
    for (class, d) in &by_class {
        size += d.len() + 40;
        if size > STREETS_BUDGET {
            break;
        }
        kept.push(format!(
            r#"<path class="road road-{}" d="{d}"/>"#,
            class.as_str()
        ));
    }
    kept.reverse();
    format!(r#"<g class="streets">{}</g>"#, kept.concat())
}

/// Appends a polyline to a path's data, simplified: `M x,y x,y ...` (implicit line-tos).
pub(super) fn push_run(d: &mut String, run: &[(f64, f64)]) {
    let simple = LineString::from(run.to_vec()).simplify(TOLERANCE_PX);
    for (k, c) in simple.coords().enumerate() {
        let sep = if k == 0 { "M" } else { " " };
        d.push_str(&format!("{sep}{:.1},{:.1}", c.x, c.y));
    }
}

/// A polyline cut to the picture (a little beyond, so strokes reach the edge): the runs of it
/// inside, each piece clipped by Liang-Barsky.
fn clip(line: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let (lo_x, lo_y, hi_x, hi_y) = (-2.0, -2.0, WIDTH + 2.0, HEIGHT + 2.0);
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        let edges = [
            (-dx, a.0 - lo_x),
            (dx, hi_x - a.0),
            (-dy, a.1 - lo_y),
            (dy, hi_y - a.1),
        ];
        let inside = edges.iter().all(|&(p, q)| {
            if p == 0.0 {
                return q >= 0.0;
            }
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
            t0 <= t1
        });
        if !inside {
            runs.extend((run.len() > 1).then(|| std::mem::take(&mut run)));
            run.clear();
            continue;
        }
        let start = (a.0 + t0 * dx, a.1 + t0 * dy);
        let end = (a.0 + t1 * dx, a.1 + t1 * dy);
        if t0 > 0.0 || run.is_empty() {
            runs.extend((run.len() > 1).then(|| std::mem::take(&mut run)));
            run = vec![start];
        }
        run.push(end);
        if t1 < 1.0 {
            runs.push(std::mem::take(&mut run));
        }
    }
    runs.extend((run.len() > 1).then_some(run));
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_leaving_and_re_entering_the_frame_is_cut_into_two_runs() {
        let line = [(10.0, 10.0), (600.0, 10.0), (600.0, 50.0), (10.0, 50.0)];
        let runs = clip(&line);
        assert_eq!(runs.len(), 2, "{runs:?}");
        let near = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() + (a.1 - b.1).abs() < 1e-9;
        assert!(near(runs[0][0], (10.0, 10.0)) && near(runs[0][1], (WIDTH + 2.0, 10.0)));
        assert!(near(runs[1][0], (WIDTH + 2.0, 50.0)) && near(runs[1][1], (10.0, 50.0)));
        assert!(clip(&[(-50.0, -50.0), (-10.0, -60.0)]).is_empty());
        assert_eq!(clip(&[(1.0, 1.0), (2.0, 2.0), (3.0, 1.0)]).len(), 1);
    }

    #[test]
    fn a_straight_run_simplifies_to_its_ends() {
        let mut d = String::new();
        push_run(&mut d, &[(0.0, 0.0), (1.0, 0.1), (2.0, 0.0), (3.0, 0.0)]);
        assert_eq!(d, "M0.0,0.0 3.0,0.0");
    }
}
