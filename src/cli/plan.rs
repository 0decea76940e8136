//! `baqylau plan`: plan the due checks of a period for the mobile groups and store the plan (a
//! draft unless `--publish`), for offices that plan from a timer.

use crate::config::Settings;
use crate::db::{self, DbConnection};
use crate::domain::MobileGroupId;

/// Examples in `plan --help`.
pub const EXAMPLES: &str = "Examples:\n  \
    baqylau plan                                   tomorrow, every group, a draft\n  \
    baqylau plan --from 2026-12-07 --days 5 --groups МГ-1 МГ-2 --publish\n  \
    baqylau plan --seed 1234 --seconds 10 --json > plan.json";

/// The arguments of `plan`.
#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// First day (YYYY-MM-DD; default: tomorrow).
    #[arg(long)]
    pub from: Option<chrono::NaiveDate>,
    /// Number of days (1 to 14).
    #[arg(long, default_value_t = 1)]
    pub days: u32,
    /// Groups to plan, by name or the start of it (e.g. "МГ-1"); all when left out.
    #[arg(long, num_args = 1..)]
    pub groups: Vec<String>,
    /// Publish the plan at once (officers see it).
    #[arg(long)]
    pub publish: bool,
    /// Print the whole plan as JSON instead of a summary.
    #[arg(long)]
    pub json: bool,
    /// Optimiser time limit, seconds.
    #[arg(long, default_value_t = 2.0)]
    pub seconds: f64,
    /// Seed of the unannounced draw and the optimiser, to reproduce a stored plan (its
    /// `plans.seed`); by default a fresh one from the operating system, never guessable.
    #[arg(long)]
    pub seed: Option<u64>,
}

/// Makes the plan, publishes it when asked, and prints it or its summary.
pub fn run(settings: &Settings, args: &PlanArgs) -> anyhow::Result<()> {
    let days = args.days;
    anyhow::ensure!(
        (1..=14).contains(&days),
        "--days must be 1 to 14, not {days}"
    );
    anyhow::ensure!(
        args.seconds.is_finite() && args.seconds > 0.0,
        "--seconds must be positive"
    );
    let pool = super::open_database(settings)?;
    let mut conn = pool.get()?;
    let from = match args.from {
        Some(d) => d,
        None => settings.today()? + chrono::Duration::days(1),
    };
    let options = crate::services::plans::PlanOptions {
        from,
        days,
        group_ids: group_ids(&mut conn, &args.groups)?,
        seed: match args.seed {
            Some(seed) => seed,
            None => crate::services::plans::fresh_seed()?,
        },
        time_limit: std::time::Duration::from_secs_f64(args.seconds),
        threads: 1,
        iterations: usize::MAX,
    };
    let (id, totals) = crate::services::plans::create_plan(&mut conn, &options, None)?;
    if args.publish {
        anyhow::ensure!(
            crate::services::plans::publish(&mut conn, &id, 1)?,
            "the plan changed while publishing"
        );
    }
    if args.json {
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
            if args.publish {
                ", published"
            } else {
                " (draft)"
            },
            options.seed
        );
        println!("{}", totals.travel.describe());
    }
    Ok(())
}

/// The groups named by `--groups` (by id, name, or the start of a name before a space), each of
/// which must match exactly one group; empty for all.
fn group_ids(conn: &mut DbConnection, wanted: &[String]) -> anyhow::Result<Vec<MobileGroupId>> {
    let all = db::mobile_groups::list_mobile_groups(conn)?;
    let mut group_ids = Vec::new();
    for wanted in wanted {
        let found: Vec<_> = all
            .iter()
            .filter(|g| {
                g.id.as_str() == wanted
                    || g.name == *wanted
                    || g.name.starts_with(&format!("{wanted} "))
            })
            .collect();
        let [group] = found.as_slice() else {
            anyhow::bail!(
                "no single mobile group {wanted:?}; the groups are: {}",
                all.iter()
                    .map(|g| g.name.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        };
        group_ids.push(group.id.clone());
    }
    Ok(group_ids)
}
