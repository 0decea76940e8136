//! The stored coverage state of closed months (tables `coverage_months` and
//! `coverage_month_districts`). The marks are set by the database's own triggers on `visits` and
//! `persons` (see the migration `2026-12-04-100001_coverage_months`), in the statement, so in the
//! transaction, of every write that changes what a month's coverage is: no write path can forget
//! them. Here: read the marks, add missing months (stale), read the counts, and store a
//! recomputed month only if no write marked it since its version was read.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

use super::DbConnection;
use super::schema::{coverage_month_districts as counts, coverage_months as months};

/// A month's mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthMark {
    /// The month's first day.
    pub month: NaiveDate,
    /// The time zone and standards its counts were made with.
    pub basis: String,
    /// Whether a write touched the month since its counts were stored.
    pub stale: bool,
    /// Raised by every mark: a recomputation stores only over the version it read first.
    pub version: i64,
}

/// One district's stored state at a month's last day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DistrictCounts {
    /// The home district of the persons counted.
    pub district_id: String,
    /// Home person-kinds covered, overdue, not yet due.
    pub home: [i64; 3],
    /// Work person-kinds covered, overdue, not yet due.
    pub work: [i64; 3],
    /// Persons covered, overdue, not yet due (over all their kinds).
    pub persons: [i64; 3],
}

/// The marks of these months (first days); months never stored have none.
pub fn marks(conn: &mut DbConnection, of: &[NaiveDate]) -> QueryResult<Vec<MonthMark>> {
    let rows: Vec<(NaiveDate, String, bool, i64)> = months::table
        .filter(months::month.eq_any(of))
        .select((months::month, months::basis, months::stale, months::version))
        .order(months::month)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(month, basis, stale, version)| MonthMark {
            month,
            basis,
            stale,
            version,
        })
        .collect())
}

/// Adds the months of `of` that have no mark yet, stale, so that a write from now on raises
/// their version (one added by another reader at the same time is left as it is).
pub fn add_missing(conn: &mut DbConnection, of: &[NaiveDate]) -> QueryResult<()> {
    let known: Vec<NaiveDate> = marks(conn, of)?.into_iter().map(|m| m.month).collect();
    for month in of.iter().filter(|m| !known.contains(m)) {
        let added = diesel::insert_into(months::table)
            .values((
                months::month.eq(month),
                months::basis.eq(""),
                months::stale.eq(true),
                months::version.eq(0_i64),
            ))
            .execute(conn);
        match added {
            Ok(_) | Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The stored counts of these months, of one district (by id) or all.
pub fn counts_of(
    conn: &mut DbConnection,
    of: &[NaiveDate],
    district_id: Option<&str>,
) -> QueryResult<Vec<(NaiveDate, DistrictCounts)>> {
    let mut query = counts::table
        .filter(counts::month.eq_any(of))
        .select((
            counts::month,
            counts::district_id,
            counts::home_covered,
            counts::home_overdue,
            counts::home_not_yet_due,
            counts::work_covered,
            counts::work_overdue,
            counts::work_not_yet_due,
            counts::persons_covered,
            counts::persons_overdue,
            counts::persons_not_yet_due,
        ))
        .order((counts::month, counts::district_id))
        .into_boxed();
    if let Some(d) = district_id {
        query = query.filter(counts::district_id.eq(d.to_owned()));
    }
    type Row = (
        NaiveDate,
        String,
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
    );
    let rows: Vec<Row> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(month, district_id, h0, h1, h2, w0, w1, w2, p0, p1, p2)| {
            let counts = DistrictCounts {
                district_id,
                home: [h0, h1, h2],
                work: [w0, w1, w2],
                persons: [p0, p1, p2],
            };
            (month, counts)
        })
        .collect())
}

/// Stores a month's counts made on `basis` from the records as they were after its mark read
/// `version`, and marks it fresh; `false` (nothing stored) when a write has raised the version
/// since.
pub fn store(
    conn: &mut DbConnection,
    (month, version): (NaiveDate, i64),
    basis: &str,
    rows: &[DistrictCounts],
) -> QueryResult<bool> {
    super::write_transaction(conn, |conn| {
        let claimed = diesel::update(
            months::table
                .filter(months::month.eq(month))
                .filter(months::version.eq(version)),
        )
        .set((months::stale.eq(false), months::basis.eq(basis)))
        .execute(conn)?;
        if claimed != 1 {
            return Ok(false);
        }
        diesel::delete(counts::table.filter(counts::month.eq(month))).execute(conn)?;
        for row in rows {
            insert_counts(conn, month, row)?;
        }
        Ok(true)
    })
}

fn insert_counts(
    conn: &mut DbConnection,
    month: NaiveDate,
    row: &DistrictCounts,
) -> QueryResult<()> {
    diesel::insert_into(counts::table)
        .values((
            counts::month.eq(month),
            counts::district_id.eq(&row.district_id),
            counts::home_covered.eq(row.home[0]),
            counts::home_overdue.eq(row.home[1]),
            counts::home_not_yet_due.eq(row.home[2]),
            counts::work_covered.eq(row.work[0]),
            counts::work_overdue.eq(row.work[1]),
            counts::work_not_yet_due.eq(row.work[2]),
            counts::persons_covered.eq(row.persons[0]),
            counts::persons_overdue.eq(row.persons[1]),
            counts::persons_not_yet_due.eq(row.persons[2]),
        ))
        .execute(conn)
        .map(drop)
}

/// Every stored month, fresh or not, with its counts (for the tests that compare the store with
/// a recomputation).
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<(MonthMark, Vec<DistrictCounts>)>> {
    let all: Vec<NaiveDate> = months::table.select(months::month).load(conn)?;
    let mut counts = counts_of(conn, &all, None)?;
    Ok(marks(conn, &all)?
        .into_iter()
        .map(|mark| {
            let of_month = counts
                .iter()
                .filter(|(m, _)| *m == mark.month)
                .map(|(_, c)| c.clone())
                .collect();
            counts.retain(|(m, _)| *m != mark.month);
            (mark, of_month)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use crate::domain::person::PersonStatus;

    #[test]
    fn the_triggers_use_the_domains_words_on_both_backends() {
        let success = super::super::report_reads::success_condition();
        let active = format!("status = '{}'", PersonStatus::Active.as_str());
        for up in [
            include_str!("../../migrations/sqlite/2026-12-04-100001_coverage_months/up.sql"),
            include_str!("../../migrations/postgres/2026-12-04-100001_coverage_months/up.sql"),
        ] {
            for word in [
                format!("NEW.{success}"),
                format!("OLD.{success}"),
                format!("NEW.{active}"),
                format!("OLD.{active}"),
            ] {
                assert!(up.contains(&word), "{word} not in {up}");
            }
        }
    }
}
