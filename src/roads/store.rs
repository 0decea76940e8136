//! The network in the database: import (build outside any transaction, then swap the stored
//! row in one), the active network's summary, and the per-process cache of the loaded network.
//!
//! The network lives in the database, not at a configured path: every app server of a fleet
//! reads the same row (PostgreSQL's replication carries it, backups include it), an import on
//! one server reaches the others without copying files, and the swap is one transaction.

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Context as _;
use chrono::NaiveDateTime;
use serde::Serialize;

use super::network::{Bbox, RoadNetwork};
use super::router::Router;
use super::{codec, pbf};
use crate::db::road_networks::{self, NewRoadNetworkRow, RoadNetworkInfoRow};
use crate::db::{self, DbConnection};

/// What `roads info` prints about the active network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkSummary {
    /// Stored id (changes with every import).
    pub id: String,
    /// The imported file's name.
    pub source: String,
    /// The extract's date, UTC, when its header has one.
    pub osm_timestamp: Option<NaiveDateTime>,
    /// The box it covers.
    pub bbox: Bbox,
    /// Junctions.
    pub nodes: i64,
    /// Directed edges (a two-way road counts twice).
    pub edges: i64,
    /// Address points.
    pub addresses: i64,
    /// When it was imported, UTC.
    pub imported_at: NaiveDateTime,
    /// Size of the stored data, bytes (0 when not known).
    pub stored_bytes: usize,
}

impl NetworkSummary {
    fn of(row: RoadNetworkInfoRow, stored_bytes: usize) -> Self {
        NetworkSummary {
            id: row.id,
            source: row.source_name,
            osm_timestamp: row.osm_timestamp,
            bbox: Bbox {
                south: row.south,
                west: row.west,
                north: row.north,
                east: row.east,
            },
            nodes: row.node_count,
            edges: row.edge_count,
            addresses: row.address_count,
            imported_at: row.imported_at,
            stored_bytes,
        }
    }
}

/// Reads an extract and makes it the active network. A file that cannot be read leaves the
/// stored network as it was.
pub fn import_file(
    conn: &mut DbConnection,
    path: &Path,
    bbox: Option<Bbox>,
) -> anyhow::Result<NetworkSummary> {
    let net = pbf::read(path, bbox)?;
    store(conn, &net)
}

/// Stores a built network as the active one, replacing the old in one transaction.
pub fn store(conn: &mut DbConnection, net: &RoadNetwork) -> anyhow::Result<NetworkSummary> {
    let data = codec::encode(net).context("cannot encode the road network")?;
    let stored_bytes = data.len();
    let b = net.meta.bbox;
    let row = NewRoadNetworkRow {
        id: crate::domain::ids::fresh_id(),
        source_name: net.meta.source.clone(),
        osm_timestamp: net
            .meta
            .osm_timestamp
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            .map(|t| t.naive_utc()),
        south: b.south,
        west: b.west,
        north: b.north,
        east: b.east,
        node_count: net.nodes.len() as i64,
        edge_count: net.edge_count() as i64,
        address_count: net.addresses.len() as i64,
        imported_at: db::now_utc(),
        data,
    };
    db::write_transaction(conn, |c| road_networks::replace(c, &row))
        .context("cannot store the road network")?;
    let info = road_networks::find_active(conn)?.context("the stored road network vanished")?;
    Ok(NetworkSummary::of(info, stored_bytes))
}

/// The active network's summary, if one was imported.
pub fn active_summary(conn: &mut DbConnection) -> anyhow::Result<Option<NetworkSummary>> {
    Ok(road_networks::find_active(conn)?.map(|row| NetworkSummary::of(row, 0)))
}

/// Loads and decodes a stored network by id.
pub fn load(conn: &mut DbConnection, id: &str) -> anyhow::Result<Option<Router>> {
    let Some(data) = road_networks::find_data(conn, id)? else {
        return Ok(None);
    };
    let net = codec::decode(&data).map_err(|e| anyhow::anyhow!(e))?;
    Ok(Some(Router::new(net)))
}

/// Loads the active network, if one was imported (the command line's one-off use; servers
/// keep theirs in a [`NetworkCache`]).
pub fn load_active(conn: &mut DbConnection) -> anyhow::Result<Option<Router>> {
    match road_networks::find_active_id(conn)? {
        Some(id) => load(conn, &id),
        None => Ok(None),
    }
}

/// The loaded active network of this process, reloaded when another import (on any server)
/// changed the stored id. One per process, in the app state; cheap to share.
#[derive(Debug, Default)]
pub struct NetworkCache {
    loaded: Mutex<Option<(String, Arc<Router>)>>,
}

impl NetworkCache {
    /// The active network, or `None` when none is imported. Costs one small query when the
    /// cached network is current; a changed network is loaded while the lock is held, so
    /// concurrent callers wait for one load instead of each decoding it.
    pub fn active(&self, conn: &mut DbConnection) -> anyhow::Result<Option<Arc<Router>>> {
        let Some(id) = road_networks::find_active_id(conn)? else {
            return Ok(None);
        };
        let mut loaded = self
            .loaded
            .lock()
            .map_err(|e| anyhow::anyhow!("road network cache poisoned: {e}"))?;
        if let Some((cached, router)) = loaded.as_ref()
            && *cached == id
        {
            return Ok(Some(router.clone()));
        }
        let Some(router) = load(conn, &id)? else {
            return Ok(None);
        };
        let router = Arc::new(router);
        *loaded = Some((id, router.clone()));
        Ok(Some(router))
    }

    /// The id of the network this process holds, if any.
    pub fn loaded_id(&self) -> Option<String> {
        self.loaded
            .lock()
            .ok()
            .and_then(|l| l.as_ref().map(|(id, _)| id.clone()))
    }
}
