//! Plans on roads (issue 17, items 3 and 8): with a road network imported, a plan is timed on it
//! (its routes' driving equals what `roads::Router` gives for the legs, worked out here
//! independently, and one-way streets make a route and its reverse differ), re-optimising and
//! removing keep that source, a point far from every road or outside the network falls back to
//! the straight line and the plan's pages name the reason; without a network the pages say the
//! times are by straight line. On the real Helsinki extract, on SQLite and PostgreSQL.

use std::path::Path;
use std::time::Duration;

use actix_web::http::StatusCode;
use baqylau::db::schema::{mobile_groups, persons, plans as plans_table};
use baqylau::domain::check::Check;
use baqylau::domain::location::leg;
use baqylau::domain::travel::TravelSource;
use baqylau::domain::{GeoPoint, PlanId};
use baqylau::roads::matrix::locate;
use baqylau::roads::{self, FallbackReason, NetworkCache, Router, store};
use baqylau::routing::LatLon;
use baqylau::services::plans::{self, PlanOptions};
use chrono::{Datelike as _, NaiveDate};
use diesel::prelude::*;

use crate::support::{TestApp, TestClient, signed_in_english};

fn next_workday() -> NaiveDate {
    let today = chrono::Utc::now().date_naive();
    (2..10)
        .map(|d| today + chrono::Duration::days(d))
        .find(|d| d.weekday().num_days_from_monday() < 5)
        .unwrap()
}

fn options() -> PlanOptions {
    PlanOptions {
        from: next_workday(),
        days: 1,
        group_ids: Vec::new(),
        seed: 7,
        time_limit: Duration::from_secs(30),
        threads: 1,
        iterations: 30,
    }
}

/// The demo region of `persons` persons moved onto the Helsinki network: the groups' bases and
/// every person's home and work at junctions spread over it, but the last group's base (just
/// outside the network), the first person, who stays in the demo region, and the second, whose
/// home goes to `far` (away from every road) when given.
fn helsinki_region(persons_count: usize, far: Option<LatLon>) -> (TestApp, Router) {
    let app = TestApp::with_demo(persons_count);
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/Helsinki.osm.pbf");
    store::import_file(&mut app.conn(), &file, None).unwrap();
    let router = NetworkCache::default()
        .active(&mut app.conn())
        .unwrap()
        .unwrap();
    let router = std::sync::Arc::try_unwrap(router).unwrap();
    let nodes = &router.net.nodes;
    let at = |k: usize| {
        let n = &nodes[(k * 37) % nodes.len()];
        (n.lat(), n.lon())
    };
    let mut conn = app.conn();
    let group_ids: Vec<String> = mobile_groups::table
        .select(mobile_groups::id)
        .load(&mut conn)
        .unwrap();
    let b = router.net.meta.bbox;
    for (k, id) in group_ids.iter().enumerate() {
        // The last group's base lies just north of the network's box.
        let (lat, lon) = if k + 1 == group_ids.len() {
            (b.north + 0.02, (b.west + b.east) / 2.0)
        } else {
            at(1000 + k)
        };
        diesel::update(mobile_groups::table.find(id))
            .set((
                mobile_groups::base_lat.eq(lat),
                mobile_groups::base_lon.eq(lon),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let person_ids: Vec<String> = persons::table
        .order(persons::id)
        .select(persons::id)
        .load(&mut conn)
        .unwrap();
    for (k, id) in person_ids.iter().enumerate().skip(1) {
        let (lat, lon) = match (k, far) {
            (1, Some(p)) => (p.lat, p.lon),
            _ => at(2 * k),
        };
        let (wlat, wlon) = at(2 * k + 1);
        diesel::update(persons::table.find(id))
            .set((persons::home_lat.eq(lat), persons::home_lon.eq(lon)))
            .execute(&mut conn)
            .unwrap();
        diesel::update(
            persons::table
                .find(id)
                .filter(persons::work_lat.is_not_null()),
        )
        .set((persons::work_lat.eq(wlat), persons::work_lon.eq(wlon)))
        .execute(&mut conn)
        .unwrap();
    }
    drop(conn);
    (app, router)
}

/// A point inside the network's box more than the snapping limit from every road (the sea).
fn far_from_roads(router: &Router) -> LatLon {
    let b = router.net.meta.bbox;
    let steps = 40;
    (0..steps * steps)
        .map(|k| LatLon {
            lat: b.south + (b.north - b.south) * f64::from(k / steps) / f64::from(steps),
            lon: b.west + (b.east - b.west) * f64::from(k % steps) / f64::from(steps),
        })
        .find(|p| {
            matches!(
                locate(router, *p, roads::DEFAULT_MAX_SNAP_M),
                Err(FallbackReason::TooFarFromRoad { .. })
            )
        })
        .expect("the Helsinki box has water far from any road")
}

/// Seconds and metres of the route through `points` in order, leg by leg on the router, each
/// leg rounded up to whole seconds and metres as travel matrices are; a leg with an end off the
/// network (farther than the snapping limit from a road, or outside the box) by the great
/// circle, as the planner falls back (these Helsinki points lie in no district of the demo, so
/// at country speed).
fn on_router(router: &Router, points: &[GeoPoint]) -> (i64, i64) {
    let located = |p: &GeoPoint| {
        let at = LatLon {
            lat: p.lat,
            lon: p.lon,
        };
        locate(router, at, roads::DEFAULT_MAX_SNAP_M).ok()
    };
    points
        .windows(2)
        .fold((0, 0), |(s, m), w| match (located(&w[0]), located(&w[1])) {
            (Some(a), Some(b)) => {
                let r = router.route(&a, &b).unwrap();
                (s + r.seconds.ceil() as i64, m + r.meters.ceil() as i64)
            }
            _ => {
                let (ls, lm) = leg(w[0], w[1], false, false);
                (s + ls, m + lm)
            }
        })
}

/// Each route of the plan: its group's base and its stops in order.
fn routes_of(app: &TestApp, plan: &PlanId) -> Vec<(String, NaiveDate, Vec<Check>, GeoPoint)> {
    let checks = baqylau::db::checks::list_for_plan(&mut app.conn(), plan).unwrap();
    let groups = baqylau::db::mobile_groups::list_mobile_groups(&mut app.conn()).unwrap();
    let mut routes: Vec<(String, NaiveDate, Vec<Check>, GeoPoint)> = Vec::new();
    for c in checks.into_iter().filter(Check::is_placed) {
        let group = c.mobile_group_id.clone().unwrap();
        let day = c.planned_date.unwrap();
        match routes
            .iter_mut()
            .find(|r| r.0 == group.as_str() && r.1 == day)
        {
            Some(r) => r.2.push(c),
            None => {
                let base = groups.iter().find(|g| g.id == group).unwrap().base;
                routes.push((group.to_string(), day, vec![c], base));
            }
        }
    }
    for r in &mut routes {
        r.2.sort_by_key(|c| c.position);
    }
    routes
}

/// The path of a route: base, stops, base.
fn path(base: GeoPoint, stops: &[Check]) -> Vec<GeoPoint> {
    std::iter::once(base)
        .chain(stops.iter().map(|c| c.location))
        .chain(std::iter::once(base))
        .collect()
}

/// Every stored route's driving equals the router's for its legs (within a second and a metre
/// a leg); returns how many routes were compared.
fn assert_routes_on_roads(app: &TestApp, router: &Router, plan: &PlanId) -> usize {
    let stored = baqylau::db::plan_travel::list_routes(&mut app.conn(), plan).unwrap();
    let routes = routes_of(app, plan);
    for (group, day, stops, base) in &routes {
        let (s, m) = on_router(router, &path(*base, stops));
        let row = stored
            .iter()
            .find(|r| r.group_id.as_str() == group && r.date == *day)
            .unwrap();
        let legs = stops.len() as i64 + 1;
        assert!(
            (row.driving_s - s).abs() <= legs && (row.distance_m - m).abs() <= legs,
            "stored {} s {} m, router {s} s {m} m",
            row.driving_s,
            row.distance_m
        );
    }
    routes.len()
}

async fn page(client: &mut TestClient, path: &str) -> String {
    let page = client.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{path}");
    page.select("#plan-travel").join(" ")
}

fn version(app: &TestApp, id: &PlanId) -> String {
    plans_table::table
        .find(id.as_str())
        .select(plans_table::version)
        .first::<i32>(&mut app.conn())
        .unwrap()
        .to_string()
}

#[actix_web::test]
async fn a_plan_on_helsinki_roads_is_timed_by_the_router_and_one_way_streets_count() {
    let (app, router) = helsinki_region(24, None);
    let far = far_from_roads(&router);
    drop(app);
    let (app, router) = helsinki_region(24, Some(far));
    let (id, totals) = plans::create_plan(&mut app.conn(), &options(), None).unwrap();
    assert_eq!(totals.travel.source, TravelSource::Roads);
    assert!(assert_routes_on_roads(&app, &router, &id) >= 1);
    let routes = routes_of(&app, &id);
    let (_, _, stops, base) = routes.iter().max_by_key(|r| r.2.len()).unwrap();
    assert!(stops.len() >= 2, "a route of several stops");
    let forward = path(*base, stops);
    let backward: Vec<GeoPoint> = forward.iter().rev().copied().collect();
    // One-way streets: the route driven the other way round takes another time.
    assert_ne!(
        on_router(&router, &forward).0,
        on_router(&router, &backward).0
    );
    // ... and the planner's times are not the great circle's (1.2 times the straight line at
    // 60 km/h outside the demo's towns), in total and leg by leg as the optimiser timed them.
    let straight: i64 = forward
        .windows(2)
        .map(|w| leg(w[0], w[1], false, false).0)
        .sum();
    assert_ne!(on_router(&router, &forward).0, straight);
    for (k, pair) in stops.windows(2).enumerate() {
        let (drive, _) = on_router(&router, &[pair[0].location, pair[1].location]);
        let gap = pair[1].planned_arrival_min.unwrap()
            - pair[0].planned_arrival_min.unwrap()
            - i32::from(pair[0].service_min);
        assert!(
            i64::from(gap) * 60 >= drive - 60,
            "stop {k}: {gap} min between them, {drive} s on the roads"
        );
    }
    // The pages say so, with the reasons of the two points off the roads.
    let mut client = signed_in_english(&app, "prosecutor").await;
    let summary = page(&mut client, &format!("/planning/plans/{id}")).await;
    assert!(
        summary.contains("Travel times: roads (network «Helsinki.osm.pbf», imported"),
        "{summary}"
    );
    assert!(summary.contains("points by straight line"), "{summary}");
    assert!(summary.contains("too far from a road"), "{summary}");
    assert!(summary.contains("outside the network"), "{summary}");
    let (group, day, stops, base) = routes.iter().max_by_key(|r| r.2.len()).unwrap();
    let route_path = format!("/planning/plans/{id}/routes/{group}/{day}");
    let route = client.get(&route_path).await;
    assert!(route.select("#plan-travel").join("").contains("roads"));
    let (s, m) = on_router(&router, &path(*base, stops));
    let totals_line = route.select("#route-totals").join("");
    assert!(
        totals_line.contains(&format!("{:.1} km", m as f64 / 1000.0))
            || totals_line.contains(&format!("{:.1} km", (m - 1) as f64 / 1000.0))
            || totals_line.contains(&format!("{:.1} km", (m + 1) as f64 / 1000.0)),
        "{totals_line} vs {m} m, {s} s"
    );
    // Re-optimising and removing a stop keep the plan on the roads.
    let v = version(&app, &id);
    let done = client
        .post_form(
            &format!("/planning/plans/{id}/reoptimise"),
            &[("version", &v)],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(assert_routes_on_roads(&app, &router, &id) >= 1);
    let victim = &routes_of(&app, &id)
        .into_iter()
        .max_by_key(|r| r.2.len())
        .unwrap()
        .2[0];
    let v = version(&app, &id);
    client
        .post_form(
            &format!("/planning/plans/{id}/checks/{}/remove", victim.id),
            &[("version", &v)],
        )
        .await;
    assert!(
        baqylau::db::checks::find_check(&mut app.conn(), &victim.id)
            .unwrap()
            .is_none()
    );
    assert_routes_on_roads(&app, &router, &id);
    assert!(
        plans::check_stored(&mut app.conn(), &id)
            .unwrap()
            .is_empty()
    );
}

#[actix_web::test]
async fn without_a_network_a_plan_is_timed_by_straight_line_and_says_so() {
    let app = TestApp::with_demo(24);
    let (id, totals) = plans::create_plan(&mut app.conn(), &options(), None).unwrap();
    assert_eq!(totals.travel.source, TravelSource::GreatCircle);
    let mut client = signed_in_english(&app, "prosecutor").await;
    let summary = page(&mut client, &format!("/planning/plans/{id}")).await;
    assert!(
        summary.contains("Travel times: straight line") && summary.contains("no road network"),
        "{summary}"
    );
    // The routes' stored driving is the great circle's, leg by leg.
    let groups = baqylau::db::mobile_groups::list_mobile_groups(&mut app.conn()).unwrap();
    let districts = baqylau::db::districts::list_districts(&mut app.conn()).unwrap();
    let urban = |p: GeoPoint| {
        baqylau::domain::location::district_of(&districts, p)
            .is_some_and(|d| d.kind == baqylau::domain::DistrictKind::Urban)
    };
    let stored = baqylau::db::plan_travel::list_routes(&mut app.conn(), &id).unwrap();
    assert!(!stored.is_empty());
    for (group, day, stops, base) in routes_of(&app, &id) {
        assert!(groups.iter().any(|g| g.id.as_str() == group));
        let expected: i64 = path(base, &stops)
            .windows(2)
            .map(|w| leg(w[0], w[1], urban(w[0]), urban(w[1])).0)
            .sum();
        let row = stored
            .iter()
            .find(|r| r.group_id.as_str() == group && r.date == day)
            .unwrap();
        assert_eq!(row.driving_s, expected);
    }
    // A network imported later does not change the plan's source when it is re-optimised.
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/Helsinki.osm.pbf");
    store::import_file(&mut app.conn(), &file, None).unwrap();
    let v = version(&app, &id);
    client
        .post_form(
            &format!("/planning/plans/{id}/reoptimise"),
            &[("version", &v)],
        )
        .await;
    let again = page(&mut client, &format!("/planning/plans/{id}")).await;
    assert!(again.contains("Travel times: straight line"), "{again}");
}

#[test]
fn the_command_line_plan_prints_its_travel_source() {
    let (app, _) = helsinki_region(12, None);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_baqylau"))
        .args([
            "plan",
            "--from",
            &next_workday().to_string(),
            "--seconds",
            "1",
        ])
        .env_remove("BAQYLAU_CONFIG")
        .env("BAQYLAU_DATABASE_URL", &app.state.settings.database_url)
        .env("BAQYLAU_DEMO", "false")
        .env("BAQYLAU_LOG", "warn")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("travel times: roads (network Helsinki.osm.pbf);")
            && text.contains("points by straight line"),
        "{text}"
    );
}

#[actix_web::test]
async fn the_demo_network_counts_as_imported_on_the_day_the_demo_is_loaded() {
    let app = TestApp::with_demo(12);
    let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    let demo = baqylau::demo::load_roads_if_absent(&mut app.conn(), 2026, today)
        .unwrap()
        .unwrap();
    // Midnight starting that day in the region (UTC+5): 19:00 UTC the day before, not the
    // first week of the demo's history (January 2025).
    let midnight = NaiveDate::from_ymd_opt(2026, 12, 3)
        .unwrap()
        .and_hms_opt(19, 0, 0)
        .unwrap();
    assert_eq!(demo.imported_at, midnight);
    let (id, totals) = plans::create_plan(&mut app.conn(), &options(), None).unwrap();
    assert_eq!(totals.travel.source, TravelSource::Roads);
    // The plan page names the region's day of the import, not the UTC one.
    let mut client = signed_in_english(&app, "prosecutor").await;
    let summary = page(&mut client, &format!("/planning/plans/{id}")).await;
    let shown = baqylau::i18n::Lang::En.date(today);
    assert!(summary.contains(&format!("imported {shown})")), "{summary}");
}

#[actix_web::test]
async fn a_plan_on_roads_keeps_its_legs_with_their_classes_and_the_report_compares_them() {
    let (app, router) = helsinki_region(24, None);
    let (id, _) = plans::create_plan(&mut app.conn(), &options(), None).unwrap();
    assert!(plans::publish(&mut app.conn(), &id, 1).unwrap());
    let stored = baqylau::db::plan_travel::list_routes(&mut app.conn(), &id).unwrap();
    let snap = |p: GeoPoint| {
        let at = LatLon {
            lat: p.lat,
            lon: p.lon,
        };
        locate(&router, at, roads::DEFAULT_MAX_SNAP_M).ok()
    };
    let (mut pairs, mut classes, mut unplanned) = (0, Vec::new(), 0);
    let day = options().from;
    for (group, date, stops, base) in routes_of(&app, &id) {
        let row = stored
            .iter()
            .find(|r| r.group_id.as_str() == group && r.date == date)
            .unwrap();
        assert_eq!(row.legs.len(), stops.len());
        let (mut from, mut driven) = (base, 0);
        // Visits as planned to the second: each stop's drive and the service before it.
        let mut at = (day.and_hms_opt(10, 0, 0).unwrap()) - chrono::Duration::hours(5);
        for (k, (leg, stop)) in row.legs.iter().zip(&stops).enumerate() {
            assert_eq!(leg.check_id, stop.id);
            assert_eq!(
                leg.from_check_id,
                k.checked_sub(1).map(|j| stops[j].id.clone())
            );
            let (s, _) = on_router(&router, &[from, stop.location]);
            assert!(
                (leg.driving_s - s).abs() <= 1,
                "{} s, router {s} s",
                leg.driving_s
            );
            // A class where both ends are on the roads, and the router's for that path.
            let expected = match (snap(from), snap(stop.location)) {
                (Some(a), Some(b)) => router.dominant_class(&a, &b).map(|c| c.as_str().to_owned()),
                _ => None,
            };
            assert_eq!(leg.road_class, expected);
            classes.extend(leg.road_class.clone());
            if k > 0 {
                at += chrono::Duration::seconds(
                    leg.driving_s + 60 * i64::from(stops[k - 1].service_min),
                );
                pairs += 1;
                unplanned += i64::from(leg.driving_s <= 0);
            }
            crate::drive_report::visit(&app, stop, at);
            driven += leg.driving_s;
            from = stop.location;
        }
        let back = on_router(&router, &[from, base]).0;
        assert!((row.driving_s - driven - back).abs() <= 1);
    }
    assert!(
        pairs >= 2 && !classes.is_empty(),
        "{pairs} pairs, {classes:?}"
    );
    let period = baqylau::domain::period::Period { from: day, to: day };
    let report =
        baqylau::services::reports::group_report(&mut app.conn(), period, chrono_tz::Asia::Almaty)
            .unwrap();
    let drive = &report.drive;
    assert_eq!(
        (drive.total.legs + drive.total.outliers, drive.unmatched),
        (pairs, 0)
    );
    assert_eq!(drive.total.outliers, unplanned);
    assert_eq!(drive.total.factor, Some(1.0));
    assert!(
        drive
            .road_classes
            .iter()
            .all(|l| l.legs == 0 || l.factor == Some(1.0))
    );
    assert!(drive.road_classes.iter().any(|l| classes.contains(&l.key)));
}
