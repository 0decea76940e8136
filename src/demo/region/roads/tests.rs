//! The demo roads: deterministic, connected, named, with house numbers, and the river crossed
//! only on bridges; most homes of the demo registry lie near a street.

#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use chrono::NaiveDate;

use super::country::{crosses, is_bridge, river};
use super::*;
use crate::roads::Router;

fn region() -> super::super::DemoRegion {
    super::super::generate(2026, 1500, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap())
}

#[test]
fn the_same_seed_gives_the_same_roads() {
    let districts = region().districts;
    assert_eq!(generate(7, &districts), generate(7, &districts));
}

#[test]
fn the_demo_network_is_one_connected_network_with_named_streets_and_houses() {
    let region = region();
    let started = std::time::Instant::now();
    let osm = generate(2026, &region.districts);
    let net = network(2026, &region.districts).unwrap();
    eprintln!(
        "demo roads: {} ways, {} nodes -> {} junctions, {} segments, {} addresses in {:?}",
        osm.ways.len(),
        osm.nodes.len(),
        net.nodes.len(),
        net.segments.len(),
        net.addresses.len(),
        started.elapsed()
    );
    // Nearly every street survives the strongly connected part (one-way dead ends may not).
    let junctions = osm
        .ways
        .iter()
        .flat_map(|w| w.refs.iter())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    assert!(
        net.nodes.len() * 10 > junctions * 9 / 4,
        "{} of {junctions}",
        net.nodes.len()
    );
    for street in ["ул. Тарана", "пр. Аль-Фараби", "ул. Школьная", "ул. Абая"]
    {
        assert!(net.names.iter().any(|n| n == street), "{street}");
    }
    assert!(net.names.iter().any(|n| n == "Костанай — Рудный"));
    let trunk = net
        .segments
        .iter()
        .filter(|s| s.class == crate::roads::RoadClass::Trunk)
        .count();
    assert!(trunk >= 4, "{trunk}");
    assert!(
        net.segments
            .iter()
            .any(|s| s.forward_ms.is_some() != s.backward_ms.is_some())
    );
    assert!(net.addresses.len() > 50_000, "{}", net.addresses.len());
    let tarana: Vec<&str> = net
        .addresses
        .iter()
        .filter(|a| net.name(Some(a.street)) == Some("ул. Тарана"))
        .map(|a| a.number.as_str())
        .collect();
    assert!(
        tarana.contains(&"117") && tarana.contains(&"2"),
        "{}",
        tarana.len()
    );
}

#[test]
fn the_river_is_crossed_only_on_bridges() {
    let osm = generate(2026, &region().districts);
    let at = |id: i64| {
        let n = &osm.nodes[(id - 1) as usize];
        GeoPoint {
            lat: n.lat,
            lon: n.lon,
        }
    };
    let river = river();
    let mut bridges = 0;
    for way in &osm.ways {
        for pair in way.refs.windows(2) {
            let (a, b) = (at(pair[0]), at(pair[1]));
            if crosses(&river, a, b) {
                assert!(is_bridge(a, b) || way.refs.len() > 2, "{:?}", way.tags);
                bridges += 1;
            }
        }
    }
    assert!((2..=30).contains(&bridges), "{bridges} crossings");
}

#[test]
fn most_homes_of_the_demo_registry_lie_near_a_street() {
    let region = region();
    let router = Router::new(network(2026, &region.districts).unwrap());
    let distances: Vec<f64> = region
        .persons
        .iter()
        .map(|p| router.snap(p.home.lat, p.home.lon).unwrap().distance_m)
        .collect();
    let share =
        |m: f64| distances.iter().filter(|d| **d <= m).count() as f64 / distances.len() as f64;
    eprintln!(
        "homes within 150 m: {:.3}, 300 m: {:.3}, 1 km: {:.3}",
        share(150.0),
        share(300.0),
        share(1000.0)
    );
    assert!(share(300.0) > 0.9, "{}", share(300.0));
    assert!(share(1000.0) > 0.98, "{}", share(1000.0));
}
