//! `baqylau roads import|info|route`: the command line of the road network (`cli::roads` opens
//! the database for it).

use std::io::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;
use clap::Subcommand;

use super::matrix::{DEFAULT_MAX_SNAP_M, FallbackReason, locate};
use super::network::Bbox;
use super::store::{self, NetworkCache, NetworkSummary};
use crate::db::{DbConnection, DbPool};
use crate::routing::LatLon;

/// `roads` actions.
#[derive(Debug, Subcommand)]
pub enum RoadsAction {
    /// Import an OpenStreetMap extract (.osm.pbf) as the region's road network, replacing the
    /// old one atomically; a bad file leaves the old one in place.
    Import {
        /// The extract.
        file: PathBuf,
        /// Keep only what lies inside S,W,N,E (degrees), e.g. 49.5,60.5,54.7,68.3.
        #[arg(long, allow_hyphen_values = true)]
        bbox: Option<String>,
    },
    /// Print the active network's source, date, box, junctions and edges.
    Info,
    /// Print the fastest route between two points: LAT,LON LAT,LON.
    Route {
        /// Start, e.g. 53.2144,63.6246.
        #[arg(allow_hyphen_values = true)]
        from: String,
        /// End.
        #[arg(allow_hyphen_values = true)]
        to: String,
        /// Print {"meters": M, "seconds": S, "path": [[lat, lon], ...]}.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a `roads` action; `open` opens (and migrates) the database once the arguments are read,
/// so a mistyped point or box is refused before the database is touched.
pub fn run(action: RoadsAction, open: &dyn Fn() -> anyhow::Result<DbPool>) -> anyhow::Result<()> {
    let bbox = match &action {
        RoadsAction::Import { bbox: Some(b), .. } => {
            Some(Bbox::parse(b).map_err(anyhow::Error::msg)?)
        }
        _ => None,
    };
    let points = match &action {
        RoadsAction::Route { from, to, .. } => {
            Some((parse_point(from, "first")?, parse_point(to, "second")?))
        }
        _ => None,
    };
    let pool = open()?;
    let mut conn = pool.get()?;
    match action {
        RoadsAction::Import { file, .. } => {
            let started = Instant::now();
            let summary = store::import_file(&mut conn, &file, bbox)?;
            println!(
                "road network imported in {:.1} s ({} KB stored)",
                started.elapsed().as_secs_f64(),
                summary.stored_bytes.div_ceil(1000)
            );
            print_summary(&summary);
        }
        RoadsAction::Info => match store::active_summary(&mut conn)? {
            Some(summary) => print_summary(&summary),
            None => println!("no road network imported yet (baqylau roads import FILE.osm.pbf)"),
        },
        RoadsAction::Route { json, .. } => {
            let (from, to) = points.context("two points")?;
            print_route(&mut conn, from, to, json)?;
        }
    }
    Ok(())
}

/// Prints the route by road from `from` to `to` on the imported network, as JSON or a line.
fn print_route(
    conn: &mut DbConnection,
    from: LatLon,
    to: LatLon,
    json: bool,
) -> anyhow::Result<()> {
    let router = NetworkCache::default()
        .active(conn)?
        .context("no road network imported yet (baqylau roads import FILE.osm.pbf)")?;
    let snap = |p: LatLon, which: &str| {
        locate(&router, p, DEFAULT_MAX_SNAP_M).map_err(|reason| off_network(which, reason))
    };
    let (a, b) = (snap(from, "first")?, snap(to, "second")?);
    let route = router
        .route(&a, &b)
        .context("no road leads from the first point to the second")?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer(&mut out, &route)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{:.2} km, {:.1} min, {} points on the path (snapped {:.0} m and {:.0} m to the roads)",
            route.meters / 1000.0,
            route.seconds / 60.0,
            route.path.len(),
            a.distance_m,
            b.distance_m
        )?;
    }
    Ok(())
}

fn print_summary(s: &NetworkSummary) {
    let date = s.osm_timestamp.map_or_else(
        || "not given in the file".to_owned(),
        |t| format!("{t} UTC"),
    );
    println!("source:    {}", s.source);
    println!("date:      {date}");
    println!(
        "bbox:      {:.5},{:.5},{:.5},{:.5} (S,W,N,E)",
        s.bbox.south, s.bbox.west, s.bbox.north, s.bbox.east
    );
    println!("nodes:     {}", s.nodes);
    println!("edges:     {}", s.edges);
    println!("addresses: {}", s.addresses);
    println!(
        "imported:  {} UTC",
        s.imported_at.format("%Y-%m-%d %H:%M:%S")
    );
}

fn off_network(which: &str, reason: FallbackReason) -> anyhow::Error {
    match reason {
        FallbackReason::TooFarFromRoad { distance_m } => anyhow::anyhow!(
            "the {which} point is {:.1} km from the nearest road (more than {:.1} km): not on the network",
            distance_m / 1000.0,
            DEFAULT_MAX_SNAP_M / 1000.0
        ),
        FallbackReason::OutsideNetwork => {
            anyhow::anyhow!("the {which} point lies outside the road network's box")
        }
        FallbackReason::NoNetwork => anyhow::anyhow!("no road network imported yet"),
        FallbackReason::InvalidPoint => anyhow::anyhow!("the {which} point is not on Earth"),
    }
}

/// Reads `LAT,LON` in degrees.
pub fn parse_point(text: &str, which: &str) -> anyhow::Result<LatLon> {
    let parsed = text
        .split_once(',')
        .and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?)));
    match parsed {
        Some((lat, lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
            Ok(LatLon { lat, lon })
        }
        _ => anyhow::bail!(
            "the {which} point {text:?} is not LAT,LON in degrees (latitude -90..90, longitude -180..180)"
        ),
    }
}
