//! Page structs of the planning area (`templates/planning/`).

use askama::Template;

use crate::web::context::PageContext;

/// A plan in the list.
#[derive(Debug, Clone)]
pub struct PlanItem {
    /// Id.
    pub id: String,
    /// Period, as shown.
    pub period: String,
    /// draft or published.
    pub status: String,
}

/// A group to tick on the new-plan form.
#[derive(Debug, Clone)]
pub struct GroupChoice {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// `GET /planning`.
#[derive(Template)]
#[template(path = "planning/index.html")]
pub struct PlanningPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Recent plans.
    pub plans: Vec<PlanItem>,
    /// Groups to choose from.
    pub groups: Vec<GroupChoice>,
    /// Default first day (tomorrow), ISO.
    pub default_from: String,
    /// A refused form's message.
    pub error: Option<String>,
}

/// One stop of a route.
#[derive(Debug, Clone)]
pub struct StopLine {
    /// Check id.
    pub check_id: String,
    /// Number on the map.
    pub number: usize,
    /// Planned arrival, `HH:MM`.
    pub arrival: String,
    /// Window, `HH:MM–HH:MM`.
    pub window: String,
    /// Person's name.
    pub person: String,
    /// Person id (link).
    pub person_id: String,
    /// home or work.
    pub kind: String,
    /// Address.
    pub address: String,
    /// Kept on this group and day.
    pub pinned: bool,
    /// done, missed, published, planned.
    pub status: String,
    /// Where it may be moved: the days of the groups covering its district.
    pub targets: Vec<MoveTarget>,
}

/// A group's route on a day.
#[derive(Debug, Clone)]
pub struct RouteView {
    /// Heading: group and day.
    pub title: String,
    /// Anchor id.
    pub anchor: String,
    /// The map.
    pub map_svg: String,
    /// Stops in order.
    pub stops: Vec<StopLine>,
    /// Distance, km (one decimal).
    pub km: String,
    /// Driving, `H:MM`.
    pub driving: String,
    /// Shift use, percent of the shift from first departure to return.
    pub shift_use: String,
}

/// A check left out.
#[derive(Debug, Clone)]
pub struct UnplacedLine {
    /// Check id.
    pub check_id: String,
    /// Person's name.
    pub person: String,
    /// Person id.
    pub person_id: String,
    /// home or work.
    pub kind: String,
    /// Why (localised).
    pub reason: String,
    /// Priority (for sorting by eye).
    pub priority: i64,
    /// Where it may be moved.
    pub targets: Vec<MoveTarget>,
}

/// A target of "move to": a group and a day.
#[derive(Debug, Clone)]
pub struct MoveTarget {
    /// `group_id|YYYY-MM-DD`.
    pub value: String,
    /// Shown label.
    pub label: String,
}

/// `GET /planning/plans/{id}`.
#[derive(Template)]
#[template(path = "planning/plan.html")]
pub struct PlanPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Id.
    pub id: String,
    /// Period.
    pub period: String,
    /// draft or published.
    pub status: String,
    /// Version the forms send back.
    pub version: i32,
    /// Routes.
    pub routes: Vec<RouteView>,
    /// Checks left out, the most urgent first (the first [`UNPLACED_SHOWN`]).
    pub unplaced: Vec<UnplacedLine>,
    /// Checks left out in all.
    pub unplaced_count: usize,
    /// Totals: checks placed, left out, km, driving.
    pub totals: (usize, usize, String, String),
}

/// Left-out checks listed on the plan page; the count covers them all.
pub const UNPLACED_SHOWN: usize = 200;

/// `GET /planning/jobs/{id}`: a plan being made.
#[derive(Template)]
#[template(path = "planning/job.html")]
pub struct PlanJobPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Share done, 0 to 100.
    pub percent: u8,
    /// The phase at work, named; `None` once failed.
    pub phase: Option<String>,
    /// Why the plan could not be made.
    pub error: Option<String>,
    /// The same plan asked for again, on a failed job's page.
    pub restart: Option<RestartForm>,
    /// Where the page's script follows the job.
    pub status_url: String,
}

/// A failed job's plan, to start again with one button.
#[derive(Debug, Clone)]
pub struct RestartForm {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Days.
    pub days: u32,
    /// The groups asked for (all when empty).
    pub groups: Vec<String>,
}
