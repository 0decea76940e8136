//! Today, live (prosecutors and supervisors): each group's route of today with its stops done,
//! missed, waiting and late, on the route's map, as officers record their visits. The page's
//! script fetches its groups part (`?part=groups`) every 20 s and swaps it in; without script the
//! page refreshes itself each minute. It names no person (stops are numbers and statuses), so
//! there is no read to audit.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{NaiveDate, Timelike as _};

use crate::app::AppState;
use crate::db::{self, DbConnection};
use crate::domain::check::{Check, hhmm};
use crate::domain::mobile_group::MobileGroup;
use crate::domain::stop_state::StopState;
use crate::error::AppError;
use crate::web::context::PageContext;
use crate::web::map::{self, Mark};
use crate::web::render::render_with_status;

/// A stop as the live page shows it.
#[derive(Debug, Clone)]
pub struct LiveStop {
    /// Its number on the route.
    pub number: usize,
    /// Planned arrival, `HH:MM`.
    pub arrival: String,
    /// home or work.
    pub kind: String,
    /// done, missed, waiting or late.
    pub state: &'static str,
}

/// A group's route of today.
#[derive(Debug, Clone)]
pub struct LiveGroup {
    /// Group name.
    pub name: String,
    /// Anchor id.
    pub anchor: String,
    /// Stops in order.
    pub stops: Vec<LiveStop>,
    /// Counts: done, missed, waiting, late.
    pub counts: (usize, usize, usize, usize),
    /// The route's map.
    pub map_svg: String,
}

/// The groups part of the page, also served alone for the page's script.
#[derive(Template)]
#[template(path = "reports/today_groups.html")]
pub struct LiveGroupsPart {
    /// Layout data.
    pub ctx: PageContext,
    /// The groups with a route today.
    pub groups: Vec<LiveGroup>,
    /// When the figures were read, `HH:MM`.
    pub as_of: String,
}

/// `GET /reports/today`.
#[derive(Template)]
#[template(path = "reports/today.html")]
pub struct LivePage {
    /// Layout data.
    pub ctx: PageContext,
    /// The groups with a route today.
    pub groups: Vec<LiveGroup>,
    /// When the figures were read, `HH:MM`.
    pub as_of: String,
    /// Today, as shown.
    pub day: String,
}

/// `?part=groups`: only the groups part.
#[derive(Debug, Default, serde::Deserialize)]
pub struct LiveQuery {
    #[serde(default)]
    part: String,
}

/// The groups' routes of a day (each group with its stops), and the districts to draw them on.
type DayRoutes = (Vec<(MobileGroup, Vec<Check>)>, Vec<crate::domain::District>);

/// Each group's route of `date` (groups without one left out), with the districts to draw.
fn routes_of_day(conn: &mut DbConnection, date: NaiveDate) -> anyhow::Result<DayRoutes> {
    let mut routes = Vec::new();
    for group in db::mobile_groups::list_mobile_groups(conn)? {
        let stops = db::checks::route_of(conn, &group.id, date)?;
        if !stops.is_empty() {
            routes.push((group, stops));
        }
    }
    Ok((routes, db::districts::list_districts(conn)?))
}

/// A group's route as shown at `minute` of the day.
fn live_group(
    ctx: &PageContext,
    group: &MobileGroup,
    stops: &[Check],
    districts: &[crate::domain::District],
    minute: i32,
    roads: Option<&crate::roads::Router>,
) -> LiveGroup {
    let states: Vec<StopState> = stops.iter().map(|c| StopState::of(c, minute)).collect();
    let count = |s: StopState| states.iter().filter(|x| **x == s).count();
    let mut path = vec![group.base];
    path.extend(stops.iter().map(|c| c.location));
    path.push(group.base);
    let mut marks = vec![Mark {
        at: group.base,
        sign: "B".into(),
        class: "base",
        title: group.name.clone(),
    }];
    marks.extend(
        stops
            .iter()
            .zip(&states)
            .enumerate()
            .map(|(i, (c, s))| Mark {
                at: c.location,
                sign: (i + 1).to_string(),
                class: s.as_str(),
                title: format!("{} · {}", i + 1, ctx.word("live-state", s.as_str())),
            }),
    );
    let areas: Vec<_> = districts
        .iter()
        .filter(|d| group.district_ids.contains(&d.id))
        .map(|d| &d.boundary)
        .collect();
    LiveGroup {
        name: group.name.clone(),
        anchor: format!("g-{}", group.id),
        stops: stops
            .iter()
            .zip(&states)
            .enumerate()
            .map(|(i, (c, s))| LiveStop {
                number: i + 1,
                arrival: c.planned_arrival_min.map(hhmm).unwrap_or_default(),
                kind: c.kind.to_string(),
                state: s.as_str(),
            })
            .collect(),
        counts: (
            count(StopState::Done),
            count(StopState::Missed),
            count(StopState::Waiting),
            count(StopState::Late),
        ),
        map_svg: map::draw_with_paths(roads, &areas, &[path], &marks, &group.name),
    }
}

/// `GET /reports/today`: the page, or with `?part=groups` its groups part alone.
pub async fn show_live(
    ctx: PageContext,
    state: web::Data<AppState>,
    query: web::Query<LiveQuery>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now().with_timezone(&state.tz);
    let date = now.date_naive();
    let minute = i32::try_from(now.hour() * 60 + now.minute()).unwrap_or(0);
    let (routes, districts) =
        db::run(&state.pool, move |conn| Ok(routes_of_day(conn, date)?)).await?;
    let roads = map::roads_for(&state).await;
    let groups = routes
        .iter()
        .map(|(g, stops)| live_group(&ctx, g, stops, &districts, minute, roads.as_deref()))
        .collect();
    let as_of = hhmm(minute);
    if query.part == "groups" {
        let part = LiveGroupsPart { ctx, groups, as_of };
        return Ok(render_with_status(StatusCode::OK, &part));
    }
    let day = ctx.date(date);
    let page = LivePage {
        ctx,
        groups,
        as_of,
        day,
    };
    Ok(render_with_status(StatusCode::OK, &page))
}
