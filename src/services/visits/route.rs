//! What an officer reads in the field: their group's published route of a day, and one stop of
//! it with a short summary of the person. Each read is written to the audit log (a refusal too).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::scope::{StopError, own_check};
use crate::db::{self, DbConnection};
use crate::domain::CheckId;
use crate::domain::check::{Check, CheckStatus};
use crate::domain::mobile_group::MobileGroup;
use crate::domain::person::Person;
use crate::domain::user::User;
use crate::domain::visit::{FollowUpReason, Visit};

/// An officer's route of a day.
#[derive(Debug, Clone, Default)]
pub struct Route {
    /// The officer's group (none: not assigned to a group).
    pub group: Option<MobileGroup>,
    /// The checks on the route, in order.
    pub checks: Vec<Check>,
    /// Full names by person id.
    pub names: HashMap<String, String>,
}

/// The officer's group's route on `day`, audited as one read of the persons on it.
pub fn route_of_day(
    conn: &mut DbConnection,
    officer: &User,
    day: NaiveDate,
    ip: Option<&str>,
) -> diesel::QueryResult<Route> {
    let Some(group_id) = &officer.mobile_group_id else {
        return Ok(Route::default());
    };
    let group = db::mobile_groups::find_mobile_group(conn, group_id)?;
    let checks = db::checks::route_of(conn, group_id, day)?;
    let ids: Vec<String> = checks.iter().map(|c| c.person_id.to_string()).collect();
    let query = day.to_string();
    let read = db::audit::ListRead {
        via: "today",
        query: &query,
        person_ids: &ids,
    };
    db::audit::insert_list_read(conn, officer, &read, ip)?;
    let names = db::persons::names_of(conn, &ids)?;
    Ok(Route {
        group,
        checks,
        names,
    })
}

/// A stop of the officer's route.
#[derive(Debug, Clone)]
pub struct Stop {
    /// The check.
    pub check: Check,
    /// Its person.
    pub person: Person,
    /// The person's last visits (three).
    pub past: Vec<Visit>,
    /// The person's open follow-ups: why, and since when.
    pub follow_ups: Vec<(FollowUpReason, NaiveDateTime)>,
    /// The visit recorded on this check, if any (one outcome per check).
    pub visit: Option<Visit>,
    /// The next stop of the route still to visit (after this one, else the first before it):
    /// its check and the person's name.
    pub next: Option<(CheckId, String)>,
}

/// Loads a check of the officer's group and its person, writing the read (or its refusal) to
/// the audit log.
fn load_stop(
    conn: &mut DbConnection,
    officer: &User,
    check_id: &CheckId,
    ip: Option<&str>,
) -> Result<(Check, Person), StopError> {
    let check = own_check(conn, officer, check_id, ip)?;
    let person = db::persons::find_person(conn, &check.person_id)?.ok_or(StopError::NotFound)?;
    db::audit::insert_person_read(
        conn,
        officer,
        Some(person.id.as_str()),
        ip,
        Some(serde_json::json!({ "via": "field", "check": check.id }).to_string()),
    )?;
    Ok((check, person))
}

/// A stop with the person's last visits and open follow-ups.
pub fn stop(
    conn: &mut DbConnection,
    officer: &User,
    check_id: &CheckId,
    ip: Option<&str>,
) -> Result<Stop, StopError> {
    let (check, person) = load_stop(conn, officer, check_id, ip)?;
    let past = db::visits::list_for_person(conn, &person.id, 3)?;
    let follow_ups = db::visits::open_follow_ups(conn, &person.id)?;
    let visit = db::corrections::visit_of_check(conn, &check.id)?;
    let next = next_stop(conn, &check)?;
    Ok(Stop {
        check,
        person,
        past,
        follow_ups,
        visit,
        next,
    })
}

/// The stop to go to after `check`: the first one still waiting after it on its route, else the
/// first one still waiting before it.
fn next_stop(
    conn: &mut DbConnection,
    check: &Check,
) -> diesel::QueryResult<Option<(CheckId, String)>> {
    let (Some(group), Some(day)) = (&check.mobile_group_id, check.planned_date) else {
        return Ok(None);
    };
    let route = db::checks::route_of(conn, group, day)?;
    let waiting = |c: &&Check| c.id != check.id && c.status == CheckStatus::Published;
    let here = check.position.unwrap_or(0);
    let next = route
        .iter()
        .filter(waiting)
        .find(|c| c.position.unwrap_or(0) > here)
        .or_else(|| route.iter().find(waiting));
    let Some(next) = next else {
        return Ok(None);
    };
    let names = db::persons::names_of(conn, &[next.person_id.to_string()])?;
    let name = names
        .get(next.person_id.as_str())
        .cloned()
        .unwrap_or_default();
    Ok(Some((next.id.clone(), name)))
}
