//! Handlers of the registry: list with search, filters, sorting and pagination; a person's page,
//! whose every read is written to the audit log.

use actix_web::{HttpRequest, web};

use super::pages::{FilterOption, ListFilters, PersonListItem, PersonListPage, PersonPage};
use super::person_page::PersonRead;
use crate::app::AppState;
use crate::db::persons::{ListKey, ListPage, MatchCount, PageAt, PersonFilter, PersonSort};
use crate::db::{self};
use crate::domain::District;
use crate::domain::iin::mask_iin;
use crate::domain::person::{PersonStatus, RiskTier, SupervisionKind, full_name};
use crate::domain::{DistrictId, PersonId};
use crate::error::AppError;
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::pagination::{KeysetPager, PAGE_SIZE};
use crate::web::paths;

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
    /// A "next" link: the cursor of the row the page starts after.
    #[serde(default)]
    after: String,
    /// A "previous" link: the cursor of the row the page ends before.
    #[serde(default)]
    before: String,
    /// A "last page" link (any value).
    #[serde(default)]
    last: String,
}

/// A pager link's place in the list: the key of the row it starts after (or ends before), and
/// the 1-based number of the page's first row when known (shown only, never trusted for rows).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Cursor {
    #[serde(flatten)]
    key: ListKey,
    #[serde(default)]
    n: Option<i64>,
}

impl Cursor {
    /// The cursor in a link, or None if it was cut or edited into something else.
    fn parse(text: &str, sort: PersonSort) -> Option<Self> {
        serde_json::from_str::<Cursor>(text)
            .ok()
            .filter(|c| c.key.fits(sort) && c.n.is_none_or(|n| n >= 1))
    }

    fn link(key: ListKey, n: Option<i64>) -> String {
        serde_json::to_string(&Cursor { key, n }).unwrap_or_default()
    }
}

/// Where the query asks the list to start, the row number it names, and whether a cursor was
/// given but unreadable (the first page is shown, with a message).
fn page_at(query: &ListQuery, sort: PersonSort) -> (PageAt, Option<i64>, bool) {
    let cursor = |text: &str| Cursor::parse(text, sort).ok_or(());
    if !query.after.is_empty() {
        match cursor(&query.after) {
            Ok(c) => (PageAt::After(c.key), c.n, false),
            Err(()) => (PageAt::First, Some(1), true),
        }
    } else if !query.before.is_empty() {
        match cursor(&query.before) {
            Ok(c) => (PageAt::Before(c.key), c.n, false),
            Err(()) => (PageAt::First, Some(1), true),
        }
    } else if !query.last.is_empty() {
        (PageAt::Last, None, false)
    } else {
        (PageAt::First, Some(1), false)
    }
}

/// The pager of a page read from the list: the rows' numbers where known, and the links, each
/// keeping the search, the filters and the order (`base` ends in `?...&`).
fn pager(page: &ListPage, asked_row: Option<i64>, sort: PersonSort, base: &str) -> KeysetPager {
    let shown = page.rows.len() as i64;
    let (total, exact) = match page.count {
        MatchCount::Exact(n) => (n, true),
        MatchCount::MoreThan(n) => (n, false),
    };
    let first_row = match page.at {
        PageAt::First => Some(1),
        PageAt::Last => exact.then_some(total - shown + 1),
        PageAt::After(_) | PageAt::Before(_) => asked_row,
    }
    .filter(|&f| f >= 1 && (!exact || f + shown - 1 <= total));
    let link = |param: &str, cursor: String| {
        format!(
            "{base}{}",
            serde_urlencoded::to_string([(param, cursor)]).unwrap_or_default()
        )
    };
    let plain = base.trim_end_matches('&').to_owned();
    let next = page.rows.last().filter(|_| page.has_next).map(|row| {
        let key = ListKey::of(row, sort);
        link("after", Cursor::link(key, first_row.map(|f| f + shown)))
    });
    let previous = page.rows.first().filter(|_| page.has_previous).map(|row| {
        let key = ListKey::of(row, sort);
        let n = first_row.map(|f| (f - PAGE_SIZE).max(1));
        link("before", Cursor::link(key, n))
    });
    KeysetPager {
        first_row,
        shown,
        total,
        exact,
        first: page.has_previous.then_some(plain),
        previous,
        next,
        last: page.has_next.then(|| format!("{base}last=1")),
    }
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
    let sort = filter.sort;
    let (at, asked_row, bad_link) = page_at(&query, sort);
    let ip = client_ip(&req);
    let asked = serde_urlencoded::to_string(&query).unwrap_or_default();
    let (page, districts) = db::run(&state.pool, move |conn| {
        let page = db::persons::list_page(conn, &filter, &at, PAGE_SIZE)?;
        let shown: Vec<String> = page.rows.iter().map(|r| r.id.clone()).collect();
        let read = db::audit::ListRead {
            via: "registry_list",
            query: &asked,
            person_ids: &shown,
        };
        db::audit::insert_list_read(conn, &user.0, &read, ip.as_deref())?;
        Ok((page, db::districts::list_districts(conn)?))
    })
    .await?;
    let lang = ctx.lang.code();
    let filters = list_filters(&ctx, query, &districts);
    let pagination = pager(&page, asked_row, sort, &filters.pager_base);
    let persons = page
        .rows
        .into_iter()
        .map(|r| PersonListItem {
            name: full_name(&r.last_name, &r.first_name, r.middle_name.as_deref()),
            masked_iin: mask_iin(&r.iin),
            district: district_name(&districts, &r.district_id, lang),
            href: paths::person(&PersonId::from(r.id)),
            risk_tier: r.risk_tier,
            status: r.status,
            supervision_kind: r.supervision_kind,
            home_address: r.home_address,
        })
        .collect();
    Ok(PersonListPage {
        ctx,
        persons,
        filters,
        pagination,
        bad_link,
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
