//! The demo history (DESIGN.md section 7): a plan for every working week from January 2025 to
//! last week, made by the planner itself and published, and the visits officers "recorded" on
//! them (outcomes, positions and clocks as the field brings them); this week's plan, published
//! and driven up to yesterday, so officers have a route today; and the office's work on the
//! follow-ups the visits opened (`office`). The mobile groups come on line one after another,
//! every four weeks, so coverage rises over the period, as it would in a region adopting the
//! system. The same seed and day make the same rows: ids come from the seed
//! (`domain::ids::SeededIds`), times from the demo's own clock (`clock::ThreadPin`: a week's
//! plan is made the Friday before, a visit's check changes when the visit arrives), and the
//! optimiser stops after a number of iterations, never on the clock.

use std::collections::HashMap;
use std::time::Duration;

use crate::clock::ThreadPin;
use crate::domain::ids::SeededIds;

use chrono::{Datelike as _, NaiveDate, NaiveDateTime};
use rand::{Rng as _, SeedableRng as _};

use crate::db::visits::VisitRow;
use crate::db::{self, DbConnection};
use crate::domain::check::{Check, CheckKind};
use crate::domain::mobile_group::MobileGroup;
use crate::domain::visit::{
    FAR_FROM_ADDRESS_M, ViolationKind, Visit, VisitOutcome, evidence_quality, follow_up_for,
};
use crate::domain::{GeoPoint, MobileGroupId, PersonId, UserId, VisitId};
use crate::services::plans::{self, PlanOptions};

use super::office;
use crate::services::visits::VisitInput;

/// The first week of the history.
pub fn history_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 6).unwrap_or(NaiveDate::MIN)
}

/// Weeks between two groups coming on line.
const WEEKS_BETWEEN_GROUPS: usize = 4;

/// What the history holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistorySummary {
    /// Weekly plans made.
    pub plans: usize,
    /// Checks placed on routes.
    pub checks: usize,
    /// Visits recorded.
    pub visits: usize,
    /// Follow-ups the demo office closed.
    pub follow_ups_closed: usize,
}

/// Days of this week's plan: the whole week, so that today is on it whatever day it is.
const CURRENT_WEEK_DAYS: u32 = 7;

/// The optimiser's local-search runs for this week's plan, the one officers drive from today:
/// its only limit (the time limit is out of reach), so the plans do not depend on the machine's
/// speed or load.
const PLAN_ITERATIONS: usize = 3;

/// The same for the past weeks' plans: one local search after the first routes. Nobody drives
/// them again; what they hold (who was visited when) is what the reports read, and the routes
/// are full either way (the same number of checks placed).
const PAST_PLAN_ITERATIONS: usize = 1;

/// When the plan of the week starting `week` is made and published: the Friday before, 16:00
/// local time, in UTC.
fn planned_at(week: NaiveDate) -> NaiveDateTime {
    midnight_utc(week - chrono::Duration::days(3)) + chrono::Duration::hours(16)
}

/// Local midnight (Asia/Almaty, UTC+5 in the demo region) starting `day`, in UTC.
pub(crate) fn midnight_utc(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).unwrap_or_default() - chrono::Duration::hours(5)
}

/// An outcome drawn as the field reports them: most people are where they should be.
fn draw_outcome(kind: CheckKind, rng: &mut impl rand::Rng) -> VisitOutcome {
    let r: f64 = rng.random();
    match kind {
        CheckKind::Home => match r {
            x if x < 0.80 => VisitOutcome::Present,
            x if x < 0.93 => VisitOutcome::Absent,
            x if x < 0.96 => VisitOutcome::Violation,
            x if x < 0.985 => VisitOutcome::Refused,
            _ => VisitOutcome::MovedAway,
        },
        CheckKind::Work => match r {
            x if x < 0.86 => VisitOutcome::Employed,
            x if x < 0.95 => VisitOutcome::AbsentFromWork,
            x if x < 0.99 => VisitOutcome::NotEmployed,
            _ => VisitOutcome::EmployerNotFound,
        },
    }
}

/// A point about `metres` from `at` in a random direction.
fn offset(at: GeoPoint, metres: f64, rng: &mut impl rand::Rng) -> GeoPoint {
    let angle = rng.random_range(0.0..std::f64::consts::TAU);
    let dlat = metres * angle.cos() / 111_320.0;
    let dlon = metres * angle.sin() / (111_320.0 * at.lat.to_radians().cos().max(0.1));
    GeoPoint::new(at.lat + dlat, at.lon + dlon).unwrap_or(at)
}

/// What the field brought back from one check, drawn: the outcome, the device's position and
/// accuracy, and the device's and the server's clocks (UTC).
struct Drawn {
    outcome: VisitOutcome,
    point: Option<GeoPoint>,
    accuracy: Option<f64>,
    device_at: NaiveDateTime,
    server_at: NaiveDateTime,
}

/// Draws a visit of a check of `kind` at `address`, planned for `arrival` minutes after local
/// midnight of `day`: mostly near the address, some with no position or far away, most sent at
/// once, some hours later.
fn draw_record(
    rng: &mut impl rand::Rng,
    kind: CheckKind,
    address: GeoPoint,
    day: NaiveDate,
    arrival: i32,
) -> Drawn {
    // Times are local (Asia/Almaty, UTC+5 in the demo region): stored in UTC.
    let utc_offset = chrono::Duration::hours(5);
    let outcome = draw_outcome(kind, rng);
    let r: f64 = rng.random();
    let (point, accuracy) = match r {
        x if x < 0.04 => (None, None),
        x if x < 0.07 => (
            Some(offset(address, rng.random_range(600.0..2_500.0), rng)),
            Some(15.0),
        ),
        _ => (
            Some(offset(address, rng.random_range(0.0..80.0), rng)),
            Some(rng.random_range(5.0..40.0)),
        ),
    };
    let local = day.and_hms_opt(0, 0, 0).unwrap_or_default()
        + chrono::Duration::minutes(i64::from(arrival) + rng.random_range(0..10));
    let device_at = local - utc_offset;
    let delay = if rng.random_bool(0.05) {
        rng.random_range(600..14_400)
    } else {
        rng.random_range(1..60)
    };
    Drawn {
        outcome,
        point,
        accuracy,
        device_at,
        server_at: device_at + chrono::Duration::seconds(delay),
    }
}

/// The history being made: the draw, the first officer of each group, and the failed visits in
/// a row per person and kind (for follow-ups).
struct History {
    rng: rand_pcg::Pcg64,
    officer_of: HashMap<MobileGroupId, UserId>,
    failures: HashMap<(PersonId, CheckKind), u32>,
    failures_for_follow_up: u32,
}

impl History {
    /// Records the visits of a week's placed checks as their groups' officers would have, each
    /// written at the moment the server got it (`clock`).
    fn visit_all(
        &mut self,
        conn: &mut DbConnection,
        clock: &ThreadPin,
        placed: &[Check],
    ) -> anyhow::Result<usize> {
        let mut visits = 0;
        for check in placed {
            let (Some(group), Some(day), Some(arrival)) = (
                &check.mobile_group_id,
                check.planned_date,
                check.planned_arrival_min,
            ) else {
                continue;
            };
            let Some(officer) = self.officer_of.get(group).cloned() else {
                continue;
            };
            let drawn = draw_record(&mut self.rng, check.kind, check.location, day, arrival);
            let key = (check.person_id.clone(), check.kind);
            let before = self.failures.get(&key).copied().unwrap_or(0);
            let follow_up = follow_up_for(drawn.outcome, before, self.failures_for_follow_up);
            if drawn.outcome.is_success() {
                self.failures.remove(&key);
            } else {
                self.failures.insert(key, before + 1);
            }
            let violation_kind = (drawn.outcome == VisitOutcome::Violation)
                .then(|| ViolationKind::ALL[self.rng.random_range(0..ViolationKind::ALL.len())]);
            let visit = visit_of(check, officer, &drawn, violation_kind)?;
            let status = check.status.after_visit(drawn.outcome.is_success());
            clock.set(drawn.server_at);
            db::visits::insert(conn, &VisitRow::from(&visit), status, follow_up)?;
            visits += 1;
        }
        Ok(visits)
    }
}

/// The visit stored for a drawn record, with the request the device would have sent.
fn visit_of(
    check: &Check,
    officer: UserId,
    drawn: &Drawn,
    violation_kind: Option<ViolationKind>,
) -> anyhow::Result<Visit> {
    let input = VisitInput {
        check_id: Some(check.id.to_string()),
        person_id: check.person_id.to_string(),
        kind: check.kind.to_string(),
        outcome: drawn.outcome.to_string(),
        violation_kind: violation_kind.map(|v| v.to_string()),
        notes: None,
        recorded_at: drawn.device_at.and_utc().to_rfc3339(),
        lat: drawn.point.map(|p| p.lat),
        lon: drawn.point.map(|p| p.lon),
        accuracy_m: drawn.accuracy,
    };
    let distance_m = drawn.point.map(|p| p.distance_m(check.location));
    Ok(Visit {
        id: VisitId::new(),
        check_id: Some(check.id.clone()),
        person_id: check.person_id.clone(),
        kind: check.kind,
        officer_id: officer,
        mobile_group_id: check.mobile_group_id.clone(),
        outcome: drawn.outcome,
        violation_kind,
        notes: None,
        device_at: drawn.device_at,
        server_at: drawn.server_at,
        position: drawn.point,
        accuracy_m: drawn.accuracy,
        distance_m,
        far_from_address: distance_m.is_some_and(|d| d >= FAR_FROM_ADDRESS_M),
        evidence: evidence_quality(distance_m, drawn.accuracy, Some(0)),
        check_was_cancelled: false,
        ad_hoc: false,
        payload: serde_json::to_string(&input)?,
    })
}

/// Makes and publishes the plan of week `w` (from `week`, `days` long, solved with `iterations`
/// local-search runs) for the groups on line by then, and returns its placed checks.
fn week_plan(
    conn: &mut DbConnection,
    groups: &[MobileGroup],
    seed: u64,
    (w, week): (usize, NaiveDate),
    (days, iterations): (u32, usize),
) -> anyhow::Result<Vec<Check>> {
    let online: Vec<MobileGroupId> = groups
        .iter()
        .enumerate()
        .filter(|(i, _)| w >= i * WEEKS_BETWEEN_GROUPS)
        .map(|(_, g)| g.id.clone())
        .collect();
    let options = PlanOptions {
        from: week,
        days,
        group_ids: online,
        seed: seed ^ (w as u64).wrapping_mul(0x9e37_79b9),
        time_limit: Duration::MAX,
        threads: 1,
        iterations,
    };
    let (plan_id, _) = plans::create_plan(conn, &options, None)?;
    plans::publish(conn, &plan_id, 1)?;
    let mut checks = db::checks::list_for_plan(conn, &plan_id)?;
    checks.retain(Check::is_placed);
    Ok(checks)
}

/// Makes the history when the database has no plan yet; `Ok(None)` otherwise. `progress` gets
/// (weeks done, weeks in all). On SQLite the connection writes with a larger page cache and
/// without a sync at each commit meanwhile (`db::with_bulk_writes`).
pub fn generate_if_absent(
    conn: &mut DbConnection,
    seed: u64,
    today: NaiveDate,
    failures_for_follow_up: u32,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<Option<HistorySummary>> {
    if !db::plans::list_plans(conn, 1)?.is_empty() {
        return Ok(None);
    }
    db::with_bulk_writes(conn, |conn| {
        generate(conn, seed, today, failures_for_follow_up, progress)
    })
    .map(Some)
}

/// Makes the history (see [`generate_if_absent`]).
#[expect(
    clippy::too_many_lines,
    reason = "the history's steps in order: this week first, then the past weeks, then the office"
)]
fn generate(
    conn: &mut DbConnection,
    seed: u64,
    today: NaiveDate,
    failures_for_follow_up: u32,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<HistorySummary> {
    let _ids = SeededIds::start(seed ^ 0x4157_0a7e, midnight_utc(today));
    let clock = ThreadPin::start(midnight_utc(today));
    let groups = db::mobile_groups::list_mobile_groups(conn)?;
    let mut officer_of = HashMap::new();
    for g in &groups {
        if let Some(first) = db::mobile_groups::list_member_ids(conn, &g.id)?
            .into_iter()
            .next()
        {
            officer_of.insert(g.id.clone(), first);
        }
    }
    let this_monday =
        today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let weeks: Vec<NaiveDate> = history_start()
        .iter_weeks()
        .take_while(|w| *w < this_monday)
        .collect();
    // This week's plan comes first, so that officers find today's route at their first sign-in
    // while the past is still being made in the background.
    clock.set(planned_at(this_monday));
    let current = week_plan(
        conn,
        &groups,
        seed,
        (weeks.len(), this_monday),
        (CURRENT_WEEK_DAYS, PLAN_ITERATIONS),
    )?;
    let office = office::Office::of_demo(conn, seed)?;
    let mut history = History {
        rng: rand_pcg::Pcg64::seed_from_u64(seed ^ 0x4157_0a7e),
        officer_of,
        failures: HashMap::new(),
        failures_for_follow_up,
    };
    let mut summary = HistorySummary {
        plans: 1,
        checks: current.len(),
        ..HistorySummary::default()
    };
    let office_work = |conn: &mut DbConnection, until: NaiveDateTime| -> anyhow::Result<usize> {
        clock.set(until);
        match &office {
            Some(office) => db::write_transaction(conn, |conn| office.work_until(conn, until)),
            None => Ok(0),
        }
    };
    for (w, week) in weeks.iter().enumerate() {
        progress(w, weeks.len() + 1);
        clock.set(planned_at(*week));
        let placed = week_plan(conn, &groups, seed, (w, *week), (5, PAST_PLAN_ITERATIONS))?;
        summary.plans += 1;
        summary.checks += placed.len();
        summary.visits +=
            db::write_transaction(conn, |conn| history.visit_all(conn, &clock, &placed))?;
        let week_end = midnight_utc((*week + chrono::Duration::days(7)).min(today));
        summary.follow_ups_closed += office_work(conn, week_end)?;
    }
    // This week's days before today were driven too.
    let driven: Vec<Check> = current
        .into_iter()
        .filter(|c| c.planned_date.is_some_and(|d| d < today))
        .collect();
    summary.visits += db::write_transaction(conn, |conn| history.visit_all(conn, &clock, &driven))?;
    summary.follow_ups_closed += office_work(conn, midnight_utc(today))?;
    progress(weeks.len() + 1, weeks.len() + 1);
    Ok(summary)
}
