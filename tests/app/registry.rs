//! The registry: creating and editing persons with validation and audit, the edit conflict, and
//! CSV import (dry run, every bad row, all or nothing) and export (export then import changes
//! nothing), from the web and the command line.

use actix_web::http::StatusCode;
use baqylau::db::schema::{audit_entries, persons};
use baqylau::domain::Iin;
use baqylau::domain::person::Sex;
use baqylau::domain::person_csv;
use baqylau::domain::person_record::{COLUMNS, PersonRecord};
use diesel::prelude::*;
use rand::{Rng as _, SeedableRng as _};

use crate::support::{PASSWORD, TestApp, TestClient, signed_in};

/// The office with `n` persons of its own (see `add_crowd`), in place of the demo region.
fn crowd(n: usize) -> TestApp {
    TestApp::office_with_crowd(n).0
}

fn person_count(app: &TestApp) -> i64 {
    persons::table.count().get_result(&mut app.conn()).unwrap()
}

/// A fresh IIN nobody in the office has (born on another day than its persons).
fn new_iin(serial: u16) -> String {
    let born = chrono::NaiveDate::from_ymd_opt(1991, 6, 17).unwrap();
    (serial..serial + 100)
        .find_map(|s| Iin::generate(born, Sex::Male, 9000 + s % 1000))
        .unwrap()
        .as_str()
        .to_owned()
}

/// A valid record: an office person's places and conviction, a new IIN and name.
fn good_record(app: &TestApp, serial: u16) -> PersonRecord {
    let template = baqylau::db::persons::list_all_persons(&mut app.conn())
        .unwrap()
        .remove(0);
    let mut r = PersonRecord::from_person(&template, "");
    r.iin = new_iin(serial);
    r.birth_date = "1991-06-17".into();
    r.sex = "male".into();
    r.last_name = "Тестов".into();
    r.first_name = "Ерлан".into();
    r.middle_name = String::new();
    r.conviction_date = "2019-03-01".into();
    r.release_date = String::new();
    r.expungement_date = String::new();
    r.supervision_start = "2024-01-10".into();
    r.risk_tier = String::new();
    r.risk_tier_reason = String::new();
    r
}

fn fields(r: &PersonRecord) -> Vec<(&'static str, String)> {
    COLUMNS.iter().map(|c| (*c, r.get(c).to_owned())).collect()
}

/// Saves an edit of a person read at `version`.
async fn post_edit(
    client: &mut TestClient,
    id: &str,
    version: i32,
    r: &PersonRecord,
) -> crate::support::client::Page {
    let version = version.to_string();
    post_record(
        client,
        &format!("/registry/persons/{id}"),
        r,
        &[("version", &version)],
    )
    .await
}

async fn post_record(
    client: &mut TestClient,
    path: &str,
    r: &PersonRecord,
    extra: &[(&str, &str)],
) -> crate::support::client::Page {
    let mut all: Vec<(&str, String)> = fields(r);
    all.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let borrowed: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client.post_form(path, &borrowed).await
}

#[actix_web::test]
async fn a_prosecutor_adds_a_person_and_the_creation_is_audited() {
    let app = crowd(20);
    let mut client = signed_in(&app, "prosecutor").await;
    assert_eq!(
        client.get("/registry/persons/new").await.status,
        StatusCode::OK
    );
    let record = good_record(&app, 1);
    let answer = post_record(&mut client, "/registry/persons", &record, &[]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let page = client.get(&answer.location()).await;
    assert!(
        page.select("h1").iter().any(|h| h.contains("Тестов Ерлан")),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("<svg class=\"map\""),
        "the person page draws the map"
    );
    assert_eq!(person_count(&app), 21);
    let created: i64 = audit_entries::table
        .filter(audit_entries::action.eq("create"))
        .filter(audit_entries::entity_kind.eq("person"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(created, 1);
    // The same IIN again is refused at the IIN field.
    let again = post_record(&mut client, "/registry/persons", &record, &[]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.select("#e-iin").len(), 1);
}

#[actix_web::test]
async fn every_bad_field_is_named_with_its_message_and_nothing_is_written() {
    let app = crowd(20);
    let mut client = signed_in(&app, "prosecutor").await;
    let mut r = good_record(&app, 2);
    let mut iin = r.iin.clone().into_bytes();
    iin[11] = if iin[11] == b'9' { b'0' } else { iin[11] + 1 };
    r.iin = String::from_utf8(iin).unwrap();
    r.last_name = "R2D2".into();
    r.phone = "12345".into();
    r.release_date = "2018-01-01".into(); // before the conviction
    r.conviction_date = "01.03.2019".into(); // the Russian way is accepted
    r.home_lat = "43.25".into(); // Almaty: outside the region
    r.home_lon = "76.95".into();
    r.curfew = "25:00-06:00".into();
    r.severity = "dreadful".into();
    let answer = post_record(&mut client, "/registry/persons", &r, &[]).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in [
        "iin",
        "last_name",
        "phone",
        "release_date",
        "home_lat",
        "curfew",
        "severity",
    ] {
        assert_eq!(
            answer.select(&format!("#e-{field}")).len(),
            1,
            "{field} is marked"
        );
    }
    assert!(
        answer.select("#e-conviction_date").is_empty(),
        "25.03.2019-style dates are fine"
    );
    let outside = answer.select("#e-home_lat").join(" ");
    assert!(
        outside.contains("км") && outside.contains("Восточный"),
        "the nearest district (the office's eastern one) is named: {outside}"
    );
    // The typed values are kept.
    assert!(answer.body.contains("R2D2"));
    assert_eq!(person_count(&app), 20);
}

#[actix_web::test]
async fn a_tier_other_than_the_suggested_one_needs_a_reason() {
    let app = crowd(20);
    let mut client = signed_in(&app, "prosecutor").await;
    let mut r = good_record(&app, 3);
    r.severity = "minor".into();
    r.prior_convictions = "0".into();
    r.risk_tier = "high".into();
    let answer = post_record(&mut client, "/registry/persons", &r, &[]).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.select("#e-risk_tier_reason").len(), 1);
    r.risk_tier_reason = "Угрозы соседям, рапорт участкового".into();
    let answer = post_record(&mut client, "/registry/persons", &r, &[]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let stored = baqylau::db::persons::find_by_iin(&mut app.conn(), &r.iin)
        .unwrap()
        .unwrap();
    assert_eq!(stored.risk_tier.as_str(), "high");
    assert_eq!(
        stored.risk_tier_reason.as_deref(),
        Some("Угрозы соседям, рапорт участкового")
    );
}

#[actix_web::test]
async fn an_edit_is_saved_with_a_new_version_and_audited_with_before_and_after() {
    let app = crowd(20);
    let mut client = signed_in(&app, "prosecutor").await;
    let person = baqylau::db::persons::list_all_persons(&mut app.conn())
        .unwrap()
        .remove(3);
    let form = client
        .get(&format!("/registry/persons/{}/edit", person.id))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    let mut r = PersonRecord::from_person(&person, "");
    r.employer = "ТОО «Тест»".into();
    r.work_address = "г. Костанай, ул. Байтурсынова, 1".into();
    r.work_lat = r.home_lat.clone();
    r.work_lon = r.home_lon.clone();
    let answer = post_edit(&mut client, &person.id.to_string(), person.version, &r).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let stored = baqylau::db::persons::find_person(&mut app.conn(), &person.id)
        .unwrap()
        .unwrap();
    assert_eq!(stored.version, person.version + 1);
    assert_eq!(
        stored.work.as_ref().map(|w| w.address.as_str()),
        Some("г. Костанай, ул. Байтурсынова, 1")
    );
    let details: Option<String> = audit_entries::table
        .filter(audit_entries::action.eq("update"))
        .filter(audit_entries::entity_id.eq(person.id.as_str()))
        .select(audit_entries::details)
        .first(&mut app.conn())
        .unwrap();
    let details: serde_json::Value = serde_json::from_str(&details.unwrap()).unwrap();
    assert_eq!(
        details["before"]["work_address"],
        serde_json::json!(
            person
                .work
                .as_ref()
                .map(|w| w.address.clone())
                .unwrap_or_default()
        )
    );
    assert_eq!(
        details["after"]["work_address"],
        "г. Костанай, ул. Байтурсынова, 1"
    );
}

#[actix_web::test]
async fn the_second_of_two_concurrent_edits_gets_the_conflict_page_not_a_silent_overwrite() {
    let app = crowd(20);
    let mut first = signed_in(&app, "prosecutor").await;
    let mut second = signed_in(&app, "prosecutor").await;
    let person = baqylau::db::persons::list_all_persons(&mut app.conn())
        .unwrap()
        .remove(5);
    let path = format!("/registry/persons/{}", person.id);
    let version = person.version.to_string();
    let mut mine = PersonRecord::from_person(&person, "");
    mine.home_address = "первый адрес".into();
    let mut theirs = mine.clone();
    theirs.home_address = "второй адрес".into();
    assert_eq!(
        post_record(&mut first, &path, &mine, &[("version", &version)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let answer = post_record(&mut second, &path, &theirs, &[("version", &version)]).await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    let differing = answer.select("#conflict tr.differs td").join(" | ");
    assert!(
        differing.contains("первый адрес") && differing.contains("второй адрес"),
        "{differing}"
    );
    let stored = baqylau::db::persons::find_person(&mut app.conn(), &person.id)
        .unwrap()
        .unwrap();
    assert_eq!(stored.home_address, "первый адрес");
}

#[actix_web::test]
async fn officers_and_supervisors_cannot_change_the_registry() {
    let app = crowd(10);
    let person = crate::support::builders::first_person_id(&app);
    for login in ["officer01", "supervisor", "admin"] {
        let mut client = app.client().await;
        client.sign_in(login, PASSWORD).await;
        let record = good_record(&app, 4);
        assert_eq!(
            post_record(&mut client, "/registry/persons", &record, &[])
                .await
                .status,
            StatusCode::FORBIDDEN,
            "{login}"
        );
        assert_eq!(
            post_record(
                &mut client,
                &format!("/registry/persons/{person}"),
                &record,
                &[("version", "1")]
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            client
                .post_file("/registry/import/check", "p.csv", b"iin\n")
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            client.get("/registry/export").await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(person_count(&app), 10);
}

fn csv_of(records: &[PersonRecord]) -> Vec<u8> {
    person_csv::write(records.iter().cloned())
}

#[actix_web::test]
async fn an_import_reports_every_bad_row_and_writes_nothing_then_imports_when_fixed() {
    let app = crowd(20);
    let mut client = signed_in(&app, "prosecutor").await;
    let good: Vec<PersonRecord> = (0..6).map(|i| good_record(&app, 10 + i * 7)).collect();
    let mut rows = good.clone();
    let mut bad_check = good_record(&app, 60);
    let last = bad_check.iin.pop().unwrap();
    bad_check.iin.push(if last == '9' {
        '0'
    } else {
        char::from(last as u8 + 1)
    });
    let mut bad_date = good_record(&app, 70);
    bad_date.conviction_date = "2019-02-30".into();
    let duplicate = good[0].clone();
    let mut outside = good_record(&app, 80);
    outside.home_lat = "51.13".into(); // Astana
    outside.home_lon = "71.43".into();
    rows.extend([bad_check, bad_date, duplicate, outside]);
    // Lines: header 1, good 2..=7, bad 8..=11.
    let answer = client
        .post_file("/registry/import/check", "persons.csv", &csv_of(&rows))
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let lines: Vec<String> = answer.select("#import-errors tbody tr td:first-child");
    assert_eq!(lines, ["8", "9", "10", "11"], "{}", answer.body);
    let messages = answer.select("#import-errors tbody tr").join("\n");
    assert!(
        messages.contains("(iin)")
            && messages.contains("(conviction_date)")
            && messages.contains("(home_lat)"),
        "{messages}"
    );
    assert!(messages.contains('2'), "the duplicate names the first line");
    assert!(
        answer.select("#import-run").is_empty(),
        "no import button while rows are bad"
    );
    assert_eq!(
        client.post_form("/registry/import/run", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(person_count(&app), 20, "nothing written");
    // Fixed: only the good rows.
    let answer = client
        .post_file("/registry/import/check", "persons.csv", &csv_of(&good))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(answer.select("#import-counts")[0].contains('6'));
    assert_eq!(person_count(&app), 20, "the dry run writes nothing");
    let done = client.post_form("/registry/import/run", &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(person_count(&app), 26);
}

#[actix_web::test]
async fn files_with_a_missing_column_or_the_wrong_encoding_are_refused_with_a_clear_message() {
    let app = crowd(10);
    let mut client = signed_in(&app, "prosecutor").await;
    let missing = "iin;last_name;first_name\n910617350012;Тестов;Ерлан\n";
    let answer = client
        .post_file("/registry/import/check", "m.csv", missing.as_bytes())
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = answer.select("#import-errors tbody tr").join("\n");
    assert!(
        text.contains("(article)") && text.contains("(home_lat)"),
        "{text}"
    );
    // Windows-1251 "Тестов": not UTF-8.
    let mut cp1251 = b"iin,last_name\n910617350012,".to_vec();
    cp1251.extend([0xD2, 0xE5, 0xF1, 0xF2, 0xEE, 0xE2, b'\n']);
    let answer = client
        .post_file("/registry/import/check", "w.csv", &cp1251)
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer
            .select("#import-errors tbody tr")
            .join(" ")
            .contains("UTF-8")
    );
    let answer = client
        .post_file("/registry/import/check", "e.csv", b"")
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.select("#import-problem").len(), 1);
}

#[actix_web::test]
async fn export_then_import_changes_nothing_and_semicolons_with_a_bom_are_read() {
    let app = crowd(80);
    let mut client = signed_in(&app, "prosecutor").await;
    let export = client.get("/registry/export?tier=high").await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.header("content-disposition").contains("attachment"));
    let bytes = export.body.as_bytes().to_vec();
    let high = persons::table
        .filter(persons::risk_tier.eq("high"))
        .count()
        .get_result::<i64>(&mut app.conn())
        .unwrap();
    assert_eq!(
        person_csv::read(&bytes).rows.len() as i64,
        high,
        "the export follows the list's filter"
    );
    let answer = client
        .post_file("/registry/import/check", "export.csv", &bytes)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let counts = &answer.select("#import-counts")[0];
    let audit_before: i64 = audit_entries::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    client.post_form("/registry/import/run", &[]).await;
    let changes: i64 = audit_entries::table
        .filter(audit_entries::action.eq_any(["create", "update"]))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(changes, 0, "export then import changes nothing: {counts}");
    assert!(
        audit_entries::table
            .count()
            .get_result::<i64>(&mut app.conn())
            .unwrap()
            >= audit_before
    );
    // The same file the way a Russian spreadsheet saves it: semicolons and a BOM.
    let text = String::from_utf8(bytes).unwrap();
    let file = person_csv::read(text.as_bytes());
    let mut out = b"\xEF\xBB\xBF".to_vec();
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(&mut out);
    w.write_record(COLUMNS).unwrap();
    for (_, r) in &file.rows {
        w.write_record(r.values()).unwrap();
    }
    drop(w);
    let reread = person_csv::read(&out);
    assert!(reread.errors.is_empty());
    assert_eq!(
        reread.rows.iter().map(|(_, r)| r).collect::<Vec<_>>(),
        file.rows.iter().map(|(_, r)| r).collect::<Vec<_>>()
    );
}

#[actix_web::test]
async fn random_form_values_and_random_files_never_make_a_server_error() {
    let app = crowd(10);
    let mut client = signed_in(&app, "prosecutor").await;
    let person = crate::support::builders::first_person_id(&app);
    let mut rng = rand_pcg::Pcg64::seed_from_u64(11);
    let pieces = [
        "",
        " ",
        "0",
        "-1",
        "1e309",
        "NaN",
        "9999-99-99",
        "31.02.2020",
        "Ә",
        "😀",
        "'; DROP TABLE persons;--",
        "<script>",
        "\u{0}",
        "53.2",
        "63.6",
        "+7 701 123 45 67",
        "high",
        "male",
        "22:00-06:00",
        "99:99-00:00",
    ];
    for round in 0..40 {
        let mut r = good_record(&app, 200 + round);
        for column in COLUMNS {
            if rng.random_bool(0.3) {
                let value: String = (0..rng.random_range(1..4))
                    .map(|_| pieces[rng.random_range(0..pieces.len())])
                    .collect();
                r.set(column, value);
            }
        }
        let created = post_record(&mut client, "/registry/persons", &r, &[]).await;
        assert!(
            matches!(created.status.as_u16(), 303 | 422),
            "round {round}: {}",
            created.status
        );
        let edited = post_record(
            &mut client,
            &format!("/registry/persons/{person}"),
            &r,
            &[("version", pieces[rng.random_range(0..pieces.len())])],
        )
        .await;
        assert!(
            matches!(edited.status.as_u16(), 303 | 400 | 409 | 422),
            "round {round}: {}",
            edited.status
        );
        let bytes: Vec<u8> = match round % 3 {
            0 => (0..rng.random_range(0..400))
                .map(|_| rng.random())
                .collect(),
            1 => {
                let mut text = COLUMNS.join(if rng.random_bool(0.5) { "," } else { ";" });
                for _ in 0..rng.random_range(0..5) {
                    text.push('\n');
                    for _ in 0..rng.random_range(0..30) {
                        text.push_str(pieces[rng.random_range(0..pieces.len())]);
                        text.push([',', ';', '"', '\n', ' '][rng.random_range(0..5)]);
                    }
                }
                text.into_bytes()
            }
            _ => csv_of(&[r.clone()]),
        };
        let checked = client
            .post_file("/registry/import/check", "random.csv", &bytes)
            .await;
        assert!(
            matches!(checked.status.as_u16(), 200 | 422),
            "round {round}: {}",
            checked.status
        );
    }
}

#[actix_web::test]
async fn filters_and_pages_return_exactly_the_matching_persons() {
    let app = crowd(170);
    let mut client = signed_in(&app, "prosecutor").await;
    let expected: Vec<String> = persons::table
        .filter(persons::status.eq("active"))
        .filter(persons::risk_tier.eq("medium"))
        .select(persons::id)
        .load(&mut app.conn())
        .unwrap();
    assert!(expected.len() > 50, "more than a page: {}", expected.len());
    let seen = crate::registry_paging::walk(
        &mut client,
        "/registry/persons?status=active&tier=medium",
        false,
    )
    .await
    .concat();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    let mut seen_sorted = seen.clone();
    seen_sorted.sort();
    assert_eq!(
        seen_sorted, expected_sorted,
        "every matching person once, across the pages"
    );
    // Sorted by name on every page, in one order across pages.
    let district: String = persons::table
        .select(persons::district_id)
        .first(&mut app.conn())
        .unwrap();
    let in_district: i64 = persons::table
        .filter(persons::district_id.eq(&district))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    let list = client
        .get(&format!("/registry/persons?district={district}"))
        .await;
    assert_eq!(list.select("td.iin").len() as i64, in_district.min(50));
}

/// The ids the list shows for a search, across all its pages.
async fn searched_ids(client: &mut TestClient, query: &str) -> Vec<String> {
    let url = format!(
        "/registry/persons?{}",
        serde_urlencoded::to_string([("q", query)]).unwrap()
    );
    let mut ids = crate::registry_paging::walk(client, &url, false)
        .await
        .concat();
    ids.sort();
    ids
}

/// The words "more than" in the page's language.
fn more_than(page: &crate::support::client::Page) -> &'static str {
    if page.body.contains(r#"<html lang="en""#) {
        "more than"
    } else if page.body.contains(r#"<html lang="kk""#) {
        "кемінде"
    } else {
        "более чем"
    }
}

/// The ids whose stored search text contains the folded query: the oracle, by plain substring.
fn ids_containing(app: &TestApp, query: &str) -> Vec<String> {
    let folded = baqylau::domain::search::fold(query.trim());
    let rows: Vec<(String, String)> = persons::table
        .select((persons::id, persons::search_text))
        .load(&mut app.conn())
        .unwrap();
    let mut ids: Vec<String> = rows
        .into_iter()
        .filter(|(_, text)| text.contains(&folded))
        .map(|(id, _)| id)
        .collect();
    ids.sort();
    ids
}

#[actix_web::test]
async fn a_search_finds_exactly_the_persons_containing_it_and_follows_every_edit() {
    let app = crowd(60);
    let mut client = signed_in(&app, "prosecutor").await;
    let all = baqylau::db::persons::list_all_persons(&mut app.conn()).unwrap();
    let person = &all[7];
    let surname_part: String = person.last_name.chars().take(4).collect();
    let latin =
        baqylau::domain::search::transliterate(&baqylau::domain::search::fold(&person.last_name));
    let iin_tail = &person.iin.as_str()[8..];
    // Upper case, Kazakh letters, Latin, digits, a two-letter query (no trigram), LIKE's own
    // wildcards and a quote (taken literally), and nothing at all.
    let queries = [
        surname_part.to_uppercase(),
        latin,
        iin_tail.to_owned(),
        person.first_name.chars().take(2).collect(),
        "ул.".to_owned(),
        "%_\"".to_owned(),
        "qqqzzz".to_owned(),
    ];
    for query in &queries {
        let expected = ids_containing(&app, query);
        assert_eq!(
            searched_ids(&mut client, query).await,
            expected,
            "search {query:?}"
        );
    }
    assert!(
        searched_ids(&mut client, &surname_part)
            .await
            .contains(&person.id.to_string()),
        "the person is found by part of the surname"
    );

    // After an edit, the old address no longer finds the person and the new one does.
    let mut r = PersonRecord::from_person(person, "");
    r.home_address = format!("{}, кв. Жұлдызды 77", r.home_address);
    let answer = post_edit(&mut client, &person.id.to_string(), person.version, &r).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(
        searched_ids(&mut client, "жулдызды 77").await,
        vec![person.id.to_string()],
        "the new address is found, folded"
    );
    // A new person is found at once.
    let added = good_record(&app, 901);
    let answer = post_record(&mut client, "/registry/persons", &added, &[]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(
        searched_ids(&mut client, &added.iin).await,
        ids_containing(&app, &added.iin)
    );
    assert_eq!(ids_containing(&app, &added.iin).len(), 1);
}

#[actix_web::test]
async fn a_broad_search_pages_and_counts_like_a_narrow_one() {
    // More rows hold the text than the trigram index's narrow limit (5,000), so SQLite walks the
    // sort order's index instead: the pages and the count must not change.
    let app = crowd(5);
    let template = baqylau::db::persons::list_all_persons(&mut app.conn())
        .unwrap()
        .remove(0);
    let mut conn = app.conn();
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        for n in 0..5_200 {
            let mut p = template.clone();
            p.id = baqylau::domain::PersonId::new();
            // A birth date a day per 800 copies before the template's (no office IIN shares
            // it), and a block of ten serials each (some serials are never issued).
            p.birth_date = template.birth_date - chrono::Days::new(1 + n as u64 / 800);
            p.iin = (0..10)
                .find_map(|k| Iin::generate(p.birth_date, p.sex, (n % 800) as u16 * 10 + k))
                .unwrap();
            p.last_name = format!("{}{}", ["Бек", "Жан", "Сер", "Ай"][n % 4], n);
            p.home_address = format!("мкр. Широкий, д. {n}");
            baqylau::db::persons::insert(conn, &p)?;
        }
        Ok(())
    })
    .unwrap();
    drop(conn);
    let mut client = signed_in(&app, "prosecutor").await;
    let expected = ids_containing(&app, "широк");
    assert_eq!(expected.len(), 5_200);
    for sort in ["name", "tier", "district", "updated"] {
        // The count stops at 1,000 and says so; the third page is a full one.
        let url = format!("/registry/persons?q=%D1%88%D0%B8%D1%80%D0%BE%D0%BA&sort={sort}");
        let mut page = client.get(&url).await;
        for _ in 0..2 {
            let next = crate::registry_paging::link(&page, "a[rel=next]").unwrap();
            page = client.get(&next).await;
        }
        assert_eq!(page.status, StatusCode::OK);
        let pager = page.select(".pager span").join(" ");
        assert!(
            pager.contains("101–150") && pager.contains(more_than(&page)),
            "sort {sort}: more than 1,000 matches: {pager}"
        );
        let shown = page.select("td.iin").len();
        assert_eq!(shown, 50, "sort {sort}: a full page");
    }
    // The first page in name order is the first 50 of the matches by name.
    let mut by_name: Vec<(String, String, String)> = persons::table
        .filter(persons::id.eq_any(&expected))
        .select((persons::last_name, persons::first_name, persons::id))
        .load(&mut app.conn())
        .unwrap();
    by_name.sort();
    let first: Vec<String> = by_name.iter().take(50).map(|r| r.2.clone()).collect();
    let page = client
        .get("/registry/persons?q=%D1%88%D0%B8%D1%80%D0%BE%D0%BA&sort=name")
        .await;
    let shown: Vec<String> = page
        .html()
        .select(&scraper::Selector::parse("td a").unwrap())
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|h| h.strip_prefix("/registry/persons/"))
        .map(str::to_owned)
        .collect();
    assert_eq!(shown, first);
    // With another filter the count comes from the filtered rows, not the index alone.
    let district = template.district_id.as_str();
    let page = client
        .get(&format!(
            "/registry/persons?q=%D1%88%D0%B8%D1%80%D0%BE%D0%BA&district={district}"
        ))
        .await;
    let pager = page.select(".pager span").join(" ");
    assert!(
        pager.contains(more_than(&page)),
        "all copies live in the template's district: {pager}"
    );
    let other = client
        .get("/registry/persons?q=%D1%88%D0%B8%D1%80%D0%BE%D0%BA&tier=__")
        .await;
    assert_eq!(other.status, StatusCode::OK);
}
