//! Forms: the person form's error summary takes the focus and links to each field with a
//! problem, the edit page's title names the person, and the plan progress page refreshes itself
//! only where scripts do not run while announcing its phase politely.

use actix_web::http::StatusCode;
use baqylau::db::schema::persons;
use diesel::prelude::*;

use crate::support::{PASSWORD, TestApp};

#[actix_web::test]
async fn the_person_forms_summary_takes_the_focus_and_links_each_bad_field() {
    let app = TestApp::office_with_crowd(5).0;
    let mut client = app.client().await;
    client.sign_in("prosecutor", PASSWORD).await;
    let (id, last_name): (String, String) = persons::table
        .select((persons::id, persons::last_name))
        .first(&mut app.conn())
        .unwrap();
    let edit = client.get(&format!("/registry/persons/{id}/edit")).await;
    assert_eq!(edit.status, StatusCode::OK);
    let title = edit.select("title").join("");
    assert!(
        title.contains(&last_name),
        "the title names the person: {title}"
    );
    assert!(edit.select("h1").join("").contains(&last_name));
    let answer = client
        .post_form("/registry/persons", &[("version", "0"), ("iin", "123")])
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let summary = answer.html();
    let focus = scraper::Selector::parse("#form-errors[data-focus-first][tabindex='-1']").unwrap();
    assert_eq!(summary.select(&focus).count(), 1, "{}", answer.body);
    let links: Vec<String> = summary
        .select(&scraper::Selector::parse("#form-errors a").unwrap())
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert!(links.contains(&"#f-iin".to_owned()), "{links:?}");
    assert!(links.contains(&"#f-last_name".to_owned()), "{links:?}");
    for link in &links {
        let field = format!("id=\"{}\"", &link[1..]);
        assert!(answer.body.contains(&field), "{link} leads to its field");
    }
}

#[test]
fn the_progress_page_refreshes_itself_only_without_script_and_announces_politely() {
    let page = std::fs::read_to_string("templates/planning/job.html").unwrap();
    let refresh = page
        .find("http-equiv=\"refresh\"")
        .expect("a refresh without script");
    let noscript = page[..refresh]
        .rfind("<noscript>")
        .expect("inside noscript");
    assert!(!page[noscript..refresh].contains("</noscript>"));
    assert!(page.contains("id=\"plan-phase\" role=\"status\" aria-live=\"polite\""));
}
