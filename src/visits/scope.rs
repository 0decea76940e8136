//! Whose visits an officer may record (DESIGN.md section 6): a person of a check on their
//! group's published route of that day, or, ad hoc, a person living or working in their group's
//! districts. Anything else is refused with one answer, whether the person exists or not, and
//! before anything about the person (a distance, a follow-up) is computed.

use chrono::NaiveDate;

use crate::db::checks::CheckRow;
use crate::db::{self, DbConnection};
use crate::domain::PersonId;
use crate::domain::mobile_group::MobileGroup;
use crate::domain::person::{CheckKind, Person};
use crate::domain::user::User;

/// A visit the officer may record: the person, and the check it is made on (none: ad hoc).
#[derive(Debug, Clone)]
pub struct InScope {
    /// The person visited.
    pub person: Person,
    /// The check of the officer's group, if the visit names one.
    pub check: Option<CheckRow>,
}

/// Why a visit is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutOfScope {
    /// The officer may not record it (403, audited as `denied`).
    Denied,
    /// The visit contradicts its own check (422): the field and the message key.
    Invalid(&'static str, &'static str),
}

/// Decides whether `officer` may record a visit of `input.person_id` of `kind` on `day` (the
/// region's date of the device's time).
pub fn of_visit(
    conn: &mut DbConnection,
    officer: &User,
    input: &super::VisitInput,
    kind: CheckKind,
    day: NaiveDate,
) -> anyhow::Result<Result<InScope, OutOfScope>> {
    let Some(group_id) = &officer.mobile_group_id else {
        return Ok(Err(OutOfScope::Denied));
    };
    let Some(group) = db::mobile_groups::find_mobile_group(conn, group_id)? else {
        return Ok(Err(OutOfScope::Denied));
    };
    let check = match input.check_id.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(id) => match db::checks::find_check(conn, id)? {
            Some(check) if is_groups_published_check(&check, &group) => Some(check),
            // A check of another group, one not yet published, or none at all: one answer.
            _ => return Ok(Err(OutOfScope::Denied)),
        },
    };
    if let Some(check) = &check
        && (check.person_id != input.person_id || check.kind != kind.as_str())
    {
        return Ok(Err(OutOfScope::Invalid("person_id", "visit-error-check")));
    }
    let person = db::persons::find_person(conn, &PersonId::from(input.person_id.clone()))?;
    let Some(person) = person else {
        return Ok(Err(OutOfScope::Denied));
    };
    let on_route = check.as_ref().is_some_and(|c| c.planned_date == Some(day));
    // A check moved to another day after the officer saw it still counts where the person is
    // the group's to visit anyway.
    if !on_route && !lives_or_works_in(conn, &person, &group)? {
        return Ok(Err(OutOfScope::Denied));
    }
    Ok(Ok(InScope { person, check }))
}

/// Whether a check is on one of the group's published routes (published, done, missed, or
/// cancelled after it was published).
fn is_groups_published_check(check: &CheckRow, group: &MobileGroup) -> bool {
    check.mobile_group_id.as_deref() == Some(group.id.as_str())
        && check.status != "planned"
        && check.planned_date.is_some()
}

/// Whether the person's home is in one of the group's districts, or their work place lies in
/// one.
fn lives_or_works_in(
    conn: &mut DbConnection,
    person: &Person,
    group: &MobileGroup,
) -> anyhow::Result<bool> {
    if group.district_ids.contains(&person.district_id) {
        return Ok(true);
    }
    let Some(work) = &person.work else {
        return Ok(false);
    };
    let districts = db::districts::list_districts(conn)?;
    Ok(districts
        .iter()
        .filter(|d| group.district_ids.contains(&d.id))
        .any(|d| d.contains(work.point)))
}
