//! Handlers of the registry: list with search, filters, sorting and pagination; a person's page,
//! whose every read is written to the audit log.

use actix_web::{HttpRequest, web};

use super::pages::{FilterOption, ListFilters, PersonListItem, PersonListPage, PersonPage};
use super::person_page::PersonRead;
use crate::app::AppState;
use crate::db::persons::{PersonFilter, PersonSort};
use crate::db::{self};
use crate::domain::District;
use crate::domain::iin::mask_iin;
use crate::domain::person::{PersonStatus, RiskTier, SupervisionKind, full_name};
use crate::domain::{DistrictId, PersonId};
use crate::error::AppError;
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::pagination::{PAGE_SIZE, Pagination};

/// The list's query string. Unknown or empty values mean "no filter", never an error.
#[derive(Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    tier: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    page: String,
}

fn sort_of(text: &str) -> PersonSort {
    match text {
        "district" => PersonSort::District,
        "tier" => PersonSort::RiskTier,
        "updated" => PersonSort::Updated,
        _ => PersonSort::Name,
    }
}

fn options<T: Copy>(
    ctx: &PageContext,
    all: &[T],
    word: fn(T) -> &'static str,
    prefix: &str,
    chosen: &str,
) -> Vec<FilterOption> {
    all.iter()
        .map(|v| FilterOption {
            value: word(*v).to_owned(),
            label: ctx.t(&format!("{prefix}-{}", word(*v))),
            is_selected: word(*v) == chosen,
        })
        .collect()
}

/// The name of the district with `id` in `lang`, or an empty text.
pub(super) fn district_name(districts: &[District], id: &str, lang: &str) -> String {
    districts
        .iter()
        .find(|d| d.id.as_str() == id)
        .map(|d| d.name(lang).to_owned())
        .unwrap_or_default()
}

/// The filter a list query asks for (the export uses the same).
pub fn filter_of(query: &ListQuery) -> PersonFilter {
    PersonFilter {
        query: Some(query.q.clone()).filter(|q| !q.trim().is_empty()),
        district_id: Some(query.district.clone())
            .filter(|d| !d.is_empty())
            .map(DistrictId::from),
        risk_tier: RiskTier::parse(&query.tier),
        status: PersonStatus::parse(&query.status),
        supervision_kind: SupervisionKind::parse(&query.kind),
        sort: sort_of(&query.sort),
    }
}

/// `GET /registry/persons`: a page of the list, audited as one read naming the query and the
/// persons shown.
pub async fn list_persons(
    req: HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<PersonListPage, AppError> {
    let query = query.into_inner();
    let filter = filter_of(&query);
    let page: Option<i64> = query.page.parse().ok();
    let offset = Pagination::offset(page, PAGE_SIZE);
    let ip = client_ip(&req);
    let asked = serde_urlencoded::to_string(&query).unwrap_or_default();
    let (rows, total, districts) = db::run(&state.pool, move |conn| {
        let (rows, total) = db::persons::list_persons(conn, &filter, offset, PAGE_SIZE)?;
        let shown: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let read = db::audit::ListRead {
            via: "registry_list",
            query: &asked,
            person_ids: &shown,
        };
        db::audit::insert_list_read(conn, &user.0, &read, ip.as_deref())?;
        Ok((rows, total, db::districts::list_districts(conn)?))
    })
    .await?;
    let lang = ctx.lang.code();
    let persons = rows
        .into_iter()
        .map(|r| PersonListItem {
            name: full_name(&r.last_name, &r.first_name, r.middle_name.as_deref()),
            masked_iin: mask_iin(&r.iin),
            district: district_name(&districts, &r.district_id, lang),
            id: r.id,
            risk_tier: r.risk_tier,
            status: r.status,
            supervision_kind: r.supervision_kind,
            home_address: r.home_address,
        })
        .collect();
    let filters = list_filters(&ctx, query, &districts);
    let pagination = Pagination::new(page, PAGE_SIZE, total);
    Ok(PersonListPage {
        ctx,
        persons,
        filters,
        pagination,
    })
}

/// The list's filters as chosen, and the base of the pager's links.
fn list_filters(ctx: &PageContext, query: ListQuery, districts: &[District]) -> ListFilters {
    let lang = ctx.lang.code();
    ListFilters {
        districts: districts
            .iter()
            .map(|d| FilterOption {
                value: d.id.to_string(),
                label: d.name(lang).to_owned(),
                is_selected: d.id.as_str() == query.district,
            })
            .collect(),
        tiers: options(
            ctx,
            RiskTier::ALL,
            RiskTier::as_str,
            "risk-tier",
            &query.tier,
        ),
        statuses: options(
            ctx,
            PersonStatus::ALL,
            PersonStatus::as_str,
            "status",
            &query.status,
        ),
        kinds: options(
            ctx,
            SupervisionKind::ALL,
            SupervisionKind::as_str,
            "supervision",
            &query.kind,
        ),
        sorts: ["name", "district", "tier", "updated"]
            .iter()
            .map(|s| FilterOption {
                value: (*s).to_owned(),
                label: ctx.t(&format!("sort-{s}")),
                is_selected: *s == query.sort || (query.sort.is_empty() && *s == "name"),
            })
            .collect(),
        pager_base: format!(
            "/registry/persons?{}&",
            serde_urlencoded::to_string([
                ("q", &query.q),
                ("district", &query.district),
                ("tier", &query.tier),
                ("status", &query.status),
                ("kind", &query.kind),
                ("sort", &query.sort),
            ])
            .unwrap_or_default()
        ),
        q: query.q,
    }
}

/// `GET /registry/persons/{id}`: the record, and an audit entry for reading it.
pub async fn show_person(
    req: HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<PersonPage, AppError> {
    let id = PersonId::from(path.into_inner());
    let ip = client_ip(&req);
    let read = db::run(&state.pool, move |conn| {
        let person = db::persons::find_person(conn, &id)?.ok_or(AppError::NotFound)?;
        db::audit::insert_person_read(
            conn,
            &user.0,
            Some(person.id.as_str()),
            ip.as_deref(),
            None,
        )?;
        let access = db::audit::list_person_viewers(conn, person.id.as_str(), 20)?;
        let base = db::mobile_groups::list_mobile_groups(conn)?
            .into_iter()
            .find(|g| g.district_ids.contains(&person.district_id))
            .map(|g| (g.name, g.base));
        let visits = db::visits::list_for_person(conn, &person.id, 20)?;
        let follow_ups = db::visits::open_follow_ups(conn, &person.id)?;
        Ok(PersonRead {
            districts: db::districts::list_districts(conn)?,
            person,
            access,
            base,
            visits,
            follow_ups,
            roads: None,
        })
    })
    .await?;
    let read = PersonRead {
        roads: crate::web::map::roads_for(&state).await,
        ..read
    };
    Ok(super::person_page::person_page(ctx, read))
}
