//! The desk pages pass axe-core (WCAG 2.1 A/AA) for every role that reads them: one browser
//! session per role (prosecutor, supervisor, administrator) walks its pages, the main ones in the
//! day and night themes at desktop (1280x800) and tablet (800x1280) sizes, the rest in both
//! themes at desktop size; the sign-in page and the error pages (404, 403) too. Every finding is
//! collected and the test fails once, listing them all. The walk keeps the screenshots of the
//! plan (summary and route) and the follow-ups (list and one) at both sizes.

use baqylau::db;
use baqylau::db::follow_ups::Closing;
use baqylau::db::schema::{checks, districts, mobile_groups, persons, plans, users};
use baqylau::db::visits::VisitRow;
use baqylau::domain::follow_up::FollowUpOutcome;
use baqylau::domain::person::CheckKind;
use baqylau::domain::visit::{EvidenceQuality, FollowUpReason, Visit, VisitOutcome};
use baqylau::domain::{PersonId, UserId, VisitId};
use diesel::prelude::*;

use crate::support::{Browser, Driver, Server, publish_today};

/// The sizes the main pages are scanned at: desktop, then tablet.
const SIZES: [(u32, u32); 2] = [(1280, 800), (800, 1280)];

/// What the walk needs from the database: ids to put in the pages' paths.
struct Ids {
    person: String,
    plan: String,
    route: String,
    follow_up: String,
    user: String,
    group: String,
    district: String,
}

/// Two visits nine and two days ago to `person` by officer01 that call for a follow-up of
/// `reason`, stored through `db::visits` as the field API stores them: the follow-up they open
/// (two causes, opened nine days ago).
fn open_follow_up(
    conn: &mut baqylau::db::DbConnection,
    person: &PersonId,
    reason: FollowUpReason,
) -> String {
    let officer = db::users::find_by_login(conn, "officer01")
        .unwrap()
        .unwrap();
    let (outcome, kind) = match reason {
        FollowUpReason::EmploymentToVerify => (VisitOutcome::NotEmployed, CheckKind::Work),
        FollowUpReason::RepeatedAbsence => (VisitOutcome::Absent, CheckKind::Home),
        _ => (VisitOutcome::Violation, CheckKind::Home),
    };
    let now = chrono::Utc::now().naive_utc();
    let mut first = None;
    for days in [9, 2] {
        let at = now - chrono::Duration::days(days);
        let visit = Visit {
            id: VisitId::new(),
            check_id: None,
            person_id: person.clone(),
            kind,
            officer_id: UserId::from(officer.id.clone()),
            mobile_group_id: None,
            outcome,
            violation_kind: None,
            notes: None,
            device_at: at,
            server_at: at,
            position: None,
            accuracy_m: None,
            distance_m: None,
            far_from_address: false,
            evidence: EvidenceQuality::NoPosition,
            check_was_cancelled: false,
            ad_hoc: true,
            payload: "{}".to_owned(),
        };
        db::visits::insert(conn, &VisitRow::from(&visit), None, Some(reason)).unwrap();
        first.get_or_insert(visit.id);
    }
    let first = first.unwrap();
    db::follow_ups::list_open(conn)
        .unwrap()
        .into_iter()
        .find(|f| f.person_id == person.as_str() && f.reason == reason.as_str())
        .unwrap_or_else(|| panic!("no follow-up opened by visit {first}"))
        .id
}

/// Three follow-ups of the first persons, opened by visits (one open and assigned to the
/// prosecutor, one open, one closed by the prosecutor); the first one's id.
fn follow_ups(conn: &mut baqylau::db::DbConnection) -> String {
    let people = db::persons::list_all_persons(conn).unwrap();
    let prosecutor = db::users::find_by_login(conn, "prosecutor")
        .unwrap()
        .unwrap();
    let prosecutor = UserId::from(prosecutor.id);
    let now = chrono::Utc::now().naive_utc();
    let reasons = [
        FollowUpReason::EmploymentToVerify,
        FollowUpReason::Violation,
        FollowUpReason::RepeatedAbsence,
    ];
    let ids: Vec<String> = people
        .iter()
        .zip(reasons)
        .map(|(person, reason)| open_follow_up(conn, &person.id, reason))
        .collect();
    for id in [&ids[0], &ids[2]] {
        let assigned = db::follow_ups::assign(conn, id, 1, Some(&prosecutor), now).unwrap();
        assert_eq!(assigned, 1);
    }
    let closing = Closing {
        version: 2,
        outcome: FollowUpOutcome::Resolved,
        note: "Works at the bakery.",
        by: &prosecutor,
        at: now,
    };
    assert_eq!(db::follow_ups::close(conn, &ids[2], &closing).unwrap(), 1);
    ids[0].clone()
}

/// A published plan for today and three open follow-ups (one assigned, one closed), then the ids.
fn prepare(server: &Server) -> Ids {
    let pool = server.pool();
    publish_today(&pool, 1);
    let mut conn = pool.get().unwrap();
    let plan: String = plans::table.select(plans::id).first(&mut conn).unwrap();
    let (group, date): (Option<String>, Option<chrono::NaiveDate>) = checks::table
        .filter(checks::plan_id.eq(&plan))
        .filter(checks::planned_date.is_not_null())
        .select((checks::mobile_group_id, checks::planned_date))
        .first(&mut conn)
        .unwrap();
    let person: String = persons::table
        .select(persons::id)
        .order(persons::id)
        .first(&mut conn)
        .unwrap();
    let follow_up = follow_ups(&mut conn);
    let mobile_group: String = mobile_groups::table
        .select(mobile_groups::id)
        .first(&mut conn)
        .unwrap();
    let district: String = districts::table
        .select(districts::code)
        .first(&mut conn)
        .unwrap();
    let officer: String = users::table
        .filter(users::login.eq("officer01"))
        .select(users::id)
        .first(&mut conn)
        .unwrap();
    Ids {
        person,
        route: format!(
            "/planning/plans/{plan}/routes/{}/{}",
            group.unwrap(),
            date.unwrap()
        ),
        plan,
        follow_up,
        user: officer,
        group: mobile_group,
        district,
    }
}

/// A page of the walk: its path, what names it, and whether it is a main page (both sizes).
struct Page {
    path: String,
    what: &'static str,
    main: bool,
}

fn page(path: impl Into<String>, what: &'static str, main: bool) -> Page {
    Page {
        path: path.into(),
        what,
        main,
    }
}

/// The current page's findings, one line each, in the day and night themes.
async fn scan(b: &Browser, what: &str, size: (u32, u32), found: &mut Vec<String>) {
    for dark in [false, true] {
        b.theme(dark).await;
        let theme = if dark { "night" } else { "day" };
        for v in b.axe().await {
            found.push(format!(
                "{what} ({theme}, {}x{}): {} ({}): {}\n    {}",
                size.0,
                size.1,
                v.id,
                v.impact.as_deref().unwrap_or("?"),
                v.help,
                v.nodes.join("\n    ")
            ));
        }
    }
    b.theme(false).await;
}

/// Opens each page and scans it; main pages at both sizes.
async fn walk(b: &Browser, server: &Server, pages: &[Page], found: &mut Vec<String>) {
    for p in pages {
        let sizes: &[(u32, u32)] = if p.main { &SIZES } else { &SIZES[..1] };
        for &(w, h) in sizes {
            b.viewport(w, h).await;
            b.open_page(&server.url(&p.path), "main").await;
            scan(b, &format!("{} {}", p.what, p.path), (w, h), found).await;
        }
    }
    b.viewport(1280, 800).await;
}

/// Screenshots of `path` at `sizes`, named `{name}-{w}x{h}`.
async fn shots(b: &Browser, server: &Server, path: &str, name: &str, sizes: &[(u32, u32)]) {
    for &(w, h) in sizes {
        b.viewport(w, h).await;
        b.open_page(&server.url(path), "main").await;
        b.screenshot(&format!("{name}-{w}x{h}")).await;
    }
    b.viewport(1280, 800).await;
}

/// The person form sent empty: the error summary and the fields' messages.
async fn empty_person_form(b: &Browser, server: &Server, found: &mut Vec<String>) {
    b.open_page(&server.url("/registry/persons/new"), "main form")
        .await;
    b.js(
        "document.querySelectorAll('[required]').forEach(e => e.removeAttribute('required')); \
          return true;",
    )
    .await;
    b.submit("main form").await;
    b.wait_for(".error-summary").await;
    scan(b, "the person form with errors", (1280, 800), found).await;
}

/// A persons' file with a bad row checked: the import page's table of errors.
async fn import_errors(b: &Browser, server: &Server, found: &mut Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, "iin,last_name,first_name\n123,Иванов,\n").unwrap();
    b.open_page(&server.url("/registry/import"), "#import-file")
        .await;
    b.type_into("#import-file", file.to_str().unwrap()).await;
    b.submit(".upload-form").await;
    b.wait_for("#import-errors").await;
    scan(b, "the import's errors", (1280, 800), found).await;
}

fn prosecutor_pages(ids: &Ids) -> Vec<Page> {
    vec![
        page("/", "the prosecutor's home", true),
        page("/registry/persons", "the registry", true),
        page(
            format!("/registry/persons/{}", ids.person),
            "a person",
            true,
        ),
        page("/registry/persons/new", "the new person form", false),
        page(
            format!("/registry/persons/{}/edit", ids.person),
            "the person edit form",
            true,
        ),
        page("/registry/import", "the persons' import", false),
        page("/registry/offences/import", "the offences' import", false),
        page("/planning", "the plan form", true),
        page(
            format!("/planning/plans/{}", ids.plan),
            "the plan's summary",
            true,
        ),
        page(ids.route.clone(), "a plan's route", true),
        page(
            format!("/planning/plans/{}/left-out", ids.plan),
            "the left-out checks",
            false,
        ),
        page("/follow-ups", "the follow-ups", true),
        page("/follow-ups?status=closed", "the closed follow-ups", false),
        page(
            format!("/follow-ups/{}", ids.follow_up),
            "a follow-up",
            true,
        ),
        page("/reports/today", "today, live", true),
        page("/reports/coverage", "the coverage report", true),
        page("/account", "the account", false),
        page("/registry/persons/no-such-person", "the 404 page", false),
        page("/admin/users", "the 403 page", false),
    ]
}

fn supervisor_pages() -> Vec<Page> {
    vec![
        page("/", "the supervisor's home (headline)", true),
        page("/reports", "the reports", false),
        page("/reports/today", "today, live", false),
        page("/reports/coverage", "the coverage report", true),
        page("/reports/coverage-vs-crime", "coverage against crime", true),
        page("/reports/groups", "the groups report", true),
        page("/reports/crime", "the crime report", true),
        // A year of the demo's offences: the charts and tables full.
        page(
            "/reports/crime?from=2025-01-01&to=2025-12-31",
            "the crime report of 2025",
            false,
        ),
        page(
            "/reports/coverage-vs-crime?from=2025-01-01&to=2025-12-31",
            "coverage against crime in 2025",
            false,
        ),
        page("/account", "the account", false),
        page("/registry/persons", "the 403 page", false),
    ]
}

fn admin_pages(ids: &Ids) -> Vec<Page> {
    vec![
        page("/", "the administrator's home", false),
        page("/admin/users", "the users", true),
        page("/admin/users/new", "the new user form", false),
        page(
            format!("/admin/users/{}/edit", ids.user),
            "a user's form",
            true,
        ),
        page(
            format!("/admin/users/{}/sessions", ids.user),
            "a user's sessions",
            false,
        ),
        page("/admin/mobile-groups", "the groups", false),
        page("/admin/mobile-groups/new", "the new group form", false),
        page(
            format!("/admin/mobile-groups/{}/edit", ids.group),
            "a group's form",
            false,
        ),
        page("/admin/districts", "the districts", false),
        page(
            format!("/admin/districts/{}/edit", ids.district),
            "a district's form",
            false,
        ),
        page("/admin/contact-standards", "the contact standards", false),
        page(
            "/admin/contact-standards/edit",
            "the contact standards' form",
            false,
        ),
        page("/admin/audit", "the audit log", false),
        page("/account", "the account", false),
        page("/planning", "the 403 page", false),
    ]
}

#[actix_web::test]
async fn every_desk_page_passes_axe_for_every_role_in_both_themes() {
    let start = std::time::Instant::now();
    let server = Server::start();
    let ids = prepare(&server);
    println!("desk: server and today's plan in {:?}", start.elapsed());
    let driver = Driver::start();
    let mut found = Vec::new();

    let b = Browser::open(&driver).await;
    b.viewport(1280, 800).await;
    b.open_page(&server.url("/login"), "#login").await;
    scan(&b, "the sign-in page", (1280, 800), &mut found).await;
    b.sign_in(&server, "prosecutor").await;
    walk(&b, &server, &prosecutor_pages(&ids), &mut found).await;
    empty_person_form(&b, &server, &mut found).await;
    import_errors(&b, &server, &mut found).await;
    // The planning test keeps the plan's pages at desktop size; the tablet's are kept here.
    let plan = format!("/planning/plans/{}", ids.plan);
    shots(&b, &server, &plan, "plan", &SIZES[1..]).await;
    shots(&b, &server, &ids.route, "plan-route", &SIZES[1..]).await;
    shots(&b, &server, "/follow-ups", "follow-ups", &SIZES).await;
    let one = format!("/follow-ups/{}", ids.follow_up);
    shots(&b, &server, &one, "follow-up", &SIZES).await;
    b.close().await;
    println!("desk: the prosecutor's walk done at {:?}", start.elapsed());

    for (login, pages) in [
        ("supervisor", supervisor_pages()),
        ("admin", admin_pages(&ids)),
    ] {
        let b = Browser::open(&driver).await;
        b.viewport(1280, 800).await;
        b.sign_in(&server, login).await;
        walk(&b, &server, &pages, &mut found).await;
        b.close().await;
        println!("desk: the {login}'s walk done at {:?}", start.elapsed());
    }
    assert!(
        found.is_empty(),
        "axe-core (WCAG 2.1 A/AA) found {} problems on the desk pages:\n{}",
        found.len(),
        found.join("\n")
    );
}
