//! `PageContext`: what every page's layout needs (language, user, CSRF token, theme, flash
//! message, navigation), extracted once per request.

use std::borrow::Borrow;

use actix_session::SessionExt as _;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage as _, HttpRequest, web};
use fluent_templates::fluent_bundle::FluentValue;

use super::auth::CurrentUser;
use super::session::{Flash, SessionData, Theme};
use crate::app::AppState;
use crate::clock::Clock;
use crate::domain::user::{Role, User};
use crate::i18n::Lang;
use crate::web::paths;

/// An integer as templates hand it over: by value or through any number of references.
pub trait Integer {
    /// The value.
    fn as_i64(&self) -> i64;
}

impl Integer for i64 {
    fn as_i64(&self) -> i64 {
        *self
    }
}

impl Integer for usize {
    fn as_i64(&self) -> i64 {
        i64::try_from(*self).unwrap_or(i64::MAX)
    }
}

impl Integer for u16 {
    fn as_i64(&self) -> i64 {
        i64::from(*self)
    }
}

impl<T: Integer + ?Sized> Integer for &T {
    fn as_i64(&self) -> i64 {
        (**self).as_i64()
    }
}

/// One link of the main navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Target path.
    pub href: &'static str,
    /// Label, already translated.
    pub label: String,
    /// Whether the current page is under it.
    pub is_current: bool,
}

/// The layout's data.
#[derive(Debug, Clone)]
pub struct PageContext {
    /// UI language.
    pub lang: Lang,
    /// The signed-in user.
    pub user: Option<User>,
    /// CSRF token for the page's forms.
    pub csrf_token: String,
    /// Colour theme.
    pub theme: Theme,
    /// One-time message.
    pub flash: Option<Flash>,
    /// Path and query of this page (where the language switch returns to).
    pub path: String,
    /// The region's time zone.
    pub tz: chrono_tz::Tz,
    /// The app's clock (pinned in tests).
    pub clock: Clock,
}

impl PageContext {
    /// A message in the page's language.
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// The label of a stored word, e.g. `word("risk-tier", "high")` looks up `risk-tier-high`.
    pub fn word(&self, prefix: &str, value: impl std::fmt::Display) -> String {
        self.lang.t(&format!("{prefix}-{value}"))
    }

    /// A message with one numeric argument (plural-aware).
    pub fn tn(&self, key: &str, count: impl Integer) -> String {
        self.lang
            .t_args(key, &[("count", FluentValue::from(count.as_i64()))])
    }

    /// A message with one text argument.
    pub fn ts(&self, key: &str, name: &'static str, value: &str) -> String {
        self.lang
            .t_args(key, &[(name, FluentValue::from(value.to_owned()))])
    }

    /// An integer formatted for the language.
    pub fn int(&self, value: impl Integer) -> String {
        self.lang.integer(value.as_i64())
    }

    /// A date formatted for the language.
    pub fn date(&self, date: impl Borrow<chrono::NaiveDate>) -> String {
        self.lang.date(*date.borrow())
    }

    /// Today's date in the region.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today(self.tz)
    }

    /// A UTC timestamp shown in the region's time zone.
    pub fn date_time(&self, at: impl Borrow<chrono::NaiveDateTime>) -> String {
        self.lang.date_time(*at.borrow(), self.tz)
    }

    /// The signed-in user's role word, or an empty text.
    pub fn role(&self) -> &'static str {
        self.user.as_ref().map(|u| u.role.as_str()).unwrap_or("")
    }

    /// Whether the page uses the tablet layout's big controls (officers).
    pub fn is_officer(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == Role::Officer)
    }

    /// The main navigation for the user's role.
    pub fn nav(&self) -> Vec<NavItem> {
        let Some(user) = &self.user else {
            return Vec::new();
        };
        let items: &[(&'static str, &str)] = match user.role {
            Role::Administrator => &[
                ("/", "nav-home"),
                (paths::USERS, "nav-users"),
                (paths::MOBILE_GROUPS, "nav-mobile-groups"),
                (paths::DISTRICTS, "nav-districts"),
                (paths::CONTACT_STANDARDS, "nav-contact-standards"),
                (paths::AUDIT, "nav-audit"),
            ],
            Role::Prosecutor => &[
                ("/", "nav-home"),
                (paths::PERSONS, "nav-registry"),
                (paths::PLANNING, "nav-planning"),
                (paths::FOLLOW_UPS, "nav-follow-ups"),
                (paths::REPORTS, "nav-reports"),
            ],
            Role::Supervisor => &[("/", "nav-home"), (paths::REPORTS, "nav-reports")],
            // An officer's home is today's route: one entry, not two leading to the same page.
            Role::Officer => &[(paths::FIELD_TODAY, "nav-today")],
        };
        let path = self.path.split('?').next().unwrap_or("/");
        items
            .iter()
            .map(|(href, key)| NavItem {
                href,
                label: self.t(key),
                is_current: if *href == "/" {
                    path == "/"
                } else {
                    path.starts_with(href)
                },
            })
            .collect()
    }

    /// The report page's one-click periods (this month, last month, quarter, year).
    pub fn presets(&self) -> Vec<super::presets::PresetLink> {
        super::presets::preset_links(self)
    }

    /// The other languages for the switcher.
    pub fn languages(&self) -> Vec<(&'static str, &'static str, bool)> {
        Lang::ALL
            .iter()
            .map(|l| (l.code(), l.native_name(), *l == self.lang))
            .collect()
    }

    /// The CSV dialect other than the language's own, as `?dialect=` and the link's text: the
    /// report pages offer it a click away from their CSV download.
    pub fn csv_other(&self) -> (&'static str, String) {
        use crate::reports::csv_dialect::Dialect;
        match Dialect::of_language(self.lang.code()) {
            Dialect::Semicolon => ("comma", self.t("csv-other-comma")),
            Dialect::Comma => ("semicolon", self.t("csv-other-semicolon")),
        }
    }

    /// The flash message's text.
    pub fn flash_text(&self) -> String {
        self.flash
            .as_ref()
            .map(|f| self.t(&f.key))
            .unwrap_or_default()
    }
}

impl FromRequest for PageContext {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(PageContext::of(req)))
    }
}

impl PageContext {
    /// The context of a request (also used by the error pages).
    pub fn of(req: &HttpRequest) -> PageContext {
        let session = req.get_session();
        let data = SessionData(&session);
        // Before the extensions are borrowed: a visitor's new token is noted in them.
        let csrf_token = super::csrf::token_for(req);
        let extensions = req.extensions();
        let state = req.app_data::<web::Data<AppState>>();
        PageContext {
            lang: extensions.get::<Lang>().copied().unwrap_or_default(),
            user: extensions.get::<CurrentUser>().map(|u| u.0.clone()),
            csrf_token,
            theme: data.theme(),
            flash: data.take_flash(),
            path: req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/")
                .to_owned(),
            tz: state.map_or(chrono_tz::Asia::Almaty, |s| s.tz),
            clock: state.map_or_else(Clock::system, |s| s.clock),
        }
    }
}
