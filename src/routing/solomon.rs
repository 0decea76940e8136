//! The public Solomon VRPTW benchmark under the DIMACS 2021 convention: distance and travel time
//! between two points are their Euclidean distance truncated to one decimal, the objective is
//! total distance, waiting is allowed and vehicles must be back by the depot's due time.
//! Everything is scaled by ten internally so that costs are exact integers.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;
use thiserror::Error;

use super::check::check;
use super::matrix::TravelMatrix;
use super::problem::{Job, Objective, Problem, Route, Solution, TimeWindow, Vehicle};
use super::solver::{SolverParams, solve};

/// Internal units per instance unit (one decimal).
const SCALE: i64 = 10;

/// One row of the customer table (row 0 is the depot).
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    /// The instance's own number, used in solution files.
    pub number: u32,
    /// X coordinate.
    pub x: f64,
    /// Y coordinate.
    pub y: f64,
    /// Demand.
    pub demand: i64,
    /// Ready time.
    pub ready: i64,
    /// Due date (latest service start).
    pub due: i64,
    /// Service time.
    pub service: i64,
}

/// A parsed Solomon (or Gehring-Homberger) instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// Name from the first line.
    pub name: String,
    /// Number of vehicles available.
    pub vehicles: usize,
    /// Capacity of each vehicle.
    pub capacity: i64,
    /// The depot first, then the customers.
    pub customers: Vec<Customer>,
}

/// A file that is not a Solomon instance or VRPLIB solution.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SolomonError {
    /// The vehicle section is missing or malformed.
    #[error("no VEHICLE section with a number and a capacity")]
    NoVehicles,
    /// A customer line does not hold seven numbers.
    #[error("line {line}: expected seven numbers")]
    BadCustomer {
        /// 1-based line number.
        line: usize,
    },
    /// There is no depot row.
    #[error("no customers")]
    NoCustomers,
    /// A solution names a customer the instance does not have.
    #[error("solution names customer {number}, which the instance does not have")]
    UnknownCustomer {
        /// The customer number.
        number: String,
    },
}

/// Parses the text of an instance.
pub fn read_instance(text: &str) -> Result<Instance, SolomonError> {
    let mut lines = text.lines().enumerate();
    let name = lines
        .next()
        .map(|(_, l)| l.trim().to_string())
        .unwrap_or_default();
    let numbers =
        |l: &str| -> Option<Vec<f64>> { l.split_whitespace().map(|t| t.parse().ok()).collect() };
    let mut fleet = None;
    let mut customers = Vec::new();
    for (i, line) in lines {
        let Some(values) = numbers(line).filter(|v| !v.is_empty()) else {
            continue;
        };
        match (fleet, values.len()) {
            (None, 2) => fleet = Some((values[0] as usize, values[1] as i64)),
            (Some(_), 7) => customers.push(Customer {
                number: values[0] as u32,
                x: values[1],
                y: values[2],
                demand: values[3] as i64,
                ready: values[4] as i64,
                due: values[5] as i64,
                service: values[6] as i64,
            }),
            _ => return Err(SolomonError::BadCustomer { line: i + 1 }),
        }
    }
    let (vehicles, capacity) = fleet.ok_or(SolomonError::NoVehicles)?;
    if customers.is_empty() {
        return Err(SolomonError::NoCustomers);
    }
    Ok(Instance {
        name,
        vehicles,
        capacity,
        customers,
    })
}

impl Instance {
    /// The routing problem: job `i - 1` is customer row `i`, location `i` in the matrix.
    pub fn to_problem(&self) -> Problem {
        let n = self.customers.len();
        let matrix = TravelMatrix::from_fn(n, |a, b| {
            let d = truncated_distance(&self.customers[a], &self.customers[b]);
            (d, d)
        });
        let depot = &self.customers[0];
        let shift = TimeWindow::new(depot.ready * SCALE, depot.due * SCALE);
        let jobs = (1..n)
            .map(|i| {
                let c = &self.customers[i];
                let window = TimeWindow::new(c.ready * SCALE, c.due * SCALE);
                Job::new(i, c.service * SCALE, window, c.demand)
            })
            .collect();
        let vehicle = Vehicle {
            start: 0,
            end: 0,
            shift,
            capacity: self.capacity,
        };
        Problem {
            matrix,
            jobs,
            vehicles: vec![vehicle; self.vehicles],
            objective: Objective::Distance,
        }
    }
}

/// Ten times the Euclidean distance, truncated; an exact integer square root for integer
/// coordinates, so that no rounding error moves a value across a tenth.
fn truncated_distance(a: &Customer, b: &Customer) -> i64 {
    let (dx, dy) = (a.x - b.x, a.y - b.y);
    if dx.fract() != 0.0 || dy.fract() != 0.0 {
        return ((dx * dx + dy * dy).sqrt() * SCALE as f64).floor() as i64;
    }
    let squared = (dx * dx + dy * dy) as i64 * SCALE * SCALE;
    let mut root = (squared as f64).sqrt() as i64;
    while root * root > squared {
        root -= 1;
    }
    while (root + 1) * (root + 1) <= squared {
        root += 1;
    }
    root
}

/// Writes `solution` in the VRPLIB solution format with the instance's customer numbers.
pub fn write_solution(instance: &Instance, solution: &Solution) -> String {
    let mut text = String::new();
    for (k, route) in solution.routes.iter().enumerate() {
        let numbers: Vec<String> = route
            .jobs
            .iter()
            .map(|&j| instance.customers[j + 1].number.to_string())
            .collect();
        let _ = writeln!(text, "Route #{}: {}", k + 1, numbers.join(" "));
    }
    let _ = writeln!(text, "Cost {}", format_tenths(solution.travel));
    text
}

/// `8273` as `827.3`.
fn format_tenths(value: i64) -> String {
    format!("{}.{}", value / SCALE, (value % SCALE).abs())
}

/// Reads a VRPLIB solution for `instance`: routes on vehicles 0, 1, ..., and the stated cost.
pub fn read_solution(instance: &Instance, text: &str) -> Result<Solution, SolomonError> {
    let mut solution = Solution::default();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("Route #") {
            let list = rest.split_once(':').map_or("", |(_, l)| l);
            let jobs = list
                .split_whitespace()
                .map(|t| job_of(instance, t))
                .collect::<Result<Vec<_>, _>>()?;
            let vehicle = solution.routes.len();
            solution.routes.push(Route {
                vehicle,
                jobs,
                service_starts: Vec::new(),
                departure: 0,
                arrival: 0,
                cost: 0,
            });
        } else if let Some(cost) = line.strip_prefix("Cost") {
            let value: f64 = cost.trim().parse().unwrap_or(f64::NAN);
            solution.travel = (value * SCALE as f64).round() as i64;
        }
    }
    Ok(solution)
}

fn job_of(instance: &Instance, token: &str) -> Result<usize, SolomonError> {
    let unknown = || SolomonError::UnknownCustomer {
        number: token.to_string(),
    };
    let number: Option<u32> = token.parse().ok();
    let row = instance
        .customers
        .iter()
        .skip(1)
        .position(|c| Some(c.number) == number);
    row.ok_or_else(unknown)
}

/// The one-line result of `baqylau vrptw`.
#[derive(Debug, Clone, Serialize)]
pub struct VrptwSummary {
    /// Instance name.
    pub instance: String,
    /// Routes used.
    pub vehicles: usize,
    /// Total distance, in instance units (one decimal).
    pub distance: f64,
    /// Wall-clock seconds spent solving.
    pub seconds: f64,
    /// Whether the independent checker found nothing wrong (and no customer left out).
    pub feasible: bool,
}

/// Solves an instance file for `seconds` and optionally writes the solution to `out`.
pub fn solve_file(
    path: &Path,
    seconds: f64,
    seed: u64,
    threads: usize,
    out: Option<&Path>,
) -> anyhow::Result<VrptwSummary> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let instance = read_instance(&text).with_context(|| format!("parsing {}", path.display()))?;
    let problem = instance.to_problem();
    let params = SolverParams {
        seed,
        threads,
        time_limit: Duration::from_secs_f64(seconds.max(0.0)),
        ..SolverParams::default()
    };
    let started = Instant::now();
    let solution = solve(&problem, &params).context("solving")?;
    let elapsed = started.elapsed().as_secs_f64();
    let report = check(&problem, &solution);
    if let Some(out) = out {
        std::fs::write(out, write_solution(&instance, &solution))
            .with_context(|| format!("writing {}", out.display()))?;
    }
    Ok(VrptwSummary {
        instance: instance.name.clone(),
        vehicles: report.vehicles_used,
        distance: report.travel as f64 / SCALE as f64,
        seconds: elapsed,
        feasible: report.is_feasible() && solution.unassigned.is_empty(),
    })
}

#[cfg(test)]
#[expect(clippy::unwrap_used)]
mod tests {
    use super::*;

    const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/vrptw/data");

    fn instance(dir: &str, name: &str) -> Instance {
        let text = std::fs::read_to_string(format!("{DATA}/{dir}/{name}.txt")).unwrap();
        read_instance(&text).unwrap()
    }

    #[test]
    fn c101_reads_as_one_depot_one_hundred_customers_and_25_vehicles() {
        let i = instance("solomon", "C101");
        assert_eq!((i.customers.len(), i.vehicles, i.capacity), (101, 25, 200));
        assert_eq!(i.customers[1].number, 1);
        let p = i.to_problem();
        // Depot (40, 50) to customer 1 (45, 68): sqrt(349) = 18.68, truncated to 18.6.
        assert_eq!(p.matrix.distance(0, 1), 186);
        assert_eq!(
            p.jobs[0].time_windows[0],
            crate::routing::TimeWindow::new(9120, 9670)
        );
    }

    #[test]
    fn every_known_best_route_file_checks_feasible_at_its_exact_cost() {
        let dir = format!("{DATA}/bks_routes_dimacs");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            let folder = if name.contains('_') {
                "homberger"
            } else {
                "solomon"
            };
            let inst = instance(folder, &name);
            let solution = read_solution(&inst, &std::fs::read_to_string(&path).unwrap()).unwrap();
            let report = check(&inst.to_problem(), &solution);
            assert_eq!(report.violations, vec![], "{name}");
            checked += 1;
        }
        assert_eq!(checked, 62);
    }

    #[test]
    fn solutions_of_three_solomon_instances_pass_the_checker() {
        for name in ["C101", "R101", "RC201"] {
            let inst = instance("solomon", name);
            let problem = inst.to_problem();
            let params = SolverParams {
                iterations: 30,
                ..SolverParams::default()
            };
            let solution = solve(&problem, &params).unwrap();
            let report = check(&problem, &solution);
            assert_eq!(report.violations, vec![], "{name}");
            assert!(solution.unassigned.is_empty(), "{name}");
            let text = write_solution(&inst, &solution);
            let again = read_solution(&inst, &text).unwrap();
            assert_eq!(check(&problem, &again).travel, solution.travel, "{name}");
        }
    }
}
