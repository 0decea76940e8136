//! The command line: the clap tree here, one file per subcommand beside it. `serve` is the
//! default and hands over to `startup`; the others open the database, call a service and print. An error
//! becomes `error: MESSAGE` on standard error and exit code 1 (clap's own usage errors keep
//! clap's exit code 2).

mod backup;
mod check_config;
mod csv_style;
mod demo_data;
mod export;
mod import;
mod migrate;
mod plan;
mod report;
mod roads;
mod serve;
mod tls;
mod user;
mod vrptw;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Parser, Subcommand, ValueEnum};

use crate::config::Settings;
use crate::db::{self, DatabaseUrl, DbPool};
use crate::domain::user::Role;

pub use export::ExportWhat;
pub use import::ImportWhat;
pub use plan::PlanArgs;
pub use report::{AreaReport, ReportWhich};
pub use user::UserAction;
pub use vrptw::VrptwArgs;

/// Baqylau: mobile-team probation visit scheduler and tracker.
#[derive(Debug, Parser)]
#[command(
    version,
    about,
    after_help = "Examples:\n  \
        baqylau                          serve (migrate, demo region on an empty database)\n  \
        baqylau --config /etc/baqylau.toml migrate\n  \
        baqylau user add aigerim --role prosecutor --name \"Aigerim S.\"\n  \
        baqylau report crime-trends --from 2025-01-01 --to 2025-12-31 --format json"
)]
pub struct Cli {
    /// A TOML settings file (keys as in `config/baqylau.example.toml`).
    #[arg(long, env = "BAQYLAU_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, fill it with the demo region when empty (BAQYLAU_DEMO), and serve.
    #[command(after_help = serve::EXAMPLES)]
    Serve,
    /// Check the settings, the files they name and the database, without changing anything;
    /// exit 0 when all is well, 1 with the problem named.
    #[command(after_help = check_config::EXAMPLES)]
    CheckConfig,
    /// HTTPS certificates for an office network.
    #[command(after_help = tls::EXAMPLES)]
    Tls {
        /// What to make.
        #[command(subcommand)]
        action: tls::TlsAction,
    },
    /// Apply pending migrations and exit.
    #[command(after_help = migrate::EXAMPLES)]
    Migrate,
    /// Migrate and fill an empty database with the demo region.
    #[command(after_help = demo_data::EXAMPLES)]
    DemoData {
        /// How many persons (1,500 in the demo region; more for scale tests).
        #[arg(long, default_value_t = 1500)]
        persons: usize,
    },
    /// Manage users.
    #[command(after_help = user::EXAMPLES)]
    User {
        /// What to do with users.
        #[command(subcommand)]
        action: UserAction,
    },
    /// Write a consistent copy of a running SQLite database to DEST.
    #[command(after_help = backup::EXAMPLES)]
    Backup {
        /// The copy's path (must not exist).
        dest: PathBuf,
    },
    /// Import records from a CSV file (a dry run first; nothing is written when any row is bad).
    #[command(after_help = import::EXAMPLES)]
    Import {
        /// What to import.
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Export records to a CSV file in the import format.
    #[command(after_help = export::EXAMPLES)]
    Export {
        /// The CSV dialect (default: the locale's; semicolon for ru and kk, else comma).
        #[arg(long, value_enum, global = true)]
        dialect: Option<csv_style::DialectArg>,
        /// What to export.
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Plan the due checks of a period for the mobile groups and store the plan (a draft unless
    /// --publish).
    #[command(after_help = plan::EXAMPLES)]
    Plan(PlanArgs),
    /// Print a report for offices that mail reports on a schedule.
    #[command(after_help = report::EXAMPLES)]
    Report {
        /// The CSV dialect (default: the locale's; semicolon for ru and kk, else comma).
        #[arg(long, value_enum, global = true)]
        dialect: Option<csv_style::DialectArg>,
        /// Which report.
        #[command(subcommand)]
        which: ReportWhich,
    },
    /// The region's road network: import an OpenStreetMap extract, show it, route on it.
    #[command(after_help = roads::EXAMPLES)]
    Roads {
        /// What to do.
        #[command(subcommand)]
        action: crate::roads::commands::RoadsAction,
    },
    /// Solve a Solomon VRPTW instance under the DIMACS convention and print one JSON line.
    #[command(after_help = vrptw::EXAMPLES)]
    Vrptw(VrptwArgs),
}

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Comma-separated values with a byte-order mark, as the web's downloads.
    Csv,
    /// One pretty-printed JSON document.
    Json,
}

/// A user's role, as `user add --role` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Users, groups, districts, standards, the audit log.
    Administrator,
    /// The registry of persons, plans, follow-ups.
    Prosecutor,
    /// Coverage and crime reports.
    Supervisor,
    /// A mobile group's officer: the day's route.
    Officer,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Administrator => Role::Administrator,
            RoleArg::Prosecutor => Role::Prosecutor,
            RoleArg::Supervisor => Role::Supervisor,
            RoleArg::Officer => Role::Officer,
        }
    }
}

/// Parses the command line, runs the command and turns an error into a message and exit code 1.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => match refused_value(&error) {
            Some(message) => return fail(&anyhow::anyhow!(message)),
            None => error.exit(),
        },
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

fn fail(error: &anyhow::Error) -> ExitCode {
    eprintln!("error: {error:#}");
    ExitCode::FAILURE
}

/// The message of a value `--format` or `--role` does not take, worded (and exiting with 1) as
/// before these options listed their values, for the scripts that read it; `None` for any other
/// usage error (clap prints its own).
fn refused_value(error: &clap::Error) -> Option<String> {
    if error.kind() != ErrorKind::InvalidValue {
        return None;
    }
    let text = |kind| match error.get(kind) {
        Some(ContextValue::String(text)) => Some(text.as_str()),
        _ => None,
    };
    let value = text(ContextKind::InvalidValue)?;
    let option = text(ContextKind::InvalidArg)?;
    if option.starts_with("--format") {
        Some(format!("--format must be csv or json, not {value:?}"))
    } else if option.starts_with("--role") {
        Some(format!(
            "unknown role {value:?}: use administrator, prosecutor, supervisor or officer"
        ))
    } else {
        None
    }
}

/// Opens the settings' database, applying pending migrations first under the start-up lock (a
/// server may be starting on the same database).
fn open_database(settings: &Settings) -> anyhow::Result<DbPool> {
    let url = DatabaseUrl::parse(&settings.database_url)?;
    let lock = db::startup_lock::acquire(&url)?;
    let pool = db::open(&url, settings.database_pool_size)?.0;
    drop(lock);
    Ok(pool)
}

fn run(cli: Cli) -> anyhow::Result<()> {
    // The benchmark command needs neither settings nor a database.
    let command = match cli.command {
        Some(Command::Vrptw(args)) => return vrptw::run(&args),
        other => other.unwrap_or(Command::Serve),
    };
    if let Command::Tls { action } = &command {
        return tls::run(action);
    }
    let settings = Settings::load(cli.config.as_deref())?;
    crate::telemetry::init(&settings.log);
    match command {
        Command::Serve => serve::run(settings),
        Command::CheckConfig => check_config::run(&settings),
        Command::Tls { .. } => Ok(()),
        Command::Migrate => migrate::run(&settings),
        Command::DemoData { persons } => demo_data::run(&settings, persons),
        Command::User { action } => user::run(&settings, action),
        Command::Backup { dest } => backup::run(&settings, &dest),
        Command::Import { what } => import::run(&settings, what),
        Command::Export { dialect, what } => export::run(&settings, what, dialect),
        Command::Report { dialect, which } => report::run(&settings, which, dialect),
        Command::Plan(args) => plan::run(&settings, &args),
        Command::Roads { action } => roads::run(&settings, action),
        Command::Vrptw(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(args: &[&str]) -> Option<String> {
        Cli::try_parse_from(args)
            .err()
            .and_then(|e| refused_value(&e))
    }

    #[test]
    fn an_unknown_format_or_role_keeps_its_old_message() {
        let bad_format = ["baqylau", "report", "groups", "--from", "a", "--to", "b"];
        assert_eq!(
            refusal(&[&bad_format[..], &["--format", "xml"]].concat()).as_deref(),
            Some("--format must be csv or json, not \"xml\"")
        );
        assert_eq!(
            refusal(&[
                "baqylau", "user", "add", "x", "--role", "chief", "--name", "X"
            ])
            .as_deref(),
            Some("unknown role \"chief\": use administrator, prosecutor, supervisor or officer")
        );
        assert_eq!(refusal(&["baqylau", "plan", "--days", "many"]), None);
        assert_eq!(refusal(&["baqylau", "frobnicate"]), None);
    }

    #[test]
    fn every_role_of_the_domain_can_be_named() {
        for role in RoleArg::value_variants() {
            let name = role.to_possible_value().map(|v| v.get_name().to_owned());
            assert_eq!(name.as_deref(), Some(Role::from(*role).as_str()));
        }
        assert_eq!(RoleArg::value_variants().len(), Role::ALL.len());
    }

    #[test]
    fn the_tree_is_consistent() {
        use clap::CommandFactory as _;
        Cli::command().debug_assert();
    }
}
