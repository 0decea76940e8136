//! The officer's day on a tablet: sign in, today's route, a visit recorded with a faked position
//! and saved by the server; then the network is cut, three visits wait on the device, the route
//! still opens, and when the network returns every visit reaches the server exactly once.

use std::collections::HashMap;
use std::time::Duration;

use crate::support::{Browser, Driver, Server, WAIT, publish_today, today};
use baqylau::db::schema::visits;
use diesel::prelude::*;

/// Visits stored on the server, by check id.
pub(crate) fn visits_by_check(server: &Server) -> HashMap<String, Vec<String>> {
    let pool = server.pool();
    let mut conn = pool.get().unwrap();
    let rows: Vec<(String, Option<String>)> = visits::table
        .select((visits::id, visits::check_id))
        .load(&mut conn)
        .unwrap();
    let mut by_check: HashMap<String, Vec<String>> = HashMap::new();
    for (id, check) in rows {
        by_check
            .entry(check.unwrap_or_default())
            .or_default()
            .push(id);
    }
    by_check
}

fn count(by_check: &HashMap<String, Vec<String>>) -> usize {
    by_check.values().map(Vec::len).sum()
}

/// The stop's coordinates, to fake a position at the address.
pub(crate) fn position_of(server: &Server, check_id: &str) -> (f64, f64) {
    let pool = server.pool();
    let mut conn = pool.get().unwrap();
    let id = baqylau::domain::CheckId::from(check_id.to_owned());
    let check = baqylau::db::checks::find_check(&mut conn, &id)
        .unwrap()
        .unwrap();
    (check.location.lat, check.location.lon)
}

pub(crate) async fn open_stop(b: &Browser, server: &Server, check_id: &str) {
    b.open_page(&server.url("/field/today"), "#today-stops")
        .await;
    b.click(&format!(
        "#today-stops li[data-check-id='{check_id}'] a.stop-open"
    ))
    .await;
    b.wait_for(&format!("#visit-form[data-check-id='{check_id}']"))
        .await;
}

/// Presses the `index`-th outcome button of the stop page.
pub(crate) async fn record(b: &Browser, index: usize, notes: &str) {
    if !notes.is_empty() {
        b.type_into("#visit-form textarea[name=notes]", notes).await;
    }
    let outcome = format!(
        "#visit-form button[name=outcome]:nth-of-type({})",
        index + 1
    );
    b.click(&outcome).await;
}

async fn sync_count(b: &Browser) -> (String, String) {
    let v = b
        .js("const e = document.getElementById('sync-status'); \
             return [e.dataset.count || '0', e.textContent.trim()];")
        .await;
    (
        v[0].as_str().unwrap_or_default().to_owned(),
        v[1].as_str().unwrap_or_default().to_owned(),
    )
}

#[actix_web::test]
async fn an_officer_records_visits_online_and_offline_and_each_reaches_the_server_once() {
    let server = Server::start();
    let route = publish_today(&server.pool(), 4);
    println!(
        "{} has {} stops on {}",
        route.login,
        route.check_ids.len(),
        today()
    );
    let driver = Driver::start();
    let b = Browser::open(&driver).await;
    b.viewport(1280, 800).await;

    // Sign in and open today's route: every stop, in order.
    b.sign_in(&server, &route.login).await;
    b.open_page(&server.url("/field/today"), "#today-stops li.stop")
        .await;
    let shown = b
        .js(
            "return Array.from(document.querySelectorAll('#today-stops li[data-check-id]'), \
             li => li.dataset.checkId);",
        )
        .await;
    let shown: Vec<String> = serde_json::from_value(shown).unwrap();
    assert_eq!(shown, route.check_ids, "today's route, in order");

    // The service worker takes the page over and keeps the route and every stop page.
    b.wait_until(
        "the service worker to control the page",
        WAIT,
        "return !!navigator.serviceWorker.controller;",
    )
    .await;
    b.wait_until(
        "today's route and its stop pages in the service worker's cache",
        WAIT,
        "return Promise.all(Array.from(document.querySelectorAll('#today-stops a.stop-open'), \
         a => caches.match(a.getAttribute('href'))).concat([caches.match('/field/today')])) \
         .then(hits => hits.every(Boolean));",
    )
    .await;
    b.screenshot("today-1280x800").await;
    b.viewport(800, 1280).await;
    b.screenshot("today-800x1280").await;
    b.viewport(1280, 800).await;

    // A visit at the first stop, with the position faked at the address: saved by the server.
    let origin = server.url("");
    let first = &route.check_ids[0];
    let (lat, lon) = position_of(&server, first);
    b.fake_position(&origin, lat, lon, 12.0).await;
    open_stop(&b, &server, first).await;
    b.screenshot("stop-1280x800").await;
    b.viewport(800, 1280).await;
    b.screenshot("stop-800x1280").await;
    b.viewport(1280, 800).await;
    record(&b, 0, "Дома, всё в порядке. Үйде.").await;
    b.wait_until(
        "the first visit to be saved by the server",
        WAIT,
        "const s = document.getElementById('visit-state'); return s.dataset.state === 'saved';",
    )
    .await;
    let accuracy = b
        .js(
            "const p = document.querySelector('#position-state, #visit-position'); \
             return p ? p.dataset.accuracy : null;",
        )
        .await;
    assert_eq!(accuracy, serde_json::json!("12"), "the accuracy is shown");
    b.screenshot("stop-saved-1280x800").await;
    let before = visits_by_check(&server);
    assert_eq!(count(&before), 1, "one visit stored: {before:?}");
    assert_eq!(before.get(first).map(Vec::len), Some(1));

    // The network goes away (for the page and for its service worker): three visits wait on
    // the device, none reaches the server.
    b.set_offline(true).await;
    server.link.set_cut(true);
    b.wait_until(
        "the browser to be offline",
        WAIT,
        "return navigator.onLine === false;",
    )
    .await;
    // The cut reaches the service worker too (else the route would come from the server): a
    // fetch the worker passes to the network, of a URL it never cached, fails.
    let probe = b
        .js("return fetch('/static/css/app.css?probe=' + Date.now()) \
             .then(r => 'reached the server: ' + r.status, () => 'offline');")
        .await;
    assert_eq!(
        probe,
        serde_json::json!("offline"),
        "the service worker is offline too"
    );
    let offline_stops: Vec<String> = route.check_ids[1..4].to_vec();
    for (n, check_id) in offline_stops.iter().enumerate() {
        open_stop(&b, &server, check_id).await;
        let (lat, lon) = position_of(&server, check_id);
        b.fake_position(&origin, lat, lon, 20.0).await;
        record(&b, n % 2, "").await;
        b.wait_until(
            "the visit to wait on the device",
            WAIT,
            "return document.getElementById('visit-state').dataset.state === 'waiting';",
        )
        .await;
        let want = format!(
            "return document.getElementById('sync-status').dataset.count === '{}';",
            n + 1
        );
        b.wait_until(&format!("{} visit(s) waiting", n + 1), WAIT, &want)
            .await;
    }
    let (waiting, text) = sync_count(&b).await;
    assert_eq!(waiting, "3");
    assert!(
        text.contains('3'),
        "the screen says 3 are waiting: {text:?}"
    );
    b.screenshot("stop-offline-1280x800").await;
    b.viewport(800, 1280).await;
    b.screenshot("stop-offline-800x1280").await;

    // Today's route still opens offline, from the device.
    b.client.goto(&server.url("/field/today")).await.unwrap();
    b.client.refresh().await.unwrap();
    b.wait_until(
        "today's route offline",
        WAIT,
        &format!(
            "return document.querySelectorAll('#today-stops li[data-check-id]').length === {};",
            route.check_ids.len()
        ),
    )
    .await;
    let (waiting, _) = sync_count(&b).await;
    assert_eq!(waiting, "3", "the route page shows the 3 waiting too");
    b.screenshot("today-offline-800x1280").await;
    b.viewport(1280, 800).await;
    assert_eq!(
        count(&visits_by_check(&server)),
        1,
        "nothing reached the server while offline"
    );

    // The network returns: the queue empties, and each visit is stored exactly once.
    server.link.set_cut(false);
    b.set_offline(false).await;
    b.wait_until(
        "the queue to be sent",
        Duration::from_secs(40),
        "const e = document.getElementById('sync-status'); \
         return e.dataset.count === '0' && e.textContent.trim() === '';",
    )
    .await;
    let after = visits_by_check(&server);
    assert_eq!(
        count(&after) - count(&before),
        3,
        "exactly three new visits: {after:?}"
    );
    for check_id in route.check_ids.iter().take(4) {
        assert_eq!(
            after.get(check_id).map(Vec::len),
            Some(1),
            "one visit for {check_id}: {after:?}"
        );
    }
    b.wait_until(
        "the route to mark the four saved stops",
        WAIT,
        "return document.querySelectorAll('#today-stops li[data-visit=saved]').length === 4;",
    )
    .await;
    b.screenshot("today-synced-1280x800").await;

    // A visit the server refuses (an unknown outcome, as from an outdated tablet) is kept on the
    // device apart from the queue, with the server's message on its stop: never dropped.
    let fifth = &route.check_ids[4];
    open_stop(&b, &server, fifth).await;
    b.js("const f = document.getElementById('visit-form').dataset; \
          return new Promise((resolve, reject) => { \
            const open = indexedDB.open('baqylau-field'); \
            open.onerror = () => reject(open.error); \
            open.onsuccess = () => { \
              const t = open.result.transaction('visits', 'readwrite'); \
              t.objectStore('visits').put({id: crypto.randomUUID(), check_id: f.checkId, \
                user: null, state: 'queued', queued_at: Date.now(), error: null, \
                body: {check_id: f.checkId, person_id: f.personId, kind: f.kind, \
                  outcome: 'flew_away', violation_kind: null, notes: '', \
                  recorded_at: new Date().toISOString(), lat: null, lon: null, \
                  accuracy_m: null}}); \
              t.oncomplete = () => { open.result.close(); resolve(true); }; \
              t.onerror = () => reject(t.error); \
            }; \
          });")
        .await;
    b.client.refresh().await.unwrap();
    b.wait_until(
        "the refused visit to be shown with the server's message",
        WAIT,
        "const s = document.getElementById('visit-state'); \
         return s.dataset.state === 'refused' && s.textContent.length > 0;",
    )
    .await;
    let refused = b
        .js("const e = document.getElementById('sync-status'); \
             return [e.dataset.count, e.dataset.refused];")
        .await;
    assert_eq!(
        refused,
        serde_json::json!(["0", "1"]),
        "kept apart, not waiting"
    );
    b.screenshot("stop-refused-1280x800").await;
    assert_eq!(
        count(&visits_by_check(&server)),
        4,
        "the refused one is not stored"
    );
    sign_out_keeps_nothing_and_loses_nothing(&b, &server).await;
    b.close().await;
}

/// Sign-out on a tablet: blocked while a visit waits to be sent (it would be lost), allowed once
/// it is sent (a refused one only after the officer confirms), and then nothing of the officer is
/// left: no cached page, no stored visit, no session.
#[expect(
    clippy::too_many_lines,
    reason = "a scenario test: its steps and checks read in order, as one story"
)]
async fn sign_out_keeps_nothing_and_loses_nothing(b: &Browser, server: &Server) {
    b.set_offline(true).await;
    server.link.set_cut(true);
    // A valid visit queued on the device while the network is gone.
    b.js("const f = document.getElementById('visit-form').dataset; \
          const outcome = f.kind === 'work' ? 'employed' : 'present'; \
          return new Promise((resolve, reject) => { \
            const open = indexedDB.open('baqylau-field'); \
            open.onsuccess = () => { \
              const t = open.result.transaction('visits', 'readwrite'); \
              t.objectStore('visits').put({id: crypto.randomUUID(), check_id: f.checkId, \
                user: null, state: 'queued', queued_at: Date.now(), error: null, \
                body: {check_id: f.checkId, person_id: f.personId, kind: f.kind, outcome, \
                  violation_kind: null, notes: '', recorded_at: new Date().toISOString(), \
                  lat: null, lon: null, accuracy_m: null}}); \
              t.oncomplete = () => { open.result.close(); resolve(true); }; \
              t.onerror = () => reject(t.error); \
            }; \
            open.onerror = () => reject(open.error); \
          });")
        .await;
    let stop_url = b.client.current_url().await.unwrap().to_string();
    click_sign_out(b).await;
    b.wait_until(
        "the sign-out to be refused with the waiting visit named",
        WAIT,
        "const e = document.getElementById('sync-status'); \
         return e.textContent.includes('1') && document.activeElement === e;",
    )
    .await;
    assert_eq!(
        b.client.current_url().await.unwrap().to_string(),
        stop_url,
        "still on the stop page, still signed in"
    );
    b.screenshot("signout-blocked-800x1280").await;

    // Back online: the visit is sent, and sign-out goes ahead after the refused one is confirmed.
    server.link.set_cut(false);
    b.set_offline(false).await;
    b.wait_until(
        "the waiting visit to be sent",
        Duration::from_secs(40),
        "return document.getElementById('sync-status').dataset.count === '0';",
    )
    .await;
    assert_eq!(
        count(&visits_by_check(server)),
        5,
        "the blocked visit was not lost"
    );
    click_sign_out(b).await;
    let mut confirmed = false;
    for _ in 0..100 {
        if b.client.accept_alert().await.is_ok() {
            confirmed = true;
            break;
        }
        crate::support::tokio_sleep(Duration::from_millis(100)).await;
    }
    assert!(confirmed, "the refused visit's deletion is asked first");
    b.wait_until(
        "the sign-in page after sign-out",
        WAIT,
        "return location.pathname === '/login' && document.readyState === 'complete';",
    )
    .await;
    let left = b
        .js("return caches.keys().then(keys => keys.filter(k => k.startsWith('baqylau-field-'))) \
             .then(keys => new Promise(resolve => { \
               const open = indexedDB.open('baqylau-field'); \
               open.onupgradeneeded = () => { open.result.createObjectStore('visits', {keyPath: 'id'}); }; \
               open.onsuccess = () => { \
                 const t = open.result.transaction('visits', 'readonly'); \
                 const c = t.objectStore('visits').count(); \
                 c.onsuccess = () => { open.result.close(); resolve([keys.length, c.result]); }; \
               }; \
             }));")
        .await;
    assert_eq!(
        left,
        serde_json::json!([0, 0]),
        "no cached page and no stored visit is left"
    );
    let today = b
        .js("return fetch('/field/today', {redirect: 'manual'}).then(r => r.type);")
        .await;
    assert_eq!(
        today,
        serde_json::json!("opaqueredirect"),
        "the session is over"
    );
}

async fn click_sign_out(b: &Browser) {
    b.submit("form.signout").await;
}
