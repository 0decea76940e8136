//! What the coverage, coverage-against-crime and group reports read, as rows: active persons,
//! successful visits (streamed: there are millions), offences and their suspects, placed checks
//! of published plans and the groups' visits. Times stay in UTC; `services::reports` turns them
//! into the region's local days and `crate::reports` aggregates.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::connection::DefaultLoadingMode;
use diesel::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

mod by_person;

use super::DbConnection;
use super::scan_values::{ScanText, UtcStamp};
use super::schema::{checks, offences, persons, plans, visits};
use crate::domain::person::{CheckKind, PersonStatus, RiskTier};
use crate::domain::plan::PlanStatus;
use crate::domain::visit::{EvidenceQuality, VisitOutcome};
pub use by_person::{for_each_last_success_before, for_each_success_of};

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
pub(crate) fn success_condition() -> String {
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

/// Person ids (and IINs) per `eq_any` list: well under SQLite's and PostgreSQL's limits on bound
/// values.
const ID_BATCH: usize = 1000;

/// An active person as the coverage reports read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivePersonRow {
    /// Id, as visits name it.
    pub id: String,
    /// District of the home.
    pub district_id: String,
    /// Risk tier (an unknown stored word reads as medium, the middle standard).
    pub risk_tier: RiskTier,
    /// First day of supervision.
    pub supervision_start: NaiveDate,
    /// Whether a workplace is registered.
    pub employed: bool,
}

/// The active persons of one district (by id), or of the region.
pub fn active_persons(
    conn: &mut DbConnection,
    district_id: Option<&str>,
) -> QueryResult<Vec<ActivePersonRow>> {
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
    Ok(rows
        .into_iter()
        .map(|(id, district_id, tier, start, work_lat)| ActivePersonRow {
            id,
            district_id,
            risk_tier: RiskTier::parse(&tier).unwrap_or(RiskTier::Medium),
            supervision_start: start,
            employed: work_lat.is_some(),
        })
        .collect())
}

/// Persons by their place in a list, found from a visit's `person_id` without a heap
/// allocation per visit (at 100,000 persons and millions of visits, hashing a `String` per visit
/// was most of a report's time).
pub struct PersonIndex {
    places: FxHashMap<ScanText, u32>,
    ids: Vec<String>,
}

impl PersonIndex {
    /// The index of `ids`, each at its place in the list.
    pub fn new<'a>(ids: impl IntoIterator<Item = &'a str>) -> Self {
        let ids: Vec<String> = ids.into_iter().map(str::to_owned).collect();
        let places = ids
            .iter()
            .enumerate()
            .filter_map(|(i, id)| Some((ScanText::new(id), u32::try_from(i).ok()?)))
            .collect();
        Self { places, ids }
    }

    fn place(&self, id: &ScanText) -> Option<u32> {
        self.places.get(id).copied()
    }

    /// The ids at `places`, in batches of at most [`ID_BATCH`] for an `IN (…)` list.
    fn id_batches(&self, places: &[u32]) -> Vec<Vec<&str>> {
        let ids: Vec<&str> = places
            .iter()
            .filter_map(|&i| self.ids.get(i as usize).map(String::as_str))
            .collect();
        ids.chunks(ID_BATCH).map(<[&str]>::to_vec).collect()
    }
}

/// Calls `each(place, kind, at)` for every successful visit from `start` to before `end` (UTC)
/// of a person in `index`; with `district_id`, only visits of that district's persons are read.
pub fn for_each_success(
    conn: &mut DbConnection,
    index: &PersonIndex,
    district_id: Option<&str>,
    (start, end): (NaiveDateTime, NaiveDateTime),
    each: &mut dyn FnMut(u32, CheckKind, NaiveDateTime),
) -> QueryResult<()> {
    let mut query = visits::table
        .filter(is_success_sql())
        .filter(visits::device_at.ge(start))
        .filter(visits::device_at.lt(end))
        .select((visits::person_id, visits::kind, visits::device_at))
        .into_boxed();
    if let Some(d) = district_id {
        query = query.filter(
            visits::person_id.eq_any(
                persons::table
                    .filter(persons::district_id.eq(d.to_owned()))
                    .select(persons::id),
            ),
        );
    }
    for row in query.load_iter::<(ScanText, ScanText, UtcStamp), DefaultLoadingMode>(conn)? {
        let (person_id, kind, at) = row?;
        if let (Some(i), Some(kind)) = (index.place(&person_id), check_kind(&kind)) {
            each(i, kind, at.0);
        }
    }
    Ok(())
}

/// The district and day of each offence of the days `from..=to` (optionally of one district).
pub fn offence_days(
    conn: &mut DbConnection,
    (from, to): (NaiveDate, NaiveDate),
    district_id: Option<&str>,
) -> QueryResult<Vec<(String, NaiveDate)>> {
    let mut query = offences::table
        .filter(offences::offence_date.ge(from))
        .filter(offences::offence_date.le(to))
        .select((offences::district_id, offences::offence_date))
        .into_boxed();
    if let Some(d) = district_id {
        query = query.filter(offences::district_id.eq(d.to_owned()));
    }
    query.load(conn)
}

/// The suspect's IIN and the day of each offence of the days `from..=to` with a suspect, anywhere
/// in the region.
pub fn suspected_offences(
    conn: &mut DbConnection,
    (from, to): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<(String, NaiveDate)>> {
    offences::table
        .filter(offences::offence_date.ge(from))
        .filter(offences::offence_date.le(to))
        .filter(offences::suspect_iin.is_not_null())
        .select((
            offences::suspect_iin.assume_not_null(),
            offences::offence_date,
        ))
        .load(conn)
}

/// Person ids by IIN, for the IINs given (any status; optionally only those living in one
/// district); unknown IINs are left out.
pub fn person_ids_by_iin(
    conn: &mut DbConnection,
    iins: &[&str],
    district_id: Option<&str>,
) -> QueryResult<HashMap<String, String>> {
    let mut person_of = HashMap::new();
    for chunk in iins.chunks(ID_BATCH) {
        let mut query = persons::table
            .filter(persons::iin.eq_any(chunk))
            .select((persons::iin, persons::id))
            .into_boxed();
        if let Some(d) = district_id {
            query = query.filter(persons::district_id.eq(d.to_owned()));
        }
        let rows: Vec<(String, String)> = query.load(conn)?;
        person_of.extend(rows);
    }
    Ok(person_of)
}

/// A check of a published plan placed on a mobile group's day.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedCheckRow {
    /// Check id, as visits name it.
    pub id: String,
    /// The mobile group.
    pub group_id: String,
    /// The planned day.
    pub day: NaiveDate,
    /// The check's status word.
    pub status: String,
    /// Time window, minutes after local midnight.
    pub window_start_min: i32,
    /// End of the window.
    pub window_end_min: i32,
    /// Place in the day's route.
    pub position: Option<i32>,
    /// Latitude of the address.
    pub lat: f64,
    /// Longitude of the address.
    pub lon: f64,
    /// District of the address.
    pub district_id: String,
}

/// The columns [`placed_checks`] reads, plan first.
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
    String,
);

/// The checks of published plans placed on a group's day within `from..=to`.
pub fn placed_checks(
    conn: &mut DbConnection,
    (from, to): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<PlacedCheckRow>> {
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
        .filter(checks::planned_date.ge(from))
        .filter(checks::planned_date.le(to))
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
    Ok(rows
        .into_iter()
        .filter(|row| row.0.as_ref().is_some_and(|p| published.contains(p)))
        .filter_map(
            |(_, id, group, day, status, start, end, position, lat, lon, district)| {
                Some(PlacedCheckRow {
                    id,
                    group_id: group?,
                    day: day?,
                    status,
                    window_start_min: start,
                    window_end_min: end,
                    position,
                    lat,
                    lon,
                    district_id: district,
                })
            },
        )
        .collect())
}

/// A visit recorded by a mobile group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupVisitRow {
    /// The group.
    pub group_id: String,
    /// The check it answered, if planned.
    pub check_id: Option<String>,
    /// When the tablet recorded it, UTC.
    pub at: NaiveDateTime,
    /// Recorded far from the address.
    pub far_from_address: bool,
    /// Whether its evidence was judged poor.
    pub poor_evidence: bool,
}

/// The visits of mobile groups recorded from `start` to before `end` (UTC).
pub fn group_visits(
    conn: &mut DbConnection,
    (start, end): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<GroupVisitRow>> {
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
    Ok(rows
        .into_iter()
        .filter_map(|(group, check_id, at, far, evidence)| {
            Some(GroupVisitRow {
                group_id: group?,
                check_id,
                at: at.0,
                far_from_address: far,
                poor_evidence: evidence.as_bytes() == poor,
            })
        })
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
