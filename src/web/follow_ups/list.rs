//! `GET /follow-ups`: the queue, most urgent first, filtered by kind, district, mobile group,
//! age, status and assignee, fifty to a page; each page is one audited list read.

use actix_web::{HttpRequest, web};
use askama::Template;
use askama_web::WebTemplate;

use super::{age_days, user_name};
use crate::app::AppState;
use crate::db;
use crate::db::follow_ups::{Assignee, FollowUpFilter, FollowUpListRow};
use crate::db::users::UserListRow;
use crate::domain::follow_up::{FollowUpAge, FollowUpReason, FollowUpStatus};
use crate::domain::mobile_group::MobileGroup;
use crate::domain::person::full_name;
use crate::domain::{District, FollowUpId, PersonId};
use crate::error::AppError;
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::forms::Choice;
use crate::web::pagination::{PAGE_SIZE, Pagination};
use crate::web::paths;

/// The queue's query string. Unknown or empty values mean "no filter", never an error.
#[derive(Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct FollowUpQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    age: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    page: String,
}

/// One line of the queue, ready to print.
#[derive(Debug, Clone)]
pub struct FollowUpItem {
    /// Follow-up id.
    pub id: String,
    /// Its page.
    pub href: String,
    /// The person's page.
    pub person_href: String,
    /// Full name.
    pub person_name: String,
    /// District name.
    pub district: String,
    /// Risk tier word.
    pub risk_tier: String,
    /// Kind word.
    pub reason: String,
    /// Causes added up (visits that called for it).
    pub cause_count: i32,
    /// When opened, in the region's time.
    pub opened: String,
    /// Days open.
    pub age_days: i64,
    /// When the last cause came.
    pub last_cause: String,
    /// Assignee's name, or empty.
    pub assignee: String,
    /// Outcome word of a closed one, or empty.
    pub outcome: String,
}

/// The filters as chosen, and the base of the pager's links.
#[derive(Debug, Clone)]
pub struct FollowUpFilters {
    /// Kinds.
    pub kinds: Vec<Choice>,
    /// Districts.
    pub districts: Vec<Choice>,
    /// Mobile groups.
    pub groups: Vec<Choice>,
    /// Ages.
    pub ages: Vec<Choice>,
    /// Open or closed.
    pub statuses: Vec<Choice>,
    /// Mine, nobody's.
    pub assignees: Vec<Choice>,
    /// `/follow-ups?…&` for the pager.
    pub pager_base: String,
}

/// The queue page.
#[derive(Template, WebTemplate)]
#[template(path = "follow_ups/list.html")]
pub struct FollowUpListPage {
    /// Layout data.
    pub ctx: PageContext,
    /// The lines of this page.
    pub items: Vec<FollowUpItem>,
    /// Filters.
    pub filters: FollowUpFilters,
    /// Page.
    pub pagination: Pagination,
    /// Whether the closed ones are shown.
    pub is_closed: bool,
}

/// The filter a query asks for, for `user`, at `now`.
fn filter_of(
    query: &FollowUpQuery,
    user: &CurrentUser,
    now: chrono::NaiveDateTime,
) -> FollowUpFilter {
    let some = |text: &str| Some(text.to_owned()).filter(|t| !t.is_empty());
    FollowUpFilter {
        status: FollowUpStatus::parse(&query.status).unwrap_or(FollowUpStatus::Open),
        reason: FollowUpReason::parse(&query.kind),
        district_id: some(&query.district),
        mobile_group_id: some(&query.group),
        age: FollowUpAge::parse(&query.age),
        assignee: match query.assignee.as_str() {
            "mine" => Assignee::User(user.0.id.clone()),
            "nobody" => Assignee::Nobody,
            _ => Assignee::Any,
        },
        now,
    }
}

/// `GET /follow-ups` (prosecutors).
pub async fn list_follow_ups(
    req: HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<FollowUpQuery>,
) -> Result<FollowUpListPage, AppError> {
    let query = query.into_inner();
    let now = state.clock.now_utc();
    let filter = filter_of(&query, &user, now);
    let page: Option<i64> = query.page.parse().ok();
    let offset = Pagination::offset(page, PAGE_SIZE);
    let ip = client_ip(&req);
    let asked = serde_urlencoded::to_string(&query).unwrap_or_default();
    let is_closed = filter.status == FollowUpStatus::Closed;
    let (rows, total, districts, groups, users) = db::run(&state.pool, move |conn| {
        let (rows, total) = db::follow_ups::list(conn, &filter, offset, PAGE_SIZE)?;
        let shown: Vec<String> = rows.iter().map(|r| r.follow_up.person_id.clone()).collect();
        let read = db::audit::ListRead {
            via: "follow_ups",
            query: &asked,
            person_ids: &shown,
        };
        db::audit::insert_list_read(conn, &user.0, &read, ip.as_deref())?;
        let districts = db::districts::list_districts(conn)?;
        let groups = db::mobile_groups::list_mobile_groups(conn)?;
        Ok((rows, total, districts, groups, db::users::list_users(conn)?))
    })
    .await?;
    let items = rows
        .into_iter()
        .map(|r| item(&ctx, r, &districts, &users, now))
        .collect();
    Ok(FollowUpListPage {
        filters: filters(&ctx, &query, &districts, &groups),
        pagination: Pagination::new(page, PAGE_SIZE, total),
        ctx,
        items,
        is_closed,
    })
}

fn item(
    ctx: &PageContext,
    row: FollowUpListRow,
    districts: &[District],
    users: &[UserListRow],
    now: chrono::NaiveDateTime,
) -> FollowUpItem {
    let f = row.follow_up;
    FollowUpItem {
        person_name: full_name(&row.last_name, &row.first_name, row.middle_name.as_deref()),
        district: districts
            .iter()
            .find(|d| d.id.as_str() == row.district_id)
            .map(|d| d.name(ctx.lang.code()).to_owned())
            .unwrap_or_default(),
        risk_tier: row.risk_tier,
        age_days: age_days(&f, now),
        opened: ctx.date_time(f.created_at),
        last_cause: ctx.date_time(f.last_cause_at),
        assignee: user_name(users, f.assigned_to.as_deref()),
        outcome: f.outcome.unwrap_or_default(),
        cause_count: f.cause_count,
        reason: f.reason,
        person_href: paths::person(&PersonId::from(f.person_id)),
        href: paths::follow_up(&FollowUpId::from(f.id.clone())),
        id: f.id,
    }
}

/// Choices of a closed set of words, labelled `{prefix}-{word}`.
fn word_choices(ctx: &PageContext, words: &[&str], prefix: &str, chosen: &str) -> Vec<Choice> {
    words
        .iter()
        .map(|w| Choice {
            value: (*w).to_owned(),
            label: ctx.word(prefix, w),
            is_selected: *w == chosen,
        })
        .collect()
}

fn filters(
    ctx: &PageContext,
    query: &FollowUpQuery,
    districts: &[District],
    groups: &[MobileGroup],
) -> FollowUpFilters {
    let kinds: Vec<&str> = FollowUpReason::ALL.iter().map(|r| r.as_str()).collect();
    let ages: Vec<&str> = FollowUpAge::ALL.iter().map(|a| a.as_str()).collect();
    let statuses: Vec<&str> = FollowUpStatus::ALL.iter().map(|s| s.as_str()).collect();
    FollowUpFilters {
        kinds: word_choices(ctx, &kinds, "follow-up", &query.kind),
        districts: districts
            .iter()
            .map(|d| Choice {
                value: d.id.to_string(),
                label: d.name(ctx.lang.code()).to_owned(),
                is_selected: d.id.as_str() == query.district,
            })
            .collect(),
        groups: groups
            .iter()
            .map(|g| Choice {
                value: g.id.to_string(),
                label: g.name.clone(),
                is_selected: g.id.as_str() == query.group,
            })
            .collect(),
        ages: word_choices(ctx, &ages, "follow-ups-age", &query.age),
        statuses: word_choices(ctx, &statuses, "follow-ups-status", &query.status),
        assignees: word_choices(
            ctx,
            &["mine", "nobody"],
            "follow-ups-assignee",
            &query.assignee,
        ),
        pager_base: format!(
            "/follow-ups?{}&",
            serde_urlencoded::to_string([
                ("kind", &query.kind),
                ("district", &query.district),
                ("group", &query.group),
                ("age", &query.age),
                ("status", &query.status),
                ("assignee", &query.assignee),
            ])
            .unwrap_or_default()
        ),
    }
}
