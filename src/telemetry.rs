//! Logging: `tracing` to standard error, filtered by `BAQYLAU_LOG` (or `RUST_LOG`).

use tracing_subscriber::EnvFilter;

/// Installs the subscriber once; later calls (tests) do nothing.
pub fn init(default_filter: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
