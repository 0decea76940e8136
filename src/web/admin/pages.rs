//! Page structs of the administration area.

use askama::Template;
use askama_web::WebTemplate;

use crate::db::users::UserRow;
use crate::domain::UserId;
use crate::web::context::PageContext;
use crate::web::pagination::Pagination;
use crate::web::paths::{self, UserAction};

/// A user as the list shows them.
#[derive(Debug, Clone)]
pub struct UserItem {
    /// The edit form.
    pub href: String,
    /// Login.
    pub login: String,
    /// Full name.
    pub full_name: String,
    /// Role word.
    pub role: String,
    /// Group name of an officer.
    pub group: String,
    /// Active or disabled.
    pub is_active: bool,
    /// Local time a lock ends, if locked now.
    pub locked_until: Option<String>,
}

/// `GET /admin/users`.
#[derive(Template, WebTemplate)]
#[template(path = "admin/users.html")]
pub struct UsersPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Users.
    pub users: Vec<UserItem>,
}

/// A group as the list shows it.
#[derive(Debug, Clone)]
pub struct GroupItem {
    /// The edit form.
    pub href: String,
    /// Name.
    pub name: String,
    /// Base address.
    pub base_address: String,
    /// Shift, `10:00–22:00`.
    pub shift: String,
    /// Checks per shift.
    pub capacity: u16,
    /// Working days, e.g. `Mon Tue ...` in the language.
    pub days: String,
    /// District names.
    pub districts: String,
    /// Member logins.
    pub members: String,
}

/// `GET /admin/mobile-groups`.
#[derive(Template, WebTemplate)]
#[template(path = "admin/mobile_groups.html")]
pub struct MobileGroupsPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Groups.
    pub groups: Vec<GroupItem>,
}

/// A district as the list shows it.
#[derive(Debug, Clone)]
pub struct DistrictItem {
    /// Code.
    pub code: String,
    /// Name in the UI language.
    pub name: String,
    /// Kind word.
    pub kind: String,
    /// Residents.
    pub population: i64,
    /// Boundary vertices.
    pub vertices: usize,
}

/// `GET /admin/districts`.
#[derive(Template, WebTemplate)]
#[template(path = "admin/districts.html")]
pub struct DistrictsPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Districts.
    pub districts: Vec<DistrictItem>,
    /// Residents in all.
    pub population: i64,
}

/// A row of the standards table: tier, home days, work days.
#[derive(Debug, Clone)]
pub struct StandardItem {
    /// Tier word.
    pub risk_tier: String,
    /// Longest interval between home checks, days.
    pub home_days: u16,
    /// Longest interval between work checks, days.
    pub work_days: u16,
}

/// `GET /admin/contact-standards`.
#[derive(Template, WebTemplate)]
#[template(path = "admin/contact_standards.html")]
pub struct ContactStandardsPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Rows.
    pub standards: Vec<StandardItem>,
}

/// One audit entry, ready to print.
#[derive(Debug, Clone)]
pub struct AuditItem {
    /// Local time.
    pub at: String,
    /// Login.
    pub login: String,
    /// Action word.
    pub action: String,
    /// Record kind and id.
    pub entity: String,
    /// Client address.
    pub ip: String,
    /// Details.
    pub details: String,
}

/// `GET /admin/audit`.
#[derive(Template, WebTemplate)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Entries of this page.
    pub entries: Vec<AuditItem>,
    /// Page.
    pub pagination: Pagination,
}

/// The user being edited, as the edit page shows them.
#[derive(Debug, Clone)]
pub struct EditedUser {
    /// Where the edit form posts.
    pub action: String,
    /// The user's sessions.
    pub sessions_href: String,
    /// Where the new-password form posts.
    pub password_action: String,
    /// Where the disable (or enable) form posts.
    pub status_action: String,
    /// Login (not editable).
    pub login: String,
    /// Whether the account may sign in.
    pub is_active: bool,
    /// Whether it is the administrator's own account (which they may not disable).
    pub is_self: bool,
    /// Local time a lock ends, if locked now.
    pub locked_until: Option<String>,
}

impl EditedUser {
    /// `row` as its edit page shows it to the signed-in administrator of `ctx`.
    pub fn of(ctx: &PageContext, row: &UserRow) -> Self {
        let now = ctx.clock.now_utc();
        let id = UserId::from(row.id.clone());
        let status = if row.is_active {
            UserAction::Disable
        } else {
            UserAction::Enable
        };
        EditedUser {
            action: paths::user(&id),
            sessions_href: paths::user_sessions(&id),
            password_action: paths::user_action(&id, UserAction::Password),
            status_action: paths::user_action(&id, status),
            login: row.login.clone(),
            is_active: row.is_active,
            is_self: ctx.user.as_ref().is_some_and(|u| u.id.as_str() == row.id),
            locked_until: row
                .locked_until
                .filter(|t| *t > now)
                .map(|t| ctx.date_time(t)),
        }
    }
}
