//! From due checks to a routing problem and back (DESIGN.md section 4): one vehicle per group
//! and working day, starting and ending at the group's base inside its shift, holding at most its
//! checks per shift and visiting only its districts; one job per check, with windows on the days
//! it may be made and a penalty (its priority) for leaving it out.
//!
//! Checks are unannounced: each check's day and its two-hour window are drawn at random (seeded)
//! within what its standard allows, so a person cannot learn a pattern; the optimiser then orders
//! and assigns the day's checks so that routes stay short.

use chrono::{Datelike as _, NaiveDate};
use rand::{Rng as _, SeedableRng as _};

use super::due_checks::DueCheck;
use crate::domain::location::{District, DistrictKind, district_of};
use crate::domain::mobile_group::MobileGroup;
use crate::domain::person::{CheckKind, Curfew};
use crate::domain::{DistrictId, GeoPoint, MobileGroupId, PersonId, text_enum};
use crate::routing::{self, Job, Pin, Problem, TimeWindow, Vehicle};

/// What leaving a pinned check out costs the optimiser: more than every unpinned check of a
/// plan together (a thousand checks of the highest priority are about 10^8).
pub const PINNED_PENALTY: i64 = 1_000_000_000;

/// Seconds in a day: the problem's clock runs from midnight of the period's first day.
const DAY: i64 = 86_400;
/// Length of the drawn window of a check, minutes.
const WINDOW_MINUTES: u16 = 120;

text_enum!(
    /// Why a check is not in any route of a plan.
    UnplacedReason {
        NoGroup = "no_group",
        NoWorkingDay = "no_working_day",
        Capacity = "capacity",
        WindowUnreachable = "window_unreachable",
        NotWorthIt = "not_worth_it",
        NoRoom = "no_room",
    }
);

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

/// Service time by kind (DESIGN.md section 4): home 15 minutes, work 20.
pub fn service_minutes(kind: CheckKind) -> u16 {
    match kind {
        CheckKind::Home => 15,
        CheckKind::Work => 20,
    }
}

/// The window a kind allows before the draw: home 18:00-22:00 (or the evening part of a curfew),
/// work 09:00-18:00.
pub fn base_window(kind: CheckKind, curfew: Option<Curfew>) -> (u16, u16) {
    match (kind, curfew) {
        (CheckKind::Work, _) => (9 * 60, 18 * 60),
        (CheckKind::Home, Some(c)) if c.start_min >= 18 * 60 => {
            let end = if c.end_min > c.start_min {
                c.end_min
            } else {
                24 * 60 - 1
            };
            (c.start_min, end.min(24 * 60 - 1))
        }
        (CheckKind::Home, _) => (18 * 60, 22 * 60),
    }
}

/// A stable number from a text (FNV-1a), so that a person's draw does not depend on list order.
fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Draws a due check's day and window for a period (`days` days from `from`), seeded by the
/// plan's seed and the person. The day is drawn among those from when the check is worth making
/// to its due day (any day of the period when overdue) on which a group covering the district
/// works. After a missed check (`avoid`: its window),
/// the window is drawn at another time of day where the allowed window leaves room.
pub fn draw(
    due: &DueCheck,
    from: NaiveDate,
    days: u32,
    groups: &[MobileGroup],
    seed: u64,
    avoid: Option<(u16, u16)>,
) -> PlanCheck {
    let key = format!("{}:{}", due.person_id, due.kind);
    let mut rng = rand_pcg::Pcg64::seed_from_u64(seed ^ stable_hash(&key));
    let to = from + chrono::Duration::days(i64::from(days.max(1)) - 1);
    let last = if due.due < from { to } else { due.due.min(to) };
    let first = due.earliest.max(from);
    let mut candidates: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| {
            groups
                .iter()
                .any(|g| g.district_ids.contains(&due.district_id) && g.active_days.includes(*d))
        })
        .collect();
    // One day, drawn: the optimiser then sees one window per check. (Offering it several days
    // to choose from gave it a window spanning them, which its local search handles poorly; see
    // bench/vrptw/README.md, "rich problem".)
    if candidates.len() > 1 {
        let day = candidates[rng.random_range(0..candidates.len())];
        candidates = vec![day];
    }
    let (open, close) = base_window(due.kind, due.curfew);
    let span = close.saturating_sub(open);
    let window = if span <= WINDOW_MINUTES {
        (open, close)
    } else {
        let slots = (span - WINDOW_MINUTES) / 15;
        let starts: Vec<u16> = (0..=slots).map(|k| open + 15 * k).collect();
        let away: Vec<u16> = starts
            .iter()
            .copied()
            .filter(|s| avoid.is_none_or(|(a, b)| s + WINDOW_MINUTES <= a || *s >= b))
            .collect();
        let pool = if away.is_empty() { &starts } else { &away };
        let start = pool[rng.random_range(0..pool.len())];
        (start, start + WINDOW_MINUTES)
    };
    PlanCheck {
        person_id: due.person_id.clone(),
        kind: due.kind,
        location: due.location,
        address: due.address.clone(),
        district_id: due.district_id.clone(),
        days: candidates,
        window,
        service_min: service_minutes(due.kind),
        priority: due.priority,
        pin: None,
    }
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

/// Builds the routing problem of a plan.
pub fn build_problem(req: &PlanRequest<'_>) -> BuiltProblem {
    let dates: Vec<NaiveDate> = req
        .from
        .iter_days()
        .take(req.days.max(1) as usize)
        .collect();
    let mut vehicles = Vec::new();
    let mut fleet = Vec::new();
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
    let points: Vec<GeoPoint> = req
        .groups
        .iter()
        .map(|g| g.base)
        .chain(req.checks.iter().map(|c| c.location))
        .collect();
    let urban: Vec<bool> = points
        .iter()
        .map(|p| district_of(req.districts, *p).is_some_and(|d| d.kind == DistrictKind::Urban))
        .collect();
    let matrix = routing::TravelMatrix::from_fn(points.len(), |i, j| {
        leg(points[i], points[j], urban[i], urban[j])
    });
    let mut jobs = Vec::with_capacity(req.checks.len());
    let mut known = Vec::with_capacity(req.checks.len());
    for (c, check) in req.checks.iter().enumerate() {
        let covered = req
            .groups
            .iter()
            .any(|g| g.district_ids.contains(&check.district_id));
        let allowed: Vec<usize> = vehicles
            .iter()
            .enumerate()
            .filter(|(_, (group_id, date))| {
                let group = req.groups.iter().find(|g| &g.id == group_id);
                group.is_some_and(|g| g.district_ids.contains(&check.district_id))
                    && check.days.contains(date)
            })
            .map(|(v, _)| v)
            .collect();
        let windows: Vec<TimeWindow> = dates
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
            .collect();
        known.push(match (covered, allowed.is_empty()) {
            (false, _) => Some(UnplacedReason::NoGroup),
            (true, true) => Some(UnplacedReason::NoWorkingDay),
            _ => None,
        });
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
        jobs.push(Job {
            location: req.groups.len() + c,
            service: i64::from(check.service_min) * 60,
            // A check with no day left still needs a window to be a valid job; no vehicle may
            // take it, so the optimiser leaves it out.
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
        });
    }
    BuiltProblem {
        problem: Problem {
            matrix,
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

/// Reads the optimiser's answer as routes and unplaced checks.
pub fn read_solution(
    built: &BuiltProblem,
    solution: &routing::Solution,
) -> (Vec<PlannedRoute>, Vec<Unplaced>) {
    let problem = &built.problem;
    let mut routes = Vec::new();
    for r in &solution.routes {
        let Some((group_id, date)) = built.vehicles.get(r.vehicle) else {
            continue;
        };
        let v = &problem.vehicles[r.vehicle];
        let mut path = vec![v.start];
        path.extend(r.jobs.iter().map(|j| problem.jobs[*j].location));
        path.push(v.end);
        let (mut distance_m, mut driving_s) = (0, 0);
        for w in path.windows(2) {
            distance_m += problem.matrix.distance(w[0], w[1]);
            driving_s += problem.matrix.duration(w[0], w[1]);
        }
        routes.push(PlannedRoute {
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
        });
    }
    routes.sort_by(|a, b| (a.date, &a.group_id).cmp(&(b.date, &b.group_id)));
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
                .unwrap_or(match u.reason {
                    routing::UnassignedReason::NoAllowedVehicle => UnplacedReason::NoWorkingDay,
                    routing::UnassignedReason::TimeWindowUnreachable => {
                        UnplacedReason::WindowUnreachable
                    }
                    routing::UnassignedReason::CapacityExhausted => UnplacedReason::Capacity,
                    routing::UnassignedReason::PenaltyBelowCost => UnplacedReason::NotWorthIt,
                    routing::UnassignedReason::NoFeasibleInsertion => UnplacedReason::NoRoom,
                }),
        })
        .collect();
    (routes, unplaced)
}

/// The weekday number (Monday 0) of a date, for display and tests.
pub fn weekday_index(date: NaiveDate) -> u32 {
    date.weekday().num_days_from_monday()
}
