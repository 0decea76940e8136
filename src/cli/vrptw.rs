//! `baqylau vrptw FILE`: the routing benchmark on a Solomon instance (no settings, no database).

use std::path::PathBuf;

/// Examples in `vrptw --help`.
pub const EXAMPLES: &str = "Examples:\n  \
    baqylau vrptw bench/vrptw/data/solomon/C101.txt --seconds 5\n  \
    baqylau vrptw R201.txt --seconds 60 --threads 2 --seed 7 --out R201.sol";

/// The arguments of `vrptw`.
#[derive(Debug, clap::Args)]
pub struct VrptwArgs {
    /// The instance file (Solomon text format).
    pub file: PathBuf,
    /// Time limit in seconds.
    #[arg(long, default_value_t = 10.0)]
    pub seconds: f64,
    /// Random seed (the same seed and limits give the same routes).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Solver threads.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Write the routes here in the VRPLIB solution format.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Solves the instance and prints the summary as one JSON line.
pub fn run(args: &VrptwArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.seconds.is_finite() && args.seconds >= 0.0,
        "--seconds must be a number of seconds, not {}",
        args.seconds
    );
    let summary = crate::routing::solomon::solve_file(
        &args.file,
        args.seconds,
        args.seed,
        args.threads.max(1),
        args.out.as_deref(),
    )?;
    println!("{}", serde_json::to_string(&summary)?);
    Ok(())
}
