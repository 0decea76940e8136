//! Import errors name the file's own line, as a spreadsheet shows it: the header is line 1 and
//! the first data row line 2, whatever ends the lines (Excel on Windows writes `\r\n`).

use actix_web::http::StatusCode;
use baqylau::domain::person_csv;
use baqylau::domain::person_record::PersonRecord;

use crate::support::{TestApp, TestClient, signed_in};

/// The lines of the error table of an import check.
async fn error_lines(client: &mut TestClient, path: &str, file: &str) -> Vec<String> {
    let answer = client.post_file(path, "f.csv", file.as_bytes()).await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    answer.select("#import-errors tbody tr td:first-child")
}

#[actix_web::test]
async fn a_bad_first_person_row_is_line_two_with_any_line_ends() {
    let (app, _) = TestApp::office();
    let mut client = signed_in(&app, "prosecutor").await;
    let bad = PersonRecord {
        iin: "123".into(),
        ..PersonRecord::default()
    };
    let written = String::from_utf8(person_csv::write([bad])).unwrap();
    for ending in ["\n", "\r\n", "\r"] {
        let file = written.replace('\n', ending);
        let lines = error_lines(&mut client, "/registry/import/check", &file).await;
        assert!(!lines.is_empty(), "{ending:?}: the bad row is reported");
        assert!(
            lines.iter().all(|l| l == "2"),
            "{ending:?}: every error of the first data row is on line 2: {lines:?}"
        );
    }
}

#[actix_web::test]
async fn offence_errors_name_the_files_lines_in_a_windows_file() {
    let (app, _) = TestApp::office();
    let mut client = signed_in(&app, "prosecutor").await;
    let file = "id,offence_date,district,lat,lon,article,severity,offence_type,place,suspect_iin\r\n\
                L-1,2026-13-01,OFC-W,,,188 ч.2,medium,theft,street,\r\n\
                L-2,2026-03-01,OFC-W,,,188 ч.2,medium,theft,street,\r\n\
                \r\n\
                L-3,2026-03-01,OFC-W,,,188 ч.2,awful,theft,street,\r\n";
    let lines = error_lines(&mut client, "/registry/offences/import/check", file).await;
    assert_eq!(
        lines,
        ["2", "5"],
        "the header is line 1, a blank line counts"
    );
}
