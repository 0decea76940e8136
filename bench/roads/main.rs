//! Roads benchmark (issue 17): import, one route and a 250-point matrix on the demo network, on
//! Helsinki (`tests/data/Helsinki.osm.pbf`) and on a synthetic region-sized grid, with the
//! contraction hierarchy's matrix against 250 one-to-many Dijkstra searches on the same graph.
//!
//! `cargo run --release --example roads_bench [-- --grid N]` (see bench/roads/README.md).

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark fails loudly"
)]

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::path::Path;
use std::time::{Duration, Instant};

use baqylau::roads::builder::NetworkBuilder;
use baqylau::roads::osm::{OsmNode, OsmWay};
use baqylau::roads::{self, RoadNetwork, Router, codec, pbf};
use baqylau::routing::LatLon;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

fn main() {
    let grid = std::env::args()
        .skip_while(|a| a != "--grid")
        .nth(1)
        .map_or(400, |n| n.parse::<i64>().expect("--grid N"));
    println!("threads: {}", rayon::current_num_threads());
    println!(
        "| network | junctions | edges | addresses | import s | stored KB | load s | route ms | matrix 250 s | 1 thread s | Dijkstra 250 s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");

    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let region = baqylau::demo::region::generate(2026, 1500, today);
    let started = Instant::now();
    let demo = baqylau::demo::region::roads::network(2026, &region.districts).unwrap();
    let homes: Vec<LatLon> = region
        .persons
        .iter()
        .take(250)
        .map(|p| LatLon {
            lat: p.home.lat,
            lon: p.home.lon,
        })
        .collect();
    run("demo region", demo, started.elapsed(), Some(homes));

    let started = Instant::now();
    let helsinki = pbf::read(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/Helsinki.osm.pbf"),
        None,
    )
    .unwrap();
    run("Helsinki", helsinki, started.elapsed(), None);

    let started = Instant::now();
    let synthetic = synthetic_grid(grid);
    run(
        &format!("grid {grid}x{grid}"),
        synthetic,
        started.elapsed(),
        None,
    );
}

#[expect(
    clippy::too_many_lines,
    reason = "a benchmark's run, its phases in the order its report prints them"
)]
fn run(name: &str, net: RoadNetwork, import: Duration, points: Option<Vec<LatLon>>) {
    let (junctions, edges, addresses) = (net.nodes.len(), net.edge_count(), net.addresses.len());
    let blob = codec::encode(&net).unwrap();
    let started = Instant::now();
    let router = Router::new(codec::decode(&blob).unwrap());
    let load = started.elapsed();
    let mut rng = Pcg64Mcg::seed_from_u64(17);
    let points = points.unwrap_or_else(|| random_points(&router, &mut rng, 250));
    // One route: the mean of 200 random pairs.
    let snaps: Vec<_> = points
        .iter()
        .map(|p| router.snap(p.lat, p.lon).unwrap())
        .collect();
    let started = Instant::now();
    let mut routed = 0;
    for k in 0..200 {
        let (a, b) = (&snaps[k % snaps.len()], &snaps[(k * 7 + 11) % snaps.len()]);
        routed += usize::from(router.route(a, b).is_some());
    }
    let route_ms = started.elapsed().as_secs_f64() * 1000.0 / 200.0;
    assert_eq!(routed, 200);
    let fallback = |_: usize, _: usize| (0, 0);
    let matrix = |points: &[LatLon]| {
        roads::travel_matrix(Some(&router), points, roads::DEFAULT_MAX_SNAP_M, &fallback)
    };
    let best = |f: &dyn Fn() -> Duration| (0..3).map(|_| f()).min().unwrap();
    let two = best(&|| {
        let started = Instant::now();
        let m = matrix(&points);
        assert_eq!(m.on_roads(), points.len());
        started.elapsed()
    });
    let one_pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let one = best(&|| {
        let started = Instant::now();
        one_pool.install(|| matrix(&points));
        started.elapsed()
    });
    let started = Instant::now();
    let dijkstra = dijkstra_matrix(&router, &snaps);
    let dijkstra_s = started.elapsed();
    let m = matrix(&points);
    // The two methods agree on times, except where both points lie on one segment and the
    // matrix drives straight along it (the baseline goes through a junction).
    let n = points.len();
    let worse = (0..n * n)
        .filter(|k| k / n != k % n)
        .filter(|k| m.matrix.duration(k / n, k % n) > dijkstra[*k] + 1)
        .count();
    let faster = (0..n * n)
        .filter(|k| k / n != k % n && snaps[k / n].segment != snaps[k % n].segment)
        .filter(|k| m.matrix.duration(k / n, k % n) + 1 < dijkstra[*k])
        .count();
    let agree = worse == 0 && faster == 0;
    println!(
        "| {name} | {junctions} | {edges} | {addresses} | {:.2} | {} | {:.3} | {route_ms:.2} | {:.3} | {:.3} | {:.2} |{}",
        import.as_secs_f64(),
        blob.len().div_ceil(1000),
        load.as_secs_f64(),
        two.as_secs_f64(),
        one.as_secs_f64(),
        dijkstra_s.as_secs_f64(),
        if agree {
            String::new()
        } else {
            format!(" {worse} cells slower, {faster} faster than Dijkstra")
        },
    );
}

fn random_points(router: &Router, rng: &mut Pcg64Mcg, count: usize) -> Vec<LatLon> {
    let b = router.net.meta.bbox;
    let mut points = Vec::with_capacity(count);
    while points.len() < count {
        let p = LatLon {
            lat: rng.random_range(b.south..b.north),
            lon: rng.random_range(b.west..b.east),
        };
        if router
            .snap(p.lat, p.lon)
            .is_some_and(|s| s.distance_m < 300.0)
        {
            points.push(p);
        }
    }
    points
}

/// The baseline: one full Dijkstra per source over the junction graph (seconds, rounded), from
/// the junction nearest each point's snap to the junction nearest each other's.
fn dijkstra_matrix(router: &Router, snaps: &[roads::Snap]) -> Vec<i64> {
    let net = &router.net;
    let mut out: Vec<Vec<(u32, u32)>> = vec![Vec::new(); net.nodes.len()];
    for s in &net.segments {
        if let Some(t) = s.forward_ms {
            out[s.a as usize].push((s.b, t));
        }
        if let Some(t) = s.backward_ms {
            out[s.b as usize].push((s.a, t));
        }
    }
    let ends: Vec<(Vec<_>, Vec<_>)> = snaps
        .iter()
        .map(|s| (router.seeds(s, true), router.seeds(s, false)))
        .collect();
    let n = snaps.len();
    let mut cells = vec![0i64; n * n];
    let mut dist = vec![u32::MAX; net.nodes.len()];
    for (i, (sources, _)) in ends.iter().enumerate() {
        dist.fill(u32::MAX);
        let mut heap = BinaryHeap::new();
        for s in sources {
            dist[s.node as usize] = dist[s.node as usize].min(s.time_ms);
            heap.push(Reverse((s.time_ms, s.node)));
        }
        while let Some(Reverse((d, v))) = heap.pop() {
            if d > dist[v as usize] {
                continue;
            }
            for &(w, t) in &out[v as usize] {
                let next = d.saturating_add(t);
                if next < dist[w as usize] {
                    dist[w as usize] = next;
                    heap.push(Reverse((next, w)));
                }
            }
        }
        for (j, (_, targets)) in ends.iter().enumerate() {
            let best = targets
                .iter()
                .map(|t| u64::from(dist[t.node as usize]) + u64::from(t.time_ms))
                .min()
                .unwrap_or(u64::MAX);
            cells[i * n + j] = best.div_ceil(1000) as i64;
        }
    }
    cells
}

/// A region-sized stand-in: an N x N grid 300 m apart, rows and columns of mixed classes, every
/// seventh street one-way; harder for a hierarchy than real roads (no natural hierarchy).
fn synthetic_grid(size: i64) -> RoadNetwork {
    let id = |r: i64, c: i64| r * size + c + 1;
    let mut builder = NetworkBuilder::new(None);
    let class = |k: i64| match k % 20 {
        0 => "trunk",
        5 | 15 => "secondary",
        10 => "tertiary",
        _ => "residential",
    };
    for k in 0..size {
        for horizontal in [true, false] {
            let refs = (0..size)
                .map(|m| if horizontal { id(k, m) } else { id(m, k) })
                .collect();
            let mut tags = vec![("highway".to_owned(), class(k).to_owned())];
            if k % 7 == 3 {
                tags.push(("oneway".to_owned(), "yes".to_owned()));
            }
            builder.add_way(OsmWay {
                id: 2 * k + i64::from(horizontal) + 1,
                refs,
                tags,
            });
        }
    }
    builder.start_nodes();
    for r in 0..size {
        for c in 0..size {
            builder.add_node(OsmNode {
                id: id(r, c),
                lat: 50.0 + r as f64 * 0.0027,
                lon: 60.0 + c as f64 * 0.0043,
                tags: Vec::new(),
            });
        }
    }
    builder.build("grid".to_owned(), None).unwrap()
}
