//! Whose visits an officer may record and whose stops they may open (DESIGN.md section 6): a
//! person of a check on their group's published route of that day, or, ad hoc, a person living
//! or working in their group's districts. Anything else is refused with one answer, whether the
//! person exists or not, and before anything about the person (a distance, a follow-up) is
//! computed; every refusal is written to the audit log.

use chrono::NaiveDate;

use super::VisitInput;
use crate::db::audit::{AuditAction, AuditKind, AuditRecord};
use crate::db::{self, DbConnection};
use crate::domain::check::{Check, CheckKind};
use crate::domain::mobile_group::MobileGroup;
use crate::domain::person::Person;
use crate::domain::user::User;
use crate::domain::{CheckId, PersonId};

/// A visit the officer may record: the person, and the check it is made on (none: ad hoc).
#[derive(Debug, Clone)]
pub struct InScope {
    /// The person visited.
    pub person: Person,
    /// The check of the officer's group, if the visit names one.
    pub check: Option<Check>,
}

/// Why a visit is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutOfScope {
    /// The officer may not record it (403, audited as `denied`).
    Denied,
    /// The visit contradicts its own check (422): the field and the message key.
    Invalid(&'static str, &'static str),
}

/// Why a stop is not shown.
#[derive(Debug, thiserror::Error)]
pub enum StopError {
    /// No check has that id.
    #[error("no such check")]
    NotFound,
    /// The check is not on the officer's group's published route (the refusal is audited).
    #[error("not the officer's check")]
    Forbidden,
    /// The database failed.
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    /// A read failed.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Decides whether `officer` may record a visit of `input.person_id` of `kind` on `day` (the
/// region's date of the device's time).
pub fn of_visit(
    conn: &mut DbConnection,
    officer: &User,
    input: &VisitInput,
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
        Some(id) => match db::checks::find_check(conn, &CheckId::from(id.to_owned()))? {
            Some(check) if is_groups_published_check(&check, &group) => Some(check),
            // A check of another group, one not yet published, or none at all: one answer.
            _ => return Ok(Err(OutOfScope::Denied)),
        },
    };
    if let Some(check) = &check
        && (check.person_id.as_str() != input.person_id || check.kind != kind)
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
fn is_groups_published_check(check: &Check, group: &MobileGroup) -> bool {
    check.mobile_group_id.as_ref() == Some(&group.id)
        && check.status.is_published()
        && check.is_placed()
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

/// The check `check_id` if it is on the officer's group's published route (of any day);
/// otherwise the refusal is audited. Records nothing as read.
pub fn own_check(
    conn: &mut DbConnection,
    officer: &User,
    check_id: &CheckId,
    ip: Option<&str>,
) -> Result<Check, StopError> {
    let check = db::checks::find_check(conn, check_id)?.ok_or(StopError::NotFound)?;
    let own = officer.mobile_group_id.is_some() && check.mobile_group_id == officer.mobile_group_id;
    if !own || !check.status.is_published() {
        deny(conn, officer, &check.person_id, ip)?;
        return Err(StopError::Forbidden);
    }
    Ok(check)
}

/// Writes the refusal of a person's record to the audit log.
pub fn deny(
    conn: &mut DbConnection,
    officer: &User,
    person_id: &PersonId,
    ip: Option<&str>,
) -> diesel::QueryResult<()> {
    let record = AuditRecord::by(
        officer,
        ip,
        AuditAction::Denied,
        AuditKind::Person,
        person_id.as_str(),
    );
    db::audit::insert(conn, &record)
}
