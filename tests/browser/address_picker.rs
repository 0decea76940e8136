//! The person form's home point (issue 17, item 5) in a real Chromium: the address search finds
//! a demo house and fills the latitude and longitude, and a click on the street map moves the
//! point to where it was clicked.

use crate::support::{Browser, Driver, Server};

#[actix_web::test]
async fn the_address_search_fills_the_point_and_a_click_on_the_map_moves_it() {
    let server = Server::start();
    let driver = Driver::start();
    let b = Browser::open(&driver).await;
    b.viewport(1280, 800).await;
    b.sign_in(&server, "prosecutor").await;
    b.open_page(&server.url("/registry/persons/new"), "#address-map")
        .await;
    // The search shows only where the script runs.
    b.wait_for("#address-search:not([hidden])").await;
    // Latin spelling of "ул. Тарана", then Enter (which searches, not submits).
    b.type_into("#address-query", "Tarana 1\u{e007}").await;
    b.wait_for("#address-results button").await;
    let first = b.find("#address-results button").await;
    assert!(first.text().await.unwrap().contains("Тарана"));
    first.click().await.unwrap();
    let filled = b
        .js("return [document.getElementById('f-home_lat').value, document.getElementById('f-home_lon').value, location.pathname]")
        .await;
    let lat: f64 = filled[0].as_str().unwrap().parse().unwrap();
    let lon: f64 = filled[1].as_str().unwrap().parse().unwrap();
    assert!(
        (49.0..55.0).contains(&lat) && (60.0..68.5).contains(&lon),
        "{filled}"
    );
    assert_eq!(
        filled[2], "/registry/persons/new",
        "Enter did not submit the form"
    );

    // A click on the map puts the point where it was clicked (WebDriver clicks the middle of
    // the part in view: the map is scrolled into the middle first), and the mark with it.
    b.js("document.getElementById('address-map').scrollIntoView({block: 'center'}); return true;")
        .await;
    b.click("#address-map").await;
    let after = b
        .js("const f = document.getElementById('address-map').dataset.frame.split(',').map(Number); \
             const c = document.querySelector('#address-map .mark.home circle'); \
             return [Number(document.getElementById('f-home_lat').value), \
                     Number(document.getElementById('f-home_lon').value), \
                     f[2] - Number(c.getAttribute('cy')) / 320 * (f[2] - f[0]), \
                     (f[1] + f[3]) / 2, Number(c.getAttribute('cx'))]")
        .await;
    let v: Vec<f64> = after
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert!(
        (v[4] - 240.0).abs() < 3.0,
        "the mark is where clicked: {after}"
    );
    assert!(
        (v[1] - v[3]).abs() < 0.02,
        "the middle's longitude: {after}"
    );
    assert!(
        (v[0] - v[2]).abs() < 0.01,
        "the latitude is the mark's: {after}"
    );
    assert!(
        (v[0] - lat).abs() > 0.05,
        "the point left the found house: {after}"
    );
    b.close().await;
}
