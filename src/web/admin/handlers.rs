//! Handlers of the administration lists (the forms live in one module per area).

use actix_web::web;

use super::pages::{
    AuditItem, AuditPage, ContactStandardsPage, DistrictItem, DistrictsPage, GroupItem,
    MobileGroupsPage, StandardItem, UserItem, UsersPage,
};
use crate::app::AppState;
use crate::db;
use crate::domain::UserId;
use crate::domain::mobile_group::hhmm;
use crate::domain::person::{CheckKind, RiskTier};
use crate::error::AppError;
use crate::web::context::PageContext;
use crate::web::pagination::{PAGE_SIZE, Pagination};
use crate::web::paths;

/// `GET /admin/users`.
pub async fn list_users(
    ctx: PageContext,
    state: web::Data<AppState>,
) -> Result<UsersPage, AppError> {
    let (rows, groups) = db::run(&state.pool, |conn| {
        Ok((
            db::users::list_users(conn)?,
            db::mobile_groups::list_mobile_groups(conn)?,
        ))
    })
    .await?;
    let now = ctx.clock.now_utc();
    let users = rows
        .into_iter()
        .map(|u| UserItem {
            group: u
                .mobile_group_id
                .and_then(|g| {
                    groups
                        .iter()
                        .find(|x| x.id.as_str() == g)
                        .map(|x| x.name.clone())
                })
                .unwrap_or_default(),
            locked_until: u
                .locked_until
                .filter(|t| *t > now)
                .map(|t| ctx.date_time(t)),
            href: paths::user_edit(&UserId::from(u.id)),
            login: u.login,
            full_name: u.full_name,
            role: u.role,
            is_active: u.is_active,
        })
        .collect();
    Ok(UsersPage { ctx, users })
}

/// `GET /admin/mobile-groups`.
pub async fn list_mobile_groups(
    ctx: PageContext,
    state: web::Data<AppState>,
) -> Result<MobileGroupsPage, AppError> {
    let (groups, districts, users) = db::run(&state.pool, |conn| {
        Ok((
            db::mobile_groups::list_mobile_groups(conn)?,
            db::districts::list_districts(conn)?,
            db::users::list_users(conn)?,
        ))
    })
    .await?;
    let lang = ctx.lang.code();
    let day_keys = [
        "day-mon", "day-tue", "day-wed", "day-thu", "day-fri", "day-sat", "day-sun",
    ];
    let groups = groups
        .into_iter()
        .map(|g| GroupItem {
            shift: format!("{}–{}", hhmm(g.shift_start_min), hhmm(g.shift_end_min)),
            capacity: g.max_checks_per_shift,
            days: day_keys
                .iter()
                .enumerate()
                .filter(|(i, _)| g.active_days.0 & (1 << i) != 0)
                .map(|(_, k)| ctx.t(k))
                .collect::<Vec<_>>()
                .join(" "),
            districts: g
                .district_ids
                .iter()
                .filter_map(|id| {
                    districts
                        .iter()
                        .find(|d| d.id == *id)
                        .map(|d| d.name(lang).to_owned())
                })
                .collect::<Vec<_>>()
                .join(", "),
            members: users
                .iter()
                .filter(|u| u.mobile_group_id.as_deref() == Some(g.id.as_str()))
                .map(|u| u.login.clone())
                .collect::<Vec<_>>()
                .join(", "),
            href: paths::mobile_group_edit(&g.id),
            name: g.name,
            base_address: g.base_address,
        })
        .collect();
    Ok(MobileGroupsPage { ctx, groups })
}

/// `GET /admin/districts`.
pub async fn list_districts(
    ctx: PageContext,
    state: web::Data<AppState>,
) -> Result<DistrictsPage, AppError> {
    let districts = db::run(&state.pool, |conn| Ok(db::districts::list_districts(conn)?)).await?;
    let lang = ctx.lang.code();
    let population = districts.iter().map(|d| d.population).sum();
    let districts = districts
        .iter()
        .map(|d| DistrictItem {
            code: d.code.clone(),
            name: d.name(lang).to_owned(),
            kind: d.kind.to_string(),
            population: d.population,
            vertices: d.boundary.exterior().0.len(),
        })
        .collect();
    Ok(DistrictsPage {
        ctx,
        districts,
        population,
    })
}

/// `GET /admin/contact-standards`.
pub async fn list_contact_standards(
    ctx: PageContext,
    state: web::Data<AppState>,
) -> Result<ContactStandardsPage, AppError> {
    let all = db::run(&state.pool, |conn| {
        Ok(db::contact_standards::list_contact_standards(conn)?)
    })
    .await?;
    let days = |tier: RiskTier, kind: CheckKind| {
        all.iter()
            .find(|s| s.risk_tier == tier && s.check_kind == kind)
            .map(|s| s.max_interval_days)
            .unwrap_or(0)
    };
    let standards = RiskTier::ALL
        .iter()
        .map(|tier| StandardItem {
            risk_tier: tier.to_string(),
            home_days: days(*tier, CheckKind::Home),
            work_days: days(*tier, CheckKind::Work),
        })
        .collect();
    Ok(ContactStandardsPage { ctx, standards })
}

/// `?page=` of the audit log.
#[derive(Debug, serde::Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    page: String,
}

/// `GET /admin/audit`.
pub async fn list_audit_entries(
    ctx: PageContext,
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<AuditPage, AppError> {
    let page: Option<i64> = query.page.parse().ok();
    let offset = Pagination::offset(page, PAGE_SIZE);
    let (rows, total) = db::run(&state.pool, move |conn| {
        Ok(db::audit::list_page(conn, offset, PAGE_SIZE)?)
    })
    .await?;
    let entries = rows
        .into_iter()
        .map(|e| AuditItem {
            at: ctx.date_time(e.at),
            login: e.user_login,
            action: e.action,
            entity: match e.entity_id {
                Some(id) => format!("{} {id}", e.entity_kind),
                None => e.entity_kind,
            },
            ip: e.ip.unwrap_or_default(),
            details: e.details.unwrap_or_default(),
        })
        .collect();
    Ok(AuditPage {
        ctx,
        entries,
        pagination: Pagination::new(page, PAGE_SIZE, total),
    })
}
