//! A stop of today's route: a short summary of the person (no more than the check needs) and the
//! one-screen visit form. The field app's script sends the form through the API (offline queue);
//! without the script it posts here and the server records it.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::app::AppState;
use crate::db::{self, checks::CheckRow};
use crate::domain::PersonId;
use crate::domain::person::{CheckKind, Person};
use crate::domain::visit::{ViolationKind, VisitOutcome};
use crate::error::AppError;
use crate::planner::hhmm;
use crate::visits::{RecordError, VisitInput};
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::render::{render_with_status, see_other};
use crate::web::session::SessionData;

/// One earlier visit shown on the stop.
#[derive(Debug, Clone)]
pub struct PastVisit {
    /// When, local.
    pub at: String,
    /// Outcome word.
    pub outcome: String,
}

/// `GET /field/stops/{check_id}`.
#[derive(Template)]
#[template(path = "field/stop.html")]
pub struct StopPage {
    /// Layout data.
    pub ctx: PageContext,
    /// The check.
    pub check_id: String,
    /// The person.
    pub person_id: String,
    /// home or work.
    pub kind: String,
    /// Full name.
    pub name: String,
    /// Address of the check.
    pub address: String,
    /// Window and planned arrival.
    pub when: String,
    /// Court restrictions and curfew, as text.
    pub restrictions: String,
    /// Last visits.
    pub past: Vec<PastVisit>,
    /// Open follow-ups (reason words).
    pub follow_ups: Vec<String>,
    /// Outcome buttons of the kind.
    pub outcomes: Vec<&'static str>,
    /// Violation kinds.
    pub violation_kinds: Vec<&'static str>,
    /// `geo:` link.
    pub geo: String,
    /// A refusal of the plain form, when any.
    pub error: Option<String>,
    /// The check's status.
    pub status: String,
}

/// The check `check_id` if it is on the officer's group's published route; otherwise the
/// refusal is audited and the answer is 403. Records nothing as read.
fn own_check(
    conn: &mut db::DbConnection,
    user: &crate::domain::user::User,
    check_id: &str,
    ip: Option<&str>,
) -> Result<CheckRow, AppError> {
    let check = db::checks::find_check(conn, check_id)?.ok_or(AppError::NotFound)?;
    let own = user.mobile_group_id.as_ref().map(|g| g.as_str().to_owned());
    if check.mobile_group_id.is_none() || check.mobile_group_id != own || check.status == "planned"
    {
        crate::visits::deny(conn, user, &check.person_id, ip)?;
        return Err(AppError::Forbidden);
    }
    Ok(check)
}

/// Loads a check of the officer's group and its person, writing the read (or its refusal) to
/// the audit log.
pub(super) fn load_stop(
    conn: &mut db::DbConnection,
    user: &crate::domain::user::User,
    check_id: &str,
    ip: Option<&str>,
) -> Result<(CheckRow, Person), AppError> {
    let check = own_check(conn, user, check_id, ip)?;
    let person = db::persons::find_person(conn, &PersonId::from(check.person_id.clone()))?
        .ok_or(AppError::NotFound)?;
    db::audit::insert_person_read(
        conn,
        user,
        Some(person.id.as_str()),
        ip,
        Some(serde_json::json!({ "via": "field", "check": check.id }).to_string()),
    )?;
    Ok((check, person))
}

async fn stop_page(
    req: &HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: &AppState,
    check_id: String,
    error: Option<String>,
) -> Result<StopPage, AppError> {
    let ip = client_ip(req);
    let (check, person, past, follow_ups) = db::run(&state.pool, move |conn| {
        let (check, person) = load_stop(conn, &user.0, &check_id, ip.as_deref())?;
        let past = db::visits::list_for_person(conn, person.id.as_str(), 3)?;
        let follow_ups = db::visits::open_follow_ups(conn, person.id.as_str())?;
        Ok((check, person, past, follow_ups))
    })
    .await?;
    let kind = CheckKind::parse(&check.kind).unwrap_or(CheckKind::Home);
    let mut restrictions = person.restrictions.clone().unwrap_or_default();
    if let Some(c) = person.curfew {
        if !restrictions.is_empty() {
            restrictions.push_str("; ");
        }
        restrictions.push_str(&format!(
            "{} {}–{}",
            ctx.t("stop-curfew"),
            hhmm(i32::from(c.start_min)),
            hhmm(i32::from(c.end_min))
        ));
    }
    Ok(StopPage {
        check_id: check.id.clone(),
        person_id: person.id.to_string(),
        kind: check.kind.clone(),
        name: person.full_name(),
        address: check.address.clone(),
        when: format!(
            "{} ({}–{})",
            check.planned_arrival_min.map(hhmm).unwrap_or_default(),
            hhmm(check.window_start_min),
            hhmm(check.window_end_min)
        ),
        restrictions,
        past: past
            .iter()
            .map(|v| PastVisit {
                at: ctx.date_time(v.device_at),
                outcome: ctx.t(&format!("outcome-{}", v.outcome)),
            })
            .collect(),
        follow_ups: follow_ups
            .iter()
            .map(|(r, _)| ctx.t(&format!("follow-up-{r}")))
            .collect(),
        outcomes: VisitOutcome::for_kind(kind)
            .iter()
            .map(|o| o.as_str())
            .collect(),
        violation_kinds: ViolationKind::ALL.iter().map(|v| v.as_str()).collect(),
        geo: format!(
            "geo:{:.6},{:.6}?q={:.6},{:.6}",
            check.lat, check.lon, check.lat, check.lon
        ),
        status: check.status.clone(),
        error,
        ctx,
    })
}

/// `GET /field/stops/{check_id}`.
pub async fn show_stop(
    req: HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let page = stop_page(&req, ctx, user, &state, path.into_inner(), None).await?;
    Ok(render_with_status(StatusCode::OK, &page))
}

/// The plain visit form (without the script).
#[derive(Debug, Default, serde::Deserialize)]
pub struct VisitForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    violation_kind: String,
    #[serde(default)]
    notes: String,
}

/// `POST /field/stops/{check_id}/visit`: records a visit with a server-made id (no position).
pub async fn record_visit(
    req: HttpRequest,
    ctx: PageContext,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<VisitForm>,
) -> Result<HttpResponse, AppError> {
    let check_id = path.into_inner();
    let form = form.into_inner();
    let officer = user.0.clone();
    let ip = client_ip(&req);
    let failures = state.settings.failures_for_follow_up;
    let tz = state.tz;
    let id = check_id.clone();
    let result = db::run(&state.pool, move |conn| {
        // Recording is audited as a change; only a page that shows the record is a read.
        let check = own_check(conn, &officer, &id, ip.as_deref())?;
        let input = VisitInput {
            check_id: Some(check.id.clone()),
            person_id: check.person_id.clone(),
            kind: check.kind.clone(),
            outcome: form.outcome,
            violation_kind: Some(form.violation_kind).filter(|v| !v.is_empty()),
            notes: Some(form.notes),
            recorded_at: chrono::Utc::now().to_rfc3339(),
            lat: None,
            lon: None,
            accuracy_m: None,
        };
        let visit_id = uuid::Uuid::now_v7().to_string();
        let context = crate::visits::RecordContext {
            failures_for_follow_up: failures,
            tz,
            ip: ip.as_deref(),
        };
        Ok(crate::visits::record(
            conn, &officer, &visit_id, &input, context,
        )?)
    })
    .await?;
    match result {
        Ok(_) => {
            SessionData(&session).set_flash("success", "field-visit-saved");
            Ok(see_other("/field/today"))
        }
        Err(RecordError::Forbidden) => Err(AppError::Forbidden),
        Err(RecordError::Conflict) => Err(AppError::Conflict("error-conflict")),
        Err(RecordError::Invalid { key, .. }) => {
            let message = ctx.t(key);
            let page = stop_page(&req, ctx, user, &state, check_id, Some(message)).await?;
            Ok(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

/// `GET /field/sw.js`: the service worker, served under /field/ so that its scope is the field
/// app.
pub async fn service_worker() -> Result<HttpResponse, AppError> {
    let file = crate::web::assets::embedded("js/sw.js").ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header(("Content-Type", "text/javascript; charset=utf-8"))
        .insert_header(("Cache-Control", "no-cache"))
        .body(file))
}
