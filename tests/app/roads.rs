//! The road network on a real OpenStreetMap extract (`tests/data/Helsinki.osm.pbf`, ODbL,
//! © OpenStreetMap contributors): import through the store and through the binary, one-way
//! streets, snapping, route lengths against the straight line, the matrix's asymmetry, a bad file
//! that leaves the old network, and an atomic re-import. Runs on SQLite and PostgreSQL.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use baqylau::roads::network::haversine_m;
use baqylau::roads::{self, NetworkCache, PointSource, RoadClass, Router, store};
use baqylau::routing::LatLon;

use crate::support::TestApp;

const BIN: &str = env!("CARGO_BIN_EXE_baqylau");

fn helsinki() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/Helsinki.osm.pbf")
}

/// Runs the binary on the test's own database (SQLite file or PostgreSQL schema).
fn baqylau(app: &TestApp, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("BAQYLAU_CONFIG")
        .env("BAQYLAU_DATABASE_URL", &app.state.settings.database_url)
        .env("BAQYLAU_DEMO", "false")
        .env("BAQYLAU_LOG", "warn")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn imported() -> (TestApp, Router) {
    let app = TestApp::new();
    store::import_file(&mut app.conn(), &helsinki(), None).unwrap();
    let router = NetworkCache::default()
        .active(&mut app.conn())
        .unwrap()
        .unwrap();
    let router = std::sync::Arc::try_unwrap(router).unwrap();
    (app, router)
}

/// Junction positions of the network spread over it, as matrix points.
fn spread_points(router: &Router, count: usize) -> Vec<LatLon> {
    let step = (router.net.nodes.len() / count).max(1);
    router
        .net
        .nodes
        .iter()
        .step_by(step)
        .take(count)
        .map(|p| LatLon {
            lat: p.lat(),
            lon: p.lon(),
        })
        .collect()
}

#[test]
fn helsinki_is_imported_through_the_binary_and_info_and_route_print_it() {
    let app = TestApp::new();
    let before = baqylau(&app, &["roads", "info"]);
    assert!(text(&before.stdout).contains("no road network imported"));
    let out = baqylau(&app, &["roads", "import", helsinki().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let info = text(&baqylau(&app, &["roads", "info"]).stdout);
    assert!(info.contains("source:    Helsinki.osm.pbf"), "{info}");
    let number = |key: &str| -> i64 {
        let line = info.lines().find(|l| l.starts_with(key)).unwrap();
        line.split_whitespace().last().unwrap().parse().unwrap()
    };
    assert!(number("nodes:") > 500, "{info}");
    assert!(number("edges:") > number("nodes:"), "{info}");
    assert!(number("addresses:") > 500, "{info}");
    assert!(info.contains("bbox:      60.1"), "{info}");
    let (from, to) = ("60.1699,24.9384", "60.1600,24.9500");
    let out = baqylau(&app, &["roads", "route", from, to, "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let route: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let meters = route["meters"].as_f64().unwrap();
    let seconds = route["seconds"].as_f64().unwrap();
    let path = route["path"].as_array().unwrap();
    let straight = haversine_m(60.1699, 24.9384, 60.1600, 24.9500);
    assert!(
        meters >= straight && meters < 3.0 * straight,
        "{meters} vs {straight}"
    );
    assert!(
        seconds > meters / 30.0 && seconds < meters,
        "{seconds} s for {meters} m"
    );
    assert!(path.len() > 5);
    let first = path[0].as_array().unwrap();
    let start = haversine_m(
        first[0].as_f64().unwrap(),
        first[1].as_f64().unwrap(),
        60.1699,
        24.9384,
    );
    assert!(start < 100.0, "the path starts {start} m from the point");
    let plain = text(&baqylau(&app, &["roads", "route", from, to]).stdout);
    assert!(plain.contains(" km, ") && plain.contains(" min"), "{plain}");
}

#[test]
fn bad_points_and_a_missing_network_are_clear_errors() {
    let app = TestApp::new();
    let none = baqylau(&app, &["roads", "route", "60.17,24.94", "60.16,24.95"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(text(&none.stderr).contains("no road network imported"));
    store::import_file(&mut app.conn(), &helsinki(), None).unwrap();
    for (args, says) in [
        (["60.17", "60.16,24.95"], "first point"),
        (["60.17,24.94", "95,24.95"], "second point"),
        (["60.17,24.94", "43.2,76.9"], "outside the road network"),
    ] {
        let out = baqylau(&app, &["roads", "route", args[0], args[1]]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(says) && !err.contains("panicked"), "{err}");
    }
    let out = baqylau(&app, &["roads", "import", "x.osm.pbf", "--bbox", "1,2,3"]);
    assert!(text(&out.stderr).contains("--bbox must be four numbers"));
}

#[test]
fn a_bad_or_truncated_file_is_refused_and_the_old_network_stays() {
    let app = TestApp::new();
    let first = store::import_file(&mut app.conn(), &helsinki(), None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(helsinki()).unwrap();
    let truncated = dir.path().join("cut.osm.pbf");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let text_file = dir.path().join("notes.osm.pbf");
    std::fs::write(&text_file, "this is not an extract\n").unwrap();
    let missing = dir.path().join("missing.osm.pbf");
    for file in [&truncated, &text_file, &missing] {
        let out = baqylau(&app, &["roads", "import", file.to_str().unwrap()]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains("cannot read") && !err.contains("panicked"),
            "{err}"
        );
        let now = store::active_summary(&mut app.conn()).unwrap().unwrap();
        assert_eq!(now.id, first.id);
    }
    // A box with no roads in it is refused the same way.
    let out = baqylau(
        &app,
        &[
            "roads",
            "import",
            helsinki().to_str().unwrap(),
            "--bbox",
            "10,10,11,11",
        ],
    );
    assert!(text(&out.stderr).contains("no roads a car may drive inside the --bbox"));
    let now = store::active_summary(&mut app.conn()).unwrap().unwrap();
    assert_eq!((now.id, now.nodes), (first.id, first.nodes));
}

#[test]
fn a_second_import_replaces_the_first_and_the_cache_follows_it() {
    let app = TestApp::new();
    let cache = NetworkCache::default();
    let whole = store::import_file(&mut app.conn(), &helsinki(), None).unwrap();
    let loaded = cache.active(&mut app.conn()).unwrap().unwrap();
    assert_eq!(loaded.net.nodes.len() as i64, whole.nodes);
    let again = cache.active(&mut app.conn()).unwrap().unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&loaded, &again),
        "cached, not reloaded"
    );
    let bbox = roads::Bbox::parse("60.160,24.930,60.175,24.955").unwrap();
    let part = store::import_file(&mut app.conn(), &helsinki(), Some(bbox)).unwrap();
    assert_ne!(part.id, whole.id);
    assert!(
        part.nodes < whole.nodes && part.nodes > 50,
        "{}",
        part.nodes
    );
    assert_eq!(part.bbox, bbox);
    let reloaded = cache.active(&mut app.conn()).unwrap().unwrap();
    assert_eq!(reloaded.net.nodes.len() as i64, part.nodes);
    assert_eq!(cache.loaded_id(), Some(part.id.clone()));
    let rows = baqylau::db::road_networks::find_active(&mut app.conn()).unwrap();
    assert_eq!(rows.map(|r| r.id), Some(part.id));
    assert!(
        reloaded
            .net
            .nodes
            .iter()
            .all(|p| bbox.contains(p.lat(), p.lon()))
    );
}

#[test]
fn a_one_way_street_is_driven_only_its_way_and_the_reverse_takes_longer() {
    let (_app, router) = imported();
    let net = &router.net;
    let oneways: Vec<_> = net
        .segments
        .iter()
        .enumerate()
        .filter(|(_, s)| s.forward_ms.is_some() != s.backward_ms.is_some() && s.length_dm > 600)
        .collect();
    assert!(oneways.len() > 20, "Helsinki has one-way streets");
    let mut longer = 0;
    for (i, s) in oneways.iter().take(20) {
        let line = net.polyline(s);
        let (a, b) = (line[0], line[line.len() - 1]);
        let mid = |t: f64| {
            let snap = router.snap(
                a.lat() + t * (b.lat() - a.lat()),
                a.lon() + t * (b.lon() - a.lon()),
            );
            snap.filter(|p| p.segment == *i as u32)
        };
        let (Some(p), Some(q)) = (mid(0.3), mid(0.7)) else {
            continue;
        };
        let forward = s.forward_ms.is_some();
        let (with, against) = if forward { (&p, &q) } else { (&q, &p) };
        let with_route = router.route(with, if forward { &q } else { &p }).unwrap();
        let against_route = router
            .route(against, if forward { &p } else { &q })
            .unwrap();
        assert!(with_route.seconds <= against_route.seconds);
        if against_route.seconds > with_route.seconds + 5.0
            && against_route.meters > with_route.meters
        {
            longer += 1;
        }
    }
    assert!(
        longer >= 10,
        "only {longer} of the one-ways forced a detour"
    );
}

#[test]
fn routes_are_at_least_the_straight_line_and_within_a_sane_bound() {
    let (_app, router) = imported();
    let points = spread_points(&router, 30);
    for (k, a) in points.iter().enumerate() {
        let b = points[(k * 7 + 3) % points.len()];
        let (Some(p), Some(q)) = (router.snap(a.lat, a.lon), router.snap(b.lat, b.lon)) else {
            panic!("junctions snap");
        };
        assert!(p.distance_m < 1.0 && q.distance_m < 1.0);
        let route = router.route(&p, &q).unwrap();
        let straight = haversine_m(a.lat, a.lon, b.lat, b.lon);
        assert!(
            route.meters + 1.0 >= straight,
            "{} < {straight}",
            route.meters
        );
        assert!(
            route.meters <= 4.0 * straight + 1500.0,
            "{} vs {straight}",
            route.meters
        );
        let kmh = route.meters / route.seconds.max(1e-9) * 3.6;
        assert!(
            route.meters < 1.0 || (5.0..=80.0).contains(&kmh),
            "{kmh} km/h"
        );
    }
}

#[test]
fn the_matrix_on_helsinki_is_asymmetric_agrees_with_routes_and_marks_points_off_the_roads() {
    let (_app, router) = imported();
    let mut points = spread_points(&router, 40);
    points.push(LatLon {
        lat: 43.25,
        lon: 76.95,
    });
    let fallback = |_: usize, _: usize| (1, 1);
    let m = roads::travel_matrix(Some(&router), &points, roads::DEFAULT_MAX_SNAP_M, &fallback);
    let n = points.len();
    let asymmetric = (0..n - 1)
        .flat_map(|i| (0..n - 1).map(move |j| (i, j)))
        .filter(|&(i, j)| m.matrix.duration(i, j) != m.matrix.duration(j, i))
        .count();
    assert!(asymmetric > 100, "{asymmetric} asymmetric pairs");
    assert_eq!(m.on_roads(), n - 1);
    assert!(matches!(m.sources[n - 1], PointSource::GreatCircle { .. }));
    assert_eq!(m.matrix.duration(0, n - 1), 1);
    for (i, j) in [(0, 5), (5, 0), (12, 30), (30, 12)] {
        let p = router.snap(points[i].lat, points[i].lon).unwrap();
        let q = router.snap(points[j].lat, points[j].lon).unwrap();
        let route = router.route(&p, &q).unwrap();
        assert!((m.matrix.duration(i, j) as f64 - route.seconds).abs() <= 1.0);
        assert!((m.matrix.distance(i, j) as f64 - route.meters).abs() <= 1.0);
    }
}

#[test]
fn addresses_and_street_names_come_with_the_network() {
    let (_app, router) = imported();
    let net = &router.net;
    let named = net.segments.iter().filter(|s| s.name.is_some()).count();
    assert!(
        named * 2 > net.segments.len(),
        "{named} of {} named",
        net.segments.len()
    );
    let classes: std::collections::BTreeSet<RoadClass> =
        net.segments.iter().map(|s| s.class).collect();
    assert!(classes.contains(&RoadClass::Residential) && classes.contains(&RoadClass::Primary));
    let address = &net.addresses[0];
    assert!(
        net.name(Some(address.street))
            .is_some_and(|s| !s.is_empty())
    );
    assert!(!address.number.is_empty());
    // A house lies near a road.
    let near = net
        .addresses
        .iter()
        .filter(|a| {
            router
                .snap(a.at.lat(), a.at.lon())
                .is_some_and(|s| s.distance_m < 100.0)
        })
        .count();
    assert!(
        near * 10 > net.addresses.len() * 8,
        "{near} of {}",
        net.addresses.len()
    );
}

#[test]
fn the_demo_road_network_is_imported_once_and_never_over_an_office_import() {
    let app = TestApp::new();
    let demo = baqylau::demo::load_roads_if_absent(&mut app.conn(), 2026, app.state.today())
        .unwrap()
        .unwrap();
    assert_eq!(demo.source, "demo-region.osm.pbf");
    assert!(demo.nodes > 5_000 && demo.addresses > 50_000, "{demo:?}");
    assert!(
        baqylau::demo::load_roads_if_absent(&mut app.conn(), 2026, app.state.today())
            .unwrap()
            .is_none()
    );
    let router = NetworkCache::default()
        .active(&mut app.conn())
        .unwrap()
        .unwrap();
    // Kostanay to Rudny (about 42 km apart as the crow flies) by the trunk road.
    let (kst, rud) = ((53.2150, 63.6050), (52.9620, 63.1150));
    let a = router.snap(kst.0, kst.1).unwrap();
    let b = router.snap(rud.0, rud.1).unwrap();
    let route = router.route(&a, &b).unwrap();
    let straight = haversine_m(kst.0, kst.1, rud.0, rud.1);
    assert!(
        route.meters > straight && route.meters < 1.6 * straight,
        "{}",
        route.meters
    );
    assert!(
        (1_800.0..5_400.0).contains(&route.seconds),
        "{} s",
        route.seconds
    );
    let office = store::import_file(&mut app.conn(), &helsinki(), None).unwrap();
    assert!(
        baqylau::demo::load_roads_if_absent(&mut app.conn(), 2026, app.state.today())
            .unwrap()
            .is_none()
    );
    let now = store::active_summary(&mut app.conn()).unwrap().unwrap();
    assert_eq!(now.id, office.id);
}
