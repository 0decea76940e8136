//! Districts with their boundaries (stored as JSON rings plus an indexed bounding box).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use geo::BoundingRect;

use super::schema::districts;
use super::{DbConnection, now_utc};
use crate::domain::DistrictId;
use crate::domain::location::{District, DistrictKind, polygon_from_json, polygon_to_json};

/// A row of `districts`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = districts)]
pub struct DistrictRow {
    /// Id.
    pub id: String,
    /// Code.
    pub code: String,
    /// Kazakh name.
    pub name_kk: String,
    /// Russian name.
    pub name_ru: String,
    /// English name.
    pub name_en: String,
    /// Kind word.
    pub kind: String,
    /// Residents.
    pub population: i64,
    /// Boundary rings as JSON.
    pub boundary_json: String,
    /// Version.
    pub version: i32,
    /// Last change.
    pub updated_at: NaiveDateTime,
}

impl TryFrom<DistrictRow> for District {
    type Error = anyhow::Error;

    fn try_from(row: DistrictRow) -> Result<Self, Self::Error> {
        let boundary = polygon_from_json(&row.boundary_json)
            .map_err(|e| anyhow::anyhow!("district {} has a broken boundary: {e}", row.code))?;
        Ok(District {
            id: DistrictId::from(row.id),
            kind: DistrictKind::parse(&row.kind).unwrap_or(DistrictKind::Rural),
            code: row.code,
            name_kk: row.name_kk,
            name_ru: row.name_ru,
            name_en: row.name_en,
            population: row.population,
            boundary,
        })
    }
}

/// Inserts a district.
pub fn insert(conn: &mut DbConnection, district: &District) -> QueryResult<()> {
    let rect = district.boundary.bounding_rect();
    let (min, max) = rect.map(|r| (r.min(), r.max())).unwrap_or_default();
    diesel::insert_into(districts::table)
        .values((
            districts::id.eq(district.id.as_str()),
            districts::code.eq(&district.code),
            districts::name_kk.eq(&district.name_kk),
            districts::name_ru.eq(&district.name_ru),
            districts::name_en.eq(&district.name_en),
            districts::kind.eq(district.kind.as_str()),
            districts::population.eq(district.population),
            districts::boundary_json.eq(polygon_to_json(&district.boundary)),
            districts::min_lat.eq(min.y),
            districts::max_lat.eq(max.y),
            districts::min_lon.eq(min.x),
            districts::max_lon.eq(max.x),
            districts::updated_at.eq(now_utc()),
        ))
        .execute(conn)
        .map(drop)
}

/// Every district, ordered by code.
pub fn list_districts(conn: &mut DbConnection) -> anyhow::Result<Vec<District>> {
    let rows = districts::table
        .order(districts::code.asc())
        .select(DistrictRow::as_select())
        .load(conn)?;
    rows.into_iter().map(District::try_from).collect()
}

/// How many districts there are.
pub fn count_districts(conn: &mut DbConnection) -> QueryResult<i64> {
    districts::table.count().get_result(conn)
}

/// The district with that code, if any.
pub fn find_by_code(
    conn: &mut DbConnection,
    code: &str,
) -> anyhow::Result<Option<(District, i32)>> {
    let row = districts::table
        .filter(districts::code.eq(code))
        .select(DistrictRow::as_select())
        .first(conn)
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    let version = row.version;
    Ok(Some((District::try_from(row)?, version)))
}

/// Changes a district's names and population if the row still has `version`; returns the rows
/// changed (0 when someone else changed it first).
pub fn update_names_and_population(
    conn: &mut DbConnection,
    district: &District,
    version: i32,
) -> QueryResult<usize> {
    diesel::update(
        districts::table
            .find(district.id.as_str())
            .filter(districts::version.eq(version)),
    )
    .set((
        districts::name_kk.eq(&district.name_kk),
        districts::name_ru.eq(&district.name_ru),
        districts::name_en.eq(&district.name_en),
        districts::population.eq(district.population),
        districts::updated_at.eq(now_utc()),
        districts::version.eq(districts::version + 1),
    ))
    .execute(conn)
}

/// Replaces a district's boundary (and its bounding box) if the row still has `version`.
pub fn update_boundary(
    conn: &mut DbConnection,
    id: &DistrictId,
    version: i32,
    boundary: &geo::Polygon<f64>,
) -> QueryResult<usize> {
    let rect = boundary.bounding_rect();
    let (min, max) = rect.map(|r| (r.min(), r.max())).unwrap_or_default();
    diesel::update(
        districts::table
            .find(id.as_str())
            .filter(districts::version.eq(version)),
    )
    .set((
        districts::boundary_json.eq(polygon_to_json(boundary)),
        districts::min_lat.eq(min.y),
        districts::max_lat.eq(max.y),
        districts::min_lon.eq(min.x),
        districts::max_lon.eq(max.x),
        districts::updated_at.eq(now_utc()),
        districts::version.eq(districts::version + 1),
    ))
    .execute(conn)
}
