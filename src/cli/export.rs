//! `baqylau export persons|offences FILE`: every record in the import format (`-` for standard
//! output), written `0600` (personal data).

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Subcommand;

use crate::config::Settings;
use crate::services::imports::export;

/// Examples in `export --help`.
pub const EXAMPLES: &str = "Examples:\n  \
    baqylau export persons registry-$(date +%F).csv\n  \
    baqylau export offences - | head";

/// `export` targets.
#[derive(Debug, Subcommand)]
pub enum ExportWhat {
    /// Every person of the registry.
    Persons {
        /// The CSV file to write (`-` for standard output).
        file: PathBuf,
    },
    /// Every registered offence.
    Offences {
        /// The CSV file to write (`-` for standard output).
        file: PathBuf,
    },
}

/// Writes the export.
pub fn run(settings: &Settings, what: ExportWhat) -> anyhow::Result<()> {
    let pool = super::open_database(settings)?;
    let mut conn = pool.get()?;
    let (bytes, file) = match what {
        ExportWhat::Persons { file } => (
            export::persons_csv(&mut conn, &crate::db::persons::PersonFilter::default())?,
            file,
        ),
        ExportWhat::Offences { file } => (export::offences_csv(&mut conn)?, file),
    };
    write(&file, &bytes)
}

fn write(file: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if file.as_os_str() == "-" {
        std::io::Write::write_all(&mut std::io::stdout(), bytes)?;
    } else {
        crate::private_files::write_private(file, bytes)
            .with_context(|| format!("cannot write {}", file.display()))?;
        eprintln!("exported to {}", file.display());
    }
    Ok(())
}
