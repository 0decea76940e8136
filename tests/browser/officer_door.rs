//! The officer at the door (issue 16) on a tablet (800x1280), in the day and night themes: the
//! sign-in page, Today and the stop page pass axe-core (WCAG 2.1 A/AA); officers land on Today;
//! a visit is on the device before the GPS answers and survives the page being killed during the
//! wait, reaching the server exactly once; a second tap corrects it; the page says what was
//! flagged; the next stop is one tap away; Today's cards are whole links with their state in
//! words, the header is one row, and map numbers, finished stops and the focus ring reach 4.5:1.

use std::time::Duration;

use baqylau::db::schema::visits;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::field::{open_stop, position_of, record, visits_by_check};
use crate::support::{Browser, Driver, Server, WAIT, publish_today};

/// Relative luminance and contrast ratio (WCAG 2.1) of computed `rgb()` colours, in the page.
const CONTRAST_JS: &str = "\
  const lum = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null; \
    const [r, g, b] = m[1].split(',').slice(0, 3).map((x) => parseFloat(x) / 255) \
      .map((v) => (v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4))); \
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; }; \
  const ratio = (a, b) => { const x = lum(a), y = lum(b); \
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }; \
  const bgOf = (el) => { for (let e = el; e; e = e.parentElement) { \
    const c = getComputedStyle(e).backgroundColor; \
    if (c && !/rgba\\(.*,\\s*0\\)$/.test(c) && c !== 'transparent') return c; } \
    return getComputedStyle(document.body).backgroundColor; };";

/// The stored outcomes and positions of a check's visits.
fn stored(server: &Server, check_id: &str) -> Vec<(String, Option<f64>)> {
    let pool = server.pool();
    let mut conn = pool.get().unwrap();
    visits::table
        .filter(visits::check_id.eq(check_id))
        .select((visits::outcome, visits::lat))
        .load(&mut conn)
        .unwrap()
}

async fn scan(b: &Browser, what: &str) {
    for dark in [false, true] {
        b.theme(dark).await;
        let theme = if dark { "night" } else { "day" };
        b.assert_accessible(&format!("{what} ({theme}, 800x1280)"))
            .await;
    }
    b.theme(false).await;
}

async fn device_queue(b: &Browser, check_id: &str) -> Value {
    b.js(&format!(
        "return new Promise((resolve, reject) => {{ const open = indexedDB.open('baqylau-field'); \
           open.onerror = () => reject(open.error); \
           open.onsuccess = () => {{ const t = open.result.transaction('visits', 'readonly'); \
             const all = t.objectStore('visits').getAll(); \
             all.onsuccess = () => {{ open.result.close(); \
               resolve(all.result.filter((v) => v.check_id === '{check_id}') \
                 .map((v) => [v.state, v.body.outcome, v.body.lat])); }}; }}; }});"
    ))
    .await
}

#[actix_web::test]
async fn the_officer_at_the_door_on_a_tablet() {
    let server = Server::start();
    let route = publish_today(&server.pool(), 4);
    let driver = Driver::start();
    let b = Browser::open(&driver).await;
    b.viewport(800, 1280).await;
    let origin = server.url("");

    b.open_page(&server.url("/login"), "#login").await;
    // axe-core really runs: an image without a text alternative is found.
    b.js(
        "document.body.insertAdjacentHTML('beforeend', '<img id=\"axe-probe\" src=\"/x.png\">'); \
          return true;",
    )
    .await;
    let probe: Vec<String> = b.axe().await.into_iter().map(|v| v.id).collect();
    assert!(
        probe.contains(&"image-alt".to_owned()),
        "axe-core found {probe:?}"
    );
    b.js("document.getElementById('axe-probe').remove(); return true;")
        .await;
    scan(&b, "the sign-in page").await;
    b.screenshot("officer-sign-in-800x1280").await;
    b.sign_in(&server, &route.login).await;
    let landed = b.js("return location.pathname;").await;
    assert_eq!(landed, json!("/field/today"), "officers land on Today");

    gps_wait_killed(&b, &server, &route.check_ids[0]).await;
    corrected_then_next(&b, &server, &route.check_ids[0], &route.check_ids[1]).await;

    // Far from the address: the page says so at once, beside the saved outcome.
    let second = &route.check_ids[1];
    let (lat, lon) = position_of(&server, second);
    b.fake_position(&origin, lat + 0.03, lon, 15.0).await;
    record(&b, 0, "").await;
    b.wait_until(
        "the far visit to be saved and flagged",
        WAIT,
        "return document.getElementById('visit-state').dataset.state === 'saved' && \
         !!document.querySelector('#visit-flags li[data-flag=far_from_address]');",
    )
    .await;
    // The flag is said in words, with the distance it is about.
    b.wait_text("#visit-flags li[data-flag=far_from_address]", "500")
        .await;
    b.screenshot("officer-stop-flagged-800x1280").await;
    scan(&b, "a saved, flagged stop").await;

    open_stop(&b, &server, &route.check_ids[2]).await;
    b.screenshot("officer-stop-800x1280").await;
    scan(&b, "a stop to visit").await;

    today_for_a_thumb(&b, &server).await;
    b.close().await;
}

/// The GPS never answers; the visit is on the device at once, the page is killed (reloaded)
/// during the wait, and the visit still reaches the server exactly once, marked without a
/// position, which the page then says.
async fn gps_wait_killed(b: &Browser, server: &Server, check_id: &str) {
    open_stop(b, server, check_id).await;
    b.js("Geolocation.prototype.getCurrentPosition = function () {}; return true;")
        .await;
    record(b, 0, "").await;
    b.wait_until(
        "the visit on the device while the GPS searches",
        WAIT,
        "return document.getElementById('visit-state').dataset.state === 'locating';",
    )
    .await;
    let queued = device_queue(b, check_id).await;
    let outcome = queued[0][1].clone();
    assert_eq!(
        queued,
        json!([["locating", outcome, null]]),
        "in IndexedDB before any position"
    );
    let said = b
        .js("const s = document.getElementById('visit-state'); return s.innerText;")
        .await;
    let saved_text = b
        .js("return document.getElementById('visit-state').dataset.textWaiting;")
        .await;
    assert_ne!(said, saved_text, "not yet 'saved on the tablet'");
    b.client.refresh().await.unwrap();
    b.wait_until(
        "the orphaned visit to be sent without a position and shown as saved",
        Duration::from_secs(40),
        "const s = document.getElementById('visit-state'); return s.dataset.state === 'saved' && \
         !!document.querySelector('#visit-flags li[data-flag=no_position]');",
    )
    .await;
    assert_eq!(
        device_queue(b, check_id).await,
        json!([]),
        "left the device"
    );
    assert_eq!(
        stored(server, check_id),
        vec![(outcome.as_str().unwrap().to_owned(), None)],
        "stored once, without a position"
    );
    // Another round of the queue sends nothing more.
    b.js("window.dispatchEvent(new Event('online')); return true;")
        .await;
    crate::support::tokio_sleep(Duration::from_secs(2)).await;
    assert_eq!(stored(server, check_id).len(), 1, "exactly once");
}

/// A second tap corrects the outcome (one visit on the server), and the big button goes to the
/// next stop.
async fn corrected_then_next(b: &Browser, server: &Server, check_id: &str, next_id: &str) {
    let (lat, lon) = position_of(server, check_id);
    b.fake_position(&server.url(""), lat, lon, 10.0).await;
    record(b, 1, "").await;
    b.wait_until(
        "the correction to be saved",
        WAIT,
        "const s = document.getElementById('visit-state'); \
         return s.dataset.state === 'saved' && s.innerText === s.dataset.textCorrected;",
    )
    .await;
    let pressed = b
        .js(
            "return Array.from(document.querySelectorAll('#visit-form [aria-pressed=true]'), \
             (e) => e.value);",
        )
        .await;
    let rows = stored(server, check_id);
    assert_eq!(rows.len(), 1, "a correction replaces: {rows:?}");
    assert_eq!(pressed, json!([rows[0].0]), "the saved outcome is marked");
    assert!(rows[0].1.is_some(), "the correction carries its position");
    assert_eq!(visits_by_check(server).len(), 1);
    b.click("#next-stop").await;
    b.wait_until(
        "the next stop",
        WAIT,
        &format!("return location.pathname === '/field/stops/{next_id}';"),
    )
    .await;
}

/// Today on a tablet: one-row header, whole-card links, states in words, contrast of 4.5:1.
#[expect(
    clippy::too_many_lines,
    reason = "a scenario test: its steps and checks read in order, as one story"
)]
async fn today_for_a_thumb(b: &Browser, server: &Server) {
    b.open_page(&server.url("/field/today"), "#today-stops li.stop")
        .await;
    b.wait_until(
        "the saved stops to be marked",
        WAIT,
        "return document.querySelectorAll('#today-stops li[data-visit=saved] .stop-device') \
         .length === 2;",
    )
    .await;
    let layout = b
        .js(
            "const bar = document.querySelector('.topbar').getBoundingClientRect(); \
             const li = document.querySelector('#today-stops li.stop'); \
             const a = li.querySelector('a.stop-open').getBoundingClientRect(); \
             const r = li.getBoundingClientRect(); \
             return [bar.height < 72, !document.querySelector('details.prefs').open, \
               a.width > r.width * 0.6 && a.height >= r.height - 2, \
               li.querySelector('.stop-status').innerText.length > 0];",
        )
        .await;
    assert_eq!(
        layout,
        json!([true, true, true, true]),
        "one-row header, menu closed, whole-card link, state in words"
    );
    for (dark, name) in [(false, "day"), (true, "night")] {
        b.theme(dark).await;
        b.screenshot(&format!("officer-today-{name}-800x1280"))
            .await;
        b.assert_accessible(&format!("Today ({name}, 800x1280)"))
            .await;
        let worst = b
            .js(&format!(
                "{CONTRAST_JS} \
                 const marks = Array.from(document.querySelectorAll('svg.map .mark'), (g) => \
                   ratio(getComputedStyle(g.querySelector('text')).fill, \
                         getComputedStyle(g.querySelector('circle')).fill)); \
                 const done = Array.from(document.querySelectorAll( \
                   '#today-stops li.status-done .stop-open, #today-stops li.status-done .stop-status'), \
                   (e) => ratio(getComputedStyle(e).color, bgOf(e))); \
                 document.activeElement && document.activeElement.blur(); \
                 return [Math.min(...marks), Math.min(...done), done.length];"
            ))
            .await;
        let ring = focus_ring_contrast(b).await;
        let (marks, done, n) = (worst[0].as_f64(), worst[1].as_f64(), worst[2].as_u64());
        assert!(n >= Some(2), "finished stops to measure ({name})");
        for (what, r) in [
            ("map numbers", marks),
            ("finished stops", done),
            ("focus ring", ring),
        ] {
            assert!(
                r.is_some_and(|r| r >= 4.5),
                "{what} reach {r:?}:1 in the {name} theme; 4.5:1 is needed"
            );
        }
    }
    b.theme(false).await;
}

/// The focus ring's colour against what it is drawn on, after a Tab from the page's start.
async fn focus_ring_contrast(b: &Browser) -> Option<f64> {
    b.js("document.body.focus(); return true;").await;
    b.client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{E004}")
        .await
        .unwrap();
    b.js(&format!(
        "{CONTRAST_JS} const e = document.activeElement; const s = getComputedStyle(e); \
         if (s.outlineStyle === 'none') return null; \
         const behind = bgOf(e.parentElement || document.body); \
         return Math.min(ratio(s.outlineColor, behind), \
           ratio(s.outlineColor, getComputedStyle(document.body).backgroundColor));"
    ))
    .await
    .as_f64()
}
