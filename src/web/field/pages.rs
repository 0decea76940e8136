//! Today's route with its map (`templates/field/today.html`); the stop page is `stop_view`.

use askama::Template;
use askama_web::WebTemplate;
use chrono::NaiveDate;

use crate::domain::check::{Check, CheckStatus, hhmm};
use crate::domain::mobile_group::MobileGroup;
use crate::roads::Router;
use crate::services::visits::route::Route;
use crate::web::context::PageContext;
use crate::web::map::{self, Mark};
use crate::web::paths;

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
    /// The check's id.
    pub check_id: String,
    /// The stop's page.
    pub href: String,
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

/// A `geo:` URI that opens the tablet's navigation app at the check.
pub(super) fn geo_uri(check: &Check) -> String {
    let (lat, lon) = (check.location.lat, check.location.lon);
    format!("geo:{lat:.6},{lon:.6}?q={lat:.6},{lon:.6}")
}

pub(super) fn window(check: &Check) -> String {
    format!(
        "{}–{}",
        hhmm(i32::from(check.window_start_min)),
        hhmm(i32::from(check.window_end_min))
    )
}

/// The route on a map: from the base through the stops and back; done stops marked as such.
fn route_map(
    ctx: &PageContext,
    roads: Option<&Router>,
    group: &MobileGroup,
    checks: &[Check],
) -> String {
    let mut path = vec![group.base];
    path.extend(checks.iter().map(|c| c.location));
    path.push(group.base);
    let mut marks = vec![Mark {
        at: group.base,
        sign: "B".to_owned(),
        class: "base",
        title: group.base_address.clone(),
    }];
    marks.extend(checks.iter().map(|c| Mark {
        at: c.location,
        sign: c.position.unwrap_or(0).to_string(),
        // The stylesheet names its classes after the status and the kind.
        class: if c.status == CheckStatus::Done {
            CheckStatus::Done.as_str()
        } else {
            c.kind.as_str()
        },
        title: c.address.clone(),
    }));
    map::draw_with_paths(roads, &[], &[path], &marks, &ctx.t("person-map"))
}

/// The page of today's route.
pub fn today_page(
    ctx: PageContext,
    today: NaiveDate,
    route: Route,
    roads: Option<&Router>,
) -> TodayPage {
    let map_svg = match &route.group {
        Some(g) if !route.checks.is_empty() => route_map(&ctx, roads, g, &route.checks),
        _ => String::new(),
    };
    let stops = route
        .checks
        .iter()
        .map(|c| TodayStop {
            check_id: c.id.to_string(),
            href: paths::stop(&c.id),
            number: c.position.unwrap_or(0),
            arrival: c.planned_arrival_min.map(hhmm).unwrap_or_default(),
            window: window(c),
            person: route
                .names
                .get(c.person_id.as_str())
                .cloned()
                .unwrap_or_default(),
            kind: c.kind.to_string(),
            address: c.address.clone(),
            geo: geo_uri(c),
            status: c.status.to_string(),
        })
        .collect();
    let group = route.group;
    let shift = |g: &MobileGroup| {
        format!(
            "{}–{}",
            hhmm(i32::from(g.shift_start_min)),
            hhmm(i32::from(g.shift_end_min))
        )
    };
    TodayPage {
        today: ctx.date(today),
        shift: group.as_ref().map(shift).unwrap_or_default(),
        base_address: group
            .as_ref()
            .map(|g| g.base_address.clone())
            .unwrap_or_default(),
        group_name: group.map(|g| g.name),
        stops,
        map_svg,
        ctx,
    }
}
