//! Handlers of the planning area: they read the form, call the plans service and render or
//! redirect. The optimiser never runs on a web worker: a new plan is made on a thread of its
//! own (`jobs`), changes to a plan on the blocking pool (`db::run`).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;

use super::forms::{AddCheckForm, ChangeForm, NewPlanForm};
use super::jobs::{JobState, NewJob};
use super::pages::{GroupChoice, PlanItem, PlanJobPage, PlanningPage, RestartForm};
use super::plan_page::period;
use crate::app::AppState;
use crate::db;
use crate::domain::plan::PlanJobStatus;
use crate::domain::{CheckId, PlanId};
use crate::error::AppError;
use crate::services::Actor;
use crate::services::plans::{self, PlanEdit, PlanEditError};
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::forms::{FieldErrors, FieldMessages};
use crate::web::paths;
use crate::web::render::{render_with_status, see_other};
use crate::web::session::SessionData;

fn today(state: &AppState) -> NaiveDate {
    chrono::Utc::now().with_timezone(&state.tz).date_naive()
}

fn plan_path(id: &PlanId) -> String {
    paths::plan(id)
}

async fn index_page(
    ctx: PageContext,
    state: &AppState,
    errors: FieldMessages,
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
                href: paths::plan(&p.id),
                period: period(&ctx, p.from_date, p.days),
                status: p.status.to_string(),
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
        errors,
        ctx,
    })
}

/// `GET /planning`.
pub async fn show_planning(
    ctx: PageContext,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let page = index_page(ctx, &state, FieldMessages::default()).await?;
    Ok(render_with_status(StatusCode::OK, &page))
}

/// `POST /planning/plans`: starts making a draft plan and sends the prosecutor to its progress.
pub async fn create_plan(
    req: HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let new = match NewPlanForm::from_pairs(form.into_inner()).parse(today(&state)) {
        Ok(new) => new,
        Err(key) => {
            // Both refusals (a bad period, a day in the past) are about the first day.
            let mut errors = FieldErrors::default();
            errors.add("from", key);
            let messages = errors.localise(&ctx);
            let page = index_page(ctx, &state, messages).await?;
            return Ok(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let plan = new.clone();
    let options = new.into_options(plans::fresh_seed()?);
    let job = uuid::Uuid::now_v7().to_string();
    let (id, owner, limit) = (job.clone(), user.0.id.clone(), options.time_limit);
    let max_total = state.settings.max_plan_jobs;
    let jobs = state.plan_jobs.clone();
    let started = db::run(&state.pool, move |conn| {
        Ok(jobs.try_start(conn, &id, &owner, &plan, limit, max_total)?)
    })
    .await?;
    if let Err(busy) = started {
        return super::busy::busy_page(ctx, &state, &user, busy).await;
    }
    let new_job = NewJob {
        id: job.clone(),
        user: user.0,
        ip: client_ip(&req),
        options,
    };
    state
        .plan_jobs
        .run(state.pool.clone(), state.roads.clone(), new_job)
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(see_other(&paths::plan_job(job)))
}

/// `?format=json` of a job's page: what its script needs to follow it.
#[derive(Debug, Default, serde::Deserialize)]
pub struct JobQuery {
    #[serde(default)]
    format: String,
}

/// `GET /planning/jobs/{id}`: a plan being made, its progress, then the plan itself once stored;
/// a failed job (or one whose server stopped) with a button that starts it again. The page
/// refreshes itself without script; with script it follows `?format=json` and announces the
/// phase politely.
pub async fn show_job(
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<JobQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let owner = user.0.id.clone();
    let asked = id.clone();
    let jobs = state.plan_jobs.clone();
    let job = db::run(&state.pool, move |conn| Ok(jobs.get(conn, &asked, &owner)?))
        .await?
        .ok_or(AppError::NotFound)?;
    // The system clock, not `state.clock`: heartbeats are written by the job's threads with it.
    let percent = job.percent(crate::db::now_utc());
    let (phase, error) = match &job.state {
        JobState::Done(plan) if query.format != "json" => return Ok(see_other(&plan_path(plan))),
        JobState::Done(_) => (None, None),
        JobState::Failed(key) => (None, Some(ctx.t(key))),
        JobState::Running { phase, .. } => (Some(ctx.word("plan-phase", phase)), None),
    };
    if query.format == "json" {
        let (status, done) = match &job.state {
            JobState::Done(plan) => (PlanJobStatus::Done, Some(plan_path(plan))),
            JobState::Failed(_) => (PlanJobStatus::Failed, None),
            JobState::Running { .. } => (PlanJobStatus::Running, None),
        };
        return Ok(HttpResponse::Ok().json(serde_json::json!({
            "status": status.as_str(), "percent": percent, "phase": phase, "error": error, "done": done,
        })));
    }
    let restart = error.is_some().then(|| RestartForm {
        from: job.from.to_string(),
        days: job.days,
        groups: job
            .group_ids
            .iter()
            .map(|g| g.as_str().to_owned())
            .collect(),
    });
    let page = PlanJobPage {
        percent,
        phase,
        error,
        restart,
        status_url: format!("{}?format=json", paths::plan_job(&id)),
        ctx,
    };
    Ok(render_with_status(StatusCode::OK, &page))
}

/// An edit of plan `plan_id` made on `version`, and the page to come back to.
struct Change {
    plan_id: PlanId,
    version: i32,
    edit: PlanEdit,
    back: String,
}

/// Applies `edit` made on `version` and goes back to `back` (the page of the plan the change
/// was made on, at its place) as the plan now is, with the outcome on top: after a conflict the
/// prosecutor sees the other's change before deciding again.
async fn edit_plan(
    req: &HttpRequest,
    session: &Session,
    user: CurrentUser,
    state: &AppState,
    change: Change,
) -> Result<HttpResponse, AppError> {
    let Change {
        plan_id,
        version,
        edit,
        back,
    } = change;
    let ip = client_ip(req);
    let id = plan_id.clone();
    let roads = state.roads.clone();
    let outcome = db::run(&state.pool, move |conn| {
        let actor = Actor {
            user: &user.0,
            ip: ip.as_deref(),
        };
        Ok(plans::apply(conn, &roads, &id, version, edit, actor))
    })
    .await?;
    let data = SessionData(session);
    match outcome {
        Ok(applied) => data.set_flash("success", applied.key()),
        Err(error) => data.set_flash("error", refusal_key(error)?),
    }
    Ok(see_other(&back))
}

/// The message of an edit refused; a missing plan or check and failures are errors instead.
fn refusal_key(error: PlanEditError) -> Result<&'static str, AppError> {
    Ok(match error {
        PlanEditError::Conflict => "plan-conflict",
        PlanEditError::PinUnplaced => "plan-error-pin-unplaced",
        PlanEditError::MoveTarget => "plan-error-move-target",
        PlanEditError::NoRoom => "plan-error-move-no-room",
        PlanEditError::UnknownPerson => "plan-error-unknown-iin",
        PlanEditError::NoWorkplace => "plan-error-no-workplace",
        PlanEditError::AlreadyPlanned => "plan-error-already-planned",
        PlanEditError::PlanNotFound | PlanEditError::CheckNotFound => {
            return Err(AppError::NotFound);
        }
        PlanEditError::Database(e) => return Err(e.into()),
        PlanEditError::Internal(e) => return Err(AppError::Internal(e)),
    })
}

/// The version a change form names (a form without one is a broken request).
fn version_of(form: &ChangeForm) -> Result<i32, AppError> {
    form.version()
        .ok_or(AppError::BadRequest("error-bad-request"))
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
    let version = version_of(&form)?;
    let id = PlanId::from(path.into_inner());
    let back = form.back(id.as_str());
    let change = Change {
        plan_id: id,
        version,
        edit: PlanEdit::Publish,
        back,
    };
    edit_plan(&req, &session, user, &state, change).await
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
    let version = version_of(&form)?;
    let id = PlanId::from(path.into_inner());
    let back = form.back(id.as_str());
    let edit = PlanEdit::Reoptimise;
    let change = Change {
        plan_id: id,
        version,
        edit,
        back,
    };
    edit_plan(&req, &session, user, &state, change).await
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
    let edit = form
        .check_edit(&action, CheckId::from(check_id))
        .ok_or(AppError::NotFound)?;
    let version = version_of(&form)?;
    let back = form.back(&plan_id);
    let id = PlanId::from(plan_id);
    let change = Change {
        plan_id: id,
        version,
        edit,
        back,
    };
    edit_plan(&req, &session, user, &state, change).await
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
    let id = PlanId::from(path.into_inner());
    let Some((version, edit)) = form.into_inner().parse() else {
        SessionData(&session).set_flash("error", "plan-error-add");
        return Ok(see_other(&plan_path(&id)));
    };
    let back = plan_path(&id);
    let change = Change {
        plan_id: id,
        version,
        edit,
        back,
    };
    edit_plan(&req, &session, user, &state, change).await
}
