//! The desk pages pass axe-core (WCAG 2.1 A/AA) for every role that reads them: one browser
//! session per role (prosecutor, supervisor, administrator) walks its pages, the main ones in the
//! day and night themes at desktop (1280x800) and tablet (800x1280) sizes, the rest in both
//! themes at desktop size; the sign-in page and the error pages (404, 403) too. Every finding is
//! collected and the test fails once, listing them all. The walk keeps the screenshots of the
//! plan (summary and route) and the follow-ups (list and one) at both sizes.

use baqylau::db::schema::{checks, districts, follow_ups, mobile_groups, persons, plans, users};
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

/// Three follow-ups of the first persons (one open and assigned, one open, one closed); the
/// first one's id.
fn follow_ups(conn: &mut baqylau::db::DbConnection) -> String {
    let people: Vec<String> = persons::table
        .select(persons::id)
        .order(persons::id)
        .limit(3)
        .load(conn)
        .unwrap();
    let prosecutor: String = users::table
        .filter(users::login.eq("prosecutor"))
        .select(users::id)
        .first(conn)
        .unwrap();
    let now = chrono::Utc::now().naive_utc();
    let mut follow_up = String::new();
    for (n, (person, reason)) in people
        .iter()
        .zip(["employment_to_verify", "violation", "repeated_absence"])
        .enumerate()
    {
        let id = uuid::Uuid::now_v7().to_string();
        let (status, assigned) = match n {
            0 => ("open", Some(prosecutor.clone())),
            1 => ("open", None),
            _ => ("closed", Some(prosecutor.clone())),
        };
        diesel::insert_into(follow_ups::table)
            .values((
                follow_ups::id.eq(&id),
                follow_ups::person_id.eq(person),
                follow_ups::reason.eq(reason),
                follow_ups::status.eq(status),
                follow_ups::assigned_to.eq(&assigned),
                follow_ups::assigned_at.eq(assigned.as_ref().map(|_| now)),
                follow_ups::created_at.eq(now - chrono::Duration::days(9)),
                follow_ups::last_cause_at.eq(now - chrono::Duration::days(2)),
                follow_ups::cause_count.eq(2),
                follow_ups::version.eq(1),
                follow_ups::closed_at.eq((status == "closed").then_some(now)),
                follow_ups::closed_by.eq((status == "closed").then(|| prosecutor.clone())),
                follow_ups::outcome.eq((status == "closed").then_some("resolved")),
                follow_ups::note.eq((status == "closed").then_some("Works at the bakery.")),
            ))
            .execute(conn)
            .unwrap();
        if n == 0 {
            follow_up = id;
        }
    }
    follow_up
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
