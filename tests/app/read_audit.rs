//! Every page that shows persons leaves one `read` entry naming how many it showed and the query,
//! and each person's "who viewed" list shows that view: the registry list and search, a plan, an
//! officer's route of the day and the coverage report's lists.

use actix_web::http::StatusCode;
use baqylau::db::schema::{audit_entries, audit_person_set_members};
use diesel::prelude::*;

use crate::support::builders::person;
use crate::support::{TestApp, signed_in};
use crate::visits::published_checks;
use baqylau::domain::person::RiskTier;

/// The list reads of a user: (details, persons linked).
fn list_reads(app: &TestApp, login: &str) -> Vec<(serde_json::Value, i64)> {
    let rows: Vec<(String, Option<String>)> = audit_entries::table
        .filter(audit_entries::user_login.eq(login))
        .filter(audit_entries::entity_kind.eq("person_list"))
        .filter(audit_entries::action.eq("read"))
        .order(audit_entries::at.asc())
        .select((audit_entries::id, audit_entries::details))
        .load(&mut app.conn())
        .unwrap();
    rows.into_iter()
        .map(|(id, details)| {
            let linked = audit_entries::table
                .inner_join(audit_person_set_members::table.on(
                    audit_entries::person_set_id.eq(audit_person_set_members::set_id.nullable()),
                ))
                .filter(audit_entries::id.eq(&id))
                .count()
                .get_result(&mut app.conn())
                .unwrap();
            (serde_json::from_str(&details.unwrap()).unwrap(), linked)
        })
        .collect()
}

#[actix_web::test]
async fn a_registry_search_is_one_audited_read_listed_among_each_persons_viewers() {
    let (app, office) = TestApp::office();
    let (west, east) = (&office.districts[0], &office.districts[1]);
    let first = person("Ахметов", "Серик", 1, office.point_in(0, 1), west).risk(RiskTier::High);
    let id = app.add_person(first).id.to_string();
    let works = office.point_in(0, 9);
    let second =
        person("Ахметов", "Болат", 2, office.point_in(1, 2), east).works_at("ТОО Жол", works);
    app.add_person(second);
    app.add_person(person("Иванов", "Пётр", 3, office.point_in(1, 3), east));
    let last_name = "Ахметов";
    let mut prosecutor = crate::support::signed_in_english(&app, "prosecutor").await;
    let page = prosecutor
        .get(&format!(
            "/registry/persons?q={}",
            baqylau::web::auth::encode_component(last_name)
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let shown = page.select("table.list tbody tr").len() as i64;
    assert_eq!(shown, 2, "both Akhmetovs and no one else");
    let reads = list_reads(&app, "prosecutor");
    assert_eq!(reads.len(), 1, "one entry for the page, not one per person");
    let (details, linked) = &reads[0];
    assert_eq!(details["via"], "registry_list");
    assert_eq!(details["count"], shown);
    assert_eq!(*linked, shown);
    assert!(
        details["query"].as_str().unwrap().contains("q="),
        "the search is named: {details}"
    );
    let record = prosecutor.get(&format!("/registry/persons/{id}")).await;
    assert!(
        record.body.contains("registry list"),
        "the person's viewers include the list view"
    );
}

#[actix_web::test]
async fn an_officers_route_and_a_route_of_a_plan_are_audited_as_reads_of_their_persons() {
    let (app, office) = TestApp::office();
    let (own, _) = published_checks(&app, &office);
    let mut officer = signed_in(&app, "officer01").await;
    assert_eq!(officer.get("/field/today").await.status, StatusCode::OK);
    let reads = list_reads(&app, "officer01");
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].0["via"], "today");
    assert!(reads[0].1 >= 1, "the route's persons are linked");
    let mut prosecutor = signed_in(&app, "prosecutor").await;
    let plan = own.plan_id.clone().unwrap();
    // The summary names no person: no read to audit.
    assert_eq!(
        prosecutor
            .get(&format!("/planning/plans/{plan}"))
            .await
            .status,
        StatusCode::OK
    );
    assert!(list_reads(&app, "prosecutor").is_empty());
    let route = format!(
        "/planning/plans/{plan}/routes/{}/{}",
        own.mobile_group_id.as_deref().unwrap(),
        own.planned_date.unwrap()
    );
    assert_eq!(prosecutor.get(&route).await.status, StatusCode::OK);
    let reads = list_reads(&app, "prosecutor");
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].0["via"], "plan");
    assert_eq!(reads[0].0["query"], plan.as_str());
    assert_eq!(reads[0].0["count"], reads[0].1);
    assert_eq!(
        viewing_lists(&app, &own.person_id).len(),
        2,
        "the person on the route was seen twice"
    );
}

/// The list reads among a person's viewers, newest first: (login, via).
fn viewing_lists(app: &TestApp, person_id: &str) -> Vec<(String, String)> {
    baqylau::db::audit::list_person_viewers(&mut app.conn(), person_id, 100)
        .unwrap()
        .into_iter()
        .filter(|row| row.entity_kind == "person_list")
        .map(|row| {
            let details: serde_json::Value =
                serde_json::from_str(row.details.as_deref().unwrap()).unwrap();
            (row.user_login, details["via"].as_str().unwrap().to_owned())
        })
        .collect()
}

/// How many person links are stored in all.
fn stored_links(app: &TestApp) -> i64 {
    audit_person_set_members::table
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_route_seen_again_is_another_entry_among_the_viewers_without_linking_its_persons_anew() {
    let (app, office) = TestApp::office();
    let (own, _) = published_checks(&app, &office);
    let mut officer = signed_in(&app, "officer01").await;
    assert_eq!(officer.get("/field/today").await.status, StatusCode::OK);
    let links = stored_links(&app);
    assert!(links >= 1, "the first view links the route's persons");
    for _ in 0..3 {
        assert_eq!(officer.get("/field/today").await.status, StatusCode::OK);
    }
    let reads = list_reads(&app, "officer01");
    assert_eq!(reads.len(), 4, "every view is an entry of its own");
    assert!(
        reads
            .iter()
            .all(|(details, linked)| *linked == links && details["count"] == links),
        "each entry names all the route's persons: {reads:?}"
    );
    assert_eq!(stored_links(&app), links, "no person linked twice");
    let viewers = viewing_lists(&app, &own.person_id);
    assert_eq!(viewers.len(), 4, "{viewers:?}");
    assert!(
        viewers
            .iter()
            .all(|(login, via)| login == "officer01" && via == "today")
    );
}

#[actix_web::test]
async fn two_searches_that_show_other_persons_never_share_their_viewers() {
    let (app, office) = TestApp::office();
    let west = &office.districts[0];
    let akhmetov = person("Ахметов", "Серик", 1, office.point_in(0, 1), west);
    let akhmetov = app.add_person(akhmetov).id.to_string();
    let ivanov = person("Иванов", "Пётр", 2, office.point_in(0, 2), west);
    let ivanov = app.add_person(ivanov).id.to_string();
    let mut prosecutor = signed_in(&app, "prosecutor").await;
    for last_name in ["Ахметов", "Иванов", "Ахметов"] {
        let query = baqylau::web::auth::encode_component(last_name);
        let page = prosecutor
            .get(&format!("/registry/persons?q={query}"))
            .await;
        assert_eq!(page.select("table.list tbody tr").len(), 1, "{last_name}");
    }
    assert_eq!(
        viewing_lists(&app, &akhmetov).len(),
        2,
        "searched for twice"
    );
    assert_eq!(viewing_lists(&app, &ivanov).len(), 1, "searched for once");
    assert_eq!(stored_links(&app), 2, "each person linked once");
}
