//! What the coverage, coverage-against-crime and group reports read: active persons, successful
//! visits, offences and their suspects, placed checks of published plans and the groups' visits,
//! as the plain facts `crate::reports` aggregates.
//! Visit times are stored in UTC and turned into the region's local days here.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, Offset as _, TimeZone as _, Timelike as _};
use diesel::connection::DefaultLoadingMode;
use diesel::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::DbConnection;
use super::scan_values::{ScanText, UtcStamp};
use super::schema::{checks, offences, persons, plans, visits};
use crate::domain::contact_standard::ContactStandard;
use crate::domain::location::{DistrictKind, district_of};
use crate::domain::person::{CheckKind, PersonStatus, RiskTier};
use crate::domain::plan::PlanStatus;
use crate::domain::visit::{EvidenceQuality, VisitOutcome};
use crate::domain::{District, GeoPoint};
use crate::reports::coverage::{self, Coverage, DistrictRef, GroupRef, PersonFact, SuccessDays};
use crate::reports::coverage_vs_crime::{self, CoverageVsCrime, OffenceAt, Reoffence};
use crate::reports::crime_trends::{DistrictInfo, Period};
use crate::reports::groups::{self, GroupName, GroupReport, GroupVisit, PlannedCheck};

/// Turns UTC moments into the region's local times and days, remembering the offset of the last
/// UTC hour that has no change of offset inside it: visits read in time order mostly fall in an
/// hour already seen, and a time-zone look-up per visit was a good share of a report's time.
struct LocalTimes {
    tz: chrono_tz::Tz,
    /// The first moment of a UTC hour and the offset throughout it.
    hour: Option<(NaiveDateTime, chrono::Duration)>,
}

impl LocalTimes {
    fn new(tz: chrono_tz::Tz) -> Self {
        Self { tz, hour: None }
    }

    fn day(&mut self, utc: NaiveDateTime) -> NaiveDate {
        self.local(utc).date()
    }

    fn local(&mut self, utc: NaiveDateTime) -> NaiveDateTime {
        let offset = |at: NaiveDateTime| {
            chrono::Duration::seconds(i64::from(
                self.tz
                    .offset_from_utc_datetime(&at)
                    .fix()
                    .local_minus_utc(),
            ))
        };
        let hour_start = utc
            .with_minute(0)
            .and_then(|t| t.with_second(0))
            .and_then(|t| t.with_nanosecond(0))
            .unwrap_or(utc);
        if let Some((h, shift)) = self.hour
            && h == hour_start
        {
            return utc + shift;
        }
        let shift = offset(utc);
        // Offsets change at most once an hour: the same at both ends, the same throughout.
        let hour_end = hour_start + chrono::Duration::hours(1) - chrono::Duration::nanoseconds(1);
        self.hour = (offset(hour_start) == shift && offset(hour_end) == shift)
            .then_some((hour_start, shift));
        utc + shift
    }
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

/// Visit outcomes that count as a successful check ([`VisitOutcome::is_success`] decides), in
/// the order of the kinds' buttons: present, violation, employed.
fn success_outcomes() -> Vec<&'static str> {
    [CheckKind::Home, CheckKind::Work]
        .into_iter()
        .flat_map(VisitOutcome::for_kind)
        .filter(|o| o.is_success())
        .map(|o| o.as_str())
        .collect()
}

/// `visits.outcome IN ('present', 'violation', 'employed')`, written out rather than bound: the
/// planners of both backends use the partial index `visits_success_by_time` only when the query
/// states its condition itself (the words are our own constants, nothing from a user).
fn is_success_sql() -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    diesel::dsl::sql(&format!("visits.{}", success_condition()))
}

/// The condition of `visits_success_by_time`, as its migration writes it.
fn success_condition() -> String {
    let words: Vec<String> = success_outcomes()
        .into_iter()
        .map(|o| format!("'{o}'"))
        .collect();
    format!("outcome IN ({})", words.join(", "))
}

/// The check kind a `kind` column names, compared as bytes (no UTF-8 check per visit).
fn check_kind(text: &ScanText) -> Option<CheckKind> {
    [CheckKind::Home, CheckKind::Work]
        .into_iter()
        .find(|k| k.as_str().as_bytes() == text.as_bytes())
}

/// Person ids per `eq_any` list: well under SQLite's and PostgreSQL's limits on bound values.
const ID_BATCH: usize = 1000;

/// The active persons of the area (one district's id, or the region) and the successful visits
/// the coverage evaluation needs: every one from the longest contact standard (and a day) before
/// `period` to its end, and, when `last_before` is set, for each person-kind without one up to
/// the period's end, its last one before that (the lapsing list's days since the last visit).
/// An older success can change no number: it covers no day of the period.
fn persons_and_successes(
    conn: &mut DbConnection,
    period: Period,
    district_id: Option<&str>,
    tz: chrono_tz::Tz,
    standards: &[ContactStandard],
    last_before: bool,
) -> anyhow::Result<(Vec<PersonFact>, SuccessDays)> {
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
    let index: FxHashMap<ScanText, u32> = persons
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((ScanText::new(&p.id), u32::try_from(i).ok()?)))
        .collect();
    // The coverage-against-crime report looks at the day before a re-offence on the period's
    // first day: hence the extra day.
    let since = period.from - chrono::Duration::days(coverage::longest_interval(standards) + 1);
    let (start, end) = utc_bounds(since, period.to);
    let mut visit_query = visits::table
        .filter(is_success_sql())
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
    let mut local_times = LocalTimes::new(tz);
    let mut successes: Vec<(u32, CheckKind, NaiveDate)> = Vec::new();
    // Person-kinds (2 × person + kind) with a success up to the period's end.
    let mut seen = vec![false; persons.len() * 2];
    for row in visit_query.load_iter::<(ScanText, ScanText, UtcStamp), DefaultLoadingMode>(conn)? {
        let (person_id, kind, at) = row?;
        let (Some(&i), Some(kind)) = (index.get(&person_id), check_kind(&kind)) else {
            continue;
        };
        let day = local_times.day(at.0);
        if day <= period.to {
            seen[i as usize * 2 + usize::from(kind == CheckKind::Work)] = true;
        }
        successes.push((i, kind, day));
    }
    if last_before {
        let unseen: Vec<&str> = persons
            .iter()
            .enumerate()
            .filter(|(i, p)| !seen[i * 2] || (p.employed && !seen[i * 2 + 1]))
            .map(|(_, p)| p.id.as_str())
            .collect();
        for chunk in unseen.chunks(ID_BATCH) {
            let rows = visits::table
                .filter(visits::person_id.eq_any(chunk))
                .filter(visits::outcome.eq_any(success_outcomes()))
                .filter(visits::device_at.lt(start))
                .group_by((visits::person_id, visits::kind))
                .select((
                    visits::person_id,
                    visits::kind,
                    diesel::dsl::max(visits::device_at),
                ))
                .load_iter::<(ScanText, ScanText, Option<UtcStamp>), DefaultLoadingMode>(conn)?;
            for row in rows {
                let (person_id, kind, at) = row?;
                if let (Some(&i), Some(kind), Some(at)) =
                    (index.get(&person_id), check_kind(&kind), at)
                {
                    successes.push((i, kind, local_times.day(at.0)));
                }
            }
        }
    }
    let successes = SuccessDays::build(persons.len(), &successes);
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
    let standards = super::contact_standards::list_contact_standards(conn)?;
    let (persons, successes) = persons_and_successes(
        conn,
        period,
        chosen.as_ref().map(|d| d.id.as_str()),
        tz,
        &standards,
        true,
    )?;
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
    let standards = super::contact_standards::list_contact_standards(conn)?;
    // Only states on days of the period are asked for: no last success before the window.
    let (persons, successes) =
        persons_and_successes(conn, period, chosen.as_deref(), tz, &standards, false)?;
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
    Ok(Some(coverage_vs_crime::aggregate_days(
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
    let urban: FxHashMap<ScanText, bool> = districts
        .iter()
        .map(|d| (ScanText::new(d.id.as_str()), d.kind == DistrictKind::Urban))
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
        Option<ScanText>,
        String,
        Option<String>,
        Option<NaiveDate>,
        String,
        i32,
        i32,
        Option<i32>,
        f64,
        f64,
        ScanText,
    );
    // The plan's status is tested here, not joined in SQL: with the join, SQLite (which has no
    // table statistics) walks every check of each published plan by `checks_plan` and tests its
    // day, 3 million checks for one month's 280,000 in the benchmark's history (one long plan).
    let published: FxHashSet<ScanText> = plans::table
        .filter(plans::status.eq(PlanStatus::Published.as_str()))
        .select(plans::id)
        .load::<ScanText>(conn)?
        .into_iter()
        .collect();
    let rows: Vec<CheckTuple> = checks::table
        .filter(checks::planned_date.ge(period.from))
        .filter(checks::planned_date.le(period.to))
        .filter(checks::mobile_group_id.is_not_null())
        .select((
            checks::plan_id,
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
        .filter(|row| row.0.as_ref().is_some_and(|p| published.contains(p)))
        .filter_map(
            |(_, id, group, day, status, start, end, position, lat, lon, district)| {
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
    type VisitTuple = (Option<String>, Option<String>, UtcStamp, bool, ScanText);
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
    let poor = EvidenceQuality::Poor.as_str().as_bytes();
    let mut local_times = LocalTimes::new(tz);
    let visits: Vec<GroupVisit> = rows
        .into_iter()
        .filter_map(|(group, check_id, at, far, evidence)| {
            Some(GroupVisit {
                group_id: group?,
                check_id,
                local_at: local_times.local(at.0),
                flagged: far || evidence.as_bytes() == poor,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_success_condition_is_the_partial_indexs_word_for_word_on_both_backends() {
        let index = format!("WHERE {}", success_condition());
        for up in [
            include_str!("../../migrations/sqlite/2026-11-26-000011_index_reports_reads/up.sql"),
            include_str!("../../migrations/postgres/2026-11-26-000011_index_reports_reads/up.sql"),
        ] {
            assert!(up.contains(&index), "{index} not in {up}");
        }
    }
}
