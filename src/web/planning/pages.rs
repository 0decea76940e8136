//! Page structs of the planning area (`templates/planning/`).

use askama::Template;

use crate::web::context::PageContext;

/// A plan in the list.
#[derive(Debug, Clone)]
pub struct PlanItem {
    /// Its page.
    pub href: String,
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
    /// A refused form's messages, by field (the kit's error summary links to each).
    pub errors: crate::web::forms::FieldMessages,
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
    /// The person's page.
    pub person_href: String,
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
    /// Where its move form posts.
    pub move_action: String,
    /// Where its pin form posts.
    pub pin_action: String,
    /// The place to come back to after a change of this row: the row after it (or the list).
    pub back: String,
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
    /// Its page.
    pub href: String,
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
    /// The person's page.
    pub person_href: String,
    /// Where its move form posts.
    pub move_action: String,
    /// home or work.
    pub kind: String,
    /// Why (localised).
    pub reason: String,
    /// Priority (for sorting by eye).
    pub priority: i64,
    /// Where it may be moved.
    pub targets: Vec<MoveTarget>,
    /// The place to come back to after a change of this row.
    pub back: String,
}

/// A target of "move to": a group and a day.
#[derive(Debug, Clone)]
pub struct MoveTarget {
    /// `group_id|YYYY-MM-DD`.
    pub value: String,
    /// Shown label.
    pub label: String,
}

/// What every page of a plan shows on top: its period, status, totals, and the forms that
/// change the whole plan (each names the version they were made on).
#[derive(Debug, Clone)]
pub struct PlanHead {
    /// The plan's summary page.
    pub href: String,
    /// Where the publish form posts.
    pub publish: String,
    /// Where the re-optimise form posts.
    pub reoptimise: String,
    /// Where the form adding an urgent check posts.
    pub add_check: String,
    /// Period.
    pub period: String,
    /// draft or published.
    pub status: String,
    /// Version the forms send back.
    pub version: i32,
    /// Totals: checks placed, left out, km, driving.
    pub totals: (usize, usize, String, String),
    /// Where the travel times come from, in a line (empty for an old plan).
    pub travel: String,
    /// The page the forms come back to.
    pub back: String,
}

/// One group's route on one day in the summary.
#[derive(Debug, Clone)]
pub struct RouteCell {
    /// Its page.
    pub href: String,
    /// Stops.
    pub stops: usize,
    /// Distance, km (one decimal).
    pub km: String,
}

/// A group's row of the summary: a cell a day (`None` where the group does not work).
#[derive(Debug, Clone)]
pub struct SummaryRow {
    /// Group name.
    pub group: String,
    /// Its routes, one a day of the plan.
    pub cells: Vec<Option<RouteCell>>,
}

/// The checks left out for one reason.
#[derive(Debug, Clone)]
pub struct ReasonCount {
    /// The reason, localised.
    pub label: String,
    /// How many.
    pub count: usize,
    /// Their page.
    pub href: String,
    /// The reason of the page shown.
    pub current: bool,
}

/// A link between the pages of a plan (another day of the group, another group on the day).
#[derive(Debug, Clone)]
pub struct NavLink {
    /// Where.
    pub href: String,
    /// Shown text.
    pub label: String,
    /// The page shown.
    pub current: bool,
}

/// `GET /planning/plans/{id}`: the summary, a cell for each group and day, and the checks left
/// out counted by reason.
#[derive(Template)]
#[template(path = "planning/plan.html")]
pub struct PlanPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Period, totals and actions.
    pub head: PlanHead,
    /// The days of the plan, as column headings.
    pub days: Vec<String>,
    /// A row a group.
    pub rows: Vec<SummaryRow>,
    /// Checks left out, by reason.
    pub reasons: Vec<ReasonCount>,
}

/// A removal asked for and waiting for its confirmation.
#[derive(Debug, Clone)]
pub struct ConfirmRemove {
    /// Where the removal posts.
    pub action: String,
    /// Person's name.
    pub person: String,
    /// Where "keep it" goes.
    pub keep: String,
}

/// `GET /planning/plans/{id}/routes/{group}/{date}`: one route on its map and as a list.
#[derive(Template)]
#[template(path = "planning/route.html")]
pub struct RoutePage {
    /// Layout data.
    pub ctx: PageContext,
    /// Period, totals and actions.
    pub head: PlanHead,
    /// The route.
    pub route: RouteView,
    /// The group's other days.
    pub days: Vec<NavLink>,
    /// The other groups on this day.
    pub groups: Vec<NavLink>,
    /// A removal to confirm.
    pub confirm: Option<ConfirmRemove>,
}

/// `GET /planning/plans/{id}/left-out`: the checks left out, one reason at a time, paged.
#[derive(Template)]
#[template(path = "planning/left_out.html")]
pub struct LeftOutPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Period, totals and actions.
    pub head: PlanHead,
    /// Reasons with their counts (the page's one current).
    pub reasons: Vec<ReasonCount>,
    /// This page's checks, the most urgent first.
    pub lines: Vec<UnplacedLine>,
    /// The page.
    pub pagination: crate::web::pagination::Pagination,
    /// The pager's links, up to `page=`.
    pub pager_base: String,
}

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
