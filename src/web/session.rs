//! What a session holds (in the `sessions` table, through `web::session_store`; the cookie holds
//! only its random key) and the rules for when it ends. The server keeps no session state in
//! memory, so any number of app servers can share the load (DESIGN.md section 8).

use actix_session::Session;

use crate::domain::UserId;
use crate::i18n::Lang;

use super::session_store::keys;

const USER_ID: &str = keys::USER_ID;
const UNTIL: &str = keys::UNTIL;
const SIGNED_IN_AT: &str = "since";
const SEEN_AT: &str = "seen";
const CSRF_TOKEN: &str = "csrf";
const LANG: &str = "lang";
const THEME: &str = "theme";
const FLASH: &str = "flash";
const PENDING_IMPORT: &str = "import";

/// How often the last-seen time is refreshed; refreshing on every request would rewrite the
/// cookie on every response.
const SEEN_REFRESH_SECS: i64 = 60;

/// The colour theme: follow the device, or a fixed one chosen with the switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Follow `prefers-color-scheme`.
    #[default]
    Auto,
    /// Light, for daylight.
    Light,
    /// Dark, for night shifts.
    Dark,
}

impl Theme {
    /// The value of the `data-theme` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Parses a form value.
    pub fn parse(text: &str) -> Option<Theme> {
        match text {
            "auto" => Some(Theme::Auto),
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

/// A one-time message shown on the next page (after a redirect).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Flash {
    /// `success` or `error`.
    pub kind: String,
    /// Message key.
    pub key: String,
}

/// Typed access to the session.
pub struct SessionData<'a>(pub &'a Session);

fn get<T: serde::de::DeserializeOwned>(session: &Session, key: &str) -> Option<T> {
    session.get::<T>(key).unwrap_or_default()
}

fn set<T: serde::Serialize>(session: &Session, key: &str, value: T) {
    if let Err(error) = session.insert(key, value) {
        tracing::warn!(%error, key, "cannot store a session value");
    }
}

/// A signed-in session as the state holds it (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// The user.
    pub user_id: UserId,
    /// When they signed in.
    pub since: i64,
    /// The last request (refreshed at most once a minute).
    pub seen: i64,
    /// The session's hard end.
    pub until: i64,
}

/// Where and from what a sign-in came, kept with the session for the user's and the
/// administrator's list of sessions.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The client's address.
    pub ip: Option<String>,
    /// The browser's `User-Agent`, cut to 300 characters.
    pub user_agent: Option<String>,
}

impl SessionData<'_> {
    /// Starts a signed-in session: the old state cleared and a new session key (so a planted
    /// session cannot be reused), a new CSRF token, the chosen language kept. It ends at `until`
    /// (unix seconds) whatever happens. (`purge` would drop the values inserted after it.)
    pub fn sign_in(&self, user: &UserId, now: i64, until: i64, origin: &Origin) {
        let lang = self.lang();
        let theme = self.theme();
        self.0.clear();
        self.0.renew();
        set(self.0, USER_ID, user.as_str());
        set(self.0, SIGNED_IN_AT, now);
        set(self.0, SEEN_AT, now);
        set(self.0, UNTIL, until);
        if let Some(ip) = &origin.ip {
            set(self.0, keys::IP, ip);
        }
        if let Some(agent) = &origin.user_agent {
            set(self.0, keys::USER_AGENT, agent);
        }
        if let Some(lang) = lang {
            set(self.0, LANG, lang);
        }
        set(self.0, THEME, theme);
        self.csrf_token();
    }

    /// Ends the session (its row is marked ended); the language and theme stay in a new one.
    pub fn sign_out(&self) {
        let lang = self.lang();
        let theme = self.theme();
        self.0.clear();
        self.0.renew();
        if let Some(lang) = lang {
            set(self.0, LANG, lang);
        }
        set(self.0, THEME, theme);
    }

    /// The signed-in session, if the state holds one (whether it is still valid is the caller's
    /// rule: it depends on the user's role).
    pub fn signed_in(&self) -> Option<SignedIn> {
        let id: String = get(self.0, USER_ID)?;
        Some(SignedIn {
            user_id: UserId::from(id),
            since: get(self.0, SIGNED_IN_AT).unwrap_or(0),
            seen: get(self.0, SEEN_AT).unwrap_or(0),
            until: get(self.0, UNTIL).unwrap_or(0),
        })
    }

    /// Records a request at `now` (at most once a minute, so most requests write nothing).
    pub fn touch(&self, seen: i64, now: i64) {
        if now - seen > SEEN_REFRESH_SECS {
            set(self.0, SEEN_AT, now);
        }
    }

    /// Whether the session could not be loaded for want of a database connection.
    pub fn is_busy(&self) -> bool {
        self.0.contains_key(keys::BUSY)
    }

    /// This session's id (the hash of its key), to keep it when ending the user's others.
    pub fn session_id(&self) -> Option<String> {
        get(self.0, keys::SESSION_ID)
    }

    /// The session's CSRF token, made on first use.
    pub fn csrf_token(&self) -> String {
        if let Some(token) = get::<String>(self.0, CSRF_TOKEN) {
            return token;
        }
        let mut bytes = [0u8; 32];
        if let Err(error) = getrandom::fill(&mut bytes) {
            // Without randomness no token can be trusted; an empty one never matches.
            tracing::error!(%error, "no randomness for a CSRF token");
            return String::new();
        }
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        set(self.0, CSRF_TOKEN, &token);
        token
    }

    /// The stored token without making one (for checking).
    pub fn existing_csrf_token(&self) -> Option<String> {
        get(self.0, CSRF_TOKEN)
    }

    /// The language chosen with the switcher.
    pub fn lang(&self) -> Option<Lang> {
        get(self.0, LANG)
    }

    /// Stores the chosen language.
    pub fn set_lang(&self, lang: Lang) {
        set(self.0, LANG, lang);
    }

    /// The chosen theme.
    pub fn theme(&self) -> Theme {
        get(self.0, THEME).unwrap_or_default()
    }

    /// Stores the chosen theme.
    pub fn set_theme(&self, theme: Theme) {
        set(self.0, THEME, theme);
    }

    /// Remembers the checked import file waiting for the user's "import" (its stored name).
    pub fn set_pending_import(&self, name: &str) {
        set(self.0, PENDING_IMPORT, name);
    }

    /// The checked import file waiting, if any.
    pub fn pending_import(&self) -> Option<String> {
        get(self.0, PENDING_IMPORT)
    }

    /// Forgets the waiting import file.
    pub fn clear_pending_import(&self) {
        self.0.remove(PENDING_IMPORT);
    }

    /// Leaves a message for the next page.
    pub fn set_flash(&self, kind: &str, key: &str) {
        set(
            self.0,
            FLASH,
            Flash {
                kind: kind.to_owned(),
                key: key.to_owned(),
            },
        );
    }

    /// Takes the message left for this page.
    pub fn take_flash(&self) -> Option<Flash> {
        let flash = get(self.0, FLASH);
        if flash.is_some() {
            self.0.remove(FLASH);
        }
        flash
    }
}
