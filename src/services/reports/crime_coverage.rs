//! The coverage-against-crime report as a use case: the closed months' coverage from the store
//! ([`super::coverage_store`]), the other days (the current month, a period ending mid-month)
//! evaluated from the successes around them, and the re-offenders' states from their own
//! successes. [`coverage_vs_crime_live`] evaluates every day from the successes, as the report
//! did before the store: the tests and the benchmark compare the two.

use std::collections::HashSet;

use chrono::{Duration, NaiveDate};
use diesel::QueryResult;

use super::coverage_store;
use super::{active_person_facts, report_area};
use crate::db::{self, DbConnection};
use crate::domain::contact_standard::ContactStandard;
use crate::domain::person::CheckKind;
use crate::reports::coverage::{PersonFact, SuccessDays, longest_interval, trend_days};
use crate::reports::coverage_vs_crime::{
    self, CoverageVsCrime, Facts, KnownDays, OffenceAt, Reoffence,
};
use crate::reports::crime_trends::{DistrictInfo, Period};
use crate::reports::local_time::{LocalTimes, utc_bounds};

/// The coverage-against-crime report of `period` over the region or the district with code
/// `district`, on `today` (months before today's are closed: their coverage comes from the
/// store). Offences count by the district they were committed in; re-offences by the home
/// district of their suspect.
pub fn coverage_vs_crime(
    conn: &mut DbConnection,
    period: Period,
    district: Option<&str>,
    tz: chrono_tz::Tz,
    today: NaiveDate,
) -> anyhow::Result<Option<CoverageVsCrime>> {
    report(conn, period, district, tz, Some(today))
}

/// [`coverage_vs_crime`] with every day evaluated from the raw records, the store neither read
/// nor written.
pub fn coverage_vs_crime_live(
    conn: &mut DbConnection,
    period: Period,
    district: Option<&str>,
    tz: chrono_tz::Tz,
) -> anyhow::Result<Option<CoverageVsCrime>> {
    report(conn, period, district, tz, None)
}

fn report(
    conn: &mut DbConnection,
    period: Period,
    district: Option<&str>,
    tz: chrono_tz::Tz,
    today: Option<NaiveDate>,
) -> anyhow::Result<Option<CoverageVsCrime>> {
    let Some((area, chosen)) = report_area(conn, district)? else {
        return Ok(None);
    };
    let districts: Vec<DistrictInfo> = area.iter().map(DistrictInfo::of).collect();
    let chosen = chosen.map(|d| d.id.as_str().to_owned());
    let chosen = chosen.as_deref();
    let standards = db::contact_standards::list_contact_standards(conn)?;
    let mut days = trend_days(period);
    days.push(period.to);
    let known = match today {
        Some(today) => coverage_store::closed_days(conn, &days, today, tz, &standards, chosen)?,
        None => KnownDays::new(),
    };
    let persons = active_person_facts(conn, chosen)?;
    let offences: Vec<OffenceAt> =
        db::report_reads::offence_days(conn, (period.from, period.to), chosen)?
            .into_iter()
            .map(|(district_id, day)| OffenceAt { district_id, day })
            .collect();
    let reoffences = reoffences(conn, period, chosen)?;
    let live_from = days
        .iter()
        .filter(|d| !known.contains_key(d))
        .min()
        .copied();
    let successes = Needed {
        persons: &persons,
        live_from,
        reoffences: &reoffences,
        period,
        standards: &standards,
    }
    .read(conn, chosen, tz)?;
    let facts = Facts {
        persons: &persons,
        successes: &successes,
        standards: &standards,
    };
    Ok(Some(coverage_vs_crime::aggregate_known(
        &facts,
        &districts,
        (&offences, &reoffences),
        period,
        district.and_then(|_| districts.first().map(|d| d.code.as_str())),
        &known,
    )))
}

/// The successes the days left to evaluate need.
struct Needed<'a> {
    persons: &'a [PersonFact],
    /// The first day not known from the store, if any.
    live_from: Option<NaiveDate>,
    reoffences: &'a [Reoffence],
    period: Period,
    standards: &'a [ContactStandard],
}

impl Needed<'_> {
    /// Every success of the area's persons from the longest standard before the first live day
    /// to the period's end, and every success of the re-offenders from the longest standard
    /// before the day before the period (a re-offence on its first day looks at that day).
    fn read(
        &self,
        conn: &mut DbConnection,
        district_id: Option<&str>,
        tz: chrono_tz::Tz,
    ) -> QueryResult<SuccessDays> {
        let longest = Duration::days(longest_interval(self.standards) + 1);
        let index = db::report_reads::PersonIndex::new(self.persons.iter().map(|p| p.id.as_str()));
        let mut local_times = LocalTimes::new(tz);
        let mut successes: Vec<(u32, CheckKind, NaiveDate)> = Vec::new();
        let mut each = |i, kind, at| successes.push((i, kind, local_times.day(at)));
        if let Some(first) = self.live_from {
            let window = utc_bounds(first - longest, self.period.to);
            db::report_reads::for_each_success(conn, &index, district_id, window, &mut each)?;
        }
        let reoffenders: HashSet<&str> = self
            .reoffences
            .iter()
            .map(|r| r.person_id.as_str())
            .collect();
        let places: Vec<u32> = self
            .persons
            .iter()
            .enumerate()
            .filter(|(_, p)| reoffenders.contains(p.id.as_str()))
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect();
        let window = utc_bounds(self.period.from - longest, self.period.to);
        db::report_reads::for_each_success_of(conn, &index, &places, window, &mut each)?;
        Ok(SuccessDays::build(self.persons.len(), &successes))
    }
}

/// The offences anywhere in the region whose suspect is a registry person living in the area.
fn reoffences(
    conn: &mut DbConnection,
    period: Period,
    district_id: Option<&str>,
) -> QueryResult<Vec<Reoffence>> {
    let suspected = db::report_reads::suspected_offences(conn, (period.from, period.to))?;
    let mut iins: Vec<&str> = suspected.iter().map(|(iin, _)| iin.as_str()).collect();
    iins.sort_unstable();
    iins.dedup();
    let person_of = db::report_reads::person_ids_by_iin(conn, &iins, district_id)?;
    Ok(suspected
        .iter()
        .filter_map(|(iin, day)| {
            Some(Reoffence {
                person_id: person_of.get(iin)?.clone(),
                day: *day,
            })
        })
        .collect())
}
