//! The officer's tablet app. For now "Today" shows the officer's group; routes appear here once
//! plans are published (planning issue).

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;

use crate::app::AppState;
use crate::db;
use crate::error::AppError;
use crate::web::auth::CurrentUser;
use crate::web::context::PageContext;

/// `GET /field/today`.
#[derive(Template, WebTemplate)]
#[template(path = "field/today.html")]
pub struct TodayPage {
    /// Layout data.
    pub ctx: PageContext,
    /// The officer's group name (none: not assigned to a group).
    pub group_name: Option<String>,
    /// The group's base address.
    pub base_address: String,
    /// Shift, `10:00–22:00`.
    pub shift: String,
    /// Today's date in the region.
    pub today: String,
}

/// `GET /field/today`.
pub async fn show_today(
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<TodayPage, AppError> {
    let group = match user.0.mobile_group_id.clone() {
        Some(id) => {
            db::run(&state.pool, move |conn| {
                Ok(db::mobile_groups::find_mobile_group(conn, &id)?)
            })
            .await?
        }
        None => None,
    };
    let today = chrono::Utc::now().with_timezone(&ctx.tz).date_naive();
    let hhmm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
    Ok(TodayPage {
        today: ctx.date(today),
        shift: group
            .as_ref()
            .map(|g| format!("{}–{}", hhmm(g.shift_start_min), hhmm(g.shift_end_min)))
            .unwrap_or_default(),
        base_address: group
            .as_ref()
            .map(|g| g.base_address.clone())
            .unwrap_or_default(),
        group_name: group.map(|g| g.name),
        ctx,
    })
}
