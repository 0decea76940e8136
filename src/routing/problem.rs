//! The routing model: jobs, vehicles and the travel matrix in, routes and left-out jobs out.
//!
//! Times, durations, distances, loads and penalties are integers in units the caller picks
//! (seconds and metres for the planner, tenths for the Solomon benchmark), so that costs add up
//! exactly and the checker can compare them with `==`.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::matrix::TravelMatrix;

/// A closed interval `[open, close]` in which a service may start (or a shift runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeWindow {
    /// Earliest time.
    pub open: i64,
    /// Latest time.
    pub close: i64,
}

impl TimeWindow {
    /// A window from `open` to `close`.
    pub fn new(open: i64, close: i64) -> Self {
        Self { open, close }
    }

    /// A window that never constrains anything.
    pub fn always() -> Self {
        Self {
            open: 0,
            close: i64::MAX / 4,
        }
    }
}

/// Ties a job to a vehicle, and optionally to a place in that vehicle's route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    /// Index of the vehicle that must serve the job.
    pub vehicle: usize,
    /// 0-based position in the route, if the job must stay there (kept by a final fix-up).
    pub position: Option<usize>,
}

/// One place to visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Index of the job's location in the travel matrix.
    pub location: usize,
    /// How long the visit takes once it has started.
    pub service: i64,
    /// Windows in which the service may start; sorted, disjoint, at least one.
    pub time_windows: Vec<TimeWindow>,
    /// Load the job takes up on its vehicle (1 to count jobs).
    pub demand: i64,
    /// Cost of leaving the job out; `None` means the job is required.
    pub penalty: Option<i64>,
    /// Vehicles allowed to serve the job; `None` means all of them.
    pub allowed_vehicles: Option<Vec<usize>>,
    /// A fixed assignment, kept by the solver.
    pub pin: Option<Pin>,
}

impl Job {
    /// A required job at `location` with one time window and no other constraint.
    pub fn new(location: usize, service: i64, window: TimeWindow, demand: i64) -> Self {
        Self {
            location,
            service,
            time_windows: vec![window],
            demand,
            penalty: None,
            allowed_vehicles: None,
            pin: None,
        }
    }

    /// The smallest window that covers all of the job's windows.
    pub fn hull(&self) -> TimeWindow {
        let open = self.time_windows.first().map_or(0, |w| w.open);
        let close = self.time_windows.last().map_or(0, |w| w.close);
        TimeWindow { open, close }
    }

    /// Whether vehicle `v` may serve this job, by its allowed set and its pin.
    pub fn allows(&self, v: usize) -> bool {
        if let Some(pin) = self.pin {
            return pin.vehicle == v;
        }
        self.allowed_vehicles
            .as_ref()
            .is_none_or(|set| set.contains(&v))
    }
}

/// One vehicle (a mobile group on a given day): one route at most.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vehicle {
    /// Matrix index where the route starts.
    pub start: usize,
    /// Matrix index where the route ends.
    pub end: usize,
    /// Earliest departure and latest return.
    pub shift: TimeWindow,
    /// Largest total demand of the route.
    pub capacity: i64,
}

/// What the solver minimises after the penalties of left-out jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Objective {
    /// Total travel duration.
    #[default]
    Duration,
    /// Total travel distance.
    Distance,
}

/// A whole routing problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Travel durations and distances between locations.
    pub matrix: TravelMatrix,
    /// The jobs, referred to by index everywhere.
    pub jobs: Vec<Job>,
    /// The vehicles, referred to by index everywhere.
    pub vehicles: Vec<Vehicle>,
    /// What travel costs.
    pub objective: Objective,
}

/// A problem that cannot be solved as given.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ProblemError {
    /// A job or vehicle points past the matrix.
    #[error("location {location} is outside the {size}x{size} matrix")]
    LocationOutOfRange {
        /// The bad index.
        location: usize,
        /// The matrix size.
        size: usize,
    },
    /// A job has no time window, or they are unsorted or overlap.
    #[error("job {job} has no time window or its windows are not sorted and disjoint")]
    BadTimeWindows {
        /// The job.
        job: usize,
    },
    /// A pin or allowed set names a vehicle that does not exist.
    #[error("job {job} refers to vehicle {vehicle}, which does not exist")]
    NoSuchVehicle {
        /// The job.
        job: usize,
        /// The bad vehicle index.
        vehicle: usize,
    },
}

impl Problem {
    /// Travel cost between two locations under the objective.
    pub fn cost(&self, from: usize, to: usize) -> i64 {
        match self.objective {
            Objective::Duration => self.matrix.duration(from, to),
            Objective::Distance => self.matrix.distance(from, to),
        }
    }

    /// Checks indices and windows, so that the solver may index without checks failing.
    pub fn validate(&self) -> Result<(), ProblemError> {
        let size = self.matrix.size();
        let in_range = |location: usize| {
            if location < size {
                Ok(())
            } else {
                Err(ProblemError::LocationOutOfRange { location, size })
            }
        };
        for v in &self.vehicles {
            in_range(v.start)?;
            in_range(v.end)?;
        }
        for (j, job) in self.jobs.iter().enumerate() {
            in_range(job.location)?;
            let tws = &job.time_windows;
            let sorted = tws.windows(2).all(|w| w[0].close < w[1].open);
            if tws.is_empty() || !sorted || tws.iter().any(|w| w.open > w.close) {
                return Err(ProblemError::BadTimeWindows { job: j });
            }
            let named = job.pin.map(|p| p.vehicle).into_iter();
            let allowed = job.allowed_vehicles.iter().flatten().copied();
            if let Some(vehicle) = named.chain(allowed).find(|&v| v >= self.vehicles.len()) {
                return Err(ProblemError::NoSuchVehicle { job: j, vehicle });
            }
        }
        Ok(())
    }
}

/// Why a job is not in any route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnassignedReason {
    /// No vehicle may serve it (allowed set or pin).
    NoAllowedVehicle,
    /// No allowed vehicle can reach it inside a window and get back within its shift.
    TimeWindowUnreachable,
    /// Its demand exceeds every allowed vehicle's capacity, or no route had room left.
    CapacityExhausted,
    /// It could be served, but only at a cost above its penalty.
    PenaltyBelowCost,
    /// It fits on its own but not together with the other jobs (time, shifts).
    NoFeasibleInsertion,
}

/// One vehicle's route with its schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// The vehicle that drives it.
    pub vehicle: usize,
    /// Job indices in visiting order.
    pub jobs: Vec<usize>,
    /// Earliest service start of each job (same order as `jobs`).
    pub service_starts: Vec<i64>,
    /// Departure from the start location, as late as possible without delaying any service.
    pub departure: i64,
    /// Arrival back at the end location.
    pub arrival: i64,
    /// Travel cost of the route under the objective.
    pub cost: i64,
}

/// A left-out job and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unassigned {
    /// The job.
    pub job: usize,
    /// Why.
    pub reason: UnassignedReason,
}

/// The solver's answer: feasible routes (only non-empty ones) and the jobs left out.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Solution {
    /// Non-empty routes, at most one per vehicle.
    pub routes: Vec<Route>,
    /// Jobs in no route.
    pub unassigned: Vec<Unassigned>,
    /// Sum of the penalties of left-out jobs.
    pub penalty: i64,
    /// Sum of the route costs.
    pub travel: i64,
}
