//! Planning over HTTP and through the planning service: plans pass the independent checker,
//! the same seed gives the same plan, moves, pins, re-optimising, publishing, the edit conflict,
//! re-planning keeps done stops, and officers see the published route.

use std::time::Duration;

use actix_web::http::StatusCode;
use baqylau::db::schema::{self, checks};
use baqylau::domain::check::{Check, CheckKind, CheckStatus};
use baqylau::domain::{CheckId, MobileGroupId, PlanId};
use baqylau::services::plans::{self, PlanOptions};
use chrono::NaiveDate;
use diesel::prelude::*;

use baqylau::domain::visit::VisitOutcome;

use crate::support::builders::person;
use crate::support::records::visit;
use crate::support::{PASSWORD, TestApp, TestClient, signed_in};

fn today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Almaty)
        .date_naive()
}

/// The next working day (Monday to Friday) from the day after tomorrow on.
fn next_workday() -> NaiveDate {
    use chrono::Datelike as _;
    (2..10)
        .map(|d| today() + chrono::Duration::days(d))
        .find(|d| d.weekday().num_days_from_monday() < 5)
        .unwrap()
}

fn options(from: NaiveDate, days: u32) -> PlanOptions {
    PlanOptions {
        from,
        days,
        group_ids: Vec::new(),
        seed: 7,
        time_limit: Duration::from_secs(30),
        threads: 1,
        iterations: 40,
    }
}

/// The office with a crowd of 40 persons: two groups of twelve checks a shift, more checks due
/// than three days hold (every fourth person works too).
fn office() -> TestApp {
    TestApp::office_with_crowd(40).0
}

fn plan_version(app: &TestApp, id: &str) -> i32 {
    schema::plans::table
        .find(id)
        .select(schema::plans::version)
        .first(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_prosecutor_makes_a_plan_that_passes_the_independent_checker() {
    let app = office();
    let mut client = signed_in(&app, "prosecutor").await;
    assert_eq!(client.get("/planning").await.status, StatusCode::OK);
    let from = next_workday().to_string();
    let answer = client
        .post_form("/planning/plans", &[("from", &from), ("days", "2")])
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    // The plan is made in the background; its progress page refreshes itself until the plan
    // is stored, then sends the prosecutor to it.
    let job = answer.location();
    assert!(job.starts_with("/planning/jobs/"), "{job}");
    let mut progress_seen = Vec::new();
    let answer = loop {
        let page = client.get(&job).await;
        if page.status != StatusCode::OK {
            break page;
        }
        assert!(
            page.body.contains("http-equiv=\"refresh\""),
            "{}",
            page.body
        );
        let value = page.html();
        let bar = value
            .select(&scraper::Selector::parse("progress#plan-progress").unwrap())
            .next()
            .expect("a progress bar while the plan is made");
        progress_seen.push(bar.value().attr("value").unwrap().parse::<u8>().unwrap());
        actix_web::rt::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(
        !progress_seen.is_empty(),
        "the optimiser takes seconds: progress is shown"
    );
    assert!(
        progress_seen.windows(2).all(|w| w[0] <= w[1]) && progress_seen.iter().all(|&p| p < 100),
        "progress only grows: {progress_seen:?}"
    );
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert!(answer.location().starts_with("/planning/plans/"));
    let summary = client.get(&answer.location()).await;
    assert_eq!(summary.status, StatusCode::OK);
    let links: Vec<String> = summary
        .html()
        .select(&scraper::Selector::parse("a.route-link").unwrap())
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert!(!links.is_empty(), "routes are listed");
    let page = client.get(&links[0]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.select("section.route h2").len(), 1, "a route a page");
    assert_eq!(
        page.body.matches("<svg class=\"map\"").count(),
        1,
        "its map"
    );
    let id = answer.location().rsplit('/').next().unwrap().to_owned();
    let problems = plans::check_stored(&mut app.conn(), &PlanId::from(id.clone())).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    // Every left-out check says why.
    let reasons: Vec<Option<String>> = checks::table
        .filter(checks::plan_id.eq(&id))
        .filter(checks::planned_date.is_null())
        .select(checks::unplaced_reason)
        .load(&mut app.conn())
        .unwrap();
    assert!(
        reasons
            .iter()
            .all(|r| r.as_deref().is_some_and(|r| !r.is_empty()))
    );
    // Bad forms are answered with a message, not an error.
    let bad = client
        .post_form("/planning/plans", &[("from", "yesterday"), ("days", "99")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.select("#form-errors[data-focus-first]").len(), 1);
    assert_eq!(
        bad.select("#form-errors a[href='#f-from']").len(),
        1,
        "linked to its field"
    );
    assert_eq!(bad.select("#f-from[aria-invalid=true]").len(), 1);
    let past = client
        .post_form("/planning/plans", &[("from", "2020-01-01"), ("days", "1")])
        .await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A plan that cannot be made (no such group) ends on its progress page with the reason.
    let answer = client
        .post_form(
            "/planning/plans",
            &[("from", &from), ("days", "1"), ("group", "no-such-group")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let failed = loop {
        let page = client.get(&answer.location()).await;
        if page.select("#plan-error").len() == 1 {
            break page;
        }
        assert_eq!(page.status, StatusCode::OK);
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(
        !failed.body.contains("http-equiv=\"refresh\""),
        "no refresh once failed"
    );
    // Nobody's job: not found.
    let unknown = client.get("/planning/jobs/no-such-job").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

/// Person, kind, group, day, position, window start.
type Placement = (
    String,
    String,
    Option<String>,
    Option<NaiveDate>,
    Option<i32>,
    Option<i32>,
);

#[test]
fn the_same_seed_gives_the_same_plan() {
    let app = office();
    let mut conn = app.conn();
    let from = next_workday();
    let placements = |conn: &mut baqylau::db::DbConnection, id: &str| -> Vec<Placement> {
        checks::table
            .filter(checks::plan_id.eq(id))
            .order((checks::person_id, checks::kind))
            .select((
                checks::person_id,
                checks::kind,
                checks::mobile_group_id,
                checks::planned_date,
                checks::position,
                checks::window_start_min.nullable(),
            ))
            .load(conn)
            .unwrap()
    };
    let (a, _) = plans::create_plan(&mut conn, &options(from, 3), None).unwrap();
    let (b, _) = plans::create_plan(&mut conn, &options(from, 3), None).unwrap();
    assert_eq!(
        placements(&mut conn, a.as_str()),
        placements(&mut conn, b.as_str())
    );
    let mut other = options(from, 3);
    other.seed = 8;
    let (c, _) = plans::create_plan(&mut conn, &other, None).unwrap();
    assert_ne!(
        placements(&mut conn, a.as_str()),
        placements(&mut conn, c.as_str()),
        "another seed draws other windows"
    );
}

/// Moves a check of plan `id` to `target` ("group|date") at the plan's current version through
/// the web, and returns the check as stored afterwards.
async fn move_check(
    app: &TestApp,
    client: &mut TestClient,
    id: &str,
    check: &CheckId,
    target: &str,
) -> Check {
    let version = plan_version(app, id).to_string();
    let answer = client
        .post_form(
            &format!("/planning/plans/{id}/checks/{check}/move"),
            &[("version", &version), ("target", target)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    baqylau::db::checks::find_check(&mut app.conn(), check)
        .unwrap()
        .unwrap()
}

fn find_check(app: &TestApp, id: &CheckId) -> Option<Check> {
    baqylau::db::checks::find_check(&mut app.conn(), id).unwrap()
}

#[actix_web::test]
async fn moving_pinning_removing_and_reoptimising_keep_the_plan_sound_and_pins_hold() {
    let app = office();
    let (plan_id, _) =
        plans::create_plan(&mut app.conn(), &options(next_workday(), 3), None).unwrap();
    let id = plan_id.to_string();
    let mut client = signed_in(&app, "prosecutor").await;
    let rows = baqylau::db::checks::list_for_plan(&mut app.conn(), &plan_id).unwrap();
    let placed: Vec<_> = rows.iter().filter(|r| r.planned_date.is_some()).collect();
    // Move a check to another day of a group covering its district.
    let check = placed[0];
    let plan = baqylau::db::plans::find_plan(&mut app.conn(), &plan_id)
        .unwrap()
        .unwrap();
    let groups = plans::plan_groups(&mut app.conn(), &plan).unwrap();
    let group = groups
        .iter()
        .find(|g| g.district_ids.contains(&check.district_id))
        .unwrap();
    let target_day = plan
        .from_date
        .iter_days()
        .take(3)
        .find(|d| Some(*d) != check.planned_date && group.active_days.includes(*d))
        .unwrap();
    let target = format!("{}|{target_day}", group.id);
    let moved = move_check(&app, &mut client, &id, &check.id, &target).await;
    assert_eq!(
        (
            moved.mobile_group_id.as_ref(),
            moved.planned_date,
            moved.pinned
        ),
        (Some(&group.id), Some(target_day), true)
    );
    // Re-optimise: the pin holds.
    let version = plan_version(&app, &id).to_string();
    assert_eq!(
        client
            .post_form(
                &format!("/planning/plans/{id}/reoptimise"),
                &[("version", &version)]
            )
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let after = find_check(&app, &check.id).unwrap();
    assert_eq!(
        (after.mobile_group_id.as_ref(), after.planned_date),
        (Some(&group.id), Some(target_day))
    );
    // Remove another check.
    let version = plan_version(&app, &id).to_string();
    client
        .post_form(
            &format!("/planning/plans/{id}/checks/{}/remove", placed[1].id),
            &[("version", &version)],
        )
        .await;
    assert!(find_check(&app, &placed[1].id).is_none());
    // A move to a group that does not cover the district is refused.
    let before = find_check(&app, &placed[2].id).unwrap();
    let stranger = groups
        .iter()
        .find(|g| !g.district_ids.contains(&placed[2].district_id))
        .unwrap();
    let version = plan_version(&app, &id).to_string();
    let target = format!("{}|{}", stranger.id, plan.from_date);
    client
        .post_form(
            &format!("/planning/plans/{id}/checks/{}/move", placed[2].id),
            &[("version", &version), ("target", &target)],
        )
        .await;
    let page = client.get(&format!("/planning/plans/{id}")).await;
    assert_eq!(page.select(".flash-error").len(), 1, "the refusal is shown");
    let after = find_check(&app, &placed[2].id).unwrap();
    assert_eq!(
        (after.mobile_group_id, after.planned_date),
        (before.mobile_group_id, before.planned_date)
    );
    let problems = plans::check_stored(&mut app.conn(), &plan_id).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

#[actix_web::test]
async fn a_change_made_on_an_old_version_is_refused_not_applied() {
    let app = office();
    let (plan_id, _) =
        plans::create_plan(&mut app.conn(), &options(next_workday(), 1), None).unwrap();
    let id = plan_id.to_string();
    let mut first = signed_in(&app, "prosecutor").await;
    let mut second = signed_in(&app, "prosecutor").await;
    let version = plan_version(&app, &id).to_string();
    let rows = baqylau::db::checks::list_for_plan(&mut app.conn(), &plan_id).unwrap();
    let check = rows.iter().find(|r| r.planned_date.is_some()).unwrap();
    first
        .post_form(
            &format!("/planning/plans/{id}/checks/{}/pin", check.id),
            &[("version", &version)],
        )
        .await;
    assert_eq!(plan_version(&app, &id), 2);
    // The second prosecutor still looks at version 1.
    second
        .post_form(
            &format!("/planning/plans/{id}/checks/{}/remove", check.id),
            &[("version", &version)],
        )
        .await;
    let page = second.get(&format!("/planning/plans/{id}")).await;
    assert_eq!(page.select(".flash-error").len(), 1, "{}", page.body);
    assert!(find_check(&app, &check.id).is_some(), "not removed");
    assert_eq!(plan_version(&app, &id), 2);
    assert_eq!(
        second
            .post_form(
                &format!("/planning/plans/{id}/publish"),
                &[("version", "1")]
            )
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let status: String = schema::plans::table
        .find(&id)
        .select(schema::plans::status)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(status, "draft", "publishing an old version is refused too");
}

#[actix_web::test]
async fn a_published_plan_reaches_the_officer_and_replanning_keeps_done_stops() {
    let app = office();
    let from = today();
    let (id, _) = plans::create_plan(&mut app.conn(), &options(from, 1), None).unwrap();
    let id = id.to_string();
    let mut client = signed_in(&app, "prosecutor").await;
    assert_eq!(
        client
            .post_form(
                &format!("/planning/plans/{id}/publish"),
                &[("version", "1")]
            )
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // officer01 belongs to the first group; find its route today.
    let group: Option<String> = baqylau::db::schema::mobile_group_members::table
        .inner_join(baqylau::db::schema::users::table)
        .filter(baqylau::db::schema::users::login.eq("officer01"))
        .select(baqylau::db::schema::mobile_group_members::mobile_group_id)
        .first(&mut app.conn())
        .optional()
        .unwrap();
    let group = MobileGroupId::from(group.unwrap());
    let route = baqylau::db::checks::route_of(&mut app.conn(), &group, from).unwrap();
    let mut officer = app.client().await;
    officer.sign_in("officer01", PASSWORD).await;
    let page = officer.get("/field/today").await;
    assert_eq!(
        page.select("#today-stops li").len(),
        route.len(),
        "{}",
        page.body
    );
    if let Some(first) = route.first() {
        assert!(page.body.contains(&format!(
            "geo:{:.6},{:.6}",
            first.location.lat, first.location.lon
        )));
        // The first stop is done; re-planning the rest keeps it where it was.
        let officer01 = app.user_id("officer01");
        let at = chrono::Utc::now().naive_utc();
        app.record_visit(
            visit(&first.person_id, &officer01, at, VisitOutcome::Present)
                .on_check(first, CheckStatus::Done),
        );
        let version = plan_version(&app, &id).to_string();
        client
            .post_form(
                &format!("/planning/plans/{id}/reoptimise"),
                &[("version", &version)],
            )
            .await;
        let kept = find_check(&app, &first.id).unwrap();
        assert_eq!(
            (
                kept.mobile_group_id,
                kept.planned_date,
                kept.position,
                kept.status
            ),
            (
                first.mobile_group_id.clone(),
                first.planned_date,
                first.position,
                CheckStatus::Done
            )
        );
    }
    // Officers cannot reach planning.
    assert_eq!(officer.get("/planning").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        officer
            .post_form(
                &format!("/planning/plans/{id}/publish"),
                &[("version", "2")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[actix_web::test]
async fn an_urgent_check_added_by_iin_is_placed_first_and_bad_iins_are_refused() {
    let (app, office) = TestApp::office();
    // A few persons, so the routes have room for the urgent check whatever the optimiser's
    // time allows.
    app.add_crowd(&office, 8, 100);
    // Under supervision from today: not due within the plan, so not in it.
    let home = office.point_in(0, 7);
    app.add_person(
        person("Новиков", "Пётр", 1, home, &office.districts[0]).supervised_from(today()),
    );
    let (plan_id, _) =
        plans::create_plan(&mut app.conn(), &options(next_workday(), 2), None).unwrap();
    let id = plan_id.to_string();
    let rows = baqylau::db::checks::list_for_plan(&mut app.conn(), &plan_id).unwrap();
    // A person whose home check is not in the plan yet.
    let planned: std::collections::HashSet<_> =
        rows.iter().map(|r| (r.person_id.clone(), r.kind)).collect();
    let persons = baqylau::db::persons::list_all_persons(&mut app.conn()).unwrap();
    // The person added above: any other left out may be one the routes have no room for.
    let person = persons.iter().find(|p| p.last_name == "Новиков").unwrap();
    assert!(!planned.contains(&(person.id.clone(), CheckKind::Home)));
    let mut client = signed_in(&app, "prosecutor").await;
    let version = plan_version(&app, &id).to_string();
    let answer = client
        .post_form(
            &format!("/planning/plans/{id}/checks"),
            &[
                ("version", &version),
                ("iin", person.iin.as_str()),
                ("kind", "home"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let added = baqylau::db::checks::list_for_plan(&mut app.conn(), &plan_id)
        .unwrap()
        .into_iter()
        .find(|r| r.person_id == person.id && r.kind == CheckKind::Home)
        .expect("the check is in the plan");
    let covered = plans::plan_groups(
        &mut app.conn(),
        &baqylau::db::plans::find_plan(&mut app.conn(), &plan_id)
            .unwrap()
            .unwrap(),
    )
    .unwrap()
    .iter()
    .any(|g| g.district_ids.contains(&person.district_id));
    if covered {
        assert!(
            added.planned_date.is_some(),
            "an urgent check is placed: {:?}",
            added.unplaced_reason
        );
    }
    assert!(
        plans::check_stored(&mut app.conn(), &plan_id)
            .unwrap()
            .is_empty()
    );
    let version = plan_version(&app, &id).to_string();
    client
        .post_form(
            &format!("/planning/plans/{id}/checks"),
            &[
                ("version", &version),
                ("iin", "000000000000"),
                ("kind", "home"),
            ],
        )
        .await;
    let page = client.get(&format!("/planning/plans/{id}")).await;
    assert_eq!(page.select(".flash-error").len(), 1);
    assert_eq!(
        plan_version(&app, &id).to_string(),
        version,
        "a refused add changes nothing"
    );
}

#[test]
fn a_new_offence_near_a_home_raises_the_priority_of_that_check_in_the_next_plan() {
    use baqylau::db::offences::{OffenceRow, insert_all, points_between};
    let app = office();
    let from = next_workday();
    let (first, _) = plans::create_plan(&mut app.conn(), &options(from, 1), None).unwrap();
    let rows: Vec<(String, String, f64, f64, String, i64)> = checks::table
        .filter(checks::plan_id.eq(first.as_str()))
        .filter(checks::kind.eq("home"))
        .select((
            checks::person_id,
            checks::kind,
            checks::lat,
            checks::lon,
            checks::district_id,
            checks::priority,
        ))
        .load(&mut app.conn())
        .unwrap();
    // A home check that no offence of the last month has raised already.
    let recent = points_between(
        &mut app.conn(),
        from - chrono::Duration::days(baqylau::planning::CRIME_WINDOW_DAYS),
        from - chrono::Duration::days(1),
    )
    .unwrap();
    let (person, kind, lat, lon, district, before) = rows
        .into_iter()
        .find(|r| {
            let home = baqylau::domain::GeoPoint { lat: r.2, lon: r.3 };
            recent
                .iter()
                .all(|&o| o.distance_m(home) > baqylau::planning::CRIME_RADIUS_M)
        })
        .expect("a home check far from recent offences");
    // A robbery 100 m from that home, three days before the plan.
    insert_all(
        &mut app.conn(),
        &[OffenceRow {
            id: "test-offence-near-home".into(),
            offence_date: from - chrono::Duration::days(3),
            district_id: district,
            lat: Some(lat + 0.0009),
            lon: Some(lon),
            article: "191".into(),
            severity: "grave".into(),
            offence_type: "robbery".into(),
            place: "street".into(),
            suspect_iin: None,
        }],
    )
    .unwrap();
    let (second, _) = plans::create_plan(&mut app.conn(), &options(from, 1), None).unwrap();
    let after: i64 = checks::table
        .filter(checks::plan_id.eq(second.as_str()))
        .filter(checks::person_id.eq(&person))
        .filter(checks::kind.eq(&kind))
        .select(checks::priority)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(after, before + baqylau::planning::CRIME_RAISE);
}

#[actix_web::test]
async fn a_check_moved_onto_a_full_route_is_placed_there_and_a_less_urgent_one_leaves() {
    let app = office();
    // Three checks per shift: every route of the plan is full.
    app.set_group_capacity(3);
    let from = next_workday();
    let (plan_id, _) = plans::create_plan(&mut app.conn(), &options(from, 3), None).unwrap();
    let id = plan_id.to_string();
    let rows = baqylau::db::checks::list_for_plan(&mut app.conn(), &plan_id).unwrap();
    let route_len = |rows: &[Check], g: &MobileGroupId| {
        rows.iter()
            .filter(|r| r.planned_date == Some(from) && r.mobile_group_id.as_ref() == Some(g))
            .count()
    };
    let check = rows
        .iter()
        .find(|r| {
            r.planned_date.is_some_and(|d| d != from)
                && r.mobile_group_id
                    .as_ref()
                    .is_some_and(|g| route_len(&rows, g) == 3)
        })
        .expect("a check of a group whose first day is full");
    let group = check.mobile_group_id.clone().unwrap();
    let mut client = signed_in(&app, "prosecutor").await;
    let after = move_check(
        &app,
        &mut client,
        &id,
        &check.id,
        &format!("{group}|{from}"),
    )
    .await;
    assert_eq!(
        (
            after.mobile_group_id.as_ref(),
            after.planned_date,
            after.pinned
        ),
        (Some(&group), Some(from), true),
        "placed where the prosecutor put it (left out: {:?})",
        after.unplaced_reason
    );
    let rows = baqylau::db::checks::list_for_plan(&mut app.conn(), &plan_id).unwrap();
    assert_eq!(
        route_len(&rows, &group),
        3,
        "the shift's capacity still holds"
    );
    let problems = plans::check_stored(&mut app.conn(), &plan_id).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

/// Every check of a plan as stored (placement, pin, planned time), and the plan's version.
fn snapshot(app: &TestApp, plan_id: &PlanId) -> (Vec<String>, i32) {
    let rows = baqylau::db::checks::list_for_plan(&mut app.conn(), plan_id).unwrap();
    let mut placements: Vec<String> = rows
        .iter()
        .map(|c| {
            format!(
                "{} {:?} {:?} {:?} {:?} {} {:?}",
                c.id,
                c.mobile_group_id,
                c.planned_date,
                c.position,
                c.planned_arrival_min,
                c.pinned,
                c.unplaced_reason
            )
        })
        .collect();
    placements.sort();
    (placements, plan_version(app, plan_id.as_str()))
}

#[actix_web::test]
async fn a_move_never_pushes_out_an_earlier_pin_and_a_refused_move_changes_nothing() {
    let app = office();
    // Two checks per shift: two pins fill a route.
    app.set_group_capacity(2);
    let from = next_workday();
    let (plan_id, _) = plans::create_plan(&mut app.conn(), &options(from, 3), None).unwrap();
    let id = plan_id.to_string();
    let rows = baqylau::db::checks::list_for_plan(&mut app.conn(), &plan_id).unwrap();
    let group = rows
        .iter()
        .filter(|r| r.planned_date.is_some_and(|d| d != from))
        .find_map(|r| r.mobile_group_id.clone())
        .expect("a group working after the first day");
    let others: Vec<CheckId> = rows
        .iter()
        .filter(|r| {
            r.mobile_group_id.as_ref() == Some(&group) && r.planned_date.is_some_and(|d| d != from)
        })
        .map(|r| r.id.clone())
        .collect();
    let target = format!("{group}|{from}");
    let mut client = signed_in(&app, "prosecutor").await;
    let mut pinned = Vec::new();
    let mut refused_when_full = false;
    for check in &others {
        let before = snapshot(&app, &plan_id);
        let after = move_check(&app, &mut client, &id, check, &target).await;
        if after.pin() == Some((group.clone(), from)) {
            pinned.push(check.clone());
        } else {
            // Refused (its window against the shift, or the pins there): nothing at all moved.
            assert_eq!(
                snapshot(&app, &plan_id),
                before,
                "a refused move wrote nothing"
            );
            let page = client.get(&format!("/planning/plans/{id}")).await;
            assert_eq!(page.select(".flash-error").len(), 1, "the refusal is shown");
            assert!(
                page.select(".flash-error")[0].contains("Ничего не изменено"),
                "it says nothing changed (the office speaks Russian): {:?}",
                page.select(".flash-error")
            );
            if pinned.len() == 2 {
                refused_when_full = true;
                break;
            }
        }
        // Every pin made so far still holds, whatever the later moves did.
        for earlier in &pinned {
            assert_eq!(
                find_check(&app, earlier).unwrap().pin(),
                Some((group.clone(), from)),
                "an earlier pin holds"
            );
        }
    }
    assert_eq!(
        pinned.len(),
        2,
        "two checks fit the route and a third was refused (of {})",
        others.len()
    );
    assert!(
        refused_when_full,
        "a third check was refused on the full route"
    );
    let problems = plans::check_stored(&mut app.conn(), &plan_id).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "every refusal of a pin, each followed by its check that nothing was written"
)]
fn the_plans_service_pins_and_unpins_and_names_every_refusal_without_writing() {
    use baqylau::db::schema::audit_entries;
    use baqylau::services::Actor;
    use baqylau::services::plans::{Applied, PlanEdit, PlanEditError};
    let app = office();
    let from = next_workday();
    let (plan_id, _) = plans::create_plan(&mut app.conn(), &options(from, 1), None).unwrap();
    let row = baqylau::db::users::find_by_login(&mut app.conn(), "prosecutor")
        .unwrap()
        .unwrap();
    let id = baqylau::domain::UserId::from(row.id);
    let user = baqylau::db::users::find_user(&mut app.conn(), &id)
        .unwrap()
        .unwrap();
    let actor = Actor {
        user: &user,
        ip: Some("192.0.2.7"),
    };
    let checks = baqylau::db::checks::list_for_plan(&mut app.conn(), &plan_id).unwrap();
    let placed: Vec<&Check> = checks.iter().filter(|c| c.is_placed()).collect();
    let (check, other) = (placed[0].id.clone(), placed[1].id.clone());
    let apply = |version, edit| {
        plans::apply(
            &mut app.conn(),
            plans::shared_cache(),
            &plan_id,
            version,
            edit,
            actor,
        )
    };
    assert!(matches!(
        apply(1, PlanEdit::Pin(check.clone())),
        Ok(Applied::PinChanged)
    ));
    assert!(find_check(&app, &check).unwrap().pinned);
    assert!(matches!(
        apply(2, PlanEdit::Unpin(check.clone())),
        Ok(Applied::PinChanged)
    ));
    assert!(!find_check(&app, &check).unwrap().pinned);
    // Each refusal is named, and none writes anything: the version stays at 3.
    assert!(matches!(
        apply(2, PlanEdit::Pin(check.clone())),
        Err(PlanEditError::Conflict)
    ));
    let unknown = CheckId::from("no-such-check".to_owned());
    assert!(matches!(
        apply(3, PlanEdit::Remove(unknown)),
        Err(PlanEditError::CheckNotFound)
    ));
    let past_the_period = from + chrono::Duration::days(1);
    let group = placed[1].mobile_group_id.clone().unwrap();
    assert!(matches!(
        apply(
            3,
            PlanEdit::Move {
                check: other.clone(),
                to: Some((group, past_the_period))
            }
        ),
        Err(PlanEditError::MoveTarget)
    ));
    assert!(matches!(
        apply(
            3,
            PlanEdit::Move {
                check: other.clone(),
                to: None
            }
        ),
        Err(PlanEditError::MoveTarget)
    ));
    app.change_check(&other, |c| c.planned_date = None);
    assert!(matches!(
        apply(3, PlanEdit::TogglePin(other.clone())),
        Err(PlanEditError::PinUnplaced)
    ));
    let add = |iin: &str, kind| PlanEdit::Add {
        iin: iin.to_owned(),
        kind,
    };
    assert!(matches!(
        apply(3, add("000000000000", CheckKind::Home)),
        Err(PlanEditError::UnknownPerson)
    ));
    let planned = baqylau::db::persons::find_person(&mut app.conn(), &placed[0].person_id)
        .unwrap()
        .unwrap();
    assert!(matches!(
        apply(3, add(planned.iin.as_str(), placed[0].kind)),
        Err(PlanEditError::AlreadyPlanned)
    ));
    let missing = PlanId::from("no-such-plan".to_owned());
    assert!(matches!(
        plans::apply(
            &mut app.conn(),
            plans::shared_cache(),
            &missing,
            1,
            PlanEdit::Publish,
            actor
        ),
        Err(PlanEditError::PlanNotFound)
    ));
    assert_eq!(plan_version(&app, plan_id.as_str()), 3);
    // The two changes made are audited as the prosecutor's, from their address.
    let audited: Vec<(String, Option<String>)> = audit_entries::table
        .filter(audit_entries::entity_id.eq(plan_id.as_str()))
        .filter(audit_entries::action.eq("update"))
        .select((audit_entries::user_login, audit_entries::ip))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        audited,
        vec![("prosecutor".to_owned(), Some("192.0.2.7".to_owned())); 2]
    );
}

#[actix_web::test]
async fn a_check_with_a_status_no_one_knows_is_an_error_page_not_a_panic() {
    let app = office();
    let (plan_id, _) =
        plans::create_plan(&mut app.conn(), &options(next_workday(), 1), None).unwrap();
    let checks = baqylau::db::checks::list_for_plan(&mut app.conn(), &plan_id).unwrap();
    diesel::update(checks::table.find(checks[0].id.as_str()))
        .set(checks::status.eq("visited"))
        .execute(&mut app.conn())
        .unwrap();
    let error = baqylau::db::checks::find_check(&mut app.conn(), &checks[0].id).unwrap_err();
    assert!(error.to_string().contains("checks.status"), "{error}");
    let mut client = signed_in(&app, "prosecutor").await;
    let page = client.get(&format!("/planning/plans/{plan_id}")).await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
}

#[test]
fn publishing_a_plan_again_leaves_its_done_and_missed_checks_as_they_are() {
    let app = office();
    let (id, _) = plans::create_plan(&mut app.conn(), &options(next_workday(), 1), None).unwrap();
    assert!(plans::publish(&mut app.conn(), &id, 1).unwrap());
    let placed: Vec<String> = checks::table
        .filter(checks::plan_id.eq(id.as_str()))
        .filter(checks::status.eq(CheckStatus::Published.as_str()))
        .select(checks::id)
        .limit(2)
        .load(&mut app.conn())
        .unwrap();
    for (check, status) in placed.iter().zip([CheckStatus::Done, CheckStatus::Missed]) {
        app.change_check(&CheckId::from(check.clone()), |c| c.status = status);
    }
    let version = plan_version(&app, id.as_str());
    assert!(plans::publish(&mut app.conn(), &id, version).unwrap());
    let after: Vec<String> = placed
        .iter()
        .map(|c| {
            checks::table
                .find(c)
                .select(checks::status)
                .first(&mut app.conn())
                .unwrap()
        })
        .collect();
    assert_eq!(after, ["done", "missed"], "the visits' results stay");
}
