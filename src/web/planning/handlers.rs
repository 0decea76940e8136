//! Handlers of the planning area. The optimiser never runs on a web worker: a new plan is made
//! on a thread of its own (`jobs`), changes to a plan on the blocking pool (`db::run`).

use std::time::Duration;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;

use super::jobs::JobState;
use super::pages::{
    GroupChoice, MoveTarget, PlanItem, PlanJobPage, PlanPage, PlanningPage, RouteView, StopLine,
    UNPLACED_SHOWN, UnplacedLine,
};
use crate::app::AppState;
use crate::db::audit::{AuditAction, AuditRecord};
use crate::db::{self, DbConnection};
use crate::domain::user::User;
use crate::domain::{GeoPoint, MobileGroupId};
use crate::error::AppError;
use crate::planner::{self, PlanOptions, PlanPhase, hhmm};
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::map::{self, Mark};
use crate::web::render::{render_with_status, see_other};
use crate::web::session::SessionData;

/// Time the optimiser gets for a new plan or a re-optimisation from the web: with reading,
/// drawing and storing (about half a second on the demo region) a plan takes about two seconds
/// (bench/planning run 4: 2.11 s on the backlogged history day; the day's due checks are within
/// 0.1 % of a 60 s solve).
const PLAN_TIME: Duration = Duration::from_millis(1500);

fn period(ctx: &PageContext, from: NaiveDate, days: i32) -> String {
    let to = from + chrono::Duration::days(i64::from(days.max(1)) - 1);
    if days <= 1 {
        ctx.date(from)
    } else {
        format!("{} – {}", ctx.date(from), ctx.date(to))
    }
}

fn today(state: &AppState) -> NaiveDate {
    chrono::Utc::now().with_timezone(&state.tz).date_naive()
}

fn audit(
    conn: &mut DbConnection,
    user: &User,
    ip: Option<&str>,
    action: AuditAction,
    plan_id: &str,
    what: serde_json::Value,
) -> Result<(), AppError> {
    db::audit::insert(
        conn,
        &AuditRecord {
            user: Some(user),
            login: &user.login,
            action,
            entity_kind: "plan",
            entity_id: Some(plan_id),
            ip,
            details: Some(what.to_string()),
        },
    )?;
    Ok(())
}

async fn index_page(
    ctx: PageContext,
    state: &AppState,
    error: Option<String>,
) -> Result<PlanningPage, AppError> {
    let (plans, groups) = db::run(&state.pool, |conn| {
        Ok((
            db::plans::list_plans(conn, 30)?,
            db::mobile_groups::list_mobile_groups(conn)?,
        ))
    })
    .await?;
    Ok(PlanningPage {
        plans: plans
            .iter()
            .map(|p| PlanItem {
                id: p.id.clone(),
                period: period(&ctx, p.from_date, p.days),
                status: p.status.clone(),
            })
            .collect(),
        groups: groups
            .into_iter()
            .map(|g| GroupChoice {
                id: g.id.to_string(),
                name: g.name,
            })
            .collect(),
        default_from: (today(state) + chrono::Duration::days(1)).to_string(),
        error,
        ctx,
    })
}

/// `GET /planning`.
pub async fn show_planning(
    ctx: PageContext,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let page = index_page(ctx, &state, None).await?;
    Ok(render_with_status(StatusCode::OK, &page))
}

/// The new-plan form: every field as text, so any input is answered with a message.
#[derive(Debug, Default, serde::Deserialize)]
pub struct NewPlanForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    days: String,
    /// Ticked groups (repeated field).
    #[serde(default)]
    group: Vec<String>,
}

/// `POST /planning/plans`: makes a draft plan and shows it.
pub async fn create_plan(
    req: HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let mut parsed = NewPlanForm::default();
    for (key, value) in form.into_inner() {
        match key.as_str() {
            "from" => parsed.from = value,
            "days" => parsed.days = value,
            "group" => parsed.group.push(value),
            _ => {}
        }
    }
    let from = crate::domain::person_record::parse_date(&parsed.from);
    let days = parsed
        .days
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=7).contains(d));
    let (Some(from), Some(days)) = (from, days) else {
        let message = ctx.t("plan-error-period");
        let page = index_page(ctx, &state, Some(message)).await?;
        return Ok(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    if from < today(&state) {
        let message = ctx.t("plan-error-past");
        let page = index_page(ctx, &state, Some(message)).await?;
        return Ok(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let options = PlanOptions {
        from,
        days,
        group_ids: parsed.group.into_iter().map(MobileGroupId::from).collect(),
        seed: crate::planner::fresh_seed()?,
        time_limit: PLAN_TIME,
        threads: 1,
        iterations: usize::MAX,
    };
    let ip = client_ip(&req);
    // The optimiser runs on a thread of its own (not a web worker, not the blocking pool that
    // serves every page's queries); the prosecutor watches its progress page meanwhile.
    let job = uuid::Uuid::now_v7().to_string();
    let started = state.plan_jobs.try_start(
        &job,
        user.0.id.as_str(),
        &period(&ctx, from, days as i32),
        options.time_limit,
        state.settings.max_plan_jobs,
    );
    if let Err(busy) = started {
        return Ok(super::busy::busy_page(ctx, &state, &user, busy));
    }
    let (jobs, pool, failed) = (
        state.plan_jobs.clone(),
        state.pool.clone(),
        ctx.t("plan-error-failed"),
    );
    let job_id = job.clone();
    std::thread::Builder::new()
        .name("plan".into())
        .spawn(move || {
            let made = pool
                .get()
                .map_err(anyhow::Error::from)
                .and_then(|mut conn| {
                    let progress = |phase| jobs.phase(&job_id, phase);
                    let (id, totals) = planner::create_plan_with_progress(
                        &mut conn,
                        &options,
                        Some(user.0.id.as_str()),
                        &progress,
                    )?;
                    audit(
                        &mut conn,
                        &user.0,
                        ip.as_deref(),
                        AuditAction::Create,
                        id.as_str(),
                        serde_json::json!({
                            "from": options.from, "days": options.days, "totals": totals,
                        }),
                    )
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
                    Ok(id)
                });
            let state = match made {
                Ok(id) => JobState::Done(id.to_string()),
                Err(e) => {
                    tracing::error!(error = %e, "a plan could not be made");
                    JobState::Failed(failed)
                }
            };
            jobs.finish(&job_id, state);
        })
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(see_other(&format!("/planning/jobs/{job}")))
}

/// `GET /planning/jobs/{id}`: a plan being made, its progress (the page refreshes itself
/// every second), then the plan itself once stored.
pub async fn show_job(
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let Some(job) = state.plan_jobs.get(&path.into_inner(), user.0.id.as_str()) else {
        return Err(AppError::NotFound);
    };
    let (phase, error) = match &job.state {
        JobState::Done(plan) => return Ok(see_other(&format!("/planning/plans/{plan}"))),
        JobState::Failed(message) => (None, Some(message.clone())),
        JobState::Running { phase, .. } => (Some(*phase), None),
    };
    let percent = job.percent();
    let phase = phase.map(|p| {
        ctx.t(match p {
            PlanPhase::Reading => "plan-phase-reading",
            PlanPhase::Optimising => "plan-phase-optimising",
            PlanPhase::Storing => "plan-phase-storing",
        })
    });
    let page = PlanJobPage {
        ctx,
        percent,
        phase,
        error,
    };
    Ok(render_with_status(StatusCode::OK, &page))
}

/// `GET /planning/plans/{id}`: the plan, audited as one read of the persons it shows.
pub async fn show_plan(
    req: HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let ip = client_ip(&req);
    let (plan, rows, groups, districts, names) = db::run(&state.pool, move |conn| {
        let plan = db::plans::find_plan(conn, &id)?.ok_or(AppError::NotFound)?;
        let rows = db::checks::list_for_plan(conn, &plan.id)?;
        let groups = planner::plan_groups(conn, &plan)?;
        let districts = db::districts::list_districts(conn)?;
        let ids: Vec<String> = rows.iter().map(|r| r.person_id.clone()).collect();
        let read = db::audit::ListRead {
            via: "plan",
            query: &plan.id,
            person_ids: &ids,
        };
        db::audit::insert_list_read(conn, &user.0, &read, ip.as_deref())?;
        let names = db::persons::names_of(conn, &ids)?;
        Ok((plan, rows, groups, districts, names))
    })
    .await?;
    let name = |id: &str| names.get(id).cloned().unwrap_or_default();
    let targets_for = |district: &str| -> Vec<MoveTarget> {
        groups
            .iter()
            .filter(|g| g.district_ids.iter().any(|d| d.as_str() == district))
            .flat_map(|g| {
                plan.from_date
                    .iter_days()
                    .take(usize::try_from(plan.days).unwrap_or(1))
                    .filter(|d| g.active_days.includes(*d))
                    .map(|d| MoveTarget {
                        value: format!("{}|{d}", g.id),
                        label: format!("{} · {}", g.name, ctx.date(d)),
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let mut routes: Vec<RouteView> = Vec::new();
    let mut unplaced = Vec::new();
    let (mut total_m, mut total_s, mut placed) = (0.0, 0.0, 0);
    let mut current: Option<(String, NaiveDate, Vec<&db::checks::CheckRow>)> = None;
    let flush = |entry: Option<(String, NaiveDate, Vec<&db::checks::CheckRow>)>,
                 routes: &mut Vec<RouteView>,
                 total_m: &mut f64,
                 total_s: &mut f64| {
        let Some((group_id, date, stops)) = entry else {
            return;
        };
        let Some(group) = groups.iter().find(|g| g.id.as_str() == group_id) else {
            return;
        };
        let mut path = vec![group.base];
        path.extend(
            stops
                .iter()
                .filter_map(|r| GeoPoint::new(r.lat, r.lon).ok()),
        );
        path.push(group.base);
        let metres: f64 = path.windows(2).map(|w| w[0].distance_m(w[1]) * 1.25).sum();
        let seconds = metres / (40.0 / 3.6);
        *total_m += metres;
        *total_s += seconds;
        let mut marks = vec![Mark {
            at: group.base,
            sign: "B".into(),
            class: "base",
            title: group.name.clone(),
        }];
        marks.extend(stops.iter().enumerate().filter_map(|(i, r)| {
            Some(Mark {
                at: GeoPoint::new(r.lat, r.lon).ok()?,
                sign: (i + 1).to_string(),
                class: if r.kind == "work" { "work" } else { "home" },
                title: name(&r.person_id),
            })
        }));
        let areas: Vec<_> = districts
            .iter()
            .filter(|d| group.district_ids.contains(&d.id))
            .map(|d| &d.boundary)
            .collect();
        let first = stops
            .first()
            .and_then(|r| r.planned_arrival_min)
            .unwrap_or(0);
        let last = stops
            .last()
            .and_then(|r| r.planned_arrival_min.map(|a| a + r.service_min))
            .unwrap_or(0);
        let shift = (i32::from(group.shift_end_min) - i32::from(group.shift_start_min)).max(1);
        routes.push(RouteView {
            title: format!("{} · {}", group.name, ctx.date(date)),
            anchor: format!("r-{group_id}-{date}"),
            map_svg: map::draw_with_paths(&areas, &[path], &marks, &group.name),
            stops: stops
                .iter()
                .enumerate()
                .map(|(i, r)| StopLine {
                    check_id: r.id.clone(),
                    number: i + 1,
                    arrival: r.planned_arrival_min.map(hhmm).unwrap_or_default(),
                    window: format!("{}–{}", hhmm(r.window_start_min), hhmm(r.window_end_min)),
                    person: name(&r.person_id),
                    person_id: r.person_id.clone(),
                    kind: r.kind.clone(),
                    address: r.address.clone(),
                    pinned: r.pinned,
                    status: r.status.clone(),
                    targets: targets_for(&r.district_id),
                })
                .collect(),
            km: format!("{:.1}", metres / 1000.0),
            driving: hhmm((seconds / 60.0).round() as i32),
            shift_use: format!(
                "{:.0} %",
                f64::from((last - first).max(0)) * 100.0 / f64::from(shift)
            ),
        });
    };
    for row in &rows {
        match (&row.mobile_group_id, row.planned_date) {
            (Some(g), Some(d)) => {
                placed += 1;
                match &mut current {
                    Some((cg, cd, stops)) if cg == g && *cd == d => stops.push(row),
                    _ => {
                        flush(current.take(), &mut routes, &mut total_m, &mut total_s);
                        current = Some((g.clone(), d, vec![row]));
                    }
                }
            }
            _ => unplaced.push(UnplacedLine {
                check_id: row.id.clone(),
                person: name(&row.person_id),
                person_id: row.person_id.clone(),
                kind: row.kind.clone(),
                reason: ctx.t(&format!(
                    "plan-reason-{}",
                    row.unplaced_reason.as_deref().unwrap_or("no_room")
                )),
                priority: row.priority,
                targets: Vec::new(),
            }),
        }
    }
    flush(current.take(), &mut routes, &mut total_m, &mut total_s);
    unplaced.sort_by_key(|u| std::cmp::Reverse(u.priority));
    let unplaced_count = unplaced.len();
    unplaced.truncate(UNPLACED_SHOWN);
    for u in &mut unplaced {
        if let Some(row) = rows.iter().find(|r| r.id == u.check_id) {
            u.targets = targets_for(&row.district_id);
        }
    }
    let page = PlanPage {
        id: plan.id.clone(),
        period: period(&ctx, plan.from_date, plan.days),
        status: plan.status.clone(),
        version: plan.version,
        totals: (
            placed,
            unplaced_count,
            format!("{:.0}", total_m / 1000.0),
            hhmm((total_s / 60.0).round() as i32),
        ),
        routes,
        unplaced,
        unplaced_count,
        ctx,
    };
    Ok(render_with_status(StatusCode::OK, &page))
}

/// A change to a plan: the version it was made on, and for moves the target.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    target: String,
}

/// What a change did.
enum Outcome {
    Done(&'static str),
    /// Saved, but not all the prosecutor asked for came true (said as an error).
    DoneShort(&'static str),
    Conflict,
    Refused(&'static str),
}

#[expect(
    clippy::too_many_arguments,
    reason = "the request's parts and the change's"
)]
async fn change(
    req: &HttpRequest,
    session: &Session,
    user: CurrentUser,
    state: &AppState,
    plan_id: String,
    form: ChangeForm,
    action: &'static str,
    check_id: Option<String>,
) -> Result<HttpResponse, AppError> {
    let Ok(version) = form.version.trim().parse::<i32>() else {
        return Err(AppError::BadRequest("error-bad-request"));
    };
    let ip = client_ip(req);
    let id = plan_id.clone();
    let outcome = db::run(&state.pool, move |conn| {
        let plan = db::plans::find_plan(conn, &id)?.ok_or(AppError::NotFound)?;
        if plan.version != version {
            return Ok(Outcome::Conflict);
        }
        let check = match &check_id {
            Some(c) => Some(
                db::checks::find_check(conn, c)?
                    .filter(|r| r.plan_id.as_deref() == Some(id.as_str()))
                    .ok_or(AppError::NotFound)?,
            ),
            None => None,
        };
        let limit = PLAN_TIME;
        let outcome = match (action, check) {
            ("publish", _) => {
                if planner::publish(conn, &id, version)? {
                    Outcome::Done("plan-published")
                } else {
                    Outcome::Conflict
                }
            }
            ("reoptimise", _) => match planner::reoptimise(conn, &id, version, limit)? {
                Some(_) => Outcome::Done("plan-reoptimised"),
                None => Outcome::Conflict,
            },
            ("remove", Some(check)) => {
                let removed = db::plans::change_if_current(conn, &id, version, |conn| {
                    db::checks::delete(conn, &check.id).map(drop)
                })?;
                if removed {
                    Outcome::Done("plan-check-removed")
                } else {
                    Outcome::Conflict
                }
            }
            ("pin", Some(mut check)) => {
                if check.planned_date.is_none() {
                    Outcome::Refused("plan-error-pin-unplaced")
                } else {
                    check.pinned = !check.pinned;
                    let saved = db::plans::change_if_current(conn, &id, version, |conn| {
                        db::checks::update_placement(conn, &check)
                    })?;
                    if saved {
                        Outcome::Done("plan-pin-changed")
                    } else {
                        Outcome::Conflict
                    }
                }
            }
            ("move", Some(mut check)) => {
                let target = form
                    .target
                    .split_once('|')
                    .and_then(|(g, d)| Some((g.to_owned(), d.parse::<NaiveDate>().ok()?)));
                let groups = planner::plan_groups(conn, &plan)?;
                let valid = target.as_ref().and_then(|(g, d)| {
                    let group = groups.iter().find(|x| x.id.as_str() == g)?;
                    let in_period = *d >= plan.from_date
                        && *d <= plan.to_date()
                        && group.active_days.includes(*d);
                    (in_period
                        && group
                            .district_ids
                            .iter()
                            .any(|x| x.as_str() == check.district_id))
                    .then_some((g.clone(), *d))
                });
                match valid {
                    None => Outcome::Refused("plan-error-move-target"),
                    Some((group_id, date)) => {
                        // Moved checks are pinned there, and that day becomes their day.
                        check.allowed_days = date.to_string();
                        check.mobile_group_id = Some(group_id);
                        check.planned_date = Some(date);
                        check.position = Some(i32::MAX);
                        check.pinned = true;
                        let saved = db::plans::change_if_current(conn, &id, version, |conn| {
                            db::checks::update_placement(conn, &check)
                        })?;
                        // Re-optimise at once so the routes' times stay true.
                        match saved
                            .then(|| planner::reoptimise(conn, &id, version + 1, limit))
                            .transpose()?
                        {
                            // Even outranking every other check, it may not fit (its window
                            // against that shift): say so; it waits among the left-out checks.
                            Some(Some(_)) => match db::checks::find_check(conn, &check.id)? {
                                Some(after) if after.planned_date.is_none() => {
                                    Outcome::DoneShort("plan-check-moved-unplaced")
                                }
                                _ => Outcome::Done("plan-check-moved"),
                            },
                            _ => Outcome::Conflict,
                        }
                    }
                }
            }
            _ => Outcome::Refused("error-bad-request"),
        };
        if let Outcome::Done(what) | Outcome::DoneShort(what) = outcome {
            audit(
                conn,
                &user.0,
                ip.as_deref(),
                AuditAction::Update,
                &id,
                serde_json::json!({ "change": what, "check": check_id }),
            )?;
        }
        Ok(outcome)
    })
    .await?;
    let data = SessionData(session);
    match outcome {
        Outcome::Done(key) => data.set_flash("success", key),
        Outcome::DoneShort(key) => data.set_flash("error", key),
        Outcome::Conflict => data.set_flash("error", "plan-conflict"),
        Outcome::Refused(key) => data.set_flash("error", key),
    }
    // Every outcome leads back to the plan as it now is, with the message on top: after a
    // conflict the prosecutor sees the other's change before deciding again.
    Ok(see_other(&format!("/planning/plans/{plan_id}")))
}

/// `POST /planning/plans/{id}/publish`.
pub async fn publish_plan(
    req: HttpRequest,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<ChangeForm>,
) -> Result<HttpResponse, AppError> {
    change(
        &req,
        &session,
        user,
        &state,
        path.into_inner(),
        form.into_inner(),
        "publish",
        None,
    )
    .await
}

/// `POST /planning/plans/{id}/reoptimise`.
pub async fn reoptimise_plan(
    req: HttpRequest,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<ChangeForm>,
) -> Result<HttpResponse, AppError> {
    change(
        &req,
        &session,
        user,
        &state,
        path.into_inner(),
        form.into_inner(),
        "reoptimise",
        None,
    )
    .await
}

/// `POST /planning/plans/{id}/checks/{check}/{action}` with action `move`, `pin` or `remove`.
pub async fn change_check(
    req: HttpRequest,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    form: web::Form<ChangeForm>,
) -> Result<HttpResponse, AppError> {
    let (plan_id, check_id, action) = path.into_inner();
    let action = match action.as_str() {
        "move" => "move",
        "pin" => "pin",
        "remove" => "remove",
        _ => return Err(AppError::NotFound),
    };
    change(
        &req,
        &session,
        user,
        &state,
        plan_id,
        form.into_inner(),
        action,
        Some(check_id),
    )
    .await
}

/// The "add a check" form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct AddCheckForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    iin: String,
    #[serde(default)]
    kind: String,
}

/// `POST /planning/plans/{id}/checks`: adds an urgent check of a person (by IIN) and
/// re-optimises.
pub async fn add_check(
    req: HttpRequest,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<AddCheckForm>,
) -> Result<HttpResponse, AppError> {
    let plan_id = path.into_inner();
    let form = form.into_inner();
    let data = SessionData(&session);
    let (Ok(version), Some(kind)) = (
        form.version.trim().parse::<i32>(),
        crate::domain::person::CheckKind::parse(form.kind.trim()),
    ) else {
        data.set_flash("error", "plan-error-add");
        return Ok(see_other(&format!("/planning/plans/{plan_id}")));
    };
    let ip = client_ip(&req);
    let id = plan_id.clone();
    let outcome = db::run(&state.pool, move |conn| {
        let outcome = planner::add_check(conn, &id, version, &form.iin, kind, PLAN_TIME)?;
        if outcome.is_ok() {
            audit(
                conn,
                &user.0,
                ip.as_deref(),
                AuditAction::Update,
                &id,
                serde_json::json!({ "change": "plan-check-added", "kind": kind }),
            )?;
        }
        Ok(outcome)
    })
    .await?;
    let key = match outcome {
        Ok(()) => "plan-check-added",
        Err(planner::AddRefusal::UnknownPerson) => "plan-error-unknown-iin",
        Err(planner::AddRefusal::NoWorkplace) => "plan-error-no-workplace",
        Err(planner::AddRefusal::AlreadyPlanned) => "plan-error-already-planned",
        Err(planner::AddRefusal::Conflict) => "plan-conflict",
    };
    data.set_flash(if outcome.is_ok() { "success" } else { "error" }, key);
    Ok(see_other(&format!("/planning/plans/{plan_id}")))
}
