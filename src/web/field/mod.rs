//! The officer's tablet app: "Today" shows the group's published route in order, with windows,
//! planned arrivals and a link that opens the tablet's navigation app (`geo:` URI).

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;

use crate::app::AppState;
use crate::db;
use crate::error::AppError;
use crate::web::auth::CurrentUser;
use crate::web::context::PageContext;

pub mod api;
pub mod stop;

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
    /// Today's published stops, in order.
    pub stops: Vec<TodayStop>,
    /// The route on a map (empty without stops).
    pub map_svg: String,
}

/// One stop of today's route.
#[derive(Debug, Clone)]
pub struct TodayStop {
    /// The check's id (link to the stop).
    pub check_id: String,
    /// Number in the route.
    pub number: i32,
    /// Planned arrival, `HH:MM`.
    pub arrival: String,
    /// Window, `HH:MM–HH:MM`.
    pub window: String,
    /// Person's name.
    pub person: String,
    /// home or work.
    pub kind: String,
    /// Address.
    pub address: String,
    /// `geo:` URI for the navigation app.
    pub geo: String,
    /// published, done, missed.
    pub status: String,
}

/// `GET /field/today`: the route, audited as one read of the persons on it.
pub async fn show_today(
    req: actix_web::HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<TodayPage, AppError> {
    let today = chrono::Utc::now().with_timezone(&ctx.tz).date_naive();
    let ip = crate::web::auth::client_ip(&req);
    let officer = user.0.clone();
    let (group, rows, names) = match user.0.mobile_group_id.clone() {
        Some(id) => {
            db::run(&state.pool, move |conn| {
                let group = db::mobile_groups::find_mobile_group(conn, &id)?;
                let rows = db::checks::route_of(conn, id.as_str(), today)?;
                let ids: Vec<String> = rows.iter().map(|r| r.person_id.clone()).collect();
                let day = today.to_string();
                let read = db::audit::ListRead {
                    via: "today",
                    query: &day,
                    person_ids: &ids,
                };
                db::audit::insert_list_read(conn, &officer, &read, ip.as_deref())?;
                let names = db::persons::names_of(conn, &ids)?;
                Ok((group, rows, names))
            })
            .await?
        }
        None => (None, Vec::new(), Default::default()),
    };
    let map_svg = match &group {
        Some(g) if !rows.is_empty() => {
            let mut path = vec![g.base];
            path.extend(
                rows.iter()
                    .filter_map(|r| crate::domain::GeoPoint::new(r.lat, r.lon).ok()),
            );
            path.push(g.base);
            let mut marks = vec![crate::web::map::Mark {
                at: g.base,
                sign: "B".to_owned(),
                class: "base",
                title: g.base_address.clone(),
            }];
            marks.extend(rows.iter().filter_map(|r| {
                Some(crate::web::map::Mark {
                    at: crate::domain::GeoPoint::new(r.lat, r.lon).ok()?,
                    sign: r.position.unwrap_or(0).to_string(),
                    class: if r.status == "done" {
                        "done"
                    } else if r.kind == "work" {
                        "work"
                    } else {
                        "home"
                    },
                    title: r.address.clone(),
                })
            }));
            crate::web::map::draw_with_paths(&[], &[path], &marks, &ctx.t("person-map"))
        }
        _ => String::new(),
    };
    let stops = rows
        .iter()
        .map(|r| TodayStop {
            check_id: r.id.clone(),
            number: r.position.unwrap_or(0),
            arrival: r
                .planned_arrival_min
                .map(crate::planner::hhmm)
                .unwrap_or_default(),
            window: format!(
                "{}–{}",
                crate::planner::hhmm(r.window_start_min),
                crate::planner::hhmm(r.window_end_min)
            ),
            person: names.get(&r.person_id).cloned().unwrap_or_default(),
            kind: r.kind.clone(),
            address: r.address.clone(),
            geo: format!("geo:{:.6},{:.6}?q={:.6},{:.6}", r.lat, r.lon, r.lat, r.lon),
            status: r.status.clone(),
        })
        .collect();
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
        stops,
        map_svg,
        ctx,
    })
}
