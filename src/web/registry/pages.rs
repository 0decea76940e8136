//! Page structs and view rows of the registry.

use askama::Template;
use askama_web::WebTemplate;

use crate::web::context::PageContext;
use crate::web::pagination::Pagination;

/// One row of the person list, ready to print.
#[derive(Debug, Clone)]
pub struct PersonListItem {
    /// Id for the link.
    pub id: String,
    /// Full name.
    pub name: String,
    /// IIN with all but the last four digits hidden.
    pub masked_iin: String,
    /// District name.
    pub district: String,
    /// Tier word (for the badge's class and label key).
    pub risk_tier: String,
    /// Status word.
    pub status: String,
    /// Supervision kind word.
    pub supervision_kind: String,
    /// Home address.
    pub home_address: String,
}

/// A choice of a filter's drop-down.
#[derive(Debug, Clone)]
pub struct FilterOption {
    /// Value sent.
    pub value: String,
    /// Label shown.
    pub label: String,
    /// Whether it is the current choice.
    pub is_selected: bool,
}

/// The list's filters as the form shows them.
#[derive(Debug, Clone, Default)]
pub struct ListFilters {
    /// Search text.
    pub q: String,
    /// District choices.
    pub districts: Vec<FilterOption>,
    /// Tier choices.
    pub tiers: Vec<FilterOption>,
    /// Status choices.
    pub statuses: Vec<FilterOption>,
    /// Supervision kind choices.
    pub kinds: Vec<FilterOption>,
    /// Sort choices.
    pub sorts: Vec<FilterOption>,
    /// The list's URL with every filter but `page`, ending in `&`, for pagination links.
    pub pager_base: String,
}

/// `GET /registry/persons`.
#[derive(Template, WebTemplate)]
#[template(path = "registry/list.html")]
pub struct PersonListPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Rows of this page.
    pub persons: Vec<PersonListItem>,
    /// Filters.
    pub filters: ListFilters,
    /// Page.
    pub pagination: Pagination,
}

/// One labelled value of the person page.
#[derive(Debug, Clone)]
pub struct Field {
    /// Label key.
    pub label_key: &'static str,
    /// Value, ready to print (empty: shown as a dash).
    pub value: String,
}

/// One visit of the person's history.
#[derive(Debug, Clone)]
pub struct VisitLine {
    /// When (device time, local).
    pub at: String,
    /// home or work.
    pub kind: String,
    /// Outcome, localised.
    pub outcome: String,
    /// Evidence quality word.
    pub evidence: String,
    /// Recorded far from the address.
    pub far: bool,
    /// Distance from the address, as text.
    pub distance: String,
}

/// One line of "who viewed or changed this record".
#[derive(Debug, Clone)]
pub struct AccessLine {
    /// Local time.
    pub at: String,
    /// Login.
    pub login: String,
    /// Action word.
    pub action: String,
    /// Where the record was seen, translated: the record itself, or a list (the registry, a
    /// plan, a route, a report) that showed it.
    pub via: String,
}

/// `GET /registry/persons/{id}`.
#[derive(Template, WebTemplate)]
#[template(path = "registry/person.html")]
pub struct PersonPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Id (links to edit).
    pub id: String,
    /// The SVG map (our own markup, numbers and escaped text only).
    pub map_svg: String,
    /// Visits, newest first.
    pub history: Vec<VisitLine>,
    /// Open follow-ups, as text.
    pub follow_ups: Vec<String>,
    /// Full name.
    pub name: String,
    /// Tier word.
    pub risk_tier: String,
    /// Status word.
    pub status: String,
    /// Identity and contact fields.
    pub identity: Vec<Field>,
    /// Conviction and supervision fields.
    pub conviction: Vec<Field>,
    /// Home and work fields.
    pub places: Vec<Field>,
    /// Recent access to the record.
    pub access: Vec<AccessLine>,
}
