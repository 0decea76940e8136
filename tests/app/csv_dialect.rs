//! CSV downloads for the user's spreadsheet: semicolons and decimal commas for Russian and
//! Kazakh (their Excel reads a comma file as one column), commas for English, the other dialect
//! a click away (`?dialect=`), units in the header in the user's language, groups in natural
//! order (МГ-2 before МГ-10), the formula guard kept in both dialects.

use actix_web::http::StatusCode;
use baqylau::db::schema::mobile_groups;
use diesel::prelude::*;

use crate::support::{PASSWORD, TestApp, csv_rows, signed_in_english};

const GROUPS: &str = "/reports/groups?from=2025-01-01&to=2025-04-30&format=csv";

fn header(body: &str) -> String {
    body.trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[actix_web::test]
async fn russian_gets_semicolons_and_decimal_commas_and_english_commas() {
    let app = TestApp::with_demo(200);
    let mut ru = app.client().await;
    ru.sign_in("supervisor", PASSWORD).await;
    ru.post_form("/preferences", &[("lang", "ru"), ("next", "/")])
        .await;
    let page = ru.get("/reports/groups").await;
    let other = page.select("#csv-other");
    assert_eq!(other.len(), 1, "the comma dialect a click away");
    assert!(
        page.body.contains("format=csv&amp;dialect=comma")
            || page.body.contains("format=csv&dialect=comma")
    );
    let csv = ru.get(GROUPS).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'));
    let head = header(&csv.body);
    assert!(head.starts_with("group;planned;"), "{head}");
    assert!(
        head.contains("distance_км") && head.contains("км_per_shift"),
        "{head}"
    );
    let rows = csv_rows(&csv.body);
    let distances: Vec<&String> = rows.iter().map(|r| &r[12]).collect();
    assert!(
        distances.iter().all(|d| !d.contains('.')) && distances.iter().any(|d| d.contains(',')),
        "decimal commas: {distances:?}"
    );
    let comma = ru.get(&format!("{GROUPS}&dialect=comma")).await;
    let head = header(&comma.body);
    assert!(
        head.starts_with("group,planned,") && head.contains("distance_км"),
        "{head}"
    );
    assert!(csv_rows(&comma.body).iter().any(|r| r[12].contains('.')));
    let mut en = signed_in_english(&app, "supervisor").await;
    let english = en.get(GROUPS).await;
    assert!(header(&english.body).contains("distance_km,km_per_shift"));
    let semicolon = en.get(&format!("{GROUPS}&dialect=semicolon")).await;
    assert!(header(&semicolon.body).contains("distance_km;km_per_shift"));
    // An unknown dialect is the language's own, never an error.
    let odd = en.get(&format!("{GROUPS}&dialect=tabs")).await;
    assert_eq!(odd.status, StatusCode::OK);
    assert!(header(&odd.body).contains(','));
}

#[actix_web::test]
async fn groups_come_in_natural_order() {
    let app = TestApp::with_demo(50);
    let names: Vec<String> = mobile_groups::table
        .select(mobile_groups::name)
        .load(&mut app.conn())
        .unwrap();
    assert!(names.len() >= 10, "{names:?}");
    let mut en = signed_in_english(&app, "supervisor").await;
    let rows = csv_rows(&en.get(GROUPS).await.body);
    let shown: Vec<&str> = rows[..rows.len() - 1]
        .iter()
        .map(|r| r[0].as_str())
        .collect();
    let number = |name: &str| -> u32 {
        name.rsplit('-')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let numbers: Vec<u32> = shown.iter().map(|n| number(n)).collect();
    let mut sorted = numbers.clone();
    sorted.sort_unstable();
    assert_eq!(numbers, sorted, "{shown:?}");
}
