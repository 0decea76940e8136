//! The follow-ups workflow (issue 16, item 7): one open follow-up per person and kind, the
//! prosecutors' queue (filters, urgency, pages, audited reads), assigning and closing (audited,
//! version-checked, bad input named), the guards, and the counts on the prosecutor's home.

use actix_web::http::StatusCode;
use baqylau::db::schema::{audit_entries, follow_ups, mobile_group_districts, persons, users};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use baqylau::domain::PersonId;
use baqylau::domain::visit::{FollowUpReason, VisitOutcome};

use crate::routes::signed_in;
use crate::support::builders::{Office, person};
use crate::support::records::visit;
use crate::support::{TestApp, TestClient, signed_in_english};

/// Opens a follow-up of `reason` for `person` now, as a visit finding it does (recorded through
/// `db::visits`); returns its id.
pub fn open_follow_up(app: &TestApp, person: &str, reason: &str) -> String {
    open_follow_up_at(app, person, reason, chrono::Utc::now().naive_utc())
}

/// Opens a follow-up of `reason` for `person` by a visit of officer01 at `at` (UTC) whose
/// outcome calls for it; returns its id.
fn open_follow_up_at(app: &TestApp, person: &str, reason: &str, at: NaiveDateTime) -> String {
    let reason = FollowUpReason::parse(reason).unwrap();
    let (outcome, at_work) = match reason {
        FollowUpReason::RepeatedAbsence => (VisitOutcome::Absent, false),
        FollowUpReason::Violation => (VisitOutcome::Violation, false),
        FollowUpReason::MovedAway => (VisitOutcome::MovedAway, false),
        FollowUpReason::EmploymentToVerify => (VisitOutcome::NotEmployed, true),
    };
    let officer = app.user_id("officer01");
    let person = PersonId::from(person.to_owned());
    let mut found = visit(&person, &officer, at, outcome).raising(reason);
    if at_work {
        found = found.at_work();
    }
    let visit_id = app.record_visit(found);
    baqylau::db::follow_ups::list_open(&mut app.conn())
        .unwrap()
        .into_iter()
        .find(|f| f.visit_id.as_deref() == Some(visit_id.as_str()))
        .unwrap()
        .id
}

/// `n` new persons of the office, in its two districts by turns; their ids.
fn person_ids(app: &TestApp, office: &Office, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let (district, home) = (&office.districts[i % 2], office.point_in(i % 2, i));
            let someone = person(
                "Сейткали",
                &format!("Тест{i}"),
                i as u16 + 1,
                home,
                district,
            );
            app.add_person(someone).id.to_string()
        })
        .collect()
}

fn user_id(app: &TestApp, login: &str) -> String {
    users::table
        .filter(users::login.eq(login))
        .select(users::id)
        .first(&mut app.conn())
        .unwrap()
}

/// (status, assigned_to, outcome, note, version) of a follow-up.
type Stored = (String, Option<String>, Option<String>, Option<String>, i32);

fn stored(app: &TestApp, id: &str) -> Stored {
    follow_ups::table
        .find(id)
        .select((
            follow_ups::status,
            follow_ups::assigned_to,
            follow_ups::outcome,
            follow_ups::note,
            follow_ups::version,
        ))
        .first(&mut app.conn())
        .unwrap()
}

fn rows_shown(page: &crate::support::client::Page) -> Vec<String> {
    page.html()
        .select(&scraper::Selector::parse("#follow-ups tbody tr").unwrap())
        .map(|tr| tr.value().attr("data-follow-up").unwrap().to_owned())
        .collect()
}

async fn prosecutor(app: &TestApp) -> TestClient {
    signed_in_english(app, "prosecutor").await
}

#[actix_web::test]
async fn visits_of_one_person_and_kind_add_to_one_open_follow_up() {
    let (app, office) = TestApp::office();
    let (own, _) = crate::visits::published_checks(&app, &office);
    let group = own.mobile_group_id.clone().unwrap();
    let districts: Vec<String> = mobile_group_districts::table
        .filter(mobile_group_districts::mobile_group_id.eq(&group))
        .select(mobile_group_districts::district_id)
        .load(&mut app.conn())
        .unwrap();
    let person: String = persons::table
        .filter(persons::district_id.eq_any(&districts))
        .select(persons::id)
        .first(&mut app.conn())
        .unwrap();
    let mut officer = signed_in(&app, "officer01").await;
    for _ in 0..3 {
        let body = json!({
            "person_id": person, "kind": "home", "outcome": "moved_away",
            "recorded_at": chrono::Utc::now().to_rfc3339(), "lat": 53.2, "lon": 63.6,
            "accuracy_m": 8.0,
        });
        let answer = officer
            .put_json(&format!("/api/v1/visits/{}", uuid::Uuid::now_v7()), &body)
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    }
    let rows: Vec<(String, i32)> = follow_ups::table
        .filter(follow_ups::person_id.eq(&person))
        .select((follow_ups::status, follow_ups::cause_count))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        rows,
        [("open".to_owned(), 3)],
        "one follow-up, three causes"
    );
    // Once closed, a new cause opens a new one.
    let id: String = follow_ups::table
        .filter(follow_ups::person_id.eq(&person))
        .select(follow_ups::id)
        .first(&mut app.conn())
        .unwrap();
    let mut client = prosecutor(&app).await;
    let closed = client
        .post_form(
            &format!("/follow-ups/{id}/close"),
            &[
                ("version", "1"),
                ("outcome", "record_updated"),
                ("note", "New address entered."),
            ],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
    let body = json!({
        "person_id": person, "kind": "home", "outcome": "moved_away",
        "recorded_at": chrono::Utc::now().to_rfc3339(), "lat": 53.2, "lon": 63.6, "accuracy_m": 8.0,
    });
    officer
        .put_json(&format!("/api/v1/visits/{}", uuid::Uuid::now_v7()), &body)
        .await;
    let open: i64 = follow_ups::table
        .filter(follow_ups::person_id.eq(&person))
        .filter(follow_ups::status.eq("open"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(open, 1);
}

#[actix_web::test]
async fn the_migration_merges_the_duplicates_of_before_into_one() {
    use diesel_migrations::MigrationHarness as _;
    let app = TestApp::new();
    let mine = "2026-12-03-300001";
    let mut conn = app.conn();
    // Back to just before this migration (and any made after it), then duplicates as the old
    // code left them, then forward again.
    loop {
        let applied: Vec<String> = match &mut *conn {
            baqylau::db::DbConnection::Sqlite(c) => c.applied_migrations(),
            baqylau::db::DbConnection::Postgresql(c) => c.applied_migrations(),
        }
        .unwrap()
        .iter()
        .map(|v| v.to_string())
        .collect();
        if !applied
            .iter()
            .any(|v| v.starts_with(&mine.replace('-', "")))
        {
            break;
        }
        match &mut *conn {
            baqylau::db::DbConnection::Sqlite(c) => {
                c.revert_last_migration(baqylau::db::migrations::SQLITE)
            }
            baqylau::db::DbConnection::Postgresql(c) => {
                c.revert_last_migration(baqylau::db::migrations::POSTGRES)
            }
        }
        .unwrap();
    }
    drop(conn);
    let office = app.fill_office();
    let home = office.point_in(0, 0);
    let person = app.add_person(person("Дубликатов", "Тест", 1, home, &office.districts[0]));
    let person = person.id;
    for day in [3, 1, 2] {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, day)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        diesel::sql_query(format!(
            "INSERT INTO follow_ups (id, person_id, reason, status, created_at) \
             VALUES ('f{day}', '{person}', 'employment_to_verify', 'open', '{at}')"
        ))
        .execute(&mut app.conn())
        .unwrap();
    }
    baqylau::db::migrations::run_pending(&mut app.conn()).unwrap();
    let rows: Vec<(String, i32, NaiveDateTime)> = follow_ups::table
        .select((
            follow_ups::id,
            follow_ups::cause_count,
            follow_ups::last_cause_at,
        ))
        .load(&mut app.conn())
        .unwrap();
    let last = chrono::NaiveDate::from_ymd_opt(2026, 11, 3)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    assert_eq!(rows, [("f1".to_owned(), 3, last)]);
}

#[actix_web::test]
async fn the_queue_filters_by_kind_district_group_and_age_and_puts_the_urgent_first() {
    let (app, office) = TestApp::office();
    let ids = person_ids(&app, &office, 3);
    let now = chrono::Utc::now().naive_utc();
    let work = open_follow_up(&app, &ids[0], "employment_to_verify");
    let violation = open_follow_up(&app, &ids[1], "violation");
    let old = open_follow_up_at(
        &app,
        &ids[2],
        "repeated_absence",
        now - chrono::Duration::days(45),
    );
    let mut client = prosecutor(&app).await;
    let all = client.get("/follow-ups").await;
    assert_eq!(all.status, StatusCode::OK);
    let shown = rows_shown(&all);
    assert_eq!(shown.first(), Some(&violation), "a violation comes first");
    assert_eq!(shown.last(), Some(&work), "employment to verify comes last");
    let kind = client.get("/follow-ups?kind=violation").await;
    assert_eq!(rows_shown(&kind), vec![violation.clone()]);
    let older = client.get("/follow-ups?age=older").await;
    assert_eq!(rows_shown(&older), vec![old.clone()]);
    let week = client.get("/follow-ups?age=week").await;
    assert_eq!(rows_shown(&week).len(), 2);
    let district: String = persons::table
        .find(&ids[1])
        .select(persons::district_id)
        .first(&mut app.conn())
        .unwrap();
    let in_district = rows_shown(
        &client
            .get(&format!("/follow-ups?district={district}"))
            .await,
    );
    assert!(in_district.contains(&violation));
    let group: String = mobile_group_districts::table
        .filter(mobile_group_districts::district_id.eq(&district))
        .select(mobile_group_districts::mobile_group_id)
        .first(&mut app.conn())
        .unwrap();
    let of_group = rows_shown(&client.get(&format!("/follow-ups?group={group}")).await);
    assert!(of_group.contains(&violation));
    let none = client.get("/follow-ups?group=no-such-group").await;
    assert!(rows_shown(&none).is_empty());
    assert!(none.body.contains("No follow-ups match"));
    // Nonsense in the query string is no filter, never an error.
    let odd = client
        .get("/follow-ups?kind=%3Cscript%3E&age=ever&page=-4")
        .await;
    assert_eq!(rows_shown(&odd).len(), 3);
}

#[actix_web::test]
async fn the_queue_pages_by_fifty_and_each_page_is_one_audited_read() {
    let (app, office) = TestApp::office();
    for person in person_ids(&app, &office, 55) {
        open_follow_up(&app, &person, "repeated_absence");
    }
    let mut client = prosecutor(&app).await;
    let first = client.get("/follow-ups").await;
    let second = client.get("/follow-ups?page=2").await;
    let (a, b) = (rows_shown(&first), rows_shown(&second));
    assert_eq!((a.len(), b.len()), (50, 5));
    assert!(a.iter().all(|id| !b.contains(id)), "no line on both pages");
    assert!(first.body.contains("page=2"), "a link to the next page");
    let reads: Vec<Option<String>> = audit_entries::table
        .filter(audit_entries::entity_kind.eq("person_list"))
        .filter(audit_entries::user_login.eq("prosecutor"))
        .select(audit_entries::details)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(reads.len(), 2);
    let details: serde_json::Value = serde_json::from_str(reads[1].as_deref().unwrap()).unwrap();
    assert_eq!(
        (details["via"].as_str(), details["count"].as_i64()),
        (Some("follow_ups"), Some(5))
    );
}

fn changes(app: &TestApp, id: &str) -> Vec<serde_json::Value> {
    audit_entries::table
        .filter(audit_entries::entity_kind.eq("follow_up"))
        .filter(audit_entries::entity_id.eq(id))
        .filter(audit_entries::action.eq("update"))
        .order(audit_entries::at)
        .select(audit_entries::details)
        .load::<Option<String>>(&mut app.conn())
        .unwrap()
        .into_iter()
        .map(|d| serde_json::from_str(&d.unwrap()).unwrap())
        .collect()
}

#[actix_web::test]
async fn a_prosecutor_assigns_and_closes_a_follow_up_and_each_change_is_audited() {
    let (app, office) = TestApp::office();
    let person = person_ids(&app, &office, 1).remove(0);
    let id = open_follow_up(&app, &person, "violation");
    let me = user_id(&app, "prosecutor");
    let mut client = prosecutor(&app).await;
    let page = client.get(&format!("/follow-ups/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("assign-form") && page.body.contains("close-form"));
    let assigned = client
        .post_form(
            &format!("/follow-ups/{id}/assign"),
            &[("version", "1"), ("assignee", &me)],
        )
        .await;
    assert_eq!(assigned.status, StatusCode::SEE_OTHER, "{}", assigned.body);
    assert_eq!(
        stored(&app, &id),
        ("open".into(), Some(me.clone()), None, None, 2)
    );
    let mine = client.get("/follow-ups?assignee=mine").await;
    assert_eq!(rows_shown(&mine), vec![id.clone()]);
    let closed = client
        .post_form(
            &format!("/follow-ups/{id}/close"),
            &[
                ("version", "2"),
                ("outcome", "warned"),
                ("note", "Warned in person on 2 December."),
            ],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    assert_eq!(closed.location(), "/follow-ups");
    let after = stored(&app, &id);
    assert_eq!(
        after,
        (
            "closed".into(),
            Some(me.clone()),
            Some("warned".into()),
            Some("Warned in person on 2 December.".into()),
            3
        )
    );
    let audit = changes(&app, &id);
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[0]["after"]["assigned_to"], json!(me));
    assert_eq!(audit[1]["before"]["status"], json!("open"));
    assert_eq!(audit[1]["after"]["outcome"], json!("warned"));
    assert_eq!(audit[1]["person"], json!(person));
    let closed_list = client.get("/follow-ups?status=closed").await;
    assert_eq!(rows_shown(&closed_list), vec![id.clone()]);
    assert!(rows_shown(&client.get("/follow-ups").await).is_empty());
    // Closing it again (another tab): refused, shown as it is, nothing written.
    let again = client
        .post_form(
            &format!("/follow-ups/{id}/close"),
            &[
                ("version", "2"),
                ("outcome", "resolved"),
                ("note", "Again."),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("closed already"));
    assert_eq!(stored(&app, &id), after);
    assert_eq!(changes(&app, &id).len(), 2);
}

#[actix_web::test]
async fn bad_input_is_named_by_field_and_a_stale_form_is_refused() {
    let (app, office) = TestApp::office();
    let person = person_ids(&app, &office, 1).remove(0);
    let id = open_follow_up(&app, &person, "moved_away");
    let officer = user_id(&app, "officer01");
    let mut client = prosecutor(&app).await;
    let before = stored(&app, &id);
    let empty = client
        .post_form(
            &format!("/follow-ups/{id}/close"),
            &[("version", "1"), ("outcome", "nonsense"), ("note", "  ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.select("#outcome-error"), ["Choose what came of it."]);
    assert_eq!(
        empty.select("#note-error"),
        ["Write a note saying what was done."]
    );
    let long = "x".repeat(1001);
    let too_long = client
        .post_form(
            &format!("/follow-ups/{id}/close"),
            &[("version", "1"), ("outcome", "resolved"), ("note", &long)],
        )
        .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_long.select("#note-error")[0].contains("too long"));
    assert!(too_long.body.contains(&long), "what was typed comes back");
    let to_officer = client
        .post_form(
            &format!("/follow-ups/{id}/assign"),
            &[("version", "1"), ("assignee", &officer)],
        )
        .await;
    assert_eq!(to_officer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        to_officer.select("#assignee-error"),
        ["Choose a prosecutor from the list."]
    );
    let stale = client
        .post_form(
            &format!("/follow-ups/{id}/close"),
            &[("version", "7"), ("outcome", "resolved"), ("note", "Done.")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("changed this follow-up meanwhile"));
    assert_eq!(stored(&app, &id), before, "nothing written");
    assert!(changes(&app, &id).is_empty());
    let missing = client.get("/follow-ups/no-such-follow-up").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn other_roles_and_forged_requests_are_refused() {
    let (app, office) = TestApp::office();
    let person = person_ids(&app, &office, 1).remove(0);
    let id = open_follow_up(&app, &person, "violation");
    let before = stored(&app, &id);
    let close = format!("/follow-ups/{id}/close");
    let fields = [("version", "1"), ("outcome", "resolved"), ("note", "Done.")];
    for login in ["supervisor", "officer01", "admin"] {
        let mut client = signed_in(&app, login).await;
        assert_eq!(
            client.get("/follow-ups").await.status,
            StatusCode::FORBIDDEN,
            "{login}"
        );
        assert_eq!(
            client.post_form(&close, &fields).await.status,
            StatusCode::FORBIDDEN,
            "{login}"
        );
    }
    let mut client = prosecutor(&app).await;
    let forged = client.post_form_raw(&close, &fields).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "no CSRF token");
    assert_eq!(stored(&app, &id), before);
}

#[actix_web::test]
async fn the_prosecutors_home_counts_follow_ups_with_links_to_the_queue() {
    let (app, office) = TestApp::office();
    let ids = person_ids(&app, &office, 3);
    let now = chrono::Utc::now().naive_utc();
    let mine = open_follow_up(&app, &ids[0], "violation");
    open_follow_up(&app, &ids[1], "moved_away");
    open_follow_up_at(
        &app,
        &ids[2],
        "repeated_absence",
        now - chrono::Duration::days(40),
    );
    let me = app.user_id("prosecutor");
    let assigned = baqylau::db::follow_ups::assign(&mut app.conn(), &mine, 1, Some(&me), now);
    assert_eq!(assigned.unwrap(), 1);
    let mut client = prosecutor(&app).await;
    let home = client.get("/").await;
    let figure = |id: &str| home.select(&format!("#{id} strong"));
    assert_eq!(figure("follow-ups-open"), ["3"]);
    assert_eq!(figure("follow-ups-mine"), ["1"]);
    assert_eq!(figure("follow-ups-unassigned"), ["2"]);
    assert_eq!(figure("follow-ups-lingering"), ["1"]);
    let lingering = home.html();
    let link = lingering
        .select(&scraper::Selector::parse("#follow-ups-lingering").unwrap())
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_owned();
    assert_eq!(rows_shown(&client.get(&link).await).len(), 1);
}
