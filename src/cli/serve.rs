//! `baqylau serve` (the default): start-up and the HTTP server.

use crate::config::Settings;

/// Examples in `serve --help`.
pub const EXAMPLES: &str = "Examples:\n  \
    baqylau serve\n  \
    BAQYLAU_BIND=0.0.0.0:8080 BAQYLAU_DEMO=false baqylau serve";

/// Migrates, loads the demo region into an empty database and serves until stopped.
pub fn run(settings: Settings) -> anyhow::Result<()> {
    crate::startup::serve(settings)
}
