//! What the coverage and group reports read: active persons, successful visits, placed checks of
//! published plans and the groups' visits, as the plain facts `crate::reports` aggregates.
//! Visit times are stored in UTC and turned into the region's local days here.

use chrono::{NaiveDate, NaiveDateTime, TimeZone as _};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{checks, persons, plans, visits};
use crate::domain::person::{CheckKind, PersonStatus, RiskTier};
use crate::domain::visit::{EvidenceQuality, VisitOutcome};
use crate::reports::coverage::{self, Coverage, DistrictRef, GroupRef, PersonFact, SuccessFact};
use crate::reports::crime_trends::Period;
use crate::reports::groups::{self, GroupName, GroupReport, GroupVisit, PlannedCheck};

fn local(tz: chrono_tz::Tz, utc: NaiveDateTime) -> NaiveDateTime {
    tz.from_utc_datetime(&utc).naive_local()
}

/// UTC bounds that hold every local moment from `from` to the end of `to` (a day of margin on
/// each side; the exact local day is checked afterwards).
fn utc_bounds(from: NaiveDate, to: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    let start = from.pred_opt().unwrap_or(from).and_hms_opt(0, 0, 0);
    let end = to
        .succ_opt()
        .and_then(|d| d.succ_opt())
        .unwrap_or(to)
        .and_hms_opt(0, 0, 0);
    (start.unwrap_or_default(), end.unwrap_or_default())
}

/// Reads and aggregates the coverage report; `district` is a district code (the whole region
/// when `None`); `Ok(None)` when no district has that code.
pub fn coverage(
    conn: &mut DbConnection,
    period: Period,
    district: Option<&str>,
    tz: chrono_tz::Tz,
) -> anyhow::Result<Option<Coverage>> {
    let mut districts: Vec<DistrictRef> = super::districts::list_districts(conn)?
        .into_iter()
        .map(|d| DistrictRef {
            id: d.id.as_str().to_owned(),
            code: d.code,
        })
        .collect();
    if let Some(code) = district {
        let Some(found) = districts.iter().find(|d| d.code.eq_ignore_ascii_case(code)) else {
            return Ok(None);
        };
        districts = vec![found.clone()];
    }
    let chosen = district.and_then(|_| districts.first().cloned());
    let mut query = persons::table
        .filter(persons::status.eq(PersonStatus::Active.as_str()))
        .select((
            persons::id,
            persons::district_id,
            persons::risk_tier,
            persons::supervision_start,
            persons::work_lat,
        ))
        .into_boxed();
    if let Some(d) = &chosen {
        query = query.filter(persons::district_id.eq(d.id.clone()));
    }
    let rows: Vec<(String, String, String, NaiveDate, Option<f64>)> = query.load(conn)?;
    let persons: Vec<PersonFact> = rows
        .into_iter()
        .map(|(id, district_id, tier, start, work_lat)| PersonFact {
            id,
            district_id,
            risk_tier: RiskTier::parse(&tier).unwrap_or(RiskTier::Medium),
            supervision_start: start,
            employed: work_lat.is_some(),
        })
        .collect();
    // The longest standard is at most 365 days: a year before the period is enough.
    let since = period.from - chrono::Duration::days(366);
    let (start, end) = utc_bounds(since, period.to);
    let success: Vec<&str> = [
        VisitOutcome::Present,
        VisitOutcome::Violation,
        VisitOutcome::Employed,
    ]
    .into_iter()
    .filter(|o| o.is_success())
    .map(VisitOutcome::as_str)
    .collect();
    let mut visit_query = visits::table
        .filter(visits::outcome.eq_any(success))
        .filter(visits::device_at.ge(start))
        .filter(visits::device_at.lt(end))
        .select((visits::person_id, visits::kind, visits::device_at))
        .into_boxed();
    if let Some(d) = &chosen {
        visit_query = visit_query.filter(
            visits::person_id.eq_any(
                persons::table
                    .filter(persons::district_id.eq(d.id.clone()))
                    .select(persons::id),
            ),
        );
    }
    let rows: Vec<(String, String, NaiveDateTime)> = visit_query.load(conn)?;
    let successes: Vec<SuccessFact> = rows
        .into_iter()
        .filter_map(|(person_id, kind, at)| {
            Some(SuccessFact {
                person_id,
                kind: CheckKind::parse(&kind)?,
                day: local(tz, at).date(),
            })
        })
        .collect();
    let standards = super::contact_standards::list_contact_standards(conn)?;
    let groups: Vec<GroupRef> = super::mobile_groups::list_mobile_groups(conn)?
        .into_iter()
        .map(|g| GroupRef {
            name: g.name,
            district_ids: g
                .district_ids
                .iter()
                .map(|d| d.as_str().to_owned())
                .collect(),
        })
        .filter(|g| {
            chosen
                .as_ref()
                .is_none_or(|d| g.district_ids.contains(&d.id))
        })
        .collect();
    Ok(Some(coverage::aggregate(
        &persons,
        &successes,
        &standards,
        &districts,
        &groups,
        period,
        chosen.as_ref().map(|d| d.code.as_str()),
    )))
}

/// Reads and aggregates the group report.
pub fn group_report(
    conn: &mut DbConnection,
    period: Period,
    tz: chrono_tz::Tz,
) -> anyhow::Result<GroupReport> {
    let groups: Vec<GroupName> = super::mobile_groups::list_mobile_groups(conn)?
        .into_iter()
        .map(|g| GroupName {
            id: g.id.as_str().to_owned(),
            name: g.name,
        })
        .collect();
    type CheckTuple = (String, Option<String>, Option<NaiveDate>, String, i32, i32);
    let rows: Vec<CheckTuple> = checks::table
        .inner_join(plans::table)
        .filter(plans::status.eq("published"))
        .filter(checks::planned_date.ge(period.from))
        .filter(checks::planned_date.le(period.to))
        .filter(checks::mobile_group_id.is_not_null())
        .select((
            checks::id,
            checks::mobile_group_id,
            checks::planned_date,
            checks::status,
            checks::window_start_min,
            checks::window_end_min,
        ))
        .load(conn)?;
    let planned: Vec<PlannedCheck> = rows
        .into_iter()
        .filter_map(|(id, group, day, status, start, end)| {
            Some(PlannedCheck {
                id,
                group_id: group?,
                day: day?,
                status,
                window_start_min: start,
                window_end_min: end,
            })
        })
        .collect();
    let (start, end) = utc_bounds(period.from, period.to);
    type VisitTuple = (Option<String>, Option<String>, NaiveDateTime, bool, String);
    let rows: Vec<VisitTuple> = visits::table
        .filter(visits::device_at.ge(start))
        .filter(visits::device_at.lt(end))
        .filter(visits::mobile_group_id.is_not_null())
        .select((
            visits::mobile_group_id,
            visits::check_id,
            visits::device_at,
            visits::far_from_address,
            visits::evidence,
        ))
        .load(conn)?;
    let poor = EvidenceQuality::Poor.as_str();
    let visits: Vec<GroupVisit> = rows
        .into_iter()
        .filter_map(|(group, check_id, at, far, evidence)| {
            Some(GroupVisit {
                group_id: group?,
                check_id,
                local_at: local(tz, at),
                flagged: far || evidence == poor,
            })
        })
        .collect();
    Ok(groups::aggregate(&planned, &visits, &groups, period))
}
