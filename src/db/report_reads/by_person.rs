//! Visits read by person from the index `visits_person_kind_time` rather than by time: the
//! successful visits of a few persons (the coverage-against-crime report's re-offenders), and
//! the last success before a day of each person and kind.

use chrono::NaiveDateTime;
use diesel::connection::DefaultLoadingMode;
use diesel::prelude::*;

use super::{PersonIndex, check_kind, success_outcomes};
use crate::db::DbConnection;
use crate::db::scan_values::{ScanText, UtcStamp};
use crate::db::schema::visits;
use crate::domain::person::CheckKind;

/// Calls `each(place, kind, at)` for every successful visit from `start` to before `end` (UTC)
/// of the persons at `places` of `index`.
pub fn for_each_success_of(
    conn: &mut DbConnection,
    index: &PersonIndex,
    places: &[u32],
    (start, end): (NaiveDateTime, NaiveDateTime),
    each: &mut dyn FnMut(u32, CheckKind, NaiveDateTime),
) -> QueryResult<()> {
    for chunk in index.id_batches(places) {
        let rows = visits::table
            .filter(visits::person_id.eq_any(chunk))
            .filter(visits::outcome.eq_any(success_outcomes()))
            .filter(visits::device_at.ge(start))
            .filter(visits::device_at.lt(end))
            .select((visits::person_id, visits::kind, visits::device_at))
            .load_iter::<(ScanText, ScanText, UtcStamp), DefaultLoadingMode>(conn)?;
        for row in rows {
            let (person_id, kind, at) = row?;
            if let (Some(i), Some(kind)) = (index.place(&person_id), check_kind(&kind)) {
                each(i, kind, at.0);
            }
        }
    }
    Ok(())
}

/// Calls `each(place, kind, at)` with the last successful visit before `before` (UTC) of each
/// kind of the persons at `places` of `index` that have one.
pub fn for_each_last_success_before(
    conn: &mut DbConnection,
    index: &PersonIndex,
    places: &[u32],
    before: NaiveDateTime,
    each: &mut dyn FnMut(u32, CheckKind, NaiveDateTime),
) -> QueryResult<()> {
    for chunk in index.id_batches(places) {
        let rows = visits::table
            .filter(visits::person_id.eq_any(chunk))
            .filter(visits::outcome.eq_any(success_outcomes()))
            .filter(visits::device_at.lt(before))
            .group_by((visits::person_id, visits::kind))
            .select((
                visits::person_id,
                visits::kind,
                diesel::dsl::max(visits::device_at),
            ))
            .load_iter::<(ScanText, ScanText, Option<UtcStamp>), DefaultLoadingMode>(conn)?;
        for row in rows {
            let (person_id, kind, at) = row?;
            if let (Some(i), Some(kind), Some(at)) =
                (index.place(&person_id), check_kind(&kind), at)
            {
                each(i, kind, at.0);
            }
        }
    }
    Ok(())
}
