//! What the coverage, coverage-against-crime and group reports read: active persons, successful
//! visits, offences and their suspects, placed checks of published plans and the groups' visits,
//! as the plain facts `crate::reports` aggregates.
//! Visit times are stored in UTC and turned into the region's local days here.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, TimeZone as _};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{checks, offences, persons, plans, visits};
use crate::domain::location::{DistrictKind, district_of};
use crate::domain::person::{CheckKind, PersonStatus, RiskTier};
use crate::domain::visit::{EvidenceQuality, VisitOutcome};
use crate::domain::{District, GeoPoint};
use crate::reports::coverage::{self, Coverage, DistrictRef, GroupRef, PersonFact, SuccessFact};
use crate::reports::coverage_vs_crime::{self, CoverageVsCrime, OffenceAt, Reoffence};
use crate::reports::crime_trends::{DistrictInfo, Period};
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

/// The active persons of the area (one district's id, or the region) and their successful
/// visits from a year before `period` to its end, as the coverage reports need them.
fn persons_and_successes(
    conn: &mut DbConnection,
    period: Period,
    district_id: Option<&str>,
    tz: chrono_tz::Tz,
) -> anyhow::Result<(Vec<PersonFact>, Vec<SuccessFact>)> {
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
    if let Some(d) = district_id {
        query = query.filter(persons::district_id.eq(d.to_owned()));
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
    if let Some(d) = district_id {
        visit_query = visit_query.filter(
            visits::person_id.eq_any(
                persons::table
                    .filter(persons::district_id.eq(d.to_owned()))
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
    Ok((persons, successes))
}

/// The districts a report covers: every district, or only the one whose code is `code` (any
/// case), with that one apart; `Ok(None)` when no district has that code.
pub fn report_area(
    conn: &mut DbConnection,
    code: Option<&str>,
) -> anyhow::Result<Option<(Vec<District>, Option<District>)>> {
    let districts = super::districts::list_districts(conn)?;
    let Some(code) = code else {
        return Ok(Some((districts, None)));
    };
    Ok(districts
        .into_iter()
        .find(|d| d.code.eq_ignore_ascii_case(code))
        .map(|d| (vec![d.clone()], Some(d))))
}

/// Reads and aggregates the coverage report; `district` is a district code (the whole region
/// when `None`); `Ok(None)` when no district has that code.
pub fn coverage(
    conn: &mut DbConnection,
    period: Period,
    district: Option<&str>,
    tz: chrono_tz::Tz,
) -> anyhow::Result<Option<Coverage>> {
    let Some((area, chosen)) = report_area(conn, district)? else {
        return Ok(None);
    };
    let districts: Vec<DistrictRef> = area
        .into_iter()
        .map(|d| DistrictRef {
            id: d.id.as_str().to_owned(),
            code: d.code,
        })
        .collect();
    let chosen = chosen.map(|d| DistrictRef {
        id: d.id.as_str().to_owned(),
        code: d.code,
    });
    let (persons, successes) =
        persons_and_successes(conn, period, chosen.as_ref().map(|d| d.id.as_str()), tz)?;
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

/// IINs per `eq_any` list: well under SQLite's and PostgreSQL's limits on bound values.
const IIN_BATCH: usize = 1000;

/// Reads and aggregates the coverage-against-crime report; `district` is a district code (the
/// whole region when `None`); `Ok(None)` when no district has that code. Offences count by the
/// district they were committed in; re-offences by the home district of their suspect.
pub fn coverage_vs_crime(
    conn: &mut DbConnection,
    period: Period,
    district: Option<&str>,
    tz: chrono_tz::Tz,
) -> anyhow::Result<Option<CoverageVsCrime>> {
    let Some((area, chosen)) = report_area(conn, district)? else {
        return Ok(None);
    };
    let districts: Vec<DistrictInfo> = area.iter().map(DistrictInfo::of).collect();
    let chosen = chosen.map(|d| d.id.as_str().to_owned());
    let (persons, successes) = persons_and_successes(conn, period, chosen.as_deref(), tz)?;
    let standards = super::contact_standards::list_contact_standards(conn)?;
    let mut query = offences::table
        .filter(offences::offence_date.ge(period.from))
        .filter(offences::offence_date.le(period.to))
        .select((offences::district_id, offences::offence_date))
        .into_boxed();
    if let Some(d) = &chosen {
        query = query.filter(offences::district_id.eq(d.clone()));
    }
    let offence_rows: Vec<(String, NaiveDate)> = query.load(conn)?;
    let offences: Vec<OffenceAt> = offence_rows
        .into_iter()
        .map(|(district_id, day)| OffenceAt { district_id, day })
        .collect();
    // Re-offences: offences anywhere in the region whose suspect is a registry person of the area.
    let suspected: Vec<(String, NaiveDate)> = offences::table
        .filter(offences::offence_date.ge(period.from))
        .filter(offences::offence_date.le(period.to))
        .filter(offences::suspect_iin.is_not_null())
        .select((
            offences::suspect_iin.assume_not_null(),
            offences::offence_date,
        ))
        .load(conn)?;
    let mut iins: Vec<&str> = suspected.iter().map(|(iin, _)| iin.as_str()).collect();
    iins.sort_unstable();
    iins.dedup();
    let mut person_of: HashMap<String, String> = HashMap::new();
    for chunk in iins.chunks(IIN_BATCH) {
        let mut query = persons::table
            .filter(persons::iin.eq_any(chunk))
            .select((persons::iin, persons::id))
            .into_boxed();
        if let Some(d) = &chosen {
            query = query.filter(persons::district_id.eq(d.clone()));
        }
        let rows: Vec<(String, String)> = query.load(conn)?;
        person_of.extend(rows);
    }
    let reoffences: Vec<Reoffence> = suspected
        .iter()
        .filter_map(|(iin, day)| {
            Some(Reoffence {
                person_id: person_of.get(iin)?.clone(),
                day: *day,
            })
        })
        .collect();
    Ok(Some(coverage_vs_crime::aggregate(
        &persons,
        &successes,
        &standards,
        &districts,
        &offences,
        &reoffences,
        period,
        district.and_then(|_| districts.first().map(|d| d.code.as_str())),
    )))
}

/// Reads and aggregates the group report.
pub fn group_report(
    conn: &mut DbConnection,
    period: Period,
    tz: chrono_tz::Tz,
) -> anyhow::Result<GroupReport> {
    let districts = super::districts::list_districts(conn)?;
    let urban: HashMap<String, bool> = districts
        .iter()
        .map(|d| (d.id.as_str().to_owned(), d.kind == DistrictKind::Urban))
        .collect();
    let groups: Vec<GroupName> = super::mobile_groups::list_mobile_groups(conn)?
        .into_iter()
        .map(|g| GroupName {
            id: g.id.as_str().to_owned(),
            name: g.name,
            base: g.base,
            base_urban: district_of(&districts, g.base)
                .is_some_and(|d| d.kind == DistrictKind::Urban),
        })
        .collect();
    type CheckTuple = (
        String,
        Option<String>,
        Option<NaiveDate>,
        String,
        i32,
        i32,
        Option<i32>,
        f64,
        f64,
        String,
    );
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
            checks::position,
            checks::lat,
            checks::lon,
            checks::district_id,
        ))
        .load(conn)?;
    let planned: Vec<PlannedCheck> = rows
        .into_iter()
        .filter_map(
            |(id, group, day, status, start, end, position, lat, lon, district)| {
                Some(PlannedCheck {
                    id,
                    group_id: group?,
                    day: day?,
                    status,
                    window_start_min: start,
                    window_end_min: end,
                    position,
                    point: GeoPoint { lat, lon },
                    urban: urban.get(&district).copied().unwrap_or(false),
                })
            },
        )
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

/// Names and masked IINs of the persons with these ids, for the coverage report's top lists.
pub fn person_labels(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<HashMap<String, (String, String)>> {
    Ok(super::persons::names_and_iins_of(conn, ids)?
        .into_iter()
        .map(|(id, (name, iin))| (id, (name, crate::domain::iin::mask_iin(&iin))))
        .collect())
}
