//! Offences: rows, conversion to the domain type, bulk insert (demo data, imports) and the
//! rows the crime-trend report reads.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::offences;
use super::{DbConnection, now_utc};
use crate::domain::offence::{Offence, OffencePlace, OffenceType};
use crate::domain::person::Severity;
use crate::domain::{DistrictId, GeoPoint, Iin};

/// A row of `offences` (without `created_at`).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = offences)]
#[diesel(treat_none_as_null = true, treat_none_as_default_value = false)]
#[expect(
    missing_docs,
    reason = "the fields mirror the columns, documented on Offence"
)]
pub struct OffenceRow {
    pub id: String,
    pub offence_date: NaiveDate,
    pub district_id: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub article: String,
    pub severity: String,
    pub offence_type: String,
    pub place: String,
    pub suspect_iin: Option<String>,
}

impl OffenceRow {
    /// The row of an offence.
    pub fn of(o: &Offence) -> Self {
        Self {
            id: o.id.clone(),
            offence_date: o.offence_date,
            district_id: o.district_id.as_str().to_owned(),
            lat: o.point.map(|p| p.lat),
            lon: o.point.map(|p| p.lon),
            article: o.article.clone(),
            severity: o.severity.as_str().to_owned(),
            offence_type: o.offence_type.as_str().to_owned(),
            place: o.place.as_str().to_owned(),
            suspect_iin: o.suspect_iin.as_ref().map(|i| i.as_str().to_owned()),
        }
    }
}

fn word<T>(parsed: Option<T>, column: &str, value: &str) -> anyhow::Result<T> {
    parsed.ok_or_else(|| anyhow::anyhow!("offences.{column} holds an unknown value {value:?}"))
}

impl TryFrom<OffenceRow> for Offence {
    type Error = anyhow::Error;

    fn try_from(row: OffenceRow) -> Result<Self, Self::Error> {
        let point = match (row.lat, row.lon) {
            (Some(lat), Some(lon)) => Some(GeoPoint::new(lat, lon)?),
            _ => None,
        };
        Ok(Offence {
            severity: word(Severity::parse(&row.severity), "severity", &row.severity)?,
            offence_type: word(
                OffenceType::parse(&row.offence_type),
                "offence_type",
                &row.offence_type,
            )?,
            place: word(OffencePlace::parse(&row.place), "place", &row.place)?,
            suspect_iin: row.suspect_iin.as_deref().map(Iin::parse).transpose()?,
            id: row.id,
            offence_date: row.offence_date,
            district_id: DistrictId::from(row.district_id),
            point,
            article: row.article,
        })
    }
}

/// Rows per INSERT statement: 11 variables each, well under SQLite's and PostgreSQL's limits.
const BATCH: usize = 500;

/// Inserts offences in multi-row statements.
pub fn insert_all(conn: &mut DbConnection, rows: &[OffenceRow]) -> QueryResult<()> {
    let now = now_utc();
    for chunk in rows.chunks(BATCH) {
        let values: Vec<_> = chunk
            .iter()
            .map(|row| (row, offences::created_at.eq(now)))
            .collect();
        // Multi-row VALUES need the backend's own connection (diesel's MultiConnection does not
        // forward batch inserts).
        let statement = diesel::insert_into(offences::table).values(values);
        match conn {
            DbConnection::Sqlite(c) => statement.execute(c)?,
            DbConnection::Postgresql(c) => statement.execute(c)?,
        };
    }
    Ok(())
}

/// Overwrites a stored offence with the row's values.
pub fn update(conn: &mut DbConnection, row: &OffenceRow) -> QueryResult<bool> {
    let changed = diesel::update(offences::table.find(&row.id))
        .set(row)
        .execute(conn)?;
    Ok(changed == 1)
}

/// How many offences are stored.
pub fn count_offences(conn: &mut DbConnection) -> QueryResult<i64> {
    offences::table.count().get_result(conn)
}

/// Every offence, by date and id (exports, imports).
pub fn list_all(conn: &mut DbConnection) -> anyhow::Result<Vec<Offence>> {
    let rows: Vec<OffenceRow> = offences::table
        .order((offences::offence_date.asc(), offences::id.asc()))
        .select(OffenceRow::as_select())
        .load(conn)?;
    rows.into_iter().map(Offence::try_from).collect()
}

/// What the crime-trend report reads of one offence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffenceFactRow {
    /// Date committed.
    pub date: NaiveDate,
    /// District id.
    pub district_id: String,
    /// Severity word.
    pub severity: String,
    /// Type word.
    pub offence_type: String,
    /// Place word.
    pub place: String,
}

/// The offences of the days `from..=to` (optionally of one district), as the report reads them.
pub fn facts_between(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
    district_id: Option<&str>,
) -> QueryResult<Vec<OffenceFactRow>> {
    let mut query = offences::table
        .filter(offences::offence_date.ge(from))
        .filter(offences::offence_date.le(to))
        .into_boxed();
    if let Some(district) = district_id {
        query = query.filter(offences::district_id.eq(district.to_owned()));
    }
    let rows: Vec<(NaiveDate, String, String, String, String)> = query
        .select((
            offences::offence_date,
            offences::district_id,
            offences::severity,
            offences::offence_type,
            offences::place,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(date, district_id, severity, offence_type, place)| OffenceFactRow {
                date,
                district_id,
                severity,
                offence_type,
                place,
            },
        )
        .collect())
}

/// Where the offences of the days `from..=to` happened, for those registered with a point
/// (crime-triggered checks).
pub fn points_between(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<crate::domain::GeoPoint>> {
    let rows: Vec<(Option<f64>, Option<f64>)> = offences::table
        .filter(offences::offence_date.ge(from))
        .filter(offences::offence_date.le(to))
        .select((offences::lat, offences::lon))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(lat, lon)| crate::domain::GeoPoint::new(lat?, lon?).ok())
        .collect())
}
