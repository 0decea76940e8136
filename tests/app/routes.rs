//! The access table: every route the URL table registers (`baqylau::web::route_list`), for every
//! role and for no sign-in, with the answer each must get; CSRF on every state-changing route;
//! officers kept to their group's checks; and an audit entry for every view of a person's record.
//!
//! A route added to the app without a row here fails `every_route_has_a_row` by name, so a new
//! route cannot ship without its guard being stated and tested.

use actix_web::http::{Method, StatusCode};
use baqylau::db::checks::CheckRow;
use baqylau::db::schema::{audit_entries, users};
use diesel::prelude::*;

use crate::support::builders::Office;
use crate::support::{PASSWORD, TestApp, TestClient};
use crate::visits::{published_checks, visit};

/// The signed-in roles, by the demo login of each.
const LOGINS: [&str; 4] = ["admin", "prosecutor", "supervisor", "officer01"];
/// No sign-in, in the `allowed` lists.
pub const ANONYMOUS: &str = "anonymous";

const OPEN: &[&str] = &[ANONYMOUS, "admin", "prosecutor", "supervisor", "officer01"];
const SIGNED_IN: &[&str] = &["admin", "prosecutor", "supervisor", "officer01"];
const PROSECUTOR: &[&str] = &["prosecutor"];
const REPORTS: &[&str] = &["prosecutor", "supervisor"];
const ADMIN: &[&str] = &["admin"];
const OFFICER: &[&str] = &["officer01"];

/// One route: who may reach it, and the status an allowed role gets for the request the test
/// sends (a GET, an empty form with a valid CSRF token, or a valid visit for the API). Others
/// get 403 when signed in; without sign-in, a redirect to the sign-in page (401 from the API).
pub struct Row {
    pub method: Method,
    pub pattern: &'static str,
    pub allowed: &'static [&'static str],
    answer: u16,
    /// A different answer for a signed-in user, where there is one.
    signed_in: Option<u16>,
    /// A different answer for the officer, where there is one.
    officer: Option<u16>,
    /// The route shows a person's record, so each view must leave a `read` audit entry.
    reads_person: bool,
}

fn row(
    method: Method,
    pattern: &'static str,
    allowed: &'static [&'static str],
    answer: u16,
) -> Row {
    Row {
        method,
        pattern,
        allowed,
        answer,
        signed_in: None,
        officer: None,
        reads_person: false,
    }
}

fn get(pattern: &'static str, allowed: &'static [&'static str], answer: u16) -> Row {
    row(Method::GET, pattern, allowed, answer)
}

fn post(pattern: &'static str, allowed: &'static [&'static str], answer: u16) -> Row {
    row(Method::POST, pattern, allowed, answer)
}

fn signed_in_answer(mut row: Row, answer: u16) -> Row {
    row.signed_in = Some(answer);
    row
}

fn officer_answer(mut row: Row, answer: u16) -> Row {
    row.officer = Some(answer);
    row
}

fn reading(mut row: Row) -> Row {
    row.reads_person = true;
    row
}

/// The expected answers. Add a row with every new route (method and whole pattern as in
/// `src/web/mod.rs`).
#[expect(
    clippy::too_many_lines,
    reason = "the expected answer of every route, one row each, beside the URL table of src/web/mod.rs"
)]
pub fn table() -> Vec<Row> {
    vec![
        get("/healthz", OPEN, 200),
        get("/static/{path:.*}", OPEN, 200),
        // Signed in, the sign-in page sends the user home.
        signed_in_answer(get("/login", OPEN, 200), 303),
        post("/login", OPEN, 422),
        post("/preferences", OPEN, 303),
        // Set-up is gone once any user exists.
        get("/setup", OPEN, 404),
        post("/setup", OPEN, 404),
        get("/registry/persons", PROSECUTOR, 200),
        post("/registry/persons", PROSECUTOR, 422),
        get("/registry/persons/new", PROSECUTOR, 200),
        reading(get("/registry/persons/{id}", PROSECUTOR, 200)),
        post("/registry/persons/{id}", PROSECUTOR, 400),
        reading(get("/registry/persons/{id}/edit", PROSECUTOR, 200)),
        get("/registry/addresses", PROSECUTOR, 200),
        get("/registry/import", PROSECUTOR, 200),
        post("/registry/import/check", PROSECUTOR, 400),
        post("/registry/import/run", PROSECUTOR, 303),
        reading(get("/registry/export", PROSECUTOR, 200)),
        get("/registry/offences/import", PROSECUTOR, 200),
        post("/registry/offences/import/check", PROSECUTOR, 400),
        post("/registry/offences/import/run", PROSECUTOR, 303),
        get("/planning", PROSECUTOR, 200),
        post("/planning/plans", PROSECUTOR, 422),
        // A job is the session's own; one that does not exist (or ended) is a 404.
        get("/planning/jobs/{id}", PROSECUTOR, 404),
        get("/planning/plans/{id}", PROSECUTOR, 200),
        get(
            "/planning/plans/{id}/routes/{group}/{date}",
            PROSECUTOR,
            200,
        ),
        get("/planning/plans/{id}/left-out", PROSECUTOR, 200),
        post("/planning/plans/{id}/publish", PROSECUTOR, 400),
        post("/planning/plans/{id}/reoptimise", PROSECUTOR, 400),
        post("/planning/plans/{id}/checks", PROSECUTOR, 303),
        post(
            "/planning/plans/{id}/checks/{check}/{action}",
            PROSECUTOR,
            400,
        ),
        get("/follow-ups", PROSECUTOR, 200),
        reading(get("/follow-ups/{id}", PROSECUTOR, 200)),
        // An empty form (no version) shows the follow-up again: one read.
        reading(post("/follow-ups/{id}/assign", PROSECUTOR, 422)),
        reading(post("/follow-ups/{id}/close", PROSECUTOR, 422)),
        get("/reports", REPORTS, 200),
        get("/reports/today", REPORTS, 200),
        get("/reports/crime", REPORTS, 200),
        get("/reports/coverage", REPORTS, 200),
        get("/reports/groups", REPORTS, 200),
        get("/reports/coverage-vs-crime", REPORTS, 200),
        get("/admin/users", ADMIN, 200),
        post("/admin/users", ADMIN, 422),
        get("/admin/users/new", ADMIN, 200),
        get("/admin/users/{id}/edit", ADMIN, 200),
        post("/admin/users/{id}", ADMIN, 422),
        post("/admin/users/{id}/disable", ADMIN, 303),
        post("/admin/users/{id}/enable", ADMIN, 303),
        post("/admin/users/{id}/password", ADMIN, 422),
        get("/admin/users/{id}/sessions", ADMIN, 200),
        post("/admin/users/{id}/sessions/end-all", ADMIN, 303),
        post("/admin/users/{id}/sessions/{session}/end", ADMIN, 303),
        get("/admin/mobile-groups", ADMIN, 200),
        post("/admin/mobile-groups", ADMIN, 422),
        get("/admin/mobile-groups/new", ADMIN, 200),
        get("/admin/mobile-groups/{id}/edit", ADMIN, 200),
        post("/admin/mobile-groups/{id}", ADMIN, 422),
        get("/admin/districts", ADMIN, 200),
        get("/admin/districts/{code}/edit", ADMIN, 200),
        post("/admin/districts/{code}", ADMIN, 422),
        post("/admin/districts/{code}/boundary", ADMIN, 422),
        get("/admin/contact-standards", ADMIN, 200),
        post("/admin/contact-standards", ADMIN, 422),
        get("/admin/contact-standards/edit", ADMIN, 200),
        get("/admin/audit", ADMIN, 200),
        get("/field/today", OFFICER, 200),
        get("/field/sw.js", OFFICER, 200),
        reading(get("/field/stops/{check}", OFFICER, 200)),
        // An invalid visit shows the stop page again with the record: one read.
        reading(post("/field/stops/{check}/visit", OFFICER, 422)),
        row(Method::PUT, "/api/v1/visits/{id}", OFFICER, 201),
        // An officer's home is today's route.
        officer_answer(get("/", SIGNED_IN, 200), 303),
        post("/logout", SIGNED_IN, 303),
        get("/account", SIGNED_IN, 200),
        post("/account/password", SIGNED_IN, 422),
        // Another user's session, or none: not found.
        post("/account/sessions/{id}/end", SIGNED_IN, 404),
    ]
}

/// The records the placeholders of the patterns are filled with.
pub struct Fixture {
    person: String,
    plan: String,
    pub own: CheckRow,
    other: CheckRow,
    user: String,
    group: String,
    follow_up: String,
}

impl Fixture {
    pub fn new(app: &TestApp, office: &Office) -> Self {
        let (own, other) = published_checks(app, office);
        let user = users::table
            .filter(users::login.eq("officer03"))
            .select(users::id)
            .first(&mut app.conn())
            .unwrap();
        let group = office.groups[0].to_string();
        let follow_up = crate::followups::open_follow_up(app, &own.person_id, "violation");
        Fixture {
            follow_up,
            person: own.person_id.clone(),
            plan: own.plan_id.clone().unwrap(),
            own,
            other,
            user,
            group,
        }
    }

    /// The pattern with each `{placeholder}` replaced by a record named by the segment before it;
    /// `check` is the check the field routes name.
    pub fn path(&self, pattern: &str, check: &CheckRow) -> String {
        let mut out: Vec<String> = Vec::new();
        for segment in pattern.split('/') {
            let value = if segment.starts_with('{') {
                let before = out.last().map(String::as_str).unwrap_or("");
                match (before, segment) {
                    (_, "{path:.*}") => "css/app.css".to_owned(),
                    (_, "{action}") => "remove".to_owned(),
                    (_, "{date}") => check.planned_date.unwrap_or_default().to_string(),
                    ("routes", _) => check.mobile_group_id.clone().unwrap_or_default(),
                    ("persons", _) => self.person.clone(),
                    ("jobs", _) => "no-such-job".to_owned(),
                    ("plans", _) => self.plan.clone(),
                    ("users", _) => self.user.clone(),
                    ("mobile-groups", _) => self.group.clone(),
                    ("districts", _) => "OFC-W".to_owned(),
                    ("follow-ups", _) => self.follow_up.clone(),
                    ("stops" | "checks", _) => check.id.clone(),
                    ("visits", _) => uuid::Uuid::now_v7().to_string(),
                    ("sessions", _) => "0".repeat(64),
                    _ => panic!("{pattern}: no fixture for {segment} after {before:?}"),
                }
            } else {
                segment.to_owned()
            };
            out.push(value);
        }
        out.join("/")
    }
}

/// Sends the row's request; `token` is the CSRF token to send (none: none at all).
async fn request(
    client: &mut TestClient,
    row: &Row,
    path: &str,
    check: &CheckRow,
    token: Option<&str>,
) -> crate::support::client::Page {
    let token = token.unwrap_or("");
    match row.method {
        Method::GET => client.get(path).await,
        Method::PUT => {
            client
                .put_json_with_token(path, &visit(check, "present"), token)
                .await
        }
        _ if token.is_empty() => client.post_form_raw(path, &[]).await,
        _ => client.post_form_raw(path, &[("csrf_token", token)]).await,
    }
}

pub async fn signed_in(app: &TestApp, login: &str) -> TestClient {
    let mut client = app.client().await;
    if login != ANONYMOUS {
        let answer = client.sign_in(login, PASSWORD).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{login} signs in");
    }
    client
}

fn person_reads(app: &TestApp, login: &str) -> i64 {
    audit_entries::table
        .filter(audit_entries::action.eq("read"))
        .filter(audit_entries::entity_kind.eq("person"))
        .filter(audit_entries::user_login.eq(login))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

fn key(method: &Method, pattern: &str) -> String {
    format!("{method} {pattern}")
}

#[test]
fn every_route_has_a_row_and_every_row_a_route() {
    let routes: Vec<String> = baqylau::web::route_list()
        .iter()
        .map(|r| key(&r.method, &r.path))
        .collect();
    let rows: Vec<String> = table().iter().map(|r| key(&r.method, r.pattern)).collect();
    let missing: Vec<&String> = routes.iter().filter(|r| !rows.contains(r)).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in tests/app/routes.rs `table()` (add one saying who may reach \
         them): {missing:#?}"
    );
    let stale: Vec<&String> = rows.iter().filter(|r| !routes.contains(r)).collect();
    assert!(
        stale.is_empty(),
        "rows for routes the app no longer has: {stale:#?}"
    );
}

#[test]
fn the_table_agrees_with_the_guards_of_the_url_table() {
    for route in baqylau::web::route_list() {
        let Some(row) = table()
            .into_iter()
            .find(|r| r.method == route.method && r.pattern == route.path)
        else {
            continue;
        };
        let open = row.allowed.contains(&ANONYMOUS);
        assert_eq!(
            route.roles.is_none(),
            open,
            "{} {}",
            route.method,
            route.path
        );
    }
}

#[actix_web::test]
async fn every_route_answers_every_role_and_no_sign_in_as_the_table_says() {
    let (app, office) = TestApp::office();
    let fx = Fixture::new(&app, &office);
    let mut wrong = Vec::new();
    for login in std::iter::once(ANONYMOUS).chain(LOGINS) {
        let mut client = signed_in(&app, login).await;
        for row in table() {
            let path = fx.path(row.pattern, &fx.own);
            // Signing out ends the session: it runs on a client of its own.
            let mut own_client;
            let client = if row.pattern == "/logout" {
                own_client = signed_in(&app, login).await;
                &mut own_client
            } else {
                &mut client
            };
            let token = client.csrf_token().await;
            let reads_before = person_reads(&app, login);
            let answer = request(client, &row, &path, &fx.own, Some(&token)).await;
            let api = path.starts_with("/api/");
            let expected = if row.allowed.contains(&login) {
                match (row.officer, row.signed_in) {
                    (Some(answer), _) if login == "officer01" => answer,
                    (_, Some(answer)) if login != ANONYMOUS => answer,
                    _ => row.answer,
                }
            } else if login != ANONYMOUS {
                403
            } else if api {
                401
            } else {
                303
            };
            if answer.status.as_u16() != expected {
                wrong.push(format!(
                    "{login:>10} {} {path}: {} (expected {expected})",
                    row.method, answer.status
                ));
            }
            if expected == 303 && login == ANONYMOUS && !row.allowed.contains(&login) {
                assert!(
                    answer.location().starts_with("/login?next="),
                    "anonymous {path} goes to sign-in: {}",
                    answer.location()
                );
            }
            assert!(
                !answer.body.contains('⟦'),
                "{login} {path}: a missing translation"
            );
            let reads = person_reads(&app, login) - reads_before;
            let should_read = row.reads_person && row.allowed.contains(&login);
            assert_eq!(
                reads,
                i64::from(should_read),
                "{login} {} {path}: person-record reads audited",
                row.method
            );
        }
    }
    assert!(
        wrong.is_empty(),
        "answers not as the table says:\n{}",
        wrong.join("\n")
    );
}

#[actix_web::test]
async fn every_state_changing_route_refuses_a_missing_or_wrong_csrf_token() {
    let (app, office) = TestApp::office();
    let fx = Fixture::new(&app, &office);
    let stored_visits = || -> i64 {
        baqylau::db::schema::visits::table
            .count()
            .get_result(&mut app.conn())
            .unwrap()
    };
    // The fixture's follow-up came with the visit that found it.
    let visits_before = stored_visits();
    let mut clients = Vec::new();
    for login in OPEN {
        clients.push((*login, signed_in(&app, login).await));
    }
    let mut accepted = Vec::new();
    for row in table().into_iter().filter(|r| r.method != Method::GET) {
        let login = row.allowed[0];
        let client = &mut clients.iter_mut().find(|(l, _)| *l == login).unwrap().1;
        let path = fx.path(row.pattern, &fx.own);
        for token in [None, Some("forged-token")] {
            let answer = request(client, &row, &path, &fx.own, token).await;
            if answer.status != StatusCode::FORBIDDEN {
                accepted.push(format!(
                    "{login} {} {path} with token {token:?}: {}",
                    row.method, answer.status
                ));
            }
        }
    }
    assert!(
        accepted.is_empty(),
        "state changes without a valid token:\n{}",
        accepted.join("\n")
    );
    assert_eq!(
        stored_visits(),
        visits_before,
        "no visit stored without a token"
    );
}

#[actix_web::test]
async fn an_officer_is_refused_every_field_route_for_another_groups_check() {
    let (app, office) = TestApp::office();
    let fx = Fixture::new(&app, &office);
    let mut client = signed_in(&app, "officer01").await;
    // Every officer route that names a check (in its path or, for the API, its body).
    let field_routes: Vec<Row> = table()
        .into_iter()
        .filter(|r| r.allowed == OFFICER && r.pattern.contains('{'))
        .collect();
    assert!(
        field_routes.len() >= 3,
        "the stop page, its form and the API"
    );
    for row in field_routes {
        let path = fx.path(row.pattern, &fx.other);
        let token = client.csrf_token().await;
        let answer = request(&mut client, &row, &path, &fx.other, Some(&token)).await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "{} {path} for another group's check: {}",
            row.method,
            answer.body
        );
    }
    let denied: i64 = audit_entries::table
        .filter(audit_entries::action.eq("denied"))
        .filter(audit_entries::entity_id.eq(&fx.other.person_id))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(denied, 3, "each refusal is audited");
    assert_eq!(person_reads(&app, "officer01"), 0, "no record shown");
}

/// Whether `path` (without its query) is one of `pattern`'s paths: the same segments, a
/// `{placeholder}` standing for any one.
fn is_path_of(pattern: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default();
    let (p, q): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == q.len()
        && p.iter()
            .zip(&q)
            .all(|(a, b)| a == b || (a.starts_with('{') && !b.is_empty()))
}

#[test]
fn every_typed_path_is_a_page_of_the_route_table() {
    use baqylau::domain::{CheckId, FollowUpId, MobileGroupId, PersonId, PlanId, UserId};
    use baqylau::web::paths;
    let (person, plan) = (PersonId::new(), PlanId::new());
    let group = MobileGroupId::new();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    let typed = [
        paths::SIGN_IN.to_owned(),
        paths::ACCOUNT.to_owned(),
        paths::PERSONS.to_owned(),
        paths::PERSON_IMPORT.to_owned(),
        paths::OFFENCE_IMPORT.to_owned(),
        paths::PLANNING.to_owned(),
        paths::FOLLOW_UPS.to_owned(),
        paths::REPORTS.to_owned(),
        paths::REPORT_TODAY.to_owned(),
        paths::REPORT_CRIME.to_owned(),
        paths::REPORT_COVERAGE.to_owned(),
        paths::REPORT_GROUPS.to_owned(),
        paths::REPORT_COVERAGE_VS_CRIME.to_owned(),
        paths::FIELD_TODAY.to_owned(),
        paths::USERS.to_owned(),
        paths::MOBILE_GROUPS.to_owned(),
        paths::DISTRICTS.to_owned(),
        paths::CONTACT_STANDARDS.to_owned(),
        paths::AUDIT.to_owned(),
        paths::person(&person),
        paths::person_edit(&person),
        paths::plan(&plan),
        paths::plan_route(&plan, &group, day),
        paths::plan_left_out(&plan, Some("no_capacity")),
        paths::plan_left_out(&plan, None),
        paths::plan_job("job-1"),
        paths::follow_up(&FollowUpId::new()),
        paths::stop(&CheckId::new()),
        paths::user_sessions(&UserId::new()),
        paths::user_edit(&UserId::new()),
        paths::mobile_group_edit(&group),
    ];
    let gets: Vec<&str> = table()
        .into_iter()
        .filter(|r| r.method == Method::GET)
        .map(|r| r.pattern)
        .collect();
    for path in &typed {
        assert!(
            gets.iter().any(|pattern| is_path_of(pattern, path)),
            "{path} is no GET route of the table"
        );
    }
    // The matcher itself tells a wrong path from a right one.
    assert!(!is_path_of("/registry/persons/{id}", "/registry/person/x"));
    assert!(!is_path_of(
        "/registry/persons/{id}",
        "/registry/persons/x/edit"
    ));
}

#[test]
fn every_typed_form_action_is_a_post_route_of_the_table() {
    use baqylau::domain::{CheckId, FollowUpId, PlanId, UserId};
    use baqylau::web::paths;
    let plan = PlanId::new();
    let (check, user, follow_up) = (CheckId::new(), UserId::new(), FollowUpId::new());
    let posted = [
        paths::follow_up_assign(&follow_up),
        paths::follow_up_close(&follow_up),
        paths::plan_publish(&plan),
        paths::plan_reoptimise(&plan),
        paths::plan_add_check(&plan),
        paths::plan_check(&plan, &check, paths::CheckChange::Move),
        paths::plan_check(&plan, &check, paths::CheckChange::Pin),
        paths::plan_check(&plan, &check, paths::CheckChange::Remove),
        paths::stop_visit(&check),
        paths::user(&user),
        paths::user_action(&user, paths::UserAction::Password),
        paths::user_action(&user, paths::UserAction::Disable),
        paths::user_action(&user, paths::UserAction::Enable),
        paths::user_end_sessions(&user),
    ];
    let posts: Vec<&str> = table()
        .into_iter()
        .filter(|r| r.method == Method::POST)
        .map(|r| r.pattern)
        .collect();
    for path in &posted {
        assert!(
            posts.iter().any(|pattern| is_path_of(pattern, path)),
            "{path} is no POST route of the table"
        );
    }
}
