//! Handlers of the registry: list with search, filters, sorting and pagination; a person's page,
//! whose every read is written to the audit log.

use actix_web::{HttpRequest, web};

use super::pages::{
    AccessLine, Field, FilterOption, ListFilters, PersonListItem, PersonListPage, PersonPage,
};
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
use crate::web::map::{self, Mark};
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

fn district_name(districts: &[District], id: &str, lang: &str) -> String {
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
    let filters = ListFilters {
        districts: districts
            .iter()
            .map(|d| FilterOption {
                value: d.id.to_string(),
                label: d.name(lang).to_owned(),
                is_selected: d.id.as_str() == query.district,
            })
            .collect(),
        tiers: options(
            &ctx,
            RiskTier::ALL,
            RiskTier::as_str,
            "risk-tier",
            &query.tier,
        ),
        statuses: options(
            &ctx,
            PersonStatus::ALL,
            PersonStatus::as_str,
            "status",
            &query.status,
        ),
        kinds: options(
            &ctx,
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
    };
    let pagination = Pagination::new(page, PAGE_SIZE, total);
    Ok(PersonListPage {
        ctx,
        persons,
        filters,
        pagination,
    })
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
    let (person, districts, access, base, visits, follow_ups) = db::run(&state.pool, move |conn| {
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
        Ok((
            person,
            db::districts::list_districts(conn)?,
            access,
            base,
            visits,
            follow_ups,
        ))
    })
    .await?;
    let lang = ctx.lang;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| lang.date(d)).unwrap_or_default();
    let hhmm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
    let identity = vec![
        Field {
            label_key: "field-iin",
            value: person.iin.to_string(),
        },
        Field {
            label_key: "field-birth-date",
            value: lang.date(person.birth_date),
        },
        Field {
            label_key: "field-sex",
            value: ctx.t(&format!("sex-{}", person.sex)),
        },
        Field {
            label_key: "field-phone",
            value: text(&person.phone),
        },
    ];
    let c = &person.conviction;
    let conviction = vec![
        Field {
            label_key: "field-article",
            value: c.article.clone(),
        },
        Field {
            label_key: "field-severity",
            value: ctx.t(&format!("severity-{}", c.severity)),
        },
        Field {
            label_key: "field-conviction-date",
            value: lang.date(c.conviction_date),
        },
        Field {
            label_key: "field-release-date",
            value: date(c.release_date),
        },
        Field {
            label_key: "field-expungement-date",
            value: date(c.expungement_date),
        },
        Field {
            label_key: "field-prior-convictions",
            value: c.prior_convictions.to_string(),
        },
        Field {
            label_key: "field-supervision-kind",
            value: ctx.t(&format!("supervision-{}", person.supervision_kind)),
        },
        Field {
            label_key: "field-supervision-start",
            value: lang.date(person.supervision_start),
        },
        Field {
            label_key: "field-restrictions",
            value: text(&person.restrictions),
        },
        Field {
            label_key: "field-curfew",
            value: person
                .curfew
                .map(|cf| format!("{}–{}", hhmm(cf.start_min), hhmm(cf.end_min)))
                .unwrap_or_default(),
        },
        Field {
            label_key: "field-risk-tier-reason",
            value: text(&person.risk_tier_reason),
        },
    ];
    let places = vec![
        Field {
            label_key: "field-district",
            value: district_name(&districts, person.district_id.as_str(), lang.code()),
        },
        Field {
            label_key: "field-home-address",
            value: person.home_address.clone(),
        },
        Field {
            label_key: "field-home-point",
            value: format!("{:.5}, {:.5}", person.home.lat, person.home.lon),
        },
        Field {
            label_key: "field-employer",
            value: person
                .work
                .as_ref()
                .map(|w| w.employer.clone())
                .unwrap_or_default(),
        },
        Field {
            label_key: "field-work-address",
            value: person
                .work
                .as_ref()
                .map(|w| w.address.clone())
                .unwrap_or_default(),
        },
    ];
    let access = access
        .into_iter()
        .map(|a| {
            let via = a
                .details
                .as_deref()
                .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
                .and_then(|d| d["via"].as_str().map(str::to_owned))
                .unwrap_or_else(|| "record".to_owned());
            AccessLine {
                at: ctx.date_time(a.at),
                login: a.user_login,
                action: a.action,
                via: ctx.word("audit-via", &via),
            }
        })
        .collect();
    let mut marks = vec![Mark {
        at: person.home,
        sign: "H".to_owned(),
        class: "home",
        title: format!("{}: {}", ctx.t("person-map-home"), person.home_address),
    }];
    if let Some(work) = &person.work {
        marks.push(Mark {
            at: work.point,
            sign: "W".to_owned(),
            class: "work",
            title: format!("{}: {}", ctx.t("person-map-work"), work.address),
        });
    }
    if let Some((name, at)) = base {
        marks.push(Mark {
            at,
            sign: "B".to_owned(),
            class: "base",
            title: format!("{}: {name}", ctx.t("person-map-base")),
        });
    }
    let district = districts.iter().find(|d| d.id == person.district_id);
    let map_svg = map::draw(
        &district.map(|d| vec![&d.boundary]).unwrap_or_default(),
        &marks,
        &ctx.t("person-map"),
    );
    let history = visits
        .iter()
        .map(|v| super::pages::VisitLine {
            at: ctx.date_time(v.device_at),
            kind: v.kind.to_string(),
            outcome: ctx.t(&format!("outcome-{}", v.outcome)),
            evidence: v.evidence.to_string(),
            far: v.far_from_address,
            distance: v
                .distance_m
                .map(|d| format!("{d:.0} m"))
                .unwrap_or_default(),
        })
        .collect();
    let follow_ups = follow_ups
        .iter()
        .map(|(reason, at)| {
            format!(
                "{} · {}",
                ctx.t(&format!("follow-up-{reason}")),
                ctx.date_time(*at)
            )
        })
        .collect();
    Ok(PersonPage {
        history,
        follow_ups,
        id: person.id.to_string(),
        map_svg,
        name: person.full_name(),
        risk_tier: person.risk_tier.to_string(),
        status: person.status.to_string(),
        identity,
        conviction,
        places,
        access,
        ctx,
    })
}
