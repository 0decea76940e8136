//! Unit tests of the road network on small hand-made networks: the hierarchy against a plain
//! Dijkstra, one-ways, snapping, routes, matrices and the stored form.

#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::builder::NetworkBuilder;
use super::ch::Seed;
use super::osm::{OsmNode, OsmWay};
use super::*;
use crate::routing::LatLon;

fn tags(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// A `size` x `size` grid of streets 200 m apart around (53.2, 63.6); node id = row * 1000 + col
/// + 1. Every third street is one-way (alternating directions), driven at 30 km/h.
pub(crate) fn grid(size: i64, oneways: bool) -> RoadNetwork {
    let id = |r: i64, c: i64| r * 1000 + c + 1;
    let mut ways = Vec::new();
    for r in 0..size {
        let row = (0..size).map(|c| id(r, c)).collect();
        let mut t = vec![("highway", "residential"), ("name", "ул. Абая")];
        if oneways && r % 3 == 1 {
            t.push(("oneway", if r % 2 == 0 { "yes" } else { "-1" }));
        }
        ways.push(OsmWay {
            id: r + 1,
            refs: row,
            tags: tags(&t),
        });
        let col = (0..size).map(|k| id(k, r)).collect();
        let mut t = vec![("highway", "tertiary"), ("name", "ул. Пушкина")];
        if oneways && r % 3 == 2 {
            t.push(("oneway", "yes"));
        }
        ways.push(OsmWay {
            id: 1000 + r,
            refs: col,
            tags: tags(&t),
        });
    }
    let mut b = NetworkBuilder::new(None);
    for w in ways {
        b.add_way(w);
    }
    b.start_nodes();
    for r in 0..size {
        for c in 0..size {
            b.add_node(OsmNode {
                id: id(r, c),
                lat: 53.2 + r as f64 * 0.0018,
                lon: 63.6 + c as f64 * 0.003,
                tags: Vec::new(),
            });
        }
    }
    b.add_node(OsmNode {
        id: 9_999_999,
        lat: 53.2005,
        lon: 63.6005,
        tags: tags(&[("addr:street", "ул. Абая"), ("addr:housenumber", "12А")]),
    });
    let Ok(net) = b.build("grid.osm.pbf".to_owned(), Some(1_700_000_000)) else {
        panic!("grid builds");
    };
    net
}

/// Fastest times (ms) from junction `s` on the plain graph.
fn dijkstra(net: &RoadNetwork, s: u32) -> Vec<u64> {
    let mut out: Vec<Vec<(u32, u64)>> = vec![Vec::new(); net.nodes.len()];
    for seg in &net.segments {
        if let Some(t) = seg.forward_ms {
            out[seg.a as usize].push((seg.b, u64::from(t)));
        }
        if let Some(t) = seg.backward_ms {
            out[seg.b as usize].push((seg.a, u64::from(t)));
        }
    }
    let mut dist = vec![u64::MAX; net.nodes.len()];
    let mut heap = BinaryHeap::from([Reverse((0u64, s))]);
    dist[s as usize] = 0;
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        for &(w, t) in &out[v as usize] {
            if d + t < dist[w as usize] {
                dist[w as usize] = d + t;
                heap.push(Reverse((d + t, w)));
            }
        }
    }
    dist
}

fn at(node: u32) -> Vec<Seed> {
    vec![Seed {
        node,
        time_ms: 0,
        dist_dm: 0,
    }]
}

#[test]
fn the_hierarchy_finds_the_same_fastest_times_as_dijkstra() {
    let net = grid(12, true);
    let n = net.nodes.len() as u32;
    let picks: Vec<u32> = (0..n).step_by(7).collect();
    let seeds: Vec<Vec<Seed>> = picks.iter().map(|&v| at(v)).collect();
    let matrix = net.ch.many_to_many(&seeds, &seeds);
    for (i, &s) in picks.iter().enumerate() {
        let truth = dijkstra(&net, s);
        for (j, &t) in picks.iter().enumerate() {
            let got = matrix[i * picks.len() + j].map(|c| u64::from(c.0));
            assert_eq!(got, Some(truth[t as usize]), "{s} -> {t}");
            let route = net.ch.route(&at(s), &at(t)).map(|r| u64::from(r.0));
            assert_eq!(route, Some(truth[t as usize]), "route {s} -> {t}");
        }
    }
}

#[test]
fn an_unpacked_route_is_a_chain_of_edges_from_source_to_target_adding_up_to_its_time() {
    let net = grid(10, true);
    let (s, t) = (3, net.nodes.len() as u32 - 5);
    let Some((ms, _, edges)) = net.ch.route(&at(s), &at(t)) else {
        panic!("reachable");
    };
    let mut here = s;
    let mut total = 0u32;
    for e in edges {
        let seg = &net.segments[(e / 2) as usize];
        let (from, to, time) = if e % 2 == 0 {
            (seg.a, seg.b, seg.forward_ms)
        } else {
            (seg.b, seg.a, seg.backward_ms)
        };
        assert_eq!(from, here);
        total += time.unwrap_or(u32::MAX / 2);
        here = to;
    }
    assert_eq!((here, total), (t, ms));
}

#[test]
fn a_route_against_a_one_way_takes_longer_than_with_it() {
    let net = grid(8, true);
    let router = Router::new(net);
    // Row 1 is one-way towards the west (oneway=-1): east-bound traffic must detour.
    let west = router.snap(53.2018, 63.6030).unwrap();
    let east = router.snap(53.2018, 63.6150).unwrap();
    let with = router.route(&east, &west).unwrap();
    let against = router.route(&west, &east).unwrap();
    assert!(
        against.seconds > with.seconds + 10.0,
        "{} vs {}",
        against.seconds,
        with.seconds
    );
    let straight = 0.012 * 111_195.0 * 53.2f64.to_radians().cos();
    assert!(
        with.meters >= straight - 1.0 && with.meters < straight * 1.1,
        "{}",
        with.meters
    );
    assert!(against.meters > with.meters + 300.0);
}

#[test]
fn a_route_belongs_to_the_class_it_spends_most_of_its_time_on() {
    // Rows (east-west) are residential streets, columns (north-south) tertiary roads.
    let router = Router::new(grid(6, false));
    let snap = |lat: f64, lon: f64| router.snap(lat, lon).unwrap();
    // Along row 0 from between columns 0 and 1 to between columns 4 and 5.
    let (a, b) = (snap(53.2, 63.6015), snap(53.2, 63.6135));
    assert_eq!(router.dominant_class(&a, &b), Some(RoadClass::Residential));
    // Along column 0, through three junctions.
    let (c, d) = (snap(53.2009, 63.6), snap(53.2081, 63.6));
    assert_eq!(router.dominant_class(&c, &d), Some(RoadClass::Tertiary));
    // On one segment, driven straight along it.
    let (e, f) = (snap(53.2, 63.6005), snap(53.2, 63.6025));
    assert_eq!(router.dominant_class(&e, &f), Some(RoadClass::Residential));
    // 20 m up column 0, then 900 m east along row 0: the residential street's time wins.
    let (g, h) = (snap(53.20018, 63.6), snap(53.2, 63.6135));
    assert_eq!(router.dominant_class(&g, &h), Some(RoadClass::Residential));
    // Up column 0 to row 4, one block east: the tertiary road's time wins.
    let (i, j) = (snap(53.2003, 63.6), snap(53.2072, 63.6015));
    assert_eq!(router.dominant_class(&i, &j), Some(RoadClass::Tertiary));
}

#[test]
fn a_point_snaps_to_the_nearest_street_at_the_right_offset() {
    let router = Router::new(grid(4, false));
    // 30 m north of the first row, 100 m east of the first column.
    let snap = router.snap(53.2 + 30.0 / 111_195.0, 63.6015).unwrap();
    assert!((snap.distance_m - 30.0).abs() < 1.0, "{}", snap.distance_m);
    assert!((snap.at.lat() - 53.2).abs() < 1e-6);
    let seg = &router.net.segments[snap.segment as usize];
    let start = router.net.nodes[seg.a as usize];
    let from_start = start.distance_m(snap.at);
    assert!((snap.offset_m - from_start).abs() < 0.5);
}

#[test]
fn the_road_matrix_is_asymmetric_where_one_ways_are_and_matches_single_routes() {
    let router = Router::new(grid(8, true));
    let points = [
        LatLon {
            lat: 53.2018,
            lon: 63.6030,
        },
        LatLon {
            lat: 53.2018,
            lon: 63.6150,
        },
        LatLon {
            lat: 53.2080,
            lon: 63.6100,
        },
        LatLon {
            lat: 52.0,
            lon: 63.6,
        },
    ];
    let fallback = |_: usize, _: usize| (777, 888);
    let m = travel_matrix(Some(&router), &points, DEFAULT_MAX_SNAP_M, &fallback);
    assert_ne!(m.matrix.duration(0, 1), m.matrix.duration(1, 0));
    for (i, j) in [(0, 1), (1, 0), (0, 2), (2, 1)] {
        let a = router.snap(points[i].lat, points[i].lon).unwrap();
        let b = router.snap(points[j].lat, points[j].lon).unwrap();
        let r = router.route(&a, &b).unwrap();
        assert!(
            (m.matrix.duration(i, j) as f64 - r.seconds).abs() <= 1.0,
            "{i}->{j}"
        );
        assert!(
            (m.matrix.distance(i, j) as f64 - r.meters).abs() <= 1.0,
            "{i}->{j}"
        );
    }
    assert_eq!(m.on_roads(), 3);
    assert_eq!(
        m.sources[3],
        PointSource::GreatCircle {
            reason: FallbackReason::OutsideNetwork
        }
    );
    assert_eq!(
        (m.matrix.duration(3, 0), m.matrix.distance(0, 3)),
        (777, 888)
    );
    assert_eq!(m.matrix.duration(2, 2), 0);
}

#[test]
fn without_a_network_every_point_falls_back_with_its_reason() {
    let points = [
        LatLon {
            lat: 53.2,
            lon: 63.6,
        },
        LatLon {
            lat: 53.3,
            lon: 63.7,
        },
    ];
    let provider = crate::routing::GreatCircle {
        circuity: 1.3,
        speed_kmh: 40.0,
    };
    let m = travel_matrix(
        None,
        &points,
        1000.0,
        &great_circle_fallback(provider, &points),
    );
    assert_eq!(m.matrix, provider.matrix(&points));
    assert!(m.sources.iter().all(|s| *s
        == PointSource::GreatCircle {
            reason: FallbackReason::NoNetwork
        }));
}

#[test]
fn a_point_far_from_every_road_falls_back_and_says_how_far() {
    let router = Router::new(grid(4, false));
    let far = LatLon {
        lat: 53.2,
        lon: 63.625,
    };
    let got = matrix::locate(&router, far, 500.0);
    let Err(FallbackReason::TooFarFromRoad { distance_m }) = got else {
        panic!("{got:?}");
    };
    assert!((1000.0..1150.0).contains(&distance_m), "{distance_m}");
    let nan = LatLon {
        lat: f64::NAN,
        lon: 63.6,
    };
    assert_eq!(
        matrix::locate(&router, nan, 500.0),
        Err(FallbackReason::InvalidPoint)
    );
}

#[test]
fn a_stored_network_decodes_to_the_same_network_and_damage_is_an_error() {
    let net = grid(6, true);
    let blob = codec::encode(&net).unwrap();
    assert_eq!(codec::decode(&blob).unwrap(), net);
    assert_eq!(net.addresses.len(), 1);
    assert_eq!(net.name(Some(net.addresses[0].street)), Some("ул. Абая"));
    assert_eq!(net.meta.osm_timestamp, Some(1_700_000_000));
    for cut in [0, 3, 8, blob.len() / 2, blob.len() - 1] {
        assert!(codec::decode(&blob[..cut]).is_err(), "cut at {cut}");
    }
    let mut flipped = blob.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x55;
    // Either the deflate stream or the checks must notice; never a panic.
    let _ = codec::decode(&flipped);
}
