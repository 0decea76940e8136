//! Every page that shows persons leaves one `read` entry naming how many it showed and the query,
//! and each person's "who viewed" list shows that view: the registry list and search, a plan, an
//! officer's route of the day and the coverage report's lists.

use actix_web::http::StatusCode;
use baqylau::db::schema::{audit_entries, audit_entry_persons};
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
            let linked = audit_entry_persons::table
                .filter(audit_entry_persons::audit_entry_id.eq(&id))
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
    let linked_own: i64 = audit_entry_persons::table
        .filter(audit_entry_persons::person_id.eq(&own.person_id))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(linked_own, 2, "the person on the route was seen twice");
}
