//! The command line: `serve` (the default), `migrate`, `demo-data`, `user add|passwd|list`,
//! `backup DEST`, `import|export persons FILE`, `vrptw FILE` (the routing benchmark).

use std::io::BufRead as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::db::{self, DatabaseUrl};
use crate::domain::user::Role;
use crate::domain::{MobileGroupId, UserId};

/// Baqylau: mobile-team probation visit scheduler and tracker.
#[derive(Debug, Parser)]
#[command(version, about)]
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
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Migrate and fill an empty database with the demo region.
    DemoData {
        /// How many persons (1,500 in the demo region; more for scale tests).
        #[arg(long, default_value_t = 1500)]
        persons: usize,
    },
    /// Manage users.
    User {
        /// What to do with users.
        #[command(subcommand)]
        action: UserAction,
    },
    /// Write a consistent copy of a running SQLite database to DEST.
    Backup {
        /// The copy's path (must not exist).
        dest: PathBuf,
    },
    /// Import records from a CSV file (a dry run first; nothing is written when any row is bad).
    Import {
        /// What to import.
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Export records to a CSV file in the import format.
    Export {
        /// What to export.
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Plan the due checks of a period for the mobile groups and store the plan (a draft unless
    /// --publish).
    Plan {
        /// First day (YYYY-MM-DD; default: tomorrow).
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// Number of days (1 to 14).
        #[arg(long, default_value_t = 1)]
        days: u32,
        /// Groups to plan, by name or the start of it (e.g. "МГ-1"); all when left out.
        #[arg(long, num_args = 1..)]
        groups: Vec<String>,
        /// Publish the plan at once (officers see it).
        #[arg(long)]
        publish: bool,
        /// Print the whole plan as JSON instead of a summary.
        #[arg(long)]
        json: bool,
        /// Optimiser time limit, seconds.
        #[arg(long, default_value_t = 2.0)]
        seconds: f64,
        /// Seed of the unannounced draw and the optimiser, to reproduce a stored plan (its
        /// `plans.seed`); by default a fresh one from the operating system, never guessable.
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Print a report for offices that mail reports on a schedule.
    Report {
        /// Which report.
        #[command(subcommand)]
        which: ReportWhich,
    },
    /// The region's road network: import an OpenStreetMap extract, show it, route on it.
    Roads {
        /// What to do.
        #[command(subcommand)]
        action: crate::roads::commands::RoadsAction,
    },
    /// Solve a Solomon VRPTW instance under the DIMACS convention and print one JSON line.
    Vrptw {
        /// The instance file (Solomon text format).
        file: PathBuf,
        /// Time limit in seconds.
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        /// Random seed (the same seed and limits give the same routes).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Solver threads.
        #[arg(long, default_value_t = 1)]
        threads: usize,
        /// Write the routes here in the VRPLIB solution format.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// `import` targets.
#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// Persons of the registry, matched by IIN (columns in the README).
    Persons {
        /// The CSV file.
        file: PathBuf,
        /// Only check the file and print what would change.
        #[arg(long)]
        dry_run: bool,
    },
    /// Registered offences, matched by their register number `id` (columns in the README).
    Offences {
        /// The CSV file.
        file: PathBuf,
        /// Only check the file and print what would change.
        #[arg(long)]
        dry_run: bool,
    },
}

/// `report` kinds.
#[derive(Debug, Subcommand)]
pub enum ReportWhich {
    /// Offences by severity, type, place, district and month against a comparison period.
    CrimeTrends {
        /// First day (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// Last day (YYYY-MM-DD).
        #[arg(long)]
        to: String,
        /// `previous` (the period just before) or YYYY-MM-DD..YYYY-MM-DD.
        #[arg(long, default_value = "previous")]
        against: String,
        /// Only this district (its code, e.g. KST).
        #[arg(long)]
        district: Option<String>,
        /// csv or json.
        #[arg(long, default_value = "csv")]
        format: String,
    },
    /// Share of active persons checked within their contact standard, by district, group, tier
    /// and month.
    Coverage(AreaReport),
    /// Per mobile group: checks planned, done, missed, on time, visits per shift, flagged visits.
    Groups {
        /// First day (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// Last day (YYYY-MM-DD).
        #[arg(long)]
        to: String,
        /// csv or json.
        #[arg(long, default_value = "csv")]
        format: String,
    },
    /// Coverage beside offences per 10,000 by district and month, their correlations and
    /// re-offending by supervised persons.
    CoverageVsCrime(AreaReport),
}

/// The arguments of a report over a period and an area.
#[derive(Debug, clap::Args)]
pub struct AreaReport {
    /// First day (YYYY-MM-DD).
    #[arg(long)]
    pub from: String,
    /// Last day (YYYY-MM-DD).
    #[arg(long)]
    pub to: String,
    /// Only this district (its code, e.g. KST).
    #[arg(long)]
    pub district: Option<String>,
    /// csv or json.
    #[arg(long, default_value = "csv")]
    pub format: String,
}

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

/// `user` actions. Passwords are read from standard input (one line), never from arguments.
#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create a user.
    Add {
        /// Sign-in name.
        login: String,
        /// administrator, prosecutor, supervisor or officer.
        #[arg(long)]
        role: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// The mobile group's name (officers).
        #[arg(long)]
        group: Option<String>,
    },
    /// Set a user's password (and lift a lock).
    Passwd {
        /// Sign-in name.
        login: String,
    },
    /// List users.
    List,
}

/// Parses the command line, runs the command and turns an error into a message and exit code 1.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    // The benchmark command needs neither settings nor a database.
    if let Some(Command::Vrptw {
        file,
        seconds,
        seed,
        threads,
        out,
    }) = &cli.command
    {
        anyhow::ensure!(
            seconds.is_finite() && *seconds >= 0.0,
            "--seconds must be a number of seconds, not {seconds}"
        );
        let summary = crate::routing::solomon::solve_file(
            file,
            *seconds,
            *seed,
            (*threads).max(1),
            out.as_deref(),
        )?;
        println!("{}", serde_json::to_string(&summary)?);
        return Ok(());
    }
    let settings = Settings::load(cli.config.as_deref())?;
    crate::telemetry::init(&settings.log);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => crate::server::serve(settings),
        Command::Migrate => {
            let (pool, _) = crate::server::open_database(&settings)?;
            drop(pool);
            println!("database is up to date");
            Ok(())
        }
        Command::DemoData { persons } => demo_data(&settings, persons),
        Command::User { action } => user(&settings, action),
        Command::Backup { dest } => backup(&settings, &dest),
        Command::Import {
            what: ImportWhat::Persons { file, dry_run },
        } => crate::transfer::import_persons(&settings, &file, dry_run),
        Command::Export {
            what: ExportWhat::Persons { file },
        } => crate::transfer::export_persons(&settings, &file),
        Command::Import {
            what: ImportWhat::Offences { file, dry_run },
        } => crate::offence_transfer::import_offences(&settings, &file, dry_run),
        Command::Export {
            what: ExportWhat::Offences { file },
        } => crate::offence_transfer::export_offences(&settings, &file),
        Command::Report {
            which:
                ReportWhich::CrimeTrends {
                    from,
                    to,
                    against,
                    district,
                    format,
                },
        } => crate::offence_transfer::report_crime_trends(
            &settings,
            &from,
            &to,
            &against,
            district.as_deref(),
            &format,
        ),
        Command::Report {
            which: ReportWhich::Coverage(args),
        } => crate::report_commands::report_coverage(&settings, &args),
        Command::Report {
            which: ReportWhich::Groups { from, to, format },
        } => crate::report_commands::report_groups(&settings, &from, &to, &format),
        Command::Report {
            which: ReportWhich::CoverageVsCrime(args),
        } => crate::report_commands::report_coverage_vs_crime(&settings, &args),
        Command::Plan {
            from,
            days,
            groups,
            publish,
            json,
            seconds,
            seed,
        } => plan(&settings, from, days, &groups, publish, json, seconds, seed),
        Command::Roads { action } => crate::roads::commands::run(&settings, action),
        Command::Vrptw { .. } => Ok(()),
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "one argument per command-line option"
)]
fn plan(
    settings: &Settings,
    from: Option<chrono::NaiveDate>,
    days: u32,
    groups: &[String],
    publish: bool,
    json: bool,
    seconds: f64,
    seed: Option<u64>,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        (1..=14).contains(&days),
        "--days must be 1 to 14, not {days}"
    );
    anyhow::ensure!(
        seconds.is_finite() && seconds > 0.0,
        "--seconds must be positive"
    );
    let (pool, _) = crate::server::open_database(settings)?;
    let mut conn = pool.get()?;
    let from = match from {
        Some(d) => d,
        None => crate::server::today(settings)? + chrono::Duration::days(1),
    };
    let all = db::mobile_groups::list_mobile_groups(&mut conn)?;
    let mut group_ids = Vec::new();
    for wanted in groups {
        let found: Vec<_> = all
            .iter()
            .filter(|g| {
                g.id.as_str() == wanted
                    || g.name == *wanted
                    || g.name.starts_with(&format!("{wanted} "))
            })
            .collect();
        anyhow::ensure!(
            found.len() == 1,
            "no single mobile group {wanted:?}; the groups are: {}",
            all.iter()
                .map(|g| g.name.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        );
        group_ids.push(found[0].id.clone());
    }
    let options = crate::services::plans::PlanOptions {
        from,
        days,
        group_ids,
        seed: match seed {
            Some(seed) => seed,
            None => crate::services::plans::fresh_seed()?,
        },
        time_limit: std::time::Duration::from_secs_f64(seconds),
        threads: 1,
        iterations: usize::MAX,
    };
    let (id, totals) = crate::services::plans::create_plan(&mut conn, &options, None)?;
    if publish {
        anyhow::ensure!(
            crate::services::plans::publish(&mut conn, &id, 1)?,
            "the plan changed while publishing"
        );
    }
    if json {
        let export = crate::services::plans::export_plan(&mut conn, &id)?;
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &export)?;
        std::io::Write::write_all(&mut out, b"\n")?;
    } else {
        println!(
            "plan {id}: {from} + {days} day(s), {} routes, {} checks placed, {} left out, {:.1} km, {:.1} h driving{} (seed {})",
            totals.routes,
            totals.placed,
            totals.unplaced,
            totals.distance_m as f64 / 1000.0,
            totals.driving_s as f64 / 3600.0,
            if publish { ", published" } else { " (draft)" },
            options.seed
        );
    }
    Ok(())
}

fn demo_data(settings: &Settings, persons: usize) -> anyhow::Result<()> {
    let (pool, _) = crate::server::open_database(settings)?;
    let mut conn = pool.get()?;
    let today = crate::server::today(settings)?;
    match crate::demo::load_if_empty(
        &mut conn,
        settings.demo_seed,
        persons,
        today,
        settings.effective_demo_password(),
    )? {
        Some(summary) => {
            println!(
                "demo region loaded: {} districts, {} persons, {} mobile groups, {} users",
                summary.districts,
                summary.persons,
                summary.groups,
                summary.logins.len()
            );
            if let Some(roads) = crate::demo::load_roads_if_absent(&mut conn, settings.demo_seed)? {
                println!(
                    "demo road network: {} junctions, {} edges, {} addresses",
                    roads.nodes, roads.edges, roads.addresses
                );
            }
            if settings.demo_history {
                let bar = indicatif::ProgressBar::new(0);
                let history = crate::demo::history::generate_if_absent(
                    &mut conn,
                    settings.demo_seed,
                    today,
                    settings.failures_for_follow_up,
                    &mut |done, all| {
                        bar.set_length(all as u64);
                        bar.set_position(done as u64);
                    },
                )?;
                bar.finish_and_clear();
                if let Some(h) = history {
                    println!(
                        "demo history: {} weekly plans, {} checks placed, {} visits",
                        h.plans, h.checks, h.visits
                    );
                }
            }
        }
        None => println!("the database already holds data; nothing was changed"),
    }
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    eprintln!("password (one line on standard input):");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    crate::accounts::validate_new_password(&password)
        .map_err(|key| anyhow::anyhow!("{} ({key})", crate::i18n::Lang::En.t(key)))?;
    Ok(password)
}

fn user(settings: &Settings, action: UserAction) -> anyhow::Result<()> {
    let (pool, _) = crate::server::open_database(settings)?;
    let mut conn = pool.get()?;
    match action {
        UserAction::Add {
            login,
            role,
            name,
            group,
        } => {
            let role = Role::parse(&role).with_context(|| {
                format!(
                    "unknown role {role:?}: use administrator, prosecutor, supervisor or officer"
                )
            })?;
            anyhow::ensure!(
                db::users::find_by_login(&mut conn, &login)?.is_none(),
                "a user {login:?} exists already"
            );
            let group_id = match group {
                Some(name) => Some(find_group_by_name(&mut conn, &name)?),
                None => None,
            };
            anyhow::ensure!(
                role != Role::Officer || group_id.is_some(),
                "an officer needs --group"
            );
            let hash = crate::accounts::hash_password(&read_password()?)?;
            let now = db::now_utc();
            let row = db::users::NewUserRow {
                id: UserId::new().to_string(),
                login: login.clone(),
                full_name: name,
                role: role.as_str().to_owned(),
                password_hash: hash,
                is_active: true,
                created_at: now,
                updated_at: now,
            };
            db::write_transaction(&mut conn, |c| db::users::insert(c, &row, group_id.as_ref()))?;
            println!("user {login} added as {role}");
        }
        UserAction::Passwd { login } => {
            let hash = crate::accounts::hash_password(&read_password()?)?;
            let changed = db::users::update_password(&mut conn, &login, &hash)?;
            anyhow::ensure!(changed == 1, "no user {login:?}");
            println!("password of {login} changed");
        }
        UserAction::List => {
            for u in db::users::list_users(&mut conn)? {
                let state = if u.is_active { "active" } else { "disabled" };
                println!(
                    "{:<16} {:<14} {:<9} {}",
                    u.login, u.role, state, u.full_name
                );
            }
        }
    }
    Ok(())
}

fn find_group_by_name(conn: &mut db::DbConnection, name: &str) -> anyhow::Result<MobileGroupId> {
    let groups = db::mobile_groups::list_mobile_groups(conn)?;
    groups
        .into_iter()
        .find(|g| g.name == name)
        .map(|g| g.id)
        .with_context(|| format!("no mobile group named {name:?}"))
}

fn backup(settings: &Settings, dest: &std::path::Path) -> anyhow::Result<()> {
    let url = DatabaseUrl::parse(&settings.database_url)?;
    let DatabaseUrl::Sqlite(source) = &url else {
        anyhow::bail!(
            "backup copies SQLite databases; for PostgreSQL use pg_dump or its replication"
        );
    };
    anyhow::ensure!(
        source.exists(),
        "the database {} does not exist",
        source.display()
    );
    anyhow::ensure!(
        !dest.exists(),
        "{} exists already; choose a new file",
        dest.display()
    );
    let pool = db::connect(&url, 1)?;
    let mut conn = pool.get()?;
    db::backup_sqlite(&mut conn, dest)?;
    println!("backup written to {}", dest.display());
    Ok(())
}
