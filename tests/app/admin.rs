//! The administration forms: users, mobile groups, districts and contact standards, their
//! refusals (422 naming the field), the audit entry of every change, the role check, and random
//! input that must never give a 500.

use actix_web::http::StatusCode;
use baqylau::db;
use baqylau::db::schema::{audit_entries, users};
use baqylau::domain::location::nearest_district;
use baqylau::domain::{GeoPoint, UserId};
use diesel::prelude::*;
use rand::{Rng, SeedableRng};

use crate::support::client::Page;
use crate::support::{PASSWORD, TestApp, TestClient};

const SQUARE: &str = r#"{"type":"Feature","properties":{"name":"test"},"geometry":{"type":"Polygon","coordinates":[[[63.5,53.1],[63.7,53.1],[63.7,53.3],[63.5,53.3],[63.5,53.1]]]}}"#;

async fn signed_in(app: &TestApp, login: &str, password: &str) -> TestClient {
    let mut client = app.client().await;
    let answer = client.sign_in(login, password).await;
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "{login}: {}",
        answer.body
    );
    client
}

fn user_id(app: &TestApp, login: &str) -> String {
    db::users::find_by_login(&mut app.conn(), login)
        .unwrap()
        .unwrap()
        .id
}

fn group_ids(app: &TestApp) -> Vec<String> {
    db::mobile_groups::list_mobile_groups(&mut app.conn())
        .unwrap()
        .into_iter()
        .map(|g| g.id.to_string())
        .collect()
}

fn group_of(app: &TestApp, login: &str) -> Option<String> {
    let id = UserId::from(user_id(app, login));
    db::users::find_group_of(&mut app.conn(), &id)
        .unwrap()
        .map(String::from)
}

/// `(entity_id, details)` of the audit entries of a kind and action, oldest first.
fn audited(app: &TestApp, kind: &str, action: &str) -> Vec<(String, String)> {
    audit_entries::table
        .filter(audit_entries::entity_kind.eq(kind))
        .filter(audit_entries::action.eq(action))
        .order((audit_entries::at.asc(), audit_entries::id.asc()))
        .select((audit_entries::entity_id, audit_entries::details))
        .load::<(Option<String>, Option<String>)>(&mut app.conn())
        .unwrap()
        .into_iter()
        .map(|(id, details)| (id.unwrap_or_default(), details.unwrap_or_default()))
        .collect()
}

/// The `value` of a form input on a page.
fn input_value(page: &Page, name: &str) -> String {
    let selector = scraper::Selector::parse(&format!(r#"input[name="{name}"]"#)).unwrap();
    page.html()
        .select(&selector)
        .next()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or_default()
        .to_owned()
}

fn assert_refused(page: &Page, field: &str) {
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{field}: {}",
        page.body
    );
    let message = page.select(&format!("#{field}-error"));
    assert!(
        message.len() == 1 && !message[0].is_empty(),
        "a message next to {field}: {}",
        page.body
    );
    assert!(!page.body.contains('⟦'), "a missing translation");
}

fn assert_done(page: &Page, location: &str) {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), location);
}

#[actix_web::test]
async fn an_officer_created_in_a_group_signs_in() {
    let (app, _) = TestApp::office();
    let mut admin = signed_in(&app, "admin", PASSWORD).await;
    let form = admin.get("/admin/users/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(!form.body.contains('⟦'));
    let group = group_ids(&app).remove(0);
    let answer = admin
        .post_form(
            "/admin/users",
            &[
                ("login", "officer99"),
                ("full_name", "Серикова Айгерим"),
                ("role", "officer"),
                ("mobile_group", &group),
                ("password", "long-enough-1"),
            ],
        )
        .await;
    assert_done(&answer, "/admin/users");
    let list = admin.get("/admin/users").await;
    assert_eq!(list.select(".flash-success").len(), 1, "{}", list.body);
    assert!(list.select("td a").iter().any(|t| t == "officer99"));
    assert_eq!(group_of(&app, "officer99"), Some(group));
    let officer = signed_in(&app, "officer99", "long-enough-1").await;
    drop(officer);
    let created = audited(&app, "user", "create");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].0, user_id(&app, "officer99"));
    assert!(created[0].1.contains("officer99"), "{}", created[0].1);
    assert!(!created[0].1.contains("argon2"), "never the hash");
}

#[actix_web::test]
async fn a_taken_login_a_short_password_and_an_officer_without_a_group_are_refused() {
    let (app, _) = TestApp::office();
    let mut admin = signed_in(&app, "admin", PASSWORD).await;
    let group = group_ids(&app).remove(0);
    let new_user = |login: &'static str, role: &'static str, group: String, password| {
        [
            ("login", login.to_owned()),
            ("full_name", "Петров Пётр".to_owned()),
            ("role", role.to_owned()),
            ("mobile_group", group),
            ("password", password),
        ]
    };
    let post = |fields: [(&'static str, String); 5]| {
        fields
            .iter()
            .map(|(k, v)| (*k, v.clone()))
            .collect::<Vec<_>>()
    };
    let taken = post(new_user(
        "prosecutor",
        "officer",
        group.clone(),
        "long-enough-1".into(),
    ));
    let taken: Vec<(&str, &str)> = taken.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let answer = admin.post_form("/admin/users", &taken).await;
    assert_refused(&answer, "login");
    assert_eq!(
        input_value(&answer, "full_name"),
        "Петров Пётр",
        "typed values kept"
    );
    assert_eq!(
        input_value(&answer, "password"),
        "",
        "a password is never sent back"
    );

    let short = post(new_user("petrov", "officer", group.clone(), "short".into()));
    let short: Vec<(&str, &str)> = short.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_refused(&admin.post_form("/admin/users", &short).await, "password");

    let no_group = post(new_user(
        "petrov",
        "officer",
        String::new(),
        "long-enough-1".into(),
    ));
    let no_group: Vec<(&str, &str)> = no_group.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_refused(
        &admin.post_form("/admin/users", &no_group).await,
        "mobile_group",
    );

    let not_officer = post(new_user(
        "petrov",
        "prosecutor",
        group,
        "long-enough-1".into(),
    ));
    let not_officer: Vec<(&str, &str)> =
        not_officer.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_refused(
        &admin.post_form("/admin/users", &not_officer).await,
        "mobile_group",
    );

    assert!(
        db::users::find_by_login(&mut app.conn(), "petrov")
            .unwrap()
            .is_none()
    );
    assert!(
        audited(&app, "user", "create").is_empty(),
        "nothing written"
    );
}

#[actix_web::test]
async fn a_user_is_edited_and_moved_to_another_group() {
    let (app, _) = TestApp::office();
    let mut admin = signed_in(&app, "admin", PASSWORD).await;
    let id = user_id(&app, "officer01");
    let edit = admin.get(&format!("/admin/users/{id}/edit")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(!edit.body.contains('⟦'));
    let version = input_value(&edit, "version");
    let other = group_ids(&app)
        .into_iter()
        .find(|g| Some(g) != group_of(&app, "officer01").as_ref())
        .unwrap();
    let answer = admin
        .post_form(
            &format!("/admin/users/{id}"),
            &[
                ("full_name", "Новое Имя"),
                ("role", "officer"),
                ("mobile_group", &other),
                ("version", &version),
            ],
        )
        .await;
    assert_done(&answer, "/admin/users");
    assert_eq!(group_of(&app, "officer01"), Some(other));
    // The same version again is someone else's stale edit.
    let stale = admin
        .post_form(
            &format!("/admin/users/{id}"),
            &[
                ("full_name", "Старое Имя"),
                ("role", "officer"),
                ("mobile_group", &group_ids(&app)[0]),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let updates = audited(&app, "user", "update");
    assert_eq!(updates.len(), 1);
    assert!(updates[0].1.contains("Новое Имя") && updates[0].1.contains("before"));
    assert_eq!(
        admin.get("/admin/users/no-such-user/edit").await.status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn a_disabled_user_cannot_sign_in_and_an_administrator_cannot_disable_themself() {
    let (app, _) = TestApp::office();
    let mut admin = signed_in(&app, "admin", PASSWORD).await;
    let officer = user_id(&app, "officer01");
    let mut session = signed_in(&app, "officer01", PASSWORD).await;
    let answer = admin
        .post_form(&format!("/admin/users/{officer}/disable"), &[])
        .await;
    assert_done(&answer, "/admin/users");
    assert_eq!(
        session.get("/field/today").await.status,
        StatusCode::SEE_OTHER,
        "a disabled user's session ends"
    );
    let mut client = app.client().await;
    let refused = client.sign_in("officer01", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answer = admin
        .post_form(&format!("/admin/users/{officer}/enable"), &[])
        .await;
    assert_done(&answer, "/admin/users");
    signed_in(&app, "officer01", PASSWORD).await;

    let me = user_id(&app, "admin");
    let answer = admin
        .post_form(&format!("/admin/users/{me}/disable"), &[])
        .await;
    assert_refused(&answer, "is_active");
    let active: bool = users::table
        .find(&me)
        .select(users::is_active)
        .first(&mut app.conn())
        .unwrap();
    assert!(active);
    let me_edit = admin.get(&format!("/admin/users/{me}/edit")).await;
    let version = input_value(&me_edit, "version");
    let demote = admin
        .post_form(
            &format!("/admin/users/{me}"),
            &[
                ("full_name", "Admin"),
                ("role", "supervisor"),
                ("version", &version),
            ],
        )
        .await;
    assert_refused(&demote, "role");
    assert_eq!(
        audited(&app, "user", "update").len(),
        2,
        "disable and enable"
    );
}

#[actix_web::test]
async fn a_password_reset_lifts_a_lock() {
    let (app, _) = TestApp::office();
    let mut client = app.client().await;
    for _ in 0..app.state.settings.max_failed_logins {
        client.sign_in("supervisor", "wrong-password").await;
    }
    assert_eq!(
        client.sign_in("supervisor", PASSWORD).await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "locked"
    );
    let mut admin = signed_in(&app, "admin", PASSWORD).await;
    let id = user_id(&app, "supervisor");
    let short = admin
        .post_form(
            &format!("/admin/users/{id}/password"),
            &[("new_password", "short")],
        )
        .await;
    assert_refused(&short, "new_password");
    let answer = admin
        .post_form(
            &format!("/admin/users/{id}/password"),
            &[("new_password", "a-new-password")],
        )
        .await;
    assert_done(&answer, "/admin/users");
    let (failed, locked): (i32, Option<chrono::NaiveDateTime>) = users::table
        .find(&id)
        .select((users::failed_logins, users::locked_until))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!((failed, locked), (0, None));
    signed_in(&app, "supervisor", "a-new-password").await;
    let updates = audited(&app, "user", "update");
    assert_eq!(updates.len(), 1);
    assert!(updates[0].1.contains("password_changed"));
    assert!(!updates[0].1.contains("argon2") && !updates[0].1.contains("a-new-password"));
}

fn group_fields<'a>(
    name: &'a str,
    base: (&'a str, &'a str),
    shift: (&'a str, &'a str),
    district: &'a str,
    member: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("base_address", "г. Костанай, ул. Тестовая, 1"),
        ("base_lat", base.0),
        ("base_lon", base.1),
        ("district", district),
        ("shift_start", shift.0),
        ("shift_end", shift.1),
        ("max_checks", "20"),
        ("day", "0"),
        ("day", "4"),
        ("member", member),
    ]
}

#[actix_web::test]
async fn a_mobile_group_is_created_edited_and_refused_when_its_base_or_shift_is_wrong() {
    let (app, _) = TestApp::office();
    let mut admin = signed_in(&app, "admin", PASSWORD).await;
    let districts = db::districts::list_districts(&mut app.conn()).unwrap();
    let kst = districts.iter().find(|d| d.code == "OFC-W").unwrap();
    let kst_id = kst.id.to_string();
    let officer = user_id(&app, "officer01");
    let new = admin.get("/admin/mobile-groups/new").await;
    assert_eq!(new.status, StatusCode::OK);
    assert!(!new.body.contains('⟦'));

    let outside = GeoPoint::new(53.2, 58.0).unwrap();
    let (nearest, _) = nearest_district(&districts, outside).unwrap();
    let fields = group_fields(
        "МГ-13",
        ("53,2", "58.0"),
        ("09:00", "18:00"),
        &kst_id,
        &officer,
    );
    let answer = admin.post_form("/admin/mobile-groups", &fields).await;
    assert_refused(&answer, "base");
    let message = answer.select("#base-error").remove(0);
    assert!(message.contains(&nearest.name_ru), "{message}");
    assert_eq!(
        input_value(&answer, "base_lat"),
        "53,2",
        "typed values kept"
    );

    let fields = group_fields(
        "МГ-13",
        ("53.2170", "63.6230"),
        ("18:00", "09:00"),
        &kst_id,
        &officer,
    );
    assert_refused(
        &admin.post_form("/admin/mobile-groups", &fields).await,
        "shift_end",
    );
    let fields = group_fields(
        "МГ-13",
        ("53.2170", "63.6230"),
        ("9", "18:00"),
        &kst_id,
        &officer,
    );
    assert_refused(
        &admin.post_form("/admin/mobile-groups", &fields).await,
        "shift_start",
    );
    let taken = db::mobile_groups::list_mobile_groups(&mut app.conn()).unwrap()[0]
        .name
        .clone();
    let fields = group_fields(
        &taken,
        ("53.2170", "63.6230"),
        ("09:00", "18:00"),
        &kst_id,
        &officer,
    );
    assert_refused(
        &admin.post_form("/admin/mobile-groups", &fields).await,
        "name",
    );
    let prosecutor = user_id(&app, "prosecutor");
    let fields = group_fields(
        "МГ-13",
        ("53.2170", "63.6230"),
        ("09:00", "18:00"),
        &kst_id,
        &prosecutor,
    );
    assert_refused(
        &admin.post_form("/admin/mobile-groups", &fields).await,
        "members",
    );
    assert!(audited(&app, "mobile_group", "create").is_empty());

    let fields = group_fields(
        "МГ-13",
        ("53.2170", "63.6230"),
        ("09:00", "18:00"),
        &kst_id,
        &officer,
    );
    let answer = admin.post_form("/admin/mobile-groups", &fields).await;
    assert_done(&answer, "/admin/mobile-groups");
    let created = audited(&app, "mobile_group", "create");
    assert_eq!(created.len(), 1);
    let id = created[0].0.clone();
    assert_eq!(
        group_of(&app, "officer01"),
        Some(id.clone()),
        "moved to the new group"
    );

    let edit = admin.get(&format!("/admin/mobile-groups/{id}/edit")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert_eq!(input_value(&edit, "shift_end"), "18:00");
    let version = input_value(&edit, "version");
    let mut fields = group_fields(
        "МГ-13 (ночь)",
        ("53.2170", "63.6230"),
        ("14:00", "24:00"),
        &kst_id,
        &officer,
    );
    fields.push(("version", &version));
    let answer = admin
        .post_form(&format!("/admin/mobile-groups/{id}"), &fields)
        .await;
    assert_done(&answer, "/admin/mobile-groups");
    let group = db::mobile_groups::find_mobile_group(&mut app.conn(), &id.clone().into())
        .unwrap()
        .unwrap();
    assert_eq!(
        (group.name.as_str(), group.shift_end_min),
        ("МГ-13 (ночь)", 1440)
    );
    assert_eq!(group.active_days.0, 0b1_0001);
    let updates = audited(&app, "mobile_group", "update");
    assert_eq!(updates.len(), 1);
    assert!(updates[0].1.contains("МГ-13 (ночь)") && updates[0].1.contains("before"));
}

#[actix_web::test]
async fn a_district_boundary_is_imported_from_geojson_and_broken_ones_are_refused() {
    let (app, _) = TestApp::office();
    let mut admin = signed_in(&app, "admin", PASSWORD).await;
    let edit = admin.get("/admin/districts/OFC-W/edit").await;
    assert_eq!(edit.status, StatusCode::OK);
    let version = input_value(&edit, "version");
    let open_ring =
        r#"{"type":"Polygon","coordinates":[[[63.5,53.1],[63.7,53.1],[63.7,53.3],[63.5,53.3]]]}"#;
    for (text, what) in [
        (open_ring, "an open ring"),
        ("garbage, not JSON", "garbage"),
    ] {
        let answer = admin
            .post_form(
                "/admin/districts/OFC-W/boundary",
                &[("geojson", text), ("version", &version)],
            )
            .await;
        assert_refused(&answer, "geojson");
        assert!(
            answer.body.contains("garbage, not JSON") || what != "garbage",
            "kept"
        );
    }
    let answer = admin
        .post_form(
            "/admin/districts/OFC-W/boundary",
            &[("geojson", SQUARE), ("version", &version)],
        )
        .await;
    assert_done(&answer, "/admin/districts");
    let (district, _) = db::districts::find_by_code(&mut app.conn(), "OFC-W")
        .unwrap()
        .unwrap();
    assert_eq!(district.boundary.exterior().0.len(), 5);
    assert!(district.contains(GeoPoint::new(53.2, 63.6).unwrap()));
    let updates = audited(&app, "district", "update");
    assert_eq!(updates.len(), 1);
    assert!(updates[0].1.contains("vertices"));
    assert_eq!(
        admin.get("/admin/districts/NOPE/edit").await.status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn a_district_population_must_be_positive() {
    let (app, _) = TestApp::office();
    let mut admin = signed_in(&app, "admin", PASSWORD).await;
    let edit = admin.get("/admin/districts/OFC-W/edit").await;
    let fields = |population: &'static str, version: String| {
        vec![
            ("name_ru", "г. Костанай".to_owned()),
            ("name_kk", "Қостанай қаласы".to_owned()),
            ("name_en", "Kostanay".to_owned()),
            ("population", population.to_owned()),
            ("version", version),
        ]
    };
    let version = input_value(&edit, "version");
    for bad in ["0", "-5", "many"] {
        let f = fields(bad, version.clone());
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_refused(
            &admin.post_form("/admin/districts/OFC-W", &f).await,
            "population",
        );
    }
    let f = fields("300 000", version);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_done(
        &admin.post_form("/admin/districts/OFC-W", &f).await,
        "/admin/districts",
    );
    let (district, _) = db::districts::find_by_code(&mut app.conn(), "OFC-W")
        .unwrap()
        .unwrap();
    assert_eq!(
        (district.population, district.name_en.as_str()),
        (300_000, "Kostanay")
    );
    assert_eq!(audited(&app, "district", "update").len(), 1);
}

#[actix_web::test]
async fn a_contact_standard_of_zero_days_is_refused_and_a_change_is_audited() {
    let (app, _) = TestApp::office();
    let mut admin = signed_in(&app, "admin", PASSWORD).await;
    let edit = admin.get("/admin/contact-standards/edit").await;
    assert_eq!(edit.status, StatusCode::OK);
    assert_eq!(input_value(&edit, "high_home"), "7");
    let mut fields = vec![
        ("high_home", "0"),
        ("high_work", "14"),
        ("medium_home", "14"),
        ("medium_work", "30"),
        ("low_home", "30"),
        ("low_work", "400"),
    ];
    let answer = admin.post_form("/admin/contact-standards", &fields).await;
    assert_refused(&answer, "high_home");
    assert_refused(&answer, "low_work");
    fields[0].1 = "5";
    fields[5].1 = "60";
    let answer = admin.post_form("/admin/contact-standards", &fields).await;
    assert_done(&answer, "/admin/contact-standards");
    let stored = db::contact_standards::list_contact_standards(&mut app.conn()).unwrap();
    assert!(stored.iter().any(|s| s.max_interval_days == 5));
    let updates = audited(&app, "contact_standard", "update");
    assert_eq!(updates.len(), 1, "only the changed interval");
    assert_eq!(updates[0].0, "high/home");
    assert!(updates[0].1.contains('7') && updates[0].1.contains('5'));
}

/// Every new POST route of the administration.
fn admin_posts(app: &TestApp) -> Vec<String> {
    let user = user_id(app, "officer01");
    let group = group_ids(app).remove(0);
    vec![
        "/admin/users".into(),
        format!("/admin/users/{user}"),
        format!("/admin/users/{user}/disable"),
        format!("/admin/users/{user}/enable"),
        format!("/admin/users/{user}/password"),
        "/admin/mobile-groups".into(),
        format!("/admin/mobile-groups/{group}"),
        "/admin/districts/OFC-W".into(),
        "/admin/districts/OFC-W/boundary".into(),
        "/admin/contact-standards".into(),
    ]
}

#[actix_web::test]
async fn other_roles_get_403_on_every_administration_post() {
    let (app, _) = TestApp::office();
    for login in ["prosecutor", "supervisor", "officer01"] {
        let mut client = signed_in(&app, login, PASSWORD).await;
        for path in admin_posts(&app) {
            let answer = client
                .post_form(
                    &path,
                    &[("new_password", "long-enough-1"), ("high_home", "3")],
                )
                .await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{login} {path}");
        }
    }
    let audited: i64 = audit_entries::table
        .filter(audit_entries::action.eq_any(["create", "update"]))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(audited, 0);
}

/// Text a careless or hostile user might type: empty, spaces, control characters, numbers at
/// the edges, other scripts, long runs.
fn random_text(rng: &mut rand_pcg::Pcg64) -> String {
    const PIECES: &[&str] = &[
        "",
        " ",
        "\0",
        "\n",
        "\t",
        "\u{7f}",
        "-",
        "0",
        "1",
        "-1",
        "40",
        "41",
        "365",
        "1e309",
        "NaN",
        "inf",
        "-0",
        "99999999999999999999",
        "24:00",
        "23:59",
        "10:00",
        ":",
        "53,2",
        "63.6",
        "officer",
        "administrator",
        "КСТ",
        "Қ",
        "ü",
        "😀",
        "'",
        "\"",
        "<b>",
        "%00",
        "{",
        "}",
        "[",
        "]",
        r#"{"type":"Polygon"}"#,
        "null",
        "true",
        "\u{202e}",
        "\u{feff}",
    ];
    let mut text = String::new();
    for _ in 0..rng.random_range(0..6) {
        if rng.random_bool(0.2) {
            let len = rng.random_range(0..400);
            text.extend((0..len).map(|_| char::from(rng.random_range(0x20u8..0x7f))));
        } else {
            text.push_str(PIECES[rng.random_range(0..PIECES.len())]);
        }
    }
    text
}

#[actix_web::test]
async fn random_input_never_gives_a_server_error() {
    let (app, _) = TestApp::office();
    let mut admin = signed_in(&app, "admin", PASSWORD).await;
    let user = user_id(&app, "officer02");
    let group = group_ids(&app).remove(1);
    let forms: Vec<(String, Vec<&str>)> = vec![
        (
            "/admin/users".into(),
            vec!["login", "full_name", "role", "mobile_group", "password"],
        ),
        (
            format!("/admin/users/{user}"),
            vec!["full_name", "role", "mobile_group", "version"],
        ),
        (
            format!("/admin/users/{user}/password"),
            vec!["new_password"],
        ),
        (
            "/admin/mobile-groups".into(),
            vec![
                "name",
                "base_address",
                "base_lat",
                "base_lon",
                "district",
                "district",
                "shift_start",
                "shift_end",
                "max_checks",
                "day",
                "day",
                "member",
            ],
        ),
        (
            format!("/admin/mobile-groups/{group}"),
            vec![
                "name",
                "base_lat",
                "base_lon",
                "shift_start",
                "shift_end",
                "day",
                "version",
            ],
        ),
        (
            "/admin/districts/OFC-E".into(),
            vec!["name_ru", "name_kk", "name_en", "population", "version"],
        ),
        (
            "/admin/districts/OFC-E/boundary".into(),
            vec!["geojson", "version"],
        ),
        (
            "/admin/contact-standards".into(),
            vec![
                "high_home",
                "high_work",
                "medium_home",
                "medium_work",
                "low_home",
                "low_work",
            ],
        ),
    ];
    let mut rng = rand_pcg::Pcg64::seed_from_u64(2026);
    for (path, names) in &forms {
        for round in 0..50 {
            let values: Vec<String> = names.iter().map(|_| random_text(&mut rng)).collect();
            let fields: Vec<(&str, &str)> = names
                .iter()
                .zip(&values)
                .map(|(k, v)| (*k, v.as_str()))
                .collect();
            let answer = admin.post_form(path, &fields).await;
            assert!(
                matches!(
                    answer.status,
                    StatusCode::SEE_OTHER
                        | StatusCode::UNPROCESSABLE_ENTITY
                        | StatusCode::CONFLICT
                        | StatusCode::BAD_REQUEST
                ),
                "{path} round {round}: {} for {fields:?}",
                answer.status
            );
            assert!(!answer.body.contains('⟦'), "{path}: a missing translation");
        }
    }
    // Still whole afterwards: every page renders.
    for path in [
        "/admin/users",
        "/admin/mobile-groups",
        "/admin/districts",
        "/admin/contact-standards",
    ] {
        assert_eq!(admin.get(path).await.status, StatusCode::OK, "{path}");
    }
}
