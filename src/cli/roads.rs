//! `baqylau roads import|info|route`: the road network's own commands (`roads::commands`), with
//! the database opened here.

use crate::config::Settings;

/// Examples in `roads --help`.
pub const EXAMPLES: &str = "Examples:\n  \
    baqylau roads import kostanay.osm.pbf --bbox 49.5,60.5,54.7,68.3\n  \
    baqylau roads info\n  \
    baqylau roads route 53.2144,63.6246 53.1900,63.5800 --json";

/// Runs a `roads` action; the database is opened only once its arguments are read.
pub fn run(settings: &Settings, action: crate::roads::commands::RoadsAction) -> anyhow::Result<()> {
    crate::roads::commands::run(action, &|| super::open_database(settings))
}
