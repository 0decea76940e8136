//! The answer to a new plan while plans are being made: the prosecutor's own (429, naming it with
//! a link to its progress) or as many as the server makes at once (503, try again shortly). The
//! limits themselves are `job_limits`.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderValue, RETRY_AFTER};
use askama::Template;

use super::job_limits::Busy;
use crate::app::AppState;
use crate::db;
use crate::error::AppError;
use crate::web::auth::CurrentUser;
use crate::web::context::PageContext;
use crate::web::paths;
use crate::web::render::render_with_status;

/// A new plan refused because plans are being made already.
#[derive(Template)]
#[template(path = "planning/busy.html")]
pub struct PlanBusyPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Why, naming the plan being made or the server's limit.
    pub message: String,
    /// The progress page of the user's own plan being made, when that is the reason.
    pub job_link: Option<String>,
}

/// The page for `busy`, with `Retry-After` so that a client knows when to try again.
pub async fn busy_page(
    ctx: PageContext,
    state: &AppState,
    user: &CurrentUser,
    busy: Busy,
) -> Result<HttpResponse, AppError> {
    use fluent_templates::fluent_bundle::FluentValue;
    let (status, message, job_link) = match busy {
        Busy::Yours(job) => {
            let (id, owner) = (job.clone(), user.0.id.clone());
            let jobs = state.plan_jobs.clone();
            let period = db::run(&state.pool, move |conn| Ok(jobs.get(conn, &id, &owner)?))
                .await?
                .map(|j| super::plan_page::period(&ctx, j.from, j.days))
                .unwrap_or_default();
            let message = ctx.ts("plan-busy-yours", "period", &period);
            let link = paths::plan_job(job);
            (StatusCode::TOO_MANY_REQUESTS, message, Some(link))
        }
        Busy::Server(count) => {
            let args = [("count", FluentValue::from(count))];
            let message = ctx.lang.t_args("plan-busy-server", &args);
            (StatusCode::SERVICE_UNAVAILABLE, message, None)
        }
    };
    let page = PlanBusyPage {
        ctx,
        message,
        job_link,
    };
    let mut answer = render_with_status(status, &page);
    answer
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from_static("5"));
    Ok(answer)
}
