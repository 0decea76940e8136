//! Roads: the region's road network from an OpenStreetMap extract, stored in the database so
//! every app server of a fleet uses the same one, and answering snaps, routes and travel
//! matrices offline (DESIGN.md section 4, issue 17).
//!
//! - `osm`: the tag rules (what a car may drive, one-ways, `maxspeed`, class speeds, addresses).
//! - `pbf`: reading a `.osm.pbf` file; `builder`: elements to network (junctions, segments,
//!   the largest strongly connected part `scc`, address points, the hierarchy).
//! - `network`: the network's data; `codec`: its stored form; `ch`: the contraction hierarchy.
//! - `snap`, `router`: snapping to the nearest road, one route with its path.
//! - `matrix`: **the planner's entry point**, [`travel_matrix`].
//! - `store`: import into the database (atomic swap), the active network's summary, and
//!   [`NetworkCache`], which keeps the loaded network per process keyed by the stored id.
//! - `streets`: the segments' R-tree for maps; `addresses`: address search and the distance
//!   from a point to the street an address names.
//! - `commands`: `baqylau roads import|info|route`.
//!
//! For the next slice (planner, maps, address search), with `cache: NetworkCache` in the app
//! state and a connection `conn`:
//!
//! ```ignore
//! let router = cache.active(&mut conn)?;               // Option<Arc<Router>>, reloaded after a new import
//! let m = roads::travel_matrix(router.as_deref(), &points, roads::DEFAULT_MAX_SNAP_M, &|i, j| leg(i, j));
//! // m.matrix: TravelMatrix (s, m; asymmetric); m.sources[i]: Road { snap_m } or GreatCircle { reason }
//! let route = router.route(&router.snap(lat, lon)?, &router.snap(lat2, lon2)?);  // meters, seconds, path
//! for s in &router.net.segments { router.net.polyline(s); s.class; router.net.name(s.name); }  // maps
//! for a in &router.net.addresses { router.net.name(Some(a.street)); &a.number; a.at; }       // search
//! ```

pub mod addresses;
pub mod builder;
pub mod ch;
pub mod codec;
pub mod commands;
pub mod matrix;
pub mod network;
pub mod osm;
pub mod pbf;
pub mod router;
pub mod scc;
pub mod snap;
pub mod store;
pub mod streets;

#[cfg(test)]
pub(crate) mod tests;

pub use addresses::{AddressIndex, AddressMatch};
pub use matrix::{
    DEFAULT_MAX_SNAP_M, FallbackReason, PointSource, RoadMatrix, great_circle_fallback,
    travel_matrix,
};
pub use network::{AddressPoint, Bbox, E7, NetworkMeta, RoadNetwork, Segment};
pub use osm::RoadClass;
pub use router::{Route, Router};
pub use snap::Snap;
pub use store::{NetworkCache, NetworkSummary};
