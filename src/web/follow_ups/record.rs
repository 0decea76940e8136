//! One follow-up: `GET /follow-ups/{id}` shows it with its person (an audited read of the
//! person's record) and two forms: assign (`POST /follow-ups/{id}/assign`) and close with an
//! outcome and a note (`POST /follow-ups/{id}/close`). A refused form comes back with its
//! fields named (422); a follow-up changed or closed meanwhile comes back as it now is (409).

use std::future::Future;
use std::pin::Pin;

use actix_session::Session;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use askama::Template;

use super::{age_days, user_name};
use crate::app::AppState;
use crate::db;
use crate::db::follow_ups::FollowUpRow;
use crate::domain::follow_up::{FollowUpOutcome, FollowUpRefusal, FollowUpStatus, NOTE_MAX_CHARS};
use crate::domain::person::{Person, full_name};
use crate::domain::user::Role;
use crate::domain::{FollowUpId, PersonId, UserId};
use crate::error::AppError;
use crate::services::Actor;
use crate::services::follow_ups::{FollowUpChange, Handled};
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::forms::{Choice, FieldErrors, FieldMessages, FormPairs, parse_version};
use crate::web::paths;
use crate::web::render::{render_with_status, see_other};
use crate::web::session::SessionData;

/// The follow-up page, also re-rendered with a refused form.
#[derive(Template)]
#[template(path = "follow_ups/show.html")]
pub struct FollowUpPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Where the assign form posts.
    pub assign_action: String,
    /// Where the close form posts.
    pub close_action: String,
    /// Its person's page.
    pub person_href: String,
    /// Full name.
    pub person_name: String,
    /// Risk tier word.
    pub risk_tier: String,
    /// Home address.
    pub home_address: String,
    /// Phone, if known.
    pub phone: String,
    /// Kind word.
    pub reason: String,
    /// Status word.
    pub status: String,
    /// Whether it is open (the forms show).
    pub is_open: bool,
    /// Causes added up.
    pub cause_count: i32,
    /// Opened, last cause, closed (formatted; closed empty while open).
    pub opened: String,
    /// When the last cause came.
    pub last_cause: String,
    /// When it was closed, or empty.
    pub closed: String,
    /// Days open.
    pub age_days: i64,
    /// Assignee's name, or empty.
    pub assignee: String,
    /// Who closed it, its outcome word and note.
    pub closed_by: String,
    /// Outcome word, or empty.
    pub outcome: String,
    /// The closing note, or empty.
    pub note: String,
    /// The version the forms carry.
    pub version: i32,
    /// Prosecutors to assign to.
    pub assignees: Vec<Choice>,
    /// Outcomes to close with.
    pub outcomes: Vec<Choice>,
    /// The note as typed in a refused close.
    pub typed_note: String,
    /// Messages by field.
    pub errors: FieldMessages,
    /// A refusal's message key (the follow-up changed or closed meanwhile), or empty.
    pub refusal: String,
}

/// What a refused form brings back to the page.
#[derive(Debug, Default)]
struct Typed {
    assignee: Option<String>,
    outcome: String,
    note: String,
    errors: FieldErrors,
    refusal: Option<&'static str>,
}

/// Reads the follow-up, its person and the users, and audits the read of the person's record.
async fn load(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    id: String,
) -> Result<(FollowUpRow, Person, Vec<db::users::UserListRow>), AppError> {
    let ip = client_ip(req);
    let user = user.0.clone();
    db::run(&state.pool, move |conn| {
        let Some(row) = db::follow_ups::find(conn, &id)? else {
            return Err(AppError::NotFound.into());
        };
        let person_id = PersonId::from(row.person_id.clone());
        let Some(person) = db::persons::find_person(conn, &person_id)? else {
            return Err(AppError::NotFound.into());
        };
        let details = serde_json::json!({ "via": "follow_up", "follow_up": id }).to_string();
        db::audit::insert_person_read(
            conn,
            &user,
            Some(person_id.as_str()),
            ip.as_deref(),
            Some(details),
        )?;
        Ok((row, person, db::users::list_users(conn)?))
    })
    .await
    .map_err(AppError::from)
}

/// The follow-up's page: the person, the history, and both forms with what was typed.
fn page(
    ctx: PageContext,
    row: FollowUpRow,
    person: &Person,
    users: &[db::users::UserListRow],
    typed: Typed,
) -> FollowUpPage {
    let now = ctx.clock.now_utc();
    let chosen_assignee = typed
        .assignee
        .or_else(|| row.assigned_to.clone())
        .unwrap_or_default();
    let assignees = assignee_choices(users, &chosen_assignee);
    let outcomes = outcome_choices(&ctx, &typed.outcome);
    FollowUpPage {
        errors: typed.errors.localise(&ctx),
        refusal: typed.refusal.unwrap_or_default().to_owned(),
        person_name: full_name(
            &person.last_name,
            &person.first_name,
            person.middle_name.as_deref(),
        ),
        risk_tier: person.risk_tier.to_string(),
        home_address: person.home_address.clone(),
        phone: person.phone.clone().unwrap_or_default(),
        is_open: row.status == FollowUpStatus::Open.as_str(),
        age_days: age_days(&row, now),
        opened: ctx.date_time(row.created_at),
        last_cause: ctx.date_time(row.last_cause_at),
        closed: row
            .closed_at
            .map(|at| ctx.date_time(at))
            .unwrap_or_default(),
        assignee: user_name(users, row.assigned_to.as_deref()),
        closed_by: user_name(users, row.closed_by.as_deref()),
        outcome: row.outcome.unwrap_or_default(),
        note: row.note.unwrap_or_default(),
        typed_note: typed.note,
        version: row.version,
        cause_count: row.cause_count,
        status: row.status,
        reason: row.reason,
        person_href: paths::person(&PersonId::from(row.person_id)),
        assign_action: paths::follow_up_assign(&FollowUpId::from(row.id.clone())),
        close_action: paths::follow_up_close(&FollowUpId::from(row.id)),
        assignees,
        outcomes,
        ctx,
    }
}

/// The active prosecutors a follow-up may be given to, `chosen` selected.
fn assignee_choices(users: &[db::users::UserListRow], chosen: &str) -> Vec<Choice> {
    users
        .iter()
        .filter(|u| u.is_active && u.role == Role::Prosecutor.as_str())
        .map(|u| Choice {
            value: u.id.clone(),
            label: u.full_name.clone(),
            is_selected: u.id == chosen,
        })
        .collect()
}

/// The outcomes a follow-up may be closed with, `chosen` selected.
fn outcome_choices(ctx: &PageContext, chosen: &str) -> Vec<Choice> {
    FollowUpOutcome::ALL
        .iter()
        .map(|o| Choice {
            value: o.as_str().to_owned(),
            label: ctx.word("follow-up-outcome", o),
            is_selected: o.as_str() == chosen,
        })
        .collect()
}

/// `GET /follow-ups/{id}`.
pub async fn show_follow_up(
    req: HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (row, person, users) = load(&state, &req, &user, path.into_inner()).await?;
    let page = page(ctx, row, &person, &users, Typed::default());
    Ok(render_with_status(StatusCode::OK, &page))
}

/// Checks the close form: an outcome of the list and a note of one to [`NOTE_MAX_CHARS`]
/// characters (line breaks allowed, other control characters not).
fn check_close(form: &FormPairs, errors: &mut FieldErrors) -> Option<(FollowUpOutcome, String)> {
    let outcome = FollowUpOutcome::parse(form.value("outcome").trim());
    if outcome.is_none() {
        errors.add("outcome", "follow-up-error-outcome");
    }
    let note = form.value("note").trim().to_owned();
    if note.is_empty() {
        errors.add("note", "follow-up-error-note-required");
    } else if note.chars().count() > NOTE_MAX_CHARS {
        errors.add("note", "follow-up-error-note-too-long");
    } else if note
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        errors.add("note", "admin-error-control-characters");
    }
    outcome.filter(|_| errors.is_empty()).map(|o| (o, note))
}

/// Reads the change a form asks for; the typed values and problems otherwise.
fn change_of(action: Action, form: &FormPairs) -> Result<(i32, FollowUpChange), Typed> {
    let mut typed = Typed::default();
    let version = parse_version(&form.value("version"));
    if version.is_none() {
        typed.refusal = Some("follow-up-error-stale");
    }
    let change = match action {
        Action::Assign => {
            let to = form.value("assignee").trim().to_owned();
            typed.assignee = Some(to.clone());
            Some(FollowUpChange::Assign(
                Some(to).filter(|t| !t.is_empty()).map(UserId::from),
            ))
        }
        Action::Close => {
            typed.outcome = form.value("outcome");
            typed.note = form.value("note");
            check_close(form, &mut typed.errors)
                .map(|(outcome, note)| FollowUpChange::Close { outcome, note })
        }
    };
    match (version, change) {
        (Some(version), Some(change)) if typed.errors.is_empty() => Ok((version, change)),
        _ => Err(typed),
    }
}

/// Which form was posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Assign,
    Close,
}

/// A refusal's answer: the page as the follow-up now is, with the message.
fn refused(refusal: FollowUpRefusal, typed: &mut Typed) -> StatusCode {
    match refusal {
        FollowUpRefusal::NotAnAssignee => {
            typed.errors.add("assignee", "follow-up-error-assignee");
            StatusCode::UNPROCESSABLE_ENTITY
        }
        FollowUpRefusal::AlreadyClosed => {
            typed.refusal = Some("follow-up-error-closed");
            StatusCode::CONFLICT
        }
        FollowUpRefusal::Changed => {
            typed.refusal = Some("follow-up-error-changed");
            StatusCode::CONFLICT
        }
    }
}

/// The request of either form, as the handlers receive it.
/// A posted change of a follow-up with all the handler needs: extracted as one value so the
/// assign and close handlers differ only in their [`Action`].
pub struct Posted {
    req: HttpRequest,
    session: Session,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: String,
    form: FormPairs,
}

/// What [`Posted`] is made of, extracted as actix extracts a handler's arguments (in order; the
/// first to fail answers, as it would for the handler).
type PostedParts = (
    HttpRequest,
    Session,
    PageContext,
    CurrentUser,
    web::Data<AppState>,
    web::Path<String>,
    web::Form<Vec<(String, String)>>,
);

impl FromRequest for Posted {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let parts = PostedParts::from_request(req, payload);
        Box::pin(async move {
            let (req, session, ctx, user, state, path, form) = parts.await?;
            Ok(Posted {
                req,
                session,
                ctx,
                user,
                state,
                id: path.into_inner(),
                form: FormPairs(form.into_inner()),
            })
        })
    }
}

async fn handle(action: Action, p: Posted) -> Result<HttpResponse, AppError> {
    let (status, typed) = match change_of(action, &p.form) {
        Err(typed) => (StatusCode::UNPROCESSABLE_ENTITY, typed),
        Ok((version, change)) => {
            let (user, id, ip) = (p.user.0.clone(), p.id.clone(), client_ip(&p.req));
            let now = p.state.clock.now_utc();
            let handled = db::run(&p.state.pool, move |conn| {
                let actor = Actor {
                    user: &user,
                    ip: ip.as_deref(),
                };
                Ok(crate::services::follow_ups::change(
                    conn, actor, &id, version, &change, now,
                )?)
            })
            .await?;
            let mut typed = Typed::default();
            match handled {
                Handled::Missing => return Err(AppError::NotFound),
                Handled::Done => return Ok(done(&p.session, action, &p.id)),
                Handled::Refused(refusal) => (refused(refusal, &mut typed), typed),
            }
        }
    };
    let (row, person, users) = load(&p.state, &p.req, &p.user, p.id).await?;
    Ok(render_with_status(
        status,
        &page(p.ctx, row, &person, &users, typed),
    ))
}

/// After a change: a flash and `303`, back to the follow-up after an assignment, to the queue
/// after a close (the next one waits there).
fn done(session: &Session, action: Action, id: &str) -> HttpResponse {
    let data = SessionData(session);
    match action {
        Action::Assign => {
            data.set_flash("success", "follow-up-flash-assigned");
            see_other(&paths::follow_up(&FollowUpId::from(id.to_owned())))
        }
        Action::Close => {
            data.set_flash("success", "follow-up-flash-closed");
            see_other(paths::FOLLOW_UPS)
        }
    }
}

/// `POST /follow-ups/{id}/assign`: `assignee` (a prosecutor's id; empty: nobody), `version`.
pub async fn assign_follow_up(posted: Posted) -> Result<HttpResponse, AppError> {
    handle(Action::Assign, posted).await
}

/// `POST /follow-ups/{id}/close`: `outcome`, `note`, `version`.
pub async fn close_follow_up(posted: Posted) -> Result<HttpResponse, AppError> {
    handle(Action::Close, posted).await
}
