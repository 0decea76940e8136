//! The request log: a search for an IIN is logged by its path, never with the query string that
//! holds the IIN (nor in the sign-in redirect's error, which carries the page asked for).

use std::sync::{Arc, Mutex};

use actix_web::http::StatusCode;
use tracing_subscriber::fmt::format::FmtSpan;

use crate::support::builders::person;
use crate::support::{PASSWORD, TestApp};

/// Everything logged on this thread while it is alive, as the server's log would show it.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[actix_web::test]
async fn a_search_for_an_iin_is_logged_by_its_path_without_the_iin() {
    let (app, office) = TestApp::office();
    let district = &office.districts[0];
    let someone = person("Ахметов", "Серик", 7, office.point_in(0, 1), district);
    let iin = app.add_person(someone).iin.as_str().to_owned();
    let mut prosecutor = app.client().await;
    prosecutor.sign_in("prosecutor", PASSWORD).await;
    let mut anonymous = app.client().await;
    let log = Log::default();
    let writer = log.clone();
    // Every span is written when it closes, with all its fields: the strictest view of the log.
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    let search = format!("/registry/persons?q={iin}");
    assert_eq!(prosecutor.get(&search).await.status, StatusCode::OK);
    assert_eq!(anonymous.get(&search).await.status, StatusCode::SEE_OTHER);
    let person = format!("/registry/persons?q={iin}&format=csv");
    prosecutor.get(&person).await;
    // A refused state change logs a line of its own inside the request.
    anonymous
        .post_form_raw(&format!("/preferences?q={iin}"), &[("lang", "en")])
        .await;
    drop(guard);
    let text = log.text();
    assert!(
        text.contains("http.target=/registry/persons"),
        "the request is logged: {text}"
    );
    assert!(!text.contains(&iin), "the IIN is not: {text}");
    assert!(!text.contains("q="), "no query string at all: {text}");
}
