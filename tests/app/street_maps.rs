//! Street maps and address search (issue 17, items 4 and 5): maps draw the streets of the
//! imported network under their points and route lines along the roads (straight lines without
//! a network), within 250 KB; the person form finds a house by its Cyrillic or Latin spelling,
//! refuses other roles, warns when the home point lies far from its street, and saves without
//! scripts.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use baqylau::domain::person_record::PersonRecord;
use baqylau::domain::search::{fold, transliterate};
use baqylau::roads::NetworkCache;
use baqylau::services::plans::{self, PlanOptions};
use chrono::NaiveDate;

use crate::support::{TestApp, TestClient, signed_in};

/// The largest SVG a map may be.
const MAX_MAP_BYTES: usize = 250 * 1024;

/// Every `<svg class="map…">…</svg>` of a page.
fn maps(body: &str) -> Vec<&str> {
    body.match_indices("<svg class=\"map")
        .filter_map(|(start, _)| {
            let end = body[start..].find("</svg>")? + start + "</svg>".len();
            Some(&body[start..end])
        })
        .collect()
}

/// A plan of two days for every group, and the page of its busiest route (the most checks of
/// one group on one day).
fn busiest_route(app: &TestApp) -> String {
    let options = PlanOptions {
        from: chrono::Utc::now().date_naive() + chrono::Duration::days(3),
        days: 2,
        group_ids: Vec::new(),
        seed: 7,
        time_limit: std::time::Duration::from_secs(30),
        threads: 1,
        iterations: 40,
    };
    let (id, _) = plans::create_plan(&mut app.conn(), &options, None).unwrap();
    let checks = baqylau::db::checks::list_for_plan(&mut app.conn(), &id).unwrap();
    let mut counts: HashMap<(String, NaiveDate), usize> = HashMap::new();
    for c in &checks {
        if let (Some(g), Some(d)) = (&c.mobile_group_id, c.planned_date) {
            *counts.entry((g.to_string(), d)).or_default() += 1;
        }
    }
    let ((group, date), n) = counts.into_iter().max_by_key(|(_, n)| *n).unwrap();
    assert!(n >= 5, "the busiest route has {n} stops");
    format!("/planning/plans/{id}/routes/{group}/{date}")
}

fn first_person(app: &TestApp) -> String {
    crate::support::builders::first_person_id(app)
}

#[actix_web::test]
async fn maps_draw_streets_and_road_following_routes_once_a_network_is_imported() {
    let app = TestApp::with_demo(150);
    let route = busiest_route(&app);
    let person = format!("/registry/persons/{}", first_person(&app));
    let mut client = signed_in(&app, "prosecutor").await;
    // Without a network: no streets, straight route lines.
    let page = client.get(&route).await;
    assert_eq!(page.status, StatusCode::OK);
    let svg = maps(&page.body);
    assert!(!svg.is_empty() && svg.iter().all(|m| !m.contains("class=\"road")));
    assert!(page.body.contains("class=\"path\""), "straight legs");
    let straight = corners_of(svg[0], "path");
    assert!(!client.get(&person).await.body.contains("class=\"road"));

    baqylau::demo::load_roads_if_absent(&mut app.conn(), 2026, app.state.today())
        .unwrap()
        .unwrap();
    // The first page loads the network and builds its map index; the second shows the cost of
    // a map itself (printed, not asserted: a figure for the report, not a timed test).
    client.get(&route).await;
    let started = std::time::Instant::now();
    let page = client.get(&route).await;
    eprintln!("route page with streets: {:?}", started.elapsed());
    let svg = maps(&page.body);
    assert_eq!(svg.len(), 1);
    assert!(svg[0].contains("<g class=\"streets\"><path class=\"road road-"));
    assert!(
        svg[0].contains("class=\"path on-roads\""),
        "legs along the roads"
    );
    assert!(
        svg[0].len() < MAX_MAP_BYTES,
        "route map: {} bytes",
        svg[0].len()
    );
    // The same route along the roads bends where the straight one did not (how much depends on
    // the streets between its stops: a town's grid gives few bends).
    let corners = corners_of(svg[0], "path on-roads");
    assert!(
        corners > straight,
        "{corners} corners on roads, {straight} straight"
    );

    let page = client.get(&person).await;
    let svg = maps(&page.body);
    assert!(svg[0].contains("class=\"road road-"), "person map streets");
    assert!(svg[0].len() < MAX_MAP_BYTES);

    // The region map (coverage of every district): main roads only, under the budget.
    let started = std::time::Instant::now();
    let coverage = client.get("/reports/coverage").await;
    eprintln!(
        "coverage page with the region's roads: {:?}",
        started.elapsed()
    );
    assert_eq!(coverage.status, StatusCode::OK);
    let svg = maps(&coverage.body);
    assert!(svg[0].contains("class=\"road road-"));
    assert!(
        !svg[0].contains("road-residential"),
        "no town streets region-wide"
    );
    assert!(
        svg[0].len() < MAX_MAP_BYTES,
        "region map: {} bytes",
        svg[0].len()
    );
}

/// A demo house: its street, number and position.
fn a_demo_house(app: &TestApp) -> (String, String, f64, f64) {
    let router = NetworkCache::default()
        .active(&mut app.conn())
        .unwrap()
        .unwrap();
    let a = router
        .net
        .addresses
        .iter()
        .find(|a| router.net.name(Some(a.street)) == Some("ул. Тарана"))
        .unwrap();
    let street = router.net.name(Some(a.street)).unwrap().to_owned();
    (street, a.number.clone(), a.at.lat(), a.at.lon())
}

fn results(body: &str) -> Vec<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    json["results"].as_array().unwrap().clone()
}

#[actix_web::test]
async fn address_search_finds_a_house_by_cyrillic_and_latin_spelling_for_the_registry_only() {
    let app = TestApp::with_demo(10);
    baqylau::demo::load_roads_if_absent(&mut app.conn(), 2026, app.state.today())
        .unwrap()
        .unwrap();
    let (street, number, lat, lon) = a_demo_house(&app);
    let mut client = signed_in(&app, "prosecutor").await;
    let latin = transliterate(&fold(&street)).replace("ul. ", "");
    for query in [format!("{street}, {number}"), format!("{latin} {number}")] {
        let url = format!("/registry/addresses?q={}", urlencoding(&query));
        let page = client.get(&url).await;
        assert_eq!(page.status, StatusCode::OK, "{query}");
        assert!(!page.body.contains("iin"), "no personal data");
        let found = results(&page.body);
        let hit = found.iter().find(|r| {
            (r["lat"].as_f64().unwrap() - lat).abs() < 1e-6
                && (r["lon"].as_f64().unwrap() - lon).abs() < 1e-6
        });
        assert!(hit.is_some(), "{query}: {found:?}");
        assert!(found.len() <= 10);
    }
    // A street alone gives the street (one point per town that has it), no number.
    let streets = results(&client.get("/registry/addresses?q=Tarana").await.body);
    assert!(
        !streets.is_empty()
            && streets
                .iter()
                .all(|r| !r["label"].as_str().unwrap().contains(','))
    );
    let limited = results(
        &client
            .get("/registry/addresses?q=Tarana+1&limit=500")
            .await
            .body,
    );
    assert!(limited.len() <= 20);
    assert!(results(&client.get("/registry/addresses?q=qzxqzx+9").await.body).is_empty());
    assert!(results(&client.get("/registry/addresses?q=").await.body).is_empty());
    for login in ["officer01", "supervisor"] {
        let mut other = signed_in(&app, login).await;
        let page = other.get("/registry/addresses?q=Tarana").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{login}");
    }
}

fn urlencoding(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

async fn save(client: &mut TestClient, id: &str, version: i32, r: &PersonRecord) -> String {
    let version = version.to_string();
    let mut fields: Vec<(&str, &str)> = baqylau::domain::person_record::COLUMNS
        .iter()
        .map(|c| (*c, r.get(c)))
        .collect();
    fields.push(("version", &version));
    let page = client
        .post_form(&format!("/registry/persons/{id}"), &fields)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    client.get(&page.location()).await.body
}

#[actix_web::test]
async fn a_home_point_far_from_its_named_street_is_saved_with_a_warning_and_the_form_needs_no_script()
 {
    let app = TestApp::with_demo(10);
    baqylau::demo::load_roads_if_absent(&mut app.conn(), 2026, app.state.today())
        .unwrap()
        .unwrap();
    let (street, number, lat, lon) = a_demo_house(&app);
    let id = first_person(&app);
    let mut client = crate::support::signed_in_english(&app, "prosecutor").await;
    let form = client.get(&format!("/registry/persons/{id}/edit")).await;
    assert!(form.body.contains("id=\"address-map\"") && form.body.contains("data-frame=\""));
    assert!(form.body.contains("id=\"address-search\"") && form.body.contains(" hidden>"));
    let person = baqylau::db::persons::find_person(&mut app.conn(), &id.clone().into())
        .unwrap()
        .unwrap();
    let mut record = PersonRecord::from_person(&person, "");
    // The point set by hand (what the map or the search fills) at the house: saved, no warning.
    record.home_address = format!("г. Костанай, {street}, {number}");
    record.home_lat = format!("{lat:.6}");
    record.home_lon = format!("{lon:.6}");
    let body = save(&mut client, &id, person.version, &record).await;
    assert!(body.contains("flash-success"), "{body}");
    // Five kilometres north of its street: saved, with the warning.
    record.home_lat = format!("{:.6}", lat + 0.045);
    let body = save(&mut client, &id, person.version + 1, &record).await;
    assert!(body.contains("flash-warning"));
    assert!(body.contains("more than 400 m from the street named in the home address"));
    // A street the network does not know: no check, no warning.
    record.home_address = "г. Костанай, ул. Несуществующая, 1".into();
    let body = save(&mut client, &id, person.version + 2, &record).await;
    assert!(body.contains("flash-success"));

    // The CSV import: the far row is a warning naming its line and the street, and the file
    // stays importable.
    let mut far = record.clone();
    far.home_address = format!("г. Костанай, {street}, {number}");
    let mut near = record;
    near.home_address = far.home_address.clone();
    near.home_lat = format!("{lat:.6}");
    let file = baqylau::domain::person_csv::write([far]);
    let page = client
        .post_file("/registry/import/check", "persons.csv", &file)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let warnings = page.select("#import-warnings tbody tr").join(" ");
    assert!(
        warnings.contains(&street) && warnings.contains("m from"),
        "{warnings}"
    );
    assert!(
        warnings.starts_with('2'),
        "line 2 (after the header): {warnings}"
    );
    let file = baqylau::domain::person_csv::write([near]);
    let page = client
        .post_file("/registry/import/check", "persons.csv", &file)
        .await;
    assert!(page.select("#import-warnings").is_empty());
}

/// The corners of a map's route line of `class` (its `d`'s coordinate pairs).
fn corners_of(svg: &str, class: &str) -> usize {
    let marker = format!("class=\"{class}\" d=\"");
    let d = svg.split(marker.as_str()).nth(1).expect("a route line");
    d.split('"').next().unwrap_or_default().matches(',').count()
}
