//! The prosecutor's planning flow in a real browser: make a plan for all groups, see the summary
//! of its routes and a route on its own page with its map, move two checks onto today's route of
//! their group (the route's page changes in place: no reload, the place kept), re-optimise,
//! publish; then an officer of that group opens today's route on the tablet and finds the new
//! order.

use baqylau::db::schema::{checks, plans};
use diesel::prelude::*;

use crate::support::{Browser, Driver, Server, WAIT, today};

/// Clicks the submit button of a form on the page (found by `css`) and waits for the next page.
async fn submit_and_wait(b: &Browser, css: &str, what: &str) {
    b.js("window.__before_submit = true; return true;").await;
    b.click(css).await;
    b.wait_until(
        what,
        WAIT,
        "return !window.__before_submit && document.readyState === 'complete' \
         && location.pathname.startsWith('/planning/plans/');",
    )
    .await;
}

/// Moves `check` (on its route of `date`) onto today's route of `group` in place (no reload);
/// whether it holds there pinned. A move is all or nothing: refused, the page says so and the
/// check stays where it was.
async fn move_to_today(
    b: &Browser,
    server: &Server,
    plan_id: &str,
    group: &str,
    check: &str,
    date: chrono::NaiveDate,
) -> bool {
    let target = format!("{group}|{}", today());
    let route = format!("/planning/plans/{plan_id}/routes/{group}/{date}");
    b.open_page(&server.url(&route), "section.route svg.map")
        .await;
    let before = placement(server, check);
    b.js(&format!(
        "window.scrollTo(0, 300); window.__same_page = true; \
         const s = document.getElementById('t-{check}'); s.value = '{target}'; \
         return s.value === '{target}';"
    ))
    .await;
    b.submit(&format!("tr[data-check='{check}'] .move-form"))
        .await;
    b.wait_until(
        "the move's outcome to be said, in place",
        WAIT,
        "return document.getElementById('plan-live').textContent.length > 0;",
    )
    .await;
    let same = b.js("return window.__same_page === true;").await;
    assert_eq!(same, serde_json::json!(true), "the page was not reloaded");
    let said = b
        .js("return document.getElementById('plan-live').className + ': ' + document.getElementById('plan-live').textContent;")
        .await;
    let row_shown = b
        .js(&format!(
            "return !!document.querySelector(\"tr[data-check='{check}']\");"
        ))
        .await;
    if placement(server, check) == (Some(group.to_owned()), Some(today()), true) {
        assert_eq!(
            row_shown,
            serde_json::json!(false),
            "a moved check leaves the route's page"
        );
        return true;
    }
    assert_eq!(
        placement(server, check),
        before,
        "a refused move changes nothing (the page says {said})"
    );
    assert!(
        said.as_str().is_some_and(|s| s.contains("error")),
        "a refused move is said as one: {said}"
    );
    assert_eq!(
        row_shown,
        serde_json::json!(true),
        "a refused check stays on its route's page"
    );
    false
}

/// The group and day a check is placed on, and whether it is pinned.
fn placement(server: &Server, check: &str) -> (Option<String>, Option<chrono::NaiveDate>, bool) {
    checks::table
        .find(check)
        .select((
            checks::mobile_group_id,
            checks::planned_date,
            checks::pinned,
        ))
        .first(&mut server.pool().get().unwrap())
        .unwrap()
}

#[actix_web::test]
async fn a_prosecutor_plans_moves_two_checks_reoptimises_publishes_and_the_officer_sees_it() {
    let server = Server::start();
    let driver = Driver::start();
    let b = Browser::open(&driver).await;
    b.viewport(1280, 800).await;
    b.sign_in(&server, "prosecutor").await;

    // A plan for three days from today, all groups (none ticked), made through the form.
    b.open_page(&server.url("/planning"), "#new-plan").await;
    b.js(&format!(
        "document.getElementById('f-from').value = '{}'; \
         document.getElementById('f-days').value = '3'; return true;",
        today()
    ))
    .await;
    b.submit("#new-plan").await;
    // The plan is made, and opened: its totals are only on its own page.
    b.wait_for("#plan-totals").await;
    let url = b.client.current_url().await.unwrap();
    let plan_id = url.path().rsplit('/').next().unwrap().to_owned();

    // The summary links every route; no check is listed on it.
    let links = b
        .js("return document.querySelectorAll('a.route-link').length;")
        .await;
    assert!(links.as_u64().unwrap_or(0) > 0, "routes are listed");
    b.screenshot("plan-1280x800").await;

    // Two checks a group works on another day of the period, moved to its route of today.
    let pool = server.pool();
    let placed: Vec<(String, Option<String>, Option<chrono::NaiveDate>)> = checks::table
        .filter(checks::plan_id.eq(&plan_id))
        .filter(checks::planned_date.is_not_null())
        .filter(checks::planned_date.ne(today()))
        .order((
            checks::mobile_group_id,
            checks::planned_date,
            checks::position,
        ))
        .select((checks::id, checks::mobile_group_id, checks::planned_date))
        .load(&mut pool.get().unwrap())
        .unwrap();
    let today_checks: Vec<Option<String>> = checks::table
        .filter(checks::plan_id.eq(&plan_id))
        .filter(checks::planned_date.eq(today()))
        .select(checks::mobile_group_id)
        .load(&mut pool.get().unwrap())
        .unwrap();
    // The plan's seed is drawn fresh each time, so which checks fit today's route of their group
    // differs from run to run: groups with the shortest route of today first, and within one,
    // checks in order until two moves hold (a check that fits nowhere today is refused with its
    // reason, which is right too, and the next is tried).
    let mut candidates: Vec<(usize, Option<String>)> = placed
        .iter()
        .map(|p| p.1.clone())
        .filter(|g| today_checks.contains(g) && placed.iter().filter(|p| &p.1 == g).count() >= 2)
        .map(|g| (today_checks.iter().filter(|t| **t == g).count(), g))
        .collect();
    candidates.sort();
    candidates.dedup();
    assert!(
        !candidates.is_empty(),
        "a group working today and on another day of the period"
    );
    let mut chosen = None;
    let mut attempts = 0;
    'groups: for group in candidates.iter().filter_map(|(_, g)| g.clone()) {
        let mut moved = Vec::new();
        for (check, _, date) in placed
            .iter()
            .filter(|p| p.1.as_deref() == Some(group.as_str()))
        {
            // A move re-times two routes; a check of the list read before may have been moved
            // since (onto today, or out of a route that no longer holds it): try it only where
            // it still is.
            let (on_group, on_day, _) = placement(&server, check);
            if on_group.as_deref() != Some(group.as_str()) || on_day != *date {
                continue;
            }
            attempts += 1;
            assert!(
                attempts <= 8,
                "no two checks of any group fit today's route"
            );
            let date = date.unwrap();
            if move_to_today(&b, &server, &plan_id, &group, check, date).await {
                moved.push(check.clone());
            }
            if moved.len() == 2 {
                chosen = Some((group.clone(), moved));
                break 'groups;
            }
        }
    }
    let (group, moved) = chosen.expect("two checks moved onto today's route of one group");

    // Today's route shows both, on its map; a removal asks first and keeping changes nothing.
    let today_route = format!("/planning/plans/{plan_id}/routes/{group}/{}", today());
    b.open_page(&server.url(&today_route), "section.route svg.map")
        .await;
    b.screenshot("plan-route-1280x800").await;
    for check in &moved {
        let rows = b
            .js("return [...document.querySelectorAll('tr[data-check]')].map(r => r.dataset.check + (r.querySelector('a.remove-link') ? '+' : '-')).join(' ');")
            .await;
        assert_eq!(
            placement(&server, check),
            (Some(group.clone()), Some(today()), true),
            "{check} stays where it was moved; the page's rows: {rows}"
        );
    }
    b.click(&format!("tr[data-check='{}'] a.remove-link", moved[0]))
        .await;
    b.wait_until(
        "the removal to be asked",
        WAIT,
        "return document.activeElement && document.activeElement.id === 'confirm-remove';",
    )
    .await;
    b.click("#confirm a[data-part-link]").await;
    b.wait_until(
        "the confirmation to go",
        WAIT,
        "return !document.getElementById('confirm');",
    )
    .await;

    // Re-optimise (the pins stay), then publish.
    let version_before: i32 = plans::table
        .find(&plan_id)
        .select(plans::version)
        .first(&mut pool.get().unwrap())
        .unwrap();
    submit_and_wait(&b, "#reoptimise", "the re-optimised plan").await;
    for check in &moved {
        assert_eq!(
            placement(&server, check),
            (Some(group.clone()), Some(today()), true),
            "re-optimising keeps the pins"
        );
    }
    submit_and_wait(&b, "#publish", "the published plan").await;
    let (status, version): (String, i32) = plans::table
        .find(&plan_id)
        .select((plans::status, plans::version))
        .first(&mut pool.get().unwrap())
        .unwrap();
    assert_eq!(status, "published");
    assert!(version > version_before, "every change made a new version");
    b.screenshot("plan-published-1280x800").await;
    b.close().await;

    // An officer of that group opens today's route: the published order, with both checks.
    let mut conn = pool.get().unwrap();
    let officer = (1..=24)
        .map(|n| format!("officer{n:02}"))
        .find(|login| {
            let user = baqylau::db::users::find_by_login(&mut conn, login)
                .unwrap()
                .unwrap();
            let id = baqylau::domain::UserId::from(user.id);
            baqylau::db::users::find_group_of(&mut conn, &id)
                .unwrap()
                .is_some_and(|g| g.as_str() == group)
        })
        .expect("an officer of the group");
    let group_id = baqylau::domain::MobileGroupId::from(group.clone());
    let route: Vec<String> = baqylau::db::checks::route_of(&mut conn, &group_id, today())
        .unwrap()
        .into_iter()
        .map(|c| c.id.to_string())
        .collect();
    drop(conn);
    for check in &moved {
        assert!(route.contains(check), "the moved check is on today's route");
    }
    let tablet = Browser::open(&driver).await;
    tablet.viewport(800, 1280).await;
    tablet.sign_in(&server, &officer).await;
    tablet
        .open_page(&server.url("/field/today"), "#today-stops li.stop")
        .await;
    let shown = tablet
        .js(
            "return Array.from(document.querySelectorAll('#today-stops li[data-check-id]'), \
             li => li.dataset.checkId);",
        )
        .await;
    let shown: Vec<String> = serde_json::from_value(shown).unwrap();
    assert_eq!(shown, route, "{officer} sees the published route, in order");
    tablet.close().await;
}
