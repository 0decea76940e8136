//! The stored road network (one active row; `roads::store` swaps it in one transaction).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::road_networks;

/// A stored network without its data.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = road_networks)]
pub struct RoadNetworkInfoRow {
    /// UUIDv7.
    pub id: String,
    /// The imported file's name.
    pub source_name: String,
    /// The extract's timestamp, UTC.
    pub osm_timestamp: Option<NaiveDateTime>,
    /// Southern edge, degrees.
    pub south: f64,
    /// Western edge.
    pub west: f64,
    /// Northern edge.
    pub north: f64,
    /// Eastern edge.
    pub east: f64,
    /// Junctions.
    pub node_count: i64,
    /// Directed edges.
    pub edge_count: i64,
    /// Address points.
    pub address_count: i64,
    /// When it was imported, UTC.
    pub imported_at: NaiveDateTime,
}

/// A network to store.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = road_networks)]
pub struct NewRoadNetworkRow {
    /// UUIDv7.
    pub id: String,
    /// The imported file's name.
    pub source_name: String,
    /// The extract's timestamp, UTC.
    pub osm_timestamp: Option<NaiveDateTime>,
    /// Southern edge, degrees.
    pub south: f64,
    /// Western edge.
    pub west: f64,
    /// Northern edge.
    pub north: f64,
    /// Eastern edge.
    pub east: f64,
    /// Junctions.
    pub node_count: i64,
    /// Directed edges.
    pub edge_count: i64,
    /// Address points.
    pub address_count: i64,
    /// When it was imported, UTC.
    pub imported_at: NaiveDateTime,
    /// The encoded network.
    pub data: Vec<u8>,
}

/// The active network's description, if one was imported.
pub fn find_active(conn: &mut DbConnection) -> QueryResult<Option<RoadNetworkInfoRow>> {
    road_networks::table
        .select(RoadNetworkInfoRow::as_select())
        .order(road_networks::imported_at.desc())
        .first(conn)
        .optional()
}

/// The active network's id: a cheap check whether a cached network is still current.
pub fn find_active_id(conn: &mut DbConnection) -> QueryResult<Option<String>> {
    road_networks::table
        .select(road_networks::id)
        .order(road_networks::imported_at.desc())
        .first(conn)
        .optional()
}

/// The encoded data of a network.
pub fn find_data(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Vec<u8>>> {
    road_networks::table
        .find(id)
        .select(road_networks::data)
        .first(conn)
        .optional()
}

/// Replaces whatever network is stored by `row`; call inside a write transaction so that
/// readers see the old network or the new one, never none.
pub fn replace(conn: &mut DbConnection, row: &NewRoadNetworkRow) -> QueryResult<()> {
    diesel::delete(road_networks::table).execute(conn)?;
    diesel::insert_into(road_networks::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}
