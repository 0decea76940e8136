//! The supervisors' reports as use cases: read the facts through `db`, turn UTC times into the
//! region's local days, and aggregate with the pure `crate::reports`. The web pages and
//! `baqylau report ...` call these. A report over one district names it by code; `Ok(None)` when
//! no district has that code.

use std::collections::HashMap;

use diesel::QueryResult;
use rustc_hash::FxHashMap;

use crate::db::{self, DbConnection};
use crate::domain::contact_standard::ContactStandard;
use crate::domain::location::{DistrictKind, district_of};
use crate::domain::person::CheckKind;
use crate::domain::{District, GeoPoint};
use crate::reports::coverage::{self, Coverage, DistrictRef, GroupRef, PersonFact, SuccessDays};
use crate::reports::crime_trends::{self, CrimeTrends, DistrictInfo, OffenceFact, Period};

mod coverage_store;
mod crime_coverage;

use crate::reports::groups::drive::PlannedLeg;
use crate::reports::groups::{self, GroupName, GroupReport, GroupVisit, PlannedCheck};
use crate::reports::local_time::{LocalTimes, utc_bounds};
use crate::roads::RoadClass;
pub use coverage_store::{recomputed_coverage_months, stored_coverage_months};
pub use crime_coverage::{coverage_vs_crime, coverage_vs_crime_live};

/// The districts a report covers: every district, or only the one whose code is `code` (any
/// case), with that one apart; `Ok(None)` when no district has that code.
pub fn report_area(
    conn: &mut DbConnection,
    code: Option<&str>,
) -> anyhow::Result<Option<(Vec<District>, Option<District>)>> {
    let districts = db::districts::list_districts(conn)?;
    let Some(code) = code else {
        return Ok(Some((districts, None)));
    };
    Ok(districts
        .into_iter()
        .find(|d| d.code.eq_ignore_ascii_case(code))
        .map(|d| (vec![d.clone()], Some(d))))
}

/// The active persons of the area (one district's id, or the region) and their successful
/// visits the coverage evaluation needs: every one from the longest contact standard (and a
/// day) before `period` to its end, and, for each person-kind without
/// one up to the period's end, its last one before that (the lapsing list's days since the last
/// visit). An older success can change no number: it covers no day of the period.
fn persons_and_successes(
    conn: &mut DbConnection,
    period: Period,
    district_id: Option<&str>,
    tz: chrono_tz::Tz,
    standards: &[ContactStandard],
) -> QueryResult<(Vec<PersonFact>, SuccessDays)> {
    let persons = active_person_facts(conn, district_id)?;
    let index = db::report_reads::PersonIndex::new(persons.iter().map(|p| p.id.as_str()));
    // The coverage-against-crime report looks at the day before a re-offence on the period's
    // first day: hence the extra day.
    let since = period.from - chrono::Duration::days(coverage::longest_interval(standards) + 1);
    let window = utc_bounds(since, period.to);
    let mut local_times = LocalTimes::new(tz);
    let mut successes: Vec<(u32, CheckKind, chrono::NaiveDate)> = Vec::new();
    // Person-kinds (2 × person + kind) with a success up to the period's end.
    let mut seen = vec![false; persons.len() * 2];
    db::report_reads::for_each_success(conn, &index, district_id, window, &mut |i, kind, at| {
        let day = local_times.day(at);
        if day <= period.to {
            seen[i as usize * 2 + usize::from(kind == CheckKind::Work)] = true;
        }
        successes.push((i, kind, day));
    })?;
    {
        let unseen: Vec<u32> = persons
            .iter()
            .enumerate()
            .filter(|(i, p)| !seen[i * 2] || (p.employed && !seen[i * 2 + 1]))
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect();
        db::report_reads::for_each_last_success_before(
            conn,
            &index,
            &unseen,
            window.0,
            &mut |i, kind, at| successes.push((i, kind, local_times.day(at))),
        )?;
    }
    let successes = SuccessDays::build(persons.len(), &successes);
    Ok((persons, successes))
}

/// The active persons of the area (one district's id, or the region) as the coverage
/// evaluation takes them.
fn active_person_facts(
    conn: &mut DbConnection,
    district_id: Option<&str>,
) -> QueryResult<Vec<PersonFact>> {
    Ok(db::report_reads::active_persons(conn, district_id)?
        .into_iter()
        .map(|p| PersonFact {
            id: p.id,
            district_id: p.district_id,
            risk_tier: p.risk_tier,
            supervision_start: p.supervision_start,
            employed: p.employed,
        })
        .collect())
}

/// The coverage report of `period` over the region or the district with code `district`.
pub fn coverage(
    conn: &mut DbConnection,
    period: Period,
    district: Option<&str>,
    tz: chrono_tz::Tz,
) -> anyhow::Result<Option<Coverage>> {
    let Some((area, chosen)) = report_area(conn, district)? else {
        return Ok(None);
    };
    let district_ref = |d: District| DistrictRef {
        id: d.id.as_str().to_owned(),
        code: d.code,
    };
    let districts: Vec<DistrictRef> = area.into_iter().map(district_ref).collect();
    let chosen = chosen.map(district_ref);
    let chosen_id = chosen.as_ref().map(|d| d.id.as_str());
    let standards = db::contact_standards::list_contact_standards(conn)?;
    let (persons, successes) = persons_and_successes(conn, period, chosen_id, tz, &standards)?;
    let groups: Vec<GroupRef> = db::mobile_groups::list_mobile_groups(conn)?
        .into_iter()
        .map(|g| GroupRef {
            name: g.name,
            district_ids: g
                .district_ids
                .iter()
                .map(|d| d.as_str().to_owned())
                .collect(),
        })
        .filter(|g| chosen_id.is_none_or(|id| g.district_ids.iter().any(|d| d == id)))
        .collect();
    Ok(Some(coverage::aggregate_days(
        &persons,
        &successes,
        &standards,
        &districts,
        &groups,
        period,
        chosen.as_ref().map(|d| d.code.as_str()),
    )))
}

/// The group report of `period`, with its planned drive against the driven.
pub fn group_report(
    conn: &mut DbConnection,
    period: Period,
    tz: chrono_tz::Tz,
) -> anyhow::Result<GroupReport> {
    let districts = db::districts::list_districts(conn)?;
    let urban: FxHashMap<&str, bool> = districts
        .iter()
        .map(|d| (d.id.as_str(), d.kind == DistrictKind::Urban))
        .collect();
    let groups: Vec<GroupName> = db::mobile_groups::list_mobile_groups(conn)?
        .into_iter()
        .map(|g| GroupName {
            id: g.id.as_str().to_owned(),
            name: g.name,
            base: g.base,
            base_urban: district_of(&districts, g.base)
                .is_some_and(|d| d.kind == DistrictKind::Urban),
        })
        .collect();
    let planned: Vec<PlannedCheck> =
        db::report_reads::placed_checks(conn, (period.from, period.to))?
            .into_iter()
            .map(|c| PlannedCheck {
                urban: urban.get(c.district_id.as_str()).copied().unwrap_or(false),
                id: c.id,
                group_id: c.group_id,
                day: c.day,
                status: c.status,
                window_start_min: c.window_start_min,
                window_end_min: c.window_end_min,
                position: c.position,
                point: GeoPoint {
                    lat: c.lat,
                    lon: c.lon,
                },
            })
            .collect();
    let mut local_times = LocalTimes::new(tz);
    let visits: Vec<GroupVisit> =
        db::report_reads::group_visits(conn, utc_bounds(period.from, period.to))?
            .into_iter()
            .map(|v| GroupVisit {
                group_id: v.group_id,
                check_id: v.check_id,
                local_at: local_times.local(v.at),
                flagged: v.far_from_address || v.poor_evidence,
            })
            .collect();
    let legs = planned_legs(conn, period, &districts)?;
    let classes: Vec<&str> = RoadClass::ALL.iter().map(|c| c.as_str()).collect();
    let mut report = groups::aggregate(&planned, &visits, &groups, period);
    report.drive = groups::drive::aggregate(&planned, &visits, &legs, &classes, period);
    Ok(report)
}

/// The legs between stops of the published routes of `period` as their plans timed them, each
/// with its arrival stop's district code.
fn planned_legs(
    conn: &mut DbConnection,
    period: Period,
    districts: &[District],
) -> QueryResult<Vec<PlannedLeg>> {
    let code: FxHashMap<&str, &str> = districts
        .iter()
        .map(|d| (d.id.as_str(), d.code.as_str()))
        .collect();
    Ok(
        db::drive_reads::planned_legs(conn, (period.from, period.to))?
            .into_iter()
            .map(|l| PlannedLeg {
                district: code
                    .get(l.district_id.as_str())
                    .map_or_else(|| l.district_id.clone(), |c| (*c).to_owned()),
                check_id: l.check_id,
                from_check_id: l.from_check_id,
                planned_s: l.driving_s,
                from_service_s: i64::from(l.from_service_min) * 60,
                road_class: l.road_class,
            })
            .collect(),
    )
}

/// The crime-trend report of `period` against `against`, over the region or the district with
/// code `district`, with the districts' populations and the national reference rate.
pub fn crime_trends(
    conn: &mut DbConnection,
    period: Period,
    against: Period,
    district: Option<&str>,
    national_rate_per_10k: f64,
) -> anyhow::Result<Option<CrimeTrends>> {
    let Some((area, chosen)) = report_area(conn, district)? else {
        return Ok(None);
    };
    let districts: Vec<DistrictInfo> = area.iter().map(DistrictInfo::of).collect();
    let chosen = chosen.as_ref().map(DistrictInfo::of);
    let id = chosen.as_ref().map(|d| d.id.as_str());
    let mut facts = |p: Period| -> QueryResult<Vec<OffenceFact>> {
        Ok(db::offences::facts_between(conn, p.from, p.to, id)?
            .into_iter()
            .map(|f| OffenceFact {
                date: f.date,
                district_id: f.district_id,
                severity: f.severity,
                offence_type: f.offence_type,
                place: f.place,
            })
            .collect())
    };
    let current = facts(period)?;
    let previous = facts(against)?;
    Ok(Some(crime_trends::aggregate(
        &current,
        &previous,
        &districts,
        period,
        against,
        chosen.as_ref().map(|d| d.code.as_str()),
        national_rate_per_10k,
    )))
}

/// Names and masked IINs of the persons with these ids, for the coverage report's top lists.
pub fn person_labels(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<HashMap<String, (String, String)>> {
    Ok(db::persons::names_and_iins_of(conn, ids)?
        .into_iter()
        .map(|(id, (name, iin))| (id, (name, crate::domain::iin::mask_iin(&iin))))
        .collect())
}
