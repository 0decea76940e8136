//! The planning service, shared by the web and the CLI: reads the registry, the groups and the
//! standards, draws and places the due checks with the optimiser, and stores the plan; later
//! re-optimises a stored plan (pins kept) and publishes it.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Context as _;
use chrono::NaiveDate;

use crate::db::checks::CheckRow;
use crate::db::plans::PlanRow;
use crate::db::{self, DbConnection, now_utc};
use crate::domain::mobile_group::MobileGroup;
use crate::domain::person::CheckKind;
use crate::domain::{CheckId, District, DistrictId, GeoPoint, MobileGroupId, PersonId, PlanId};
use crate::planning::{self, PlanCheck, PlanRequest};
use crate::routing::{self, SolverParams};

/// A new plan's seed, drawn from the operating system's generator: the days and hours of
/// unannounced checks follow from it, so it must not be guessable from the date or anything
/// else public (DESIGN.md section 6). It is kept in `plans.seed`, so the plan can be
/// reproduced; it fits the column (below 2^63).
pub fn fresh_seed() -> anyhow::Result<u64> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("no randomness for a plan's seed: {e}"))?;
    Ok(u64::from_le_bytes(bytes) & (i64::MAX as u64))
}

/// How to make a plan.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// First day.
    pub from: NaiveDate,
    /// Days (1 to 14).
    pub days: u32,
    /// Groups to plan (all when empty).
    pub group_ids: Vec<MobileGroupId>,
    /// Seed of the draw and of the optimiser.
    pub seed: u64,
    /// Optimiser time limit.
    pub time_limit: Duration,
    /// Optimiser threads.
    pub threads: usize,
    /// Limit on the optimiser's local-search runs (`usize::MAX`: only the time limit), so that
    /// tests get the same plan on any machine.
    pub iterations: usize,
}

/// What a plan came to, for summaries.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PlanTotals {
    /// Checks placed on routes.
    pub placed: usize,
    /// Checks left out.
    pub unplaced: usize,
    /// Routes (group-days) used.
    pub routes: usize,
    /// Driving distance, metres.
    pub distance_m: i64,
    /// Driving time, seconds.
    pub driving_s: i64,
}

fn selected_groups(all: Vec<MobileGroup>, ids: &[MobileGroupId]) -> Vec<MobileGroup> {
    if ids.is_empty() {
        all
    } else {
        all.into_iter().filter(|g| ids.contains(&g.id)).collect()
    }
}

fn join_days(days: &[NaiveDate]) -> String {
    days.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn plan_check_of(row: &CheckRow) -> anyhow::Result<PlanCheck> {
    Ok(PlanCheck {
        person_id: PersonId::from(row.person_id.clone()),
        kind: CheckKind::parse(&row.kind).context("a check of an unknown kind")?,
        location: GeoPoint::new(row.lat, row.lon)?,
        address: row.address.clone(),
        district_id: DistrictId::from(row.district_id.clone()),
        days: row.days(),
        window: (
            u16::try_from(row.window_start_min)?,
            u16::try_from(row.window_end_min)?,
        ),
        service_min: u16::try_from(row.service_min)?,
        priority: row.priority,
        pin: match (&row.mobile_group_id, row.planned_date, row.pinned) {
            (Some(g), Some(d), true) => Some((MobileGroupId::from(g.clone()), d)),
            _ => None,
        },
    })
}

/// Places `checks` on the groups' routes and writes each row's placement or reason.
#[expect(
    clippy::too_many_arguments,
    reason = "the plan, its checks and the optimiser's limits"
)]
fn place(
    groups: &[MobileGroup],
    districts: &[District],
    plan: &PlanRow,
    rows: &mut [CheckRow],
    initial: Option<routing::Solution>,
    time_limit: Duration,
    threads: usize,
    iterations: usize,
) -> anyhow::Result<PlanTotals> {
    let checks: Vec<PlanCheck> = rows
        .iter()
        .map(plan_check_of)
        .collect::<anyhow::Result<_>>()?;
    let request = PlanRequest {
        from: plan.from_date,
        days: u32::try_from(plan.days)?,
        groups,
        districts,
        checks: &checks,
    };
    let built = planning::build_problem(&request);
    let params = SolverParams {
        seed: u64::try_from(plan.seed).unwrap_or(1),
        time_limit,
        threads: threads.max(1),
        iterations,
        initial,
        ..SolverParams::default()
    };
    let solution =
        routing::solve(&built.problem, &params).context("the optimiser refused the plan")?;
    let report = routing::check::check(&built.problem, &solution);
    anyhow::ensure!(
        report.is_feasible(),
        "the optimiser returned an infeasible plan: {:?}",
        report.violations
    );
    let (routes, unplaced) = planning::read_solution(&built, &solution);
    let mut totals = PlanTotals {
        routes: routes.len(),
        ..PlanTotals::default()
    };
    for row in rows.iter_mut() {
        row.mobile_group_id = None;
        row.planned_date = None;
        row.position = None;
        row.planned_arrival_min = None;
        row.unplaced_reason = None;
    }
    for route in &routes {
        totals.distance_m += route.distance_m;
        totals.driving_s += route.driving_s;
        for (position, stop) in route.stops.iter().enumerate() {
            let row = &mut rows[stop.check];
            row.mobile_group_id = Some(route.group_id.to_string());
            row.planned_date = Some(route.date);
            row.position = Some(i32::try_from(position)? + 1);
            row.planned_arrival_min = Some(i32::from(stop.arrival_min));
            totals.placed += 1;
        }
    }
    for u in &unplaced {
        rows[u.check].unplaced_reason = Some(u.reason.to_string());
        rows[u.check].pinned = false;
        totals.unplaced += 1;
    }
    Ok(totals)
}

/// The phases of making a plan, as a progress display names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanPhase {
    /// Reading persons and past checks, computing and drawing the due checks.
    Reading,
    /// The optimiser at work (up to the plan's time limit).
    Optimising,
    /// Writing the plan and its checks.
    Storing,
}

/// Makes and stores a draft plan; returns its id and totals.
pub fn create_plan(
    conn: &mut DbConnection,
    options: &PlanOptions,
    created_by: Option<&str>,
) -> anyhow::Result<(PlanId, PlanTotals)> {
    create_plan_with_progress(conn, options, created_by, &|_| {})
}

/// [`create_plan`], telling `progress` as each phase begins.
pub fn create_plan_with_progress(
    conn: &mut DbConnection,
    options: &PlanOptions,
    created_by: Option<&str>,
    progress: &dyn Fn(PlanPhase),
) -> anyhow::Result<(PlanId, PlanTotals)> {
    progress(PlanPhase::Reading);
    anyhow::ensure!(
        (1..=14).contains(&options.days),
        "a plan covers 1 to 14 days"
    );
    let all_groups = db::mobile_groups::list_mobile_groups(conn)?;
    let groups = selected_groups(all_groups.clone(), &options.group_ids);
    anyhow::ensure!(!groups.is_empty(), "no mobile group to plan");
    let districts = db::districts::list_districts(conn)?;
    let persons = db::persons::list_all_persons(conn)?;
    let standards = db::contact_standards::list_contact_standards(conn)?;
    let last_done = db::checks::last_done(conn)?;
    let missed = db::checks::last_missed_windows(conn)?;
    let to = options.from + chrono::Duration::days(i64::from(options.days) - 1);
    let mut due = planning::due_checks(&persons, &standards, &last_done, options.from, to);
    let recent_offences = db::offences::points_between(
        conn,
        options.from - chrono::Duration::days(planning::CRIME_WINDOW_DAYS),
        options.from - chrono::Duration::days(1),
    )?;
    planning::raise_crime_triggered(&mut due, &recent_offences);
    // Only checks some planned group could make belong to this plan; the others wait for the
    // plan of their own groups (unless no group at all covers the district: then say so).
    let due: Vec<_> = due
        .into_iter()
        .filter(|d| {
            groups
                .iter()
                .any(|g| g.district_ids.contains(&d.district_id))
                || !all_groups
                    .iter()
                    .any(|g| g.district_ids.contains(&d.district_id))
        })
        .collect();
    let now = now_utc();
    let plan = PlanRow {
        id: PlanId::new().to_string(),
        from_date: options.from,
        days: i32::try_from(options.days)?,
        group_ids: groups
            .iter()
            .map(|g| g.id.to_string())
            .collect::<Vec<_>>()
            .join(","),
        status: "draft".to_owned(),
        seed: i64::try_from(options.seed).map_err(|e| {
            anyhow::anyhow!(
                "a plan's seed must be below 2^63, got {}: {e}",
                options.seed
            )
        })?,
        version: 1,
        created_by: created_by.map(str::to_owned),
        created_at: now,
        updated_at: now,
        published_at: None,
    };
    let mut rows: Vec<CheckRow> = due
        .iter()
        .map(|d| {
            let avoid = missed.get(&(d.person_id.clone(), d.kind)).copied();
            let drawn = planning::draw(d, options.from, options.days, &groups, options.seed, avoid);
            CheckRow {
                id: CheckId::new().to_string(),
                plan_id: Some(plan.id.clone()),
                person_id: d.person_id.to_string(),
                kind: d.kind.to_string(),
                address: d.address.clone(),
                lat: d.location.lat,
                lon: d.location.lon,
                district_id: d.district_id.to_string(),
                due_date: d.due,
                allowed_days: join_days(&drawn.days),
                window_start_min: i32::from(drawn.window.0),
                window_end_min: i32::from(drawn.window.1),
                service_min: i32::from(drawn.service_min),
                priority: drawn.priority,
                status: "planned".to_owned(),
                mobile_group_id: None,
                planned_date: None,
                position: None,
                planned_arrival_min: None,
                unplaced_reason: None,
                pinned: false,
                created_at: now,
                updated_at: now,
            }
        })
        .collect();
    progress(PlanPhase::Optimising);
    let totals = place(
        &groups,
        &districts,
        &plan,
        &mut rows,
        None,
        options.time_limit,
        options.threads,
        options.iterations,
    )?;
    progress(PlanPhase::Storing);
    db::write_transaction(conn, |conn| {
        db::plans::insert(conn, &plan)?;
        db::checks::insert_all(conn, &rows)
    })?;
    Ok((PlanId::from(plan.id), totals))
}

/// The groups of a stored plan.
pub fn plan_groups(conn: &mut DbConnection, plan: &PlanRow) -> anyhow::Result<Vec<MobileGroup>> {
    let ids: Vec<MobileGroupId> = plan
        .group_ids
        .split(',')
        .map(|s| MobileGroupId::from(s.to_owned()))
        .collect();
    Ok(selected_groups(
        db::mobile_groups::list_mobile_groups(conn)?,
        &ids,
    ))
}

/// The current routes of a plan as the optimiser's solution, to start re-optimising from.
fn current_solution(
    groups: &[MobileGroup],
    plan: &PlanRow,
    rows: &[CheckRow],
) -> anyhow::Result<routing::Solution> {
    let checks: Vec<PlanCheck> = rows
        .iter()
        .map(plan_check_of)
        .collect::<anyhow::Result<_>>()?;
    let districts: Vec<District> = Vec::new();
    let built = planning::build_problem(&PlanRequest {
        from: plan.from_date,
        days: u32::try_from(plan.days)?,
        groups,
        districts: &districts,
        checks: &checks,
    });
    let mut by_vehicle: HashMap<usize, Vec<(i32, usize)>> = HashMap::new();
    for (j, row) in rows.iter().enumerate() {
        if let (Some(g), Some(d), Some(p)) = (&row.mobile_group_id, row.planned_date, row.position)
            && let Some(v) = built
                .vehicles
                .iter()
                .position(|(vg, vd)| vg.as_str() == g && *vd == d)
        {
            by_vehicle.entry(v).or_default().push((p, j));
        }
    }
    let problem = &built.problem;
    let routes = by_vehicle
        .into_iter()
        .map(|(vehicle, jobs)| {
            // A check just moved here (position i32::MAX) goes in by its window, not last:
            // after the last stop whose window opens no later (keys: 2p for stops, 2p+1 for it).
            let opens = |j: usize| problem.jobs[j].time_windows.first().map_or(0, |w| w.open);
            let placed: Vec<(i32, usize)> = jobs
                .iter()
                .copied()
                .filter(|(p, _)| *p < i32::MAX)
                .collect();
            let mut jobs: Vec<(i64, usize)> = jobs
                .into_iter()
                .map(|(p, j)| {
                    if p < i32::MAX {
                        return (2 * i64::from(p), j);
                    }
                    let after = placed
                        .iter()
                        .filter(|(_, k)| opens(*k) <= opens(j))
                        .map(|(q, _)| *q)
                        .max()
                        .unwrap_or(0);
                    (2 * i64::from(after) + 1, j)
                })
                .collect();
            jobs.sort();
            // Over the shift's capacity (a check moved onto a full route): the least urgent
            // unpinned check leaves the starting routes, so the pin starts where it was put.
            while jobs.len() as i64 > problem.vehicles[vehicle].capacity {
                let Some(drop) = jobs
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, j))| problem.jobs[*j].pin.is_none())
                    .min_by_key(|(_, (_, j))| problem.jobs[*j].penalty.unwrap_or(i64::MAX))
                    .map(|(i, _)| i)
                else {
                    break;
                };
                jobs.remove(drop);
            }
            routing::Route {
                vehicle,
                jobs: jobs.into_iter().map(|(_, j)| j).collect(),
                service_starts: Vec::new(),
                departure: 0,
                arrival: 0,
                cost: 0,
            }
        })
        .collect();
    Ok(routing::Solution {
        routes,
        unassigned: Vec::new(),
        penalty: 0,
        travel: 0,
    })
}

/// Re-optimises a stored plan whose version is still `version`: pins stay on their group and
/// day, the optimiser starts from the current routes. `Ok(None)` when the version moved on.
pub fn reoptimise(
    conn: &mut DbConnection,
    plan_id: &str,
    version: i32,
    time_limit: Duration,
) -> anyhow::Result<Option<PlanTotals>> {
    let plan = db::plans::find_plan(conn, plan_id)?.context("no such plan")?;
    if plan.version != version {
        return Ok(None);
    }
    let groups = plan_groups(conn, &plan)?;
    let districts = db::districts::list_districts(conn)?;
    let mut rows = db::checks::list_for_plan(conn, plan_id)?;
    // Done, started or cancelled checks keep their place; only planned and published ones move.
    let movable: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r.status.as_str(), "planned" | "published"))
        .map(|(i, _)| i)
        .collect();
    let mut subset: Vec<CheckRow> = movable.iter().map(|i| rows[*i].clone()).collect();
    let initial = current_solution(&groups, &plan, &subset).ok();
    let totals = place(
        &groups,
        &districts,
        &plan,
        &mut subset,
        initial,
        time_limit,
        1,
        usize::MAX,
    )?;
    for (i, mut row) in movable.iter().zip(subset) {
        if plan.is_published() {
            // Officers see what is placed; what was left out waits for the next plan.
            row.status = if row.planned_date.is_some() {
                "published"
            } else {
                "planned"
            }
            .to_owned();
        }
        rows[*i] = row;
    }
    let saved = db::plans::change_if_current(conn, plan_id, version, |conn| {
        rows.iter()
            .try_for_each(|row| db::checks::update_placement(conn, row))
    })?;
    Ok(saved.then_some(totals))
}

/// The whole plan as data: per route the ordered stops, then the checks left out (`plan --json`).
#[derive(Debug, serde::Serialize)]
pub struct PlanExport {
    /// Plan id.
    pub id: String,
    /// First day.
    pub from: NaiveDate,
    /// Days.
    pub days: i32,
    /// draft or published.
    pub status: String,
    /// The seed of the plan's draw (`baqylau plan --seed` reproduces it).
    pub seed: i64,
    /// Routes in day and group order.
    pub routes: Vec<RouteExport>,
    /// Checks left out.
    pub unplaced: Vec<UnplacedExport>,
}

/// One route of [`PlanExport`].
#[derive(Debug, serde::Serialize)]
pub struct RouteExport {
    /// Group id.
    pub group_id: String,
    /// Group name.
    pub group: String,
    /// Day.
    pub date: NaiveDate,
    /// Stops in order.
    pub stops: Vec<StopExport>,
}

/// One stop of [`RouteExport`]; times are local `HH:MM`.
#[derive(Debug, serde::Serialize)]
#[expect(missing_docs, reason = "named as the JSON fields the README documents")]
pub struct StopExport {
    pub check_id: String,
    pub person_id: String,
    pub kind: String,
    pub latitude: f64,
    pub longitude: f64,
    pub window_start: String,
    pub window_end: String,
    pub arrival: String,
    pub departure: String,
    pub address: String,
}

/// One left-out check of [`PlanExport`].
#[derive(Debug, serde::Serialize)]
#[expect(missing_docs, reason = "named as the JSON fields the README documents")]
pub struct UnplacedExport {
    pub check_id: String,
    pub person_id: String,
    pub kind: String,
    pub reason: String,
}

/// `HH:MM` of minutes after midnight.
pub fn hhmm(minutes: i32) -> String {
    format!(
        "{:02}:{:02}",
        minutes.div_euclid(60),
        minutes.rem_euclid(60)
    )
}

/// A stored plan as [`PlanExport`].
pub fn export_plan(conn: &mut DbConnection, plan_id: &str) -> anyhow::Result<PlanExport> {
    let plan = db::plans::find_plan(conn, plan_id)?.context("no such plan")?;
    let groups = db::mobile_groups::list_mobile_groups(conn)?;
    let rows = db::checks::list_for_plan(conn, plan_id)?;
    let mut routes: Vec<RouteExport> = Vec::new();
    let mut unplaced = Vec::new();
    for row in rows {
        match (
            &row.mobile_group_id,
            row.planned_date,
            row.planned_arrival_min,
        ) {
            (Some(group_id), Some(date), Some(arrival)) => {
                let stop = StopExport {
                    check_id: row.id.clone(),
                    person_id: row.person_id.clone(),
                    kind: row.kind.clone(),
                    latitude: row.lat,
                    longitude: row.lon,
                    window_start: hhmm(row.window_start_min),
                    window_end: hhmm(row.window_end_min),
                    arrival: hhmm(arrival),
                    departure: hhmm(arrival + row.service_min),
                    address: row.address.clone(),
                };
                match routes.last_mut() {
                    Some(r) if &r.group_id == group_id && r.date == date => r.stops.push(stop),
                    _ => routes.push(RouteExport {
                        group_id: group_id.clone(),
                        group: groups
                            .iter()
                            .find(|g| g.id.as_str() == group_id)
                            .map(|g| g.name.clone())
                            .unwrap_or_default(),
                        date,
                        stops: vec![stop],
                    }),
                }
            }
            _ => unplaced.push(UnplacedExport {
                check_id: row.id,
                person_id: row.person_id,
                kind: row.kind,
                reason: row.unplaced_reason.unwrap_or_default(),
            }),
        }
    }
    Ok(PlanExport {
        id: plan.id,
        from: plan.from_date,
        days: plan.days,
        status: plan.status,
        seed: plan.seed,
        routes,
        unplaced,
    })
}

/// Publishes a plan whose version is still `version`: its placed checks become what officers
/// see. `false` when the version moved on.
pub fn publish(conn: &mut DbConnection, plan_id: &str, version: i32) -> anyhow::Result<bool> {
    Ok(db::plans::change_if_current(
        conn,
        plan_id,
        version,
        |conn| {
            db::plans::publish(conn, plan_id)?;
            db::checks::set_status_of_placed(conn, plan_id, "published").map(drop)
        },
    )?)
}

/// Checks a stored plan with the independent checker (`routing::check`): the stored routes,
/// re-timed from the problem alone, must keep every window, shift, capacity, allowed day and
/// district, and every pin. Returns the violations found (none for a sound plan).
pub fn check_stored(conn: &mut DbConnection, plan_id: &str) -> anyhow::Result<Vec<String>> {
    let plan = db::plans::find_plan(conn, plan_id)?.context("no such plan")?;
    let groups = plan_groups(conn, &plan)?;
    let districts = db::districts::list_districts(conn)?;
    let rows = db::checks::list_for_plan(conn, plan_id)?;
    let checks: Vec<PlanCheck> = rows
        .iter()
        .map(plan_check_of)
        .collect::<anyhow::Result<_>>()?;
    let built = planning::build_problem(&PlanRequest {
        from: plan.from_date,
        days: u32::try_from(plan.days)?,
        groups: &groups,
        districts: &districts,
        checks: &checks,
    });
    let mut solution = current_solution(&groups, &plan, &rows)?;
    let placed: std::collections::HashSet<usize> = solution
        .routes
        .iter()
        .flat_map(|r| r.jobs.iter().copied())
        .collect();
    solution.unassigned = (0..rows.len())
        .filter(|j| !placed.contains(j))
        .map(|job| routing::Unassigned {
            job,
            reason: routing::UnassignedReason::NoFeasibleInsertion,
        })
        .collect();
    let report = routing::check::check(&built.problem, &solution);
    // Stored plans keep no route costs, so a cost mismatch says nothing here.
    let mut problems: Vec<String> = report
        .violations
        .iter()
        .filter(|v| !matches!(v, routing::check::Violation::TravelMismatch { .. }))
        .map(|v| format!("{v:?}"))
        .collect();
    for (j, row) in rows.iter().enumerate() {
        if placed.contains(&j) && row.planned_arrival_min.is_none() {
            problems.push(format!(
                "check {} is placed without an arrival time",
                row.id
            ));
        }
    }
    Ok(problems)
}

/// Why a check could not be added to a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddRefusal {
    /// No person has that IIN.
    UnknownPerson,
    /// A work check for a person without a workplace.
    NoWorkplace,
    /// The plan already holds that check.
    AlreadyPlanned,
    /// The plan changed since the page was loaded.
    Conflict,
}

/// Adds an urgent check of a person to a plan (any day of the period a covering group works,
/// a drawn window, the top priority) and re-optimises the plan around it.
pub fn add_check(
    conn: &mut DbConnection,
    plan_id: &str,
    version: i32,
    iin: &str,
    kind: CheckKind,
    time_limit: Duration,
) -> anyhow::Result<Result<(), AddRefusal>> {
    let plan = db::plans::find_plan(conn, plan_id)?.context("no such plan")?;
    if plan.version != version {
        return Ok(Err(AddRefusal::Conflict));
    }
    let Some(person) = db::persons::find_by_iin(conn, iin.trim())? else {
        return Ok(Err(AddRefusal::UnknownPerson));
    };
    let rows = db::checks::list_for_plan(conn, plan_id)?;
    if rows
        .iter()
        .any(|r| r.person_id == person.id.as_str() && r.kind == kind.as_str())
    {
        return Ok(Err(AddRefusal::AlreadyPlanned));
    }
    let (location, address) = match (kind, &person.work) {
        (CheckKind::Home, _) => (person.home, person.home_address.clone()),
        (CheckKind::Work, Some(w)) => (w.point, format!("{} — {}", w.employer, w.address)),
        (CheckKind::Work, None) => return Ok(Err(AddRefusal::NoWorkplace)),
    };
    let groups = plan_groups(conn, &plan)?;
    let due = planning::DueCheck {
        person_id: person.id.clone(),
        kind,
        location,
        address,
        district_id: person.district_id.clone(),
        curfew: person.curfew.filter(|_| kind == CheckKind::Home),
        earliest: plan.from_date,
        due: plan.from_date,
        overdue_days: 0,
        risk_tier: person.risk_tier,
        // Urgent: above any routine check.
        priority: planning::due_checks::priority(
            crate::domain::person::RiskTier::High,
            60,
            4 * 3600,
        ),
    };
    let drawn = planning::draw(
        &due,
        plan.from_date,
        u32::try_from(plan.days)?,
        &groups,
        u64::try_from(plan.seed).unwrap_or(1),
        None,
    );
    let now = now_utc();
    let row = CheckRow {
        id: CheckId::new().to_string(),
        plan_id: Some(plan.id.clone()),
        person_id: person.id.to_string(),
        kind: kind.to_string(),
        address: due.address.clone(),
        lat: location.lat,
        lon: location.lon,
        district_id: person.district_id.to_string(),
        due_date: plan.from_date,
        allowed_days: join_days(&drawn.days),
        window_start_min: i32::from(drawn.window.0),
        window_end_min: i32::from(drawn.window.1),
        service_min: i32::from(drawn.service_min),
        priority: due.priority,
        status: "planned".to_owned(),
        mobile_group_id: None,
        planned_date: None,
        position: None,
        planned_arrival_min: None,
        unplaced_reason: None,
        pinned: false,
        created_at: now,
        updated_at: now,
    };
    let added = db::plans::change_if_current(conn, plan_id, version, |conn| {
        db::checks::insert_all(conn, std::slice::from_ref(&row))
    })?;
    if !added {
        return Ok(Err(AddRefusal::Conflict));
    }
    match reoptimise(conn, plan_id, version + 1, time_limit)? {
        Some(_) => Ok(Ok(())),
        None => Ok(Err(AddRefusal::Conflict)),
    }
}
