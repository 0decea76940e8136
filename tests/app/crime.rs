//! Offences and the crime-trend report: the demo region's 2025-against-2024 table is exactly
//! DESIGN.md section 1, on either backend; the offences importer reports every bad row and
//! writes nothing then; export and import again changes nothing; officers are refused.

use baqylau::db;
use baqylau::domain::person_record::RecordContext;
use baqylau::services::imports::{self, ImportKind, ImportedBy};

use crate::support::{PASSWORD, TestApp, signed_in_english};

const OFFENCES: ImportKind = ImportKind::Offences;

const SEED_TABLE: &str =
    "/reports/crime?from=2025-01-01&to=2025-12-31&against=2024-01-01..2024-12-31";

fn offence_count(app: &TestApp) -> i64 {
    db::offences::count_offences(&mut app.conn()).unwrap()
}

#[actix_web::test]
async fn the_demo_region_reproduces_the_published_2025_figures_on_the_report_page() {
    let app = TestApp::with_demo(200);
    let mut client = signed_in_english(&app, "supervisor").await;
    let overview = client.get("/reports").await;
    assert!(overview.body.contains("href=\"/reports/crime\""));
    let crime = client.get("/reports/crime").await;
    assert_eq!(crime.status, 200);
    assert!(crime.body.contains("id=\"seed-table\""));
    let page = client.get(SEED_TABLE).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.select("#total-change"), ["-2.5 %"]);
    let rate = page.select("#crime-rate").join("");
    assert!(
        rate.starts_with("32.0 offences per 10,000") && rate.contains("57.0"),
        "{rate}"
    );
    let change = |table: &str, key: &str| {
        page.select(&format!("#table-{table} tr[data-key=\"{key}\"] td.change"))
            .join("")
    };
    let expected = [
        ("severity", "especially_grave", "-2.0"),
        ("severity", "medium", "-4.8"),
        ("severity", "minor", "-3.5"),
        ("type", "grievous_bodily_harm", "-4.0"),
        ("type", "robbery", "-48.6"),
        ("type", "extortion", "-18.8"),
        ("type", "theft", "-50.0"),
        ("place", "public_place", "-10.8"),
        ("place", "street", "-7.7"),
    ];
    for (table, key, figure) in expected {
        assert_eq!(change(table, key), figure, "{table} {key}");
    }
    assert_eq!(page.select("#table-month tbody tr").len(), 12);
    assert!(page.body.contains("<svg class=\"chart\""));
    assert!(!page.body.contains("style="));
    // The CSV of a table says the same as the page.
    let csv = client
        .get(&format!("{SEED_TABLE}&format=csv&table=type"))
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(csv.body.contains("type,robbery,"), "{}", csv.body);
    let robbery = csv
        .body
        .lines()
        .find(|l| l.starts_with("type,robbery,"))
        .unwrap();
    assert_eq!(robbery.split(',').nth(4), Some("-48.6"));
    let total = client
        .get(&format!("{SEED_TABLE}&format=csv&table=total"))
        .await;
    let line = total.body.lines().nth(1).unwrap().to_owned();
    let fields: Vec<&str> = line.split(',').collect();
    assert_eq!((fields[4], fields[7]), ("-2.5", "32.0"), "{line}");
    // A district alone, and a bad filter is a 400, not a 500.
    assert_eq!(
        client
            .get(&format!("{SEED_TABLE}&district=KST"))
            .await
            .status,
        200
    );
    assert_eq!(
        client
            .get(&format!("{SEED_TABLE}&district=NOPE"))
            .await
            .status,
        400
    );
    assert_eq!(
        client.get("/reports/crime?from=2025-13-01").await.status,
        400
    );
    assert_eq!(
        client
            .get("/reports/crime?from=2025-02-01&to=2025-01-01")
            .await
            .status,
        400
    );
    assert_eq!(
        client.get("/reports/crime?against=yesterday").await.status,
        400
    );
}

#[actix_web::test]
async fn officers_may_not_read_the_crime_report_and_prosecutors_may() {
    let (app, _) = TestApp::office();
    let mut officer = app.client().await;
    officer.sign_in("officer01", PASSWORD).await;
    assert_eq!(officer.get("/reports/crime").await.status, 403);
    let mut prosecutor = app.client().await;
    prosecutor.sign_in("prosecutor", PASSWORD).await;
    assert_eq!(prosecutor.get(SEED_TABLE).await.status, 200);
}

#[actix_web::test]
async fn a_file_with_bad_rows_names_each_and_imports_nothing_and_a_round_trip_changes_nothing() {
    let app = TestApp::with_demo(20);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let mut conn = app.conn();
    let districts = db::districts::list_districts(&mut conn).unwrap();
    let before = offence_count(&app);
    assert!(before > 8000, "{before}");
    let file = "id,offence_date,district,lat,lon,article,severity,offence_type,place,suspect_iin\n\
                NEW-1,2026-03-01,KST,53.2150,63.6050,188 ч.2,medium,theft,street,\n\
                NEW-2,2026-13-01,KST,,,188 ч.2,medium,theft,street,\n\
                NEW-3,2026-03-02,RUD,53.2150,63.6050,188 ч.2,medium,theft,street,\n\
                NEW-4,2026-03-03,KST,,,192 ч.1,awful,robbery,moon,123\n\
                NEW-1,2026-03-04,KST,,,188 ч.2,minor,theft,street,\n";
    let mut progress = |_: usize, _: usize| {};
    let ctx = RecordContext {
        districts: &districts,
        today,
    };
    let by = ImportedBy {
        user: None,
        login: "test",
    };
    let report =
        imports::dry_run(&mut conn, OFFENCES, file.as_bytes(), &ctx, &mut progress).unwrap();
    let places: Vec<(u64, String)> = report
        .errors
        .iter()
        .map(|e| (e.line, e.column.clone().unwrap_or_default()))
        .collect();
    let expected: Vec<(u64, String)> = [
        (3, "offence_date"),
        (4, "lat"),
        (5, "severity"),
        (5, "place"),
        (5, "suspect_iin"),
        (6, "id"),
    ]
    .iter()
    .map(|(l, c)| (*l, (*c).to_owned()))
    .collect();
    assert_eq!(places, expected);
    assert_eq!((report.rows, report.new), (5, 1));
    let imported = imports::import(
        &mut conn,
        OFFENCES,
        file.as_bytes(),
        &ctx,
        by,
        &mut progress,
    )
    .unwrap();
    assert!(!imported.is_clean());
    assert_eq!(offence_count(&app), before);
    // The good row alone goes in.
    let good = file.lines().take(2).collect::<Vec<_>>().join("\n");
    let report = imports::import(
        &mut conn,
        OFFENCES,
        good.as_bytes(),
        &ctx,
        by,
        &mut progress,
    )
    .unwrap();
    assert!(report.is_clean(), "{:?}", report.errors);
    assert_eq!(offence_count(&app), before + 1);
    // Export, import again: everything is unchanged.
    let exported = imports::export::offences_csv(&mut conn).unwrap();
    let stored = db::offences::list_all(&mut conn).unwrap();
    let report = imports::import(&mut conn, OFFENCES, &exported, &ctx, by, &mut progress).unwrap();
    assert!(report.is_clean(), "{:?}", report.errors.first());
    assert_eq!((report.new, report.changed), (0, 0));
    assert_eq!(report.unchanged as i64, before + 1);
    assert_eq!(db::offences::list_all(&mut conn).unwrap(), stored);
}

#[actix_web::test]
async fn offences_upload_on_the_web_lists_every_bad_row_then_imports_all_or_nothing() {
    let app = TestApp::with_demo(20);
    let code = db::districts::list_districts(&mut app.conn()).unwrap()[0]
        .code
        .clone();
    for login in ["supervisor", "officer01"] {
        let mut client = app.client().await;
        client.sign_in(login, PASSWORD).await;
        assert_eq!(
            client.get("/registry/offences/import").await.status,
            403,
            "{login}"
        );
    }
    let mut client = signed_in_english(&app, "prosecutor").await;
    let crime = client.get("/reports/crime").await;
    assert_eq!(crime.select("#offence-import-link").len(), 1);
    let page = client.get("/registry/offences/import").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("action=\"/registry/offences/import/check\" enctype=\"multipart/form-data\"")
    );
    let before = offence_count(&app);
    let header = "id,offence_date,district,article,severity,offence_type,place\n";
    let bad = format!(
        "{header}W-1,2025-13-01,{code},188,medium,theft,street\nW-2,2025-03-01,{code},188,huge,theft,street\nW-3,2025-03-02,{code},188,medium,theft,street\n"
    );
    let answer = client
        .post_file("/registry/offences/import/check", "o.csv", bad.as_bytes())
        .await;
    assert_eq!(answer.status, 422);
    let lines = answer.select("#import-errors tbody tr td:first-child");
    assert_eq!(lines, ["2", "3"]);
    let columns = answer
        .select("#import-errors tbody tr td:nth-child(2)")
        .join("|");
    assert!(
        columns.contains("Date committed (offence_date)") && columns.contains("(severity)"),
        "{columns}"
    );
    assert!(answer.select("#import-run").is_empty());
    assert_eq!(
        client
            .post_form("/registry/offences/import/run", &[])
            .await
            .status,
        303
    );
    assert_eq!(offence_count(&app), before);

    // A persons file checked in this session is never imported as offences.
    let persons = client.get("/registry/export").await;
    let checked = client
        .post_file("/registry/import/check", "p.csv", persons.body.as_bytes())
        .await;
    assert_eq!(checked.status, 200, "{}", checked.body);
    let wrong = client.post_form("/registry/offences/import/run", &[]).await;
    assert_eq!(wrong.location(), "/registry/offences/import");
    assert_eq!(offence_count(&app), before);

    let good = format!(
        "{header}W-1,2025-01-05,{code},188,medium,theft,street\nW-2,2025-03-01,{code},190,minor,fraud,dwelling\n"
    );
    let answer = client
        .post_file("/registry/offences/import/check", "o.csv", good.as_bytes())
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.select("#import-run").len(), 1);
    assert_eq!(offence_count(&app), before, "a dry run writes nothing");
    let done = client.post_form("/registry/offences/import/run", &[]).await;
    assert_eq!(done.status, 303);
    assert_eq!(done.location(), "/reports/crime");
    assert_eq!(offence_count(&app), before + 2);
    // The same file again changes nothing.
    let again = client
        .post_file("/registry/offences/import/check", "o.csv", good.as_bytes())
        .await;
    assert!(
        again.select("#import-counts")[0].contains("2 unchanged"),
        "{}",
        again.body
    );
}
