//! From drawn checks to a routing problem and back (DESIGN.md section 4): one vehicle per group
//! and working day, starting and ending at the group's base inside its shift, holding at most its
//! checks per shift and visiting only its districts; one job per check, with windows on the days
//! it may be made and a penalty (its priority) for leaving it out. The optimiser orders and
//! assigns the day's checks so that routes stay short; its answer is read back as routes of
//! stops and the checks left out, each with its reason.

use chrono::NaiveDate;

pub use crate::domain::check::UnplacedReason;
use crate::domain::location::{District, DistrictKind, district_of};
use crate::domain::mobile_group::MobileGroup;
use crate::domain::person::CheckKind;
use crate::domain::{DistrictId, GeoPoint, MobileGroupId, PersonId};
use crate::routing::{self, Job, Pin, Problem, TimeWindow, Vehicle};

/// What leaving a pinned check out costs the optimiser: more than every unpinned check of a
/// plan together (a thousand checks of the highest priority are about 10^8).
pub const PINNED_PENALTY: i64 = 1_000_000_000;

/// Seconds in a day: the problem's clock runs from midnight of the period's first day.
const DAY: i64 = 86_400;

/// A check as the planner places it: where, when it may be made, and how much it matters.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanCheck {
    /// Whom.
    pub person_id: PersonId,
    /// Home or work.
    pub kind: CheckKind,
    /// Where.
    pub location: GeoPoint,
    /// The address shown.
    pub address: String,
    /// The district (groups cover districts).
    pub district_id: DistrictId,
    /// Days it may be made (drawn), in order.
    pub days: Vec<NaiveDate>,
    /// Window on each of those days, minutes after local midnight (drawn).
    pub window: (u16, u16),
    /// Minutes on site.
    pub service_min: u16,
    /// Penalty of leaving it out.
    pub priority: i64,
    /// Kept on this group and day by a prosecutor.
    pub pin: Option<(MobileGroupId, NaiveDate)>,
}

/// What to plan: the period, the groups, the region's districts (travel speeds), the checks.
pub struct PlanRequest<'a> {
    /// First day.
    pub from: NaiveDate,
    /// Number of days.
    pub days: u32,
    /// The groups planned.
    pub groups: &'a [MobileGroup],
    /// The region's districts.
    pub districts: &'a [District],
    /// The checks to place.
    pub checks: &'a [PlanCheck],
    /// Travel between the problem's locations ([`locations`]: the groups' bases, then the
    /// checks), e.g. on the roads, worked out by the caller; `None` (or a matrix of another
    /// size) for the great-circle estimate [`leg`].
    pub travel: Option<&'a routing::TravelMatrix>,
}

/// The problem and how to read its indices back.
pub struct BuiltProblem {
    /// For the optimiser.
    pub problem: Problem,
    /// Vehicle index -> (group, day).
    pub vehicles: Vec<(MobileGroupId, NaiveDate)>,
    /// Reasons known before solving (no group covers the district, no working day), by check.
    pub known: Vec<Option<UnplacedReason>>,
}

/// The great-circle travel estimate, shared with the group report (it lives in `domain`).
pub use crate::domain::location::leg;

/// The vehicles of a plan: one per group and working day of the period, with its (group, day).
fn fleet(
    req: &PlanRequest<'_>,
    dates: &[NaiveDate],
) -> (Vec<Vehicle>, Vec<(MobileGroupId, NaiveDate)>) {
    let mut fleet = Vec::new();
    let mut vehicles = Vec::new();
    for (g, group) in req.groups.iter().enumerate() {
        for (d, date) in dates.iter().enumerate() {
            if !group.active_days.includes(*date) {
                continue;
            }
            let day0 = d as i64 * DAY;
            fleet.push(Vehicle {
                start: g,
                end: g,
                shift: TimeWindow::new(
                    day0 + i64::from(group.shift_start_min) * 60,
                    day0 + i64::from(group.shift_end_min) * 60,
                ),
                capacity: i64::from(group.max_checks_per_shift),
            });
            vehicles.push((group.id.clone(), *date));
        }
    }
    (fleet, vehicles)
}

/// The locations of a plan's routing problem, in the problem's order: the groups' bases, then
/// the checks. A travel matrix given in [`PlanRequest::travel`] is over these.
pub fn locations(groups: &[MobileGroup], checks: &[PlanCheck]) -> Vec<GeoPoint> {
    groups
        .iter()
        .map(|g| g.base)
        .chain(checks.iter().map(|c| c.location))
        .collect()
}

/// The great-circle estimate between points: town speeds between two points of urban
/// districts, country speeds otherwise (see [`leg`]). The planner's own matrix, and what a road
/// matrix falls back to for a point off the network.
#[derive(Debug, Clone)]
pub struct GreatCircleLegs {
    points: Vec<GeoPoint>,
    urban: Vec<bool>,
}

impl GreatCircleLegs {
    /// The estimate over `points`, each urban when it lies in an urban one of `districts`.
    pub fn new(districts: &[District], points: &[GeoPoint]) -> Self {
        let urban = points
            .iter()
            .map(|p| district_of(districts, *p).is_some_and(|d| d.kind == DistrictKind::Urban))
            .collect();
        GreatCircleLegs {
            points: points.to_vec(),
            urban,
        }
    }

    /// Seconds and metres from point `i` to point `j` (0 for an index out of range).
    pub fn leg(&self, i: usize, j: usize) -> (i64, i64) {
        match (self.points.get(i), self.points.get(j)) {
            (Some(a), Some(b)) => leg(*a, *b, self.urban[i], self.urban[j]),
            _ => (0, 0),
        }
    }

    /// The whole matrix.
    pub fn matrix(&self) -> routing::TravelMatrix {
        routing::TravelMatrix::from_fn(self.points.len(), |i, j| self.leg(i, j))
    }
}

/// Travel between the groups' bases and the checks: the caller's matrix when it fits, else the
/// great-circle estimate.
fn matrix(req: &PlanRequest<'_>) -> routing::TravelMatrix {
    let points = locations(req.groups, req.checks);
    match req.travel {
        Some(m) if m.size() == points.len() => m.clone(),
        _ => GreatCircleLegs::new(req.districts, &points).matrix(),
    }
}

/// The check's window on each of its days of the period, on the problem's clock.
fn windows(check: &PlanCheck, dates: &[NaiveDate]) -> Vec<TimeWindow> {
    dates
        .iter()
        .enumerate()
        .filter(|(_, date)| check.days.contains(date))
        .map(|(d, _)| {
            let day0 = d as i64 * DAY;
            TimeWindow::new(
                day0 + i64::from(check.window.0) * 60,
                day0 + i64::from(check.window.1) * 60,
            )
        })
        .collect()
}

/// The job of check `c`, and the reason it cannot be placed when known before solving.
fn job(
    req: &PlanRequest<'_>,
    vehicles: &[(MobileGroupId, NaiveDate)],
    dates: &[NaiveDate],
    c: usize,
) -> (Job, Option<UnplacedReason>) {
    let check = &req.checks[c];
    let covers = |g: &MobileGroup| g.district_ids.contains(&check.district_id);
    let allowed: Vec<usize> = vehicles
        .iter()
        .enumerate()
        .filter(|(_, (group_id, date))| {
            let group = req.groups.iter().find(|g| &g.id == group_id);
            group.is_some_and(covers) && check.days.contains(date)
        })
        .map(|(v, _)| v)
        .collect();
    let windows = windows(check, dates);
    let known = match (req.groups.iter().any(covers), allowed.is_empty()) {
        (false, _) => Some(UnplacedReason::NoGroup),
        (true, true) => Some(UnplacedReason::NoWorkingDay),
        _ => None,
    };
    let pin = check.pin.as_ref().and_then(|(group_id, date)| {
        vehicles
            .iter()
            .position(|(g, d)| g == group_id && d == date)
            .filter(|v| allowed.contains(v))
            .map(|vehicle| Pin {
                vehicle,
                position: None,
            })
    });
    let job = Job {
        location: req.groups.len() + c,
        service: i64::from(check.service_min) * 60,
        // A check with no day left still needs a window to be a valid job; no vehicle may take
        // it, so the optimiser leaves it out.
        time_windows: if windows.is_empty() {
            vec![TimeWindow::new(0, 0)]
        } else {
            windows
        },
        demand: 1,
        // A pin is the prosecutor's decision: it outranks every trade-off of the optimiser,
        // which leaves other checks out of that route before this one.
        penalty: Some(check.priority.max(1) + if pin.is_some() { PINNED_PENALTY } else { 0 }),
        allowed_vehicles: Some(allowed),
        pin,
    };
    (job, known)
}

/// Builds the routing problem of a plan.
pub fn build_problem(req: &PlanRequest<'_>) -> BuiltProblem {
    let dates: Vec<NaiveDate> = req
        .from
        .iter_days()
        .take(req.days.max(1) as usize)
        .collect();
    let (fleet, vehicles) = fleet(req, &dates);
    let (jobs, known) = (0..req.checks.len())
        .map(|c| job(req, &vehicles, &dates, c))
        .unzip();
    BuiltProblem {
        problem: Problem {
            matrix: matrix(req),
            jobs,
            vehicles: fleet,
            objective: routing::Objective::Duration,
        },
        vehicles,
        known,
    }
}

/// One stop of a planned route.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedStop {
    /// Index of the check in the request.
    pub check: usize,
    /// Planned arrival (service start), minutes after local midnight of the route's day.
    pub arrival_min: u16,
}

/// One group's route on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRoute {
    /// The group.
    pub group_id: MobileGroupId,
    /// The day.
    pub date: NaiveDate,
    /// Stops in order.
    pub stops: Vec<PlannedStop>,
    /// Departure from the base and return, minutes after local midnight.
    pub departure_min: u16,
    /// Return to the base.
    pub return_min: u16,
    /// Driving distance, metres.
    pub distance_m: i64,
    /// Driving time, seconds.
    pub driving_s: i64,
}

/// A check left out and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unplaced {
    /// Index of the check in the request.
    pub check: usize,
    /// Why.
    pub reason: UnplacedReason,
}

fn minutes_of_day(t: i64) -> u16 {
    u16::try_from(t.rem_euclid(DAY) / 60).unwrap_or(0)
}

/// A route of the solution as a group's route of a day, with its distance and driving time.
fn planned_route(built: &BuiltProblem, r: &routing::Route) -> Option<PlannedRoute> {
    let problem = &built.problem;
    let (group_id, date) = built.vehicles.get(r.vehicle)?;
    let v = &problem.vehicles[r.vehicle];
    let mut path = vec![v.start];
    path.extend(r.jobs.iter().map(|j| problem.jobs[*j].location));
    path.push(v.end);
    let (mut distance_m, mut driving_s) = (0, 0);
    for w in path.windows(2) {
        distance_m += problem.matrix.distance(w[0], w[1]);
        driving_s += problem.matrix.duration(w[0], w[1]);
    }
    Some(PlannedRoute {
        group_id: group_id.clone(),
        date: *date,
        stops: r
            .jobs
            .iter()
            .zip(&r.service_starts)
            .map(|(j, t)| PlannedStop {
                check: *j,
                arrival_min: minutes_of_day(*t),
            })
            .collect(),
        departure_min: minutes_of_day(r.departure),
        return_min: minutes_of_day(r.arrival),
        distance_m,
        driving_s,
    })
}

/// The plan's word for the optimiser's reason to leave a job out.
fn reason_of(reason: routing::UnassignedReason) -> UnplacedReason {
    match reason {
        routing::UnassignedReason::NoAllowedVehicle => UnplacedReason::NoWorkingDay,
        routing::UnassignedReason::TimeWindowUnreachable => UnplacedReason::WindowUnreachable,
        routing::UnassignedReason::CapacityExhausted => UnplacedReason::Capacity,
        routing::UnassignedReason::PenaltyBelowCost => UnplacedReason::NotWorthIt,
        routing::UnassignedReason::NoFeasibleInsertion => UnplacedReason::NoRoom,
    }
}

/// Reads the optimiser's answer as routes and unplaced checks.
pub fn read_solution(
    built: &BuiltProblem,
    solution: &routing::Solution,
) -> (Vec<PlannedRoute>, Vec<Unplaced>) {
    let mut routes: Vec<PlannedRoute> = solution
        .routes
        .iter()
        .filter_map(|r| planned_route(built, r))
        .collect();
    routes.sort_by(|a, b| (a.date, &a.group_id).cmp(&(b.date, &b.group_id)));
    // A reason known before solving (no group, no working day) says more than the optimiser's.
    let unplaced = solution
        .unassigned
        .iter()
        .map(|u| Unplaced {
            check: u.job,
            reason: built
                .known
                .get(u.job)
                .copied()
                .flatten()
                .unwrap_or_else(|| reason_of(u.reason)),
        })
        .collect();
    (routes, unplaced)
}
