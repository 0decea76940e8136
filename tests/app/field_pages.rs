//! The officer's pages (issue 16): officers land on Today; the whole stop card opens the stop and
//! says its state in words; the stop page has what is needed at the door, shows the saved outcome
//! with what was flagged, offers a violation's kinds only where the check takes one, keeps what
//! was typed beside a refusal, corrects within the window and closes after it.

use actix_web::http::StatusCode;
use baqylau::db::checks::CheckRow;
use baqylau::db::schema::{checks, visits};
use baqylau::domain::PersonId;
use baqylau::domain::person::Curfew;
use diesel::prelude::*;

use crate::support::{TestApp, TestClient, signed_in_english};
use crate::visits::published_checks;

fn stored(app: &TestApp, check: &CheckRow) -> Vec<String> {
    visits::table
        .filter(visits::check_id.eq(&check.id))
        .select(visits::outcome)
        .load(&mut app.conn())
        .unwrap()
}

async fn post(
    client: &mut TestClient,
    check: &CheckRow,
    fields: &[(&str, &str)],
) -> crate::support::client::Page {
    client
        .post_form(&format!("/field/stops/{}/visit", check.id), fields)
        .await
}

#[actix_web::test]
async fn officers_land_on_today_and_each_stop_card_is_one_link_that_says_its_state() {
    let (app, office) = TestApp::office();
    let (own, _) = published_checks(&app, &office);
    let mut client = signed_in_english(&app, "officer01").await;
    let home = client.get("/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.location(), "/field/today");
    let mut desk = signed_in_english(&app, "prosecutor").await;
    assert_eq!(
        desk.get("/").await.status,
        StatusCode::OK,
        "desk roles keep their home"
    );

    let card = format!("#today-stops li[data-check-id='{}'] a.stop-open", own.id);
    let today = client.get("/field/today").await;
    let text = today.select(&card);
    assert_eq!(text.len(), 1, "{}", today.body);
    assert!(
        text[0].contains("to visit"),
        "a waiting stop says so: {text:?}"
    );
    assert!(
        post(&mut client, &own, &[("outcome", "present")])
            .await
            .status
            .is_redirection()
    );
    let today = client.get("/field/today").await;
    let text = today.select(&card);
    assert!(text[0].contains("done"), "a done stop says so: {text:?}");
    // The header folds language and theme into a menu on the tablet.
    assert_eq!(today.select("details.prefs:not([open]) > summary").len(), 1);
}

#[actix_web::test]
async fn the_stop_page_has_what_is_needed_at_the_door() {
    let (app, office) = TestApp::office();
    let (own, _) = published_checks(&app, &office);
    let birth = chrono::NaiveDate::from_ymd_opt(1990, 1, 2).unwrap();
    app.change_person(&PersonId::from(own.person_id.clone()), |p| {
        p.phone = Some("+7 701 555 12 34".to_owned());
        p.birth_date = birth;
        p.curfew = Some(Curfew {
            start_min: 22 * 60,
            end_min: 6 * 60,
        });
        p.restrictions = Some("no bars".to_owned());
    });
    let mut client = signed_in_english(&app, "officer01").await;
    let url = format!("/field/stops/{}", own.id);
    let page = client.get(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    let href = |css: &str| {
        let sel = scraper::Selector::parse(css).unwrap();
        html.select(&sel)
            .next()
            .and_then(|e| e.value().attr("href"))
            .map(str::to_owned)
    };
    assert_eq!(href("#stop-phone").as_deref(), Some("tel:+77015551234"));
    let age = chrono::Local::now()
        .date_naive()
        .years_since(birth)
        .unwrap();
    assert_eq!(page.select("#stop-age"), [format!("{age} years old")]);
    assert_eq!(page.select("#stop-curfew"), ["22:00–06:00"]);
    assert_eq!(page.select("#stop-restrictions"), ["no bars"]);
    assert_eq!(page.select(".photo-placeholder").len(), 1);
    assert!(page.body.contains("Risk tier"), "the risk tier is shown");
    assert!(
        page.select("#next-stop-line[hidden]").len() == 1,
        "no next stop before a save"
    );

    // A plain-form visit: the page shows it, says it has no position, offers the next stop.
    let saved = post(
        &mut client,
        &own,
        &[("outcome", "present"), ("notes", "ok")],
    )
    .await;
    assert_eq!(saved.location(), url);
    let page = client.get(&url).await;
    assert_eq!(page.select("#visit-state[data-state=saved]").len(), 1);
    assert!(page.select("#saved-outcome")[0].contains("Present"));
    assert_eq!(
        page.select("#visit-flags li[data-flag=no_position]").len(),
        1
    );
    assert_eq!(
        page.select("#next-stop-line:not([hidden]) #next-stop")
            .len(),
        1
    );
    assert_eq!(
        page.select("#visit-form button[aria-pressed=true]"),
        ["Present"],
        "the saved outcome is marked"
    );
    // Past visits say whether they were at home or at work.
    assert!(page.select("#stop-past li")[0].contains("home"));
}

#[actix_web::test]
async fn nothing_entered_is_dropped_and_a_check_closes_after_its_window() {
    let (app, office) = TestApp::office();
    let (own, _) = published_checks(&app, &office);
    let mut client = signed_in_english(&app, "officer01").await;
    // A violation's kind with another outcome: refused by name, the notes kept in the form.
    let refused = post(
        &mut client,
        &own,
        &[
            ("outcome", "present"),
            ("violation_kind", "intoxication"),
            ("notes", "смотрел"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.select("#visit-error")[0]
            .to_lowercase()
            .contains("violation")
    );
    assert_eq!(refused.select("#notes"), ["смотрел"]);
    assert!(stored(&app, &own).is_empty());
    // A violation is its kind's button alone.
    let violation = post(&mut client, &own, &[("violation_kind", "curfew_breach")]).await;
    assert!(violation.status.is_redirection(), "{}", violation.body);
    assert_eq!(stored(&app, &own), ["violation"]);
    // A second tap within the window corrects it.
    assert!(
        post(&mut client, &own, &[("outcome", "absent")])
            .await
            .status
            .is_redirection()
    );
    assert_eq!(stored(&app, &own), ["absent"]);
    // After the window: no buttons, and a post is refused with the reason.
    diesel::update(visits::table.filter(visits::check_id.eq(&own.id)))
        .set(visits::server_at.eq(baqylau::db::now_utc() - chrono::Duration::minutes(11)))
        .execute(&mut app.conn())
        .unwrap();
    let page = client.get(&format!("/field/stops/{}", own.id)).await;
    assert!(page.select("#visit-form").is_empty());
    assert_eq!(page.select("#visit-closed").len(), 1);
    let late = post(&mut client, &own, &[("outcome", "present")]).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.select("#visit-error")[0].contains("closed"));
    assert_eq!(stored(&app, &own), ["absent"]);
}

#[actix_web::test]
async fn a_work_check_offers_no_violation_and_refuses_one_by_name() {
    let (app, office) = TestApp::office();
    let (own, _) = published_checks(&app, &office);
    // Make the check a work check of the same person (its outcomes are the work ones).
    diesel::update(checks::table.find(&own.id))
        .set(checks::kind.eq("work"))
        .execute(&mut app.conn())
        .unwrap();
    let mut client = signed_in_english(&app, "officer01").await;
    let page = client.get(&format!("/field/stops/{}", own.id)).await;
    assert_eq!(page.select("#visit-form button[name=outcome]").len(), 4);
    assert!(
        page.select("[name=violation_kind]").is_empty(),
        "no violation on a work check"
    );
    let refused = post(
        &mut client,
        &own,
        &[("outcome", "employed"), ("violation_kind", "other")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        stored(&app, &own).is_empty(),
        "refused, not stored without it"
    );
}
