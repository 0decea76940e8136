//! `GET /`: each role's home page, saying what that role can do next.

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;

use super::context::PageContext;
use super::home_headline::HeadlineView;
use crate::app::AppState;
use crate::db;
use crate::domain::person::{PersonStatus, RiskTier};
use crate::domain::user::Role;
use crate::error::AppError;

/// Figures shown on the home page.
#[derive(Debug, Clone, Default)]
pub struct HomeFigures {
    /// Persons in the registry.
    pub persons: i64,
    /// Active persons.
    pub active: i64,
    /// Active persons by tier: high, medium, low.
    pub by_tier: [i64; 3],
    /// Users.
    pub users: i64,
    /// Mobile groups.
    pub groups: i64,
    /// Districts.
    pub districts: i64,
    /// The officer's group name.
    pub group_name: Option<String>,
    /// A prosecutor's follow-ups: open, theirs, nobody's, lingering.
    pub follow_ups: db::follow_ups::FollowUpCounts,
    /// A supervisor's headline figures.
    pub headline: Option<crate::services::headline::Headline>,
}

/// The home page.
#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    /// Layout data.
    pub ctx: PageContext,
    /// Figures.
    pub figures: HomeFigures,
    /// A supervisor's headline, ready to print.
    pub headline: HeadlineView,
}

/// `GET /` (any signed-in role).
pub async fn show_home(ctx: PageContext, state: web::Data<AppState>) -> Result<HomePage, AppError> {
    let user = ctx.user.clone().ok_or(AppError::Forbidden)?;
    let now = state.clock.now_utc();
    let today = state.today();
    let (tz, national) = (state.tz, state.settings.national_rate_per_10k);
    let figures = db::run(&state.pool, move |conn| {
        let mut f = HomeFigures::default();
        for (_, tier, status, n) in db::persons::count_by_district_tier_status(conn)? {
            f.persons += n;
            if status == PersonStatus::Active.as_str() {
                f.active += n;
                let slot = match RiskTier::parse(&tier) {
                    Some(RiskTier::High) => 0,
                    Some(RiskTier::Medium) => 1,
                    _ => 2,
                };
                f.by_tier[slot] += n;
            }
        }
        if user.role == Role::Administrator {
            f.users = db::users::count_users(conn)?;
            f.groups = db::mobile_groups::list_mobile_groups(conn)?.len() as i64;
            f.districts = db::districts::count_districts(conn)?;
        }
        if user.role == Role::Supervisor {
            f.headline = Some(crate::services::headline::headline(
                conn, today, tz, national,
            )?);
        }
        if user.role == Role::Prosecutor {
            f.follow_ups = db::follow_ups::counts(conn, &user.id, now)?;
        }
        if let Some(group) = &user.mobile_group_id {
            f.group_name = db::mobile_groups::find_mobile_group(conn, group)?.map(|g| g.name);
        }
        Ok(f)
    })
    .await?;
    let headline = figures
        .headline
        .as_ref()
        .map(|h| HeadlineView::of(&ctx, h))
        .unwrap_or_default();
    Ok(HomePage {
        ctx,
        figures,
        headline,
    })
}
