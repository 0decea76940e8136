//! `baqylau export [--dialect comma|semicolon] persons|offences FILE`: every record in the import
//! format (`-` for standard output), written `0600` (personal data), in the locale's CSV dialect
//! (see `csv_style`).

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Subcommand;

use super::csv_style::{self, DialectArg};
use crate::config::Settings;
use crate::domain::offence::OffenceRecord;
use crate::domain::person_record::PersonRecord;
use crate::services::imports::export;

/// Examples in `export --help`.
pub const EXAMPLES: &str = "Examples:\n  \
    baqylau export persons registry-$(date +%F).csv\n  \
    baqylau export offences - | head\n  \
    baqylau export --dialect comma persons registry.csv";

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

/// Writes the export in the dialect asked for, else the locale's.
pub fn run(settings: &Settings, what: ExportWhat, asked: Option<DialectArg>) -> anyhow::Result<()> {
    let dialect = csv_style::dialect(asked, csv_style::locale_lang());
    let pool = super::open_database(settings)?;
    let mut conn = pool.get()?;
    let (bytes, file) = match what {
        ExportWhat::Persons { file } => {
            let all = crate::db::persons::PersonFilter::default();
            let bytes = export::persons_csv(&mut conn, &all)?;
            (export::in_dialect::<PersonRecord>(bytes, dialect), file)
        }
        ExportWhat::Offences { file } => {
            let bytes = export::offences_csv(&mut conn)?;
            (export::in_dialect::<OffenceRecord>(bytes, dialect), file)
        }
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
