//! Settings: defaults in code, then an optional TOML file, then `BAQYLAU_*` environment variables
//! (`BAQYLAU_DATABASE_URL`, `BAQYLAU_BIND`, ...). Read once in `main` and passed in `AppState`.

mod check;

pub use check::parse_proxy;

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use figment::Figment;
use figment::providers::{Env, Format as _, Serialized, Toml};

/// The demo users' password printed in the README, used when `demo_password` is empty.
pub const PUBLISHED_DEMO_PASSWORD: &str = "baqylau-demo";

/// Every setting, with its default. Unknown keys are refused so a typo is not silently ignored.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Where the data lives: `sqlite://PATH` (default `sqlite://data/baqylau.db`) or
    /// `postgres://USER:PASSWORD@HOST:PORT/DATABASE`.
    pub database_url: String,
    /// Database connections in the pool; 0 picks by backend (4 for SQLite, 12 for PostgreSQL).
    pub database_pool_size: u32,
    /// Address and port the server listens on.
    pub bind: String,
    /// Fill an empty database with the demo region at start-up.
    #[serde(deserialize_with = "flexible_bool")]
    pub demo: bool,
    /// With the demo region, also make its history: weekly plans since January 2025 and the
    /// visits recorded on them (in the background at first start; reports fill in as it runs).
    #[serde(deserialize_with = "flexible_bool")]
    pub demo_history: bool,
    /// Password of the demo users. Empty: the published `baqylau-demo`, and then the demo region
    /// is loaded only when the server listens on a loopback address (a published password must
    /// never be open to a network).
    pub demo_password: String,
    /// Seed of the demo region (the same seed gives the same region).
    pub demo_seed: u64,
    /// 64-byte cookie key as 128 hex digits; when empty, read from (or made in) `secret_key_file`.
    /// Every app server behind one load balancer needs the same key.
    pub secret_key: String,
    /// File holding the cookie key when `secret_key` is empty. Empty: `secret.key` in the data
    /// folder (beside the SQLite database; `data/` with PostgreSQL).
    pub secret_key_file: PathBuf,
    /// The region's time zone (IANA name); times are stored in UTC and shown in it.
    pub time_zone: String,
    /// A desk session (administrator, prosecutor, supervisor) ends after this many minutes
    /// without a request.
    pub session_idle_minutes: i64,
    /// A session ends this many hours after sign-in, however active.
    pub session_max_hours: i64,
    /// An officer's session ends this many minutes after their group's shift ends (it does not
    /// end for idleness: the tablet may be offline for hours).
    pub officer_session_grace_minutes: i64,
    /// Reverse proxies whose `X-Forwarded-For`/`Forwarded` headers are believed: addresses or
    /// networks, separated by commas (`10.0.0.5, 10.0.1.0/24`). Empty: none; the client's
    /// address is the peer's.
    pub trusted_proxies: String,
    /// Failed sign-ins in a row that lock an account.
    pub max_failed_logins: i32,
    /// How long a locked account stays locked, in minutes; also the window in which failed
    /// sign-ins from one address are counted.
    pub lock_minutes: i64,
    /// Failed sign-ins from one client address (over all accounts) within `lock_minutes` after
    /// which that address is refused until the window ends, so one address cannot lock out
    /// account after account.
    pub max_failed_logins_per_address: i32,
    /// Failed checks of a person in a row (absent, refused, not found) that open a follow-up.
    pub failures_for_follow_up: u32,
    /// Minutes after a visit is first stored in which its officer may correct its outcome (the
    /// correction replaces it); after them the check is closed.
    pub visit_correction_minutes: u32,
    /// The national reference the crime-trend report sets the region's rate against:
    /// registered offences per 10,000 residents a year.
    pub national_rate_per_10k: f64,
    /// Longest period a report may cover, in years (1 or more): the coverage, group, crime-trend
    /// (and its comparison) and coverage-against-crime reports, on the web and `baqylau report`.
    /// A longer one is refused with a message rather than read for minutes.
    pub max_report_years: u32,
    /// Plans being made at once on the whole server (1 or more); each holds a thread of its own
    /// for about two seconds. A prosecutor may have one being made at a time in any case.
    pub max_plan_jobs: usize,
    /// A plan job whose server has not said it is alive for this many seconds (3 or more) is
    /// shown as failed, with a way to start it again: its server stopped or died.
    pub plan_job_lost_seconds: i64,
    /// Mark cookies `Secure`: set it behind a reverse proxy that speaks HTTPS to the browsers
    /// (always on when the server speaks HTTPS itself, `tls_cert`).
    #[serde(deserialize_with = "flexible_bool")]
    pub secure_cookies: bool,
    /// The server's certificate chain (PEM): with `tls_key`, the server speaks HTTPS itself.
    pub tls_cert: PathBuf,
    /// The server certificate's private key (PEM).
    pub tls_key: PathBuf,
    /// With HTTPS on, a second address that answers plain HTTP with a redirect to HTTPS (e.g.
    /// `0.0.0.0:80`); empty for none.
    pub http_redirect_bind: String,
    /// HTTP worker threads; 0 means one per core.
    pub workers: usize,
    /// Log filter (tracing `EnvFilter` syntax), e.g. `info` or `baqylau=debug`.
    pub log: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: "sqlite://data/baqylau.db".to_owned(),
            database_pool_size: 0,
            bind: "127.0.0.1:8080".to_owned(),
            demo: true,
            demo_history: true,
            demo_password: String::new(),
            demo_seed: 2026,
            secret_key: String::new(),
            secret_key_file: PathBuf::new(),
            time_zone: "Asia/Almaty".to_owned(),
            session_idle_minutes: 30,
            session_max_hours: 14,
            officer_session_grace_minutes: 60,
            trusted_proxies: String::new(),
            max_failed_logins: 5,
            lock_minutes: 15,
            max_failed_logins_per_address: 20,
            failures_for_follow_up: 2,
            visit_correction_minutes: 10,
            national_rate_per_10k: 57.0,
            max_report_years: 5,
            max_plan_jobs: 2,
            plan_job_lost_seconds: 30,
            secure_cookies: false,
            tls_cert: PathBuf::new(),
            tls_key: PathBuf::new(),
            http_redirect_bind: String::new(),
            workers: 0,
            log: "info".to_owned(),
        }
    }
}

impl std::fmt::Debug for Settings {
    /// Redacts the secrets and the database password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = crate::db::DatabaseUrl::parse(&self.database_url)
            .map(|u| u.redacted())
            .unwrap_or_else(|_| "(invalid)".to_owned());
        f.debug_struct("Settings")
            .field("database_url", &url)
            .field("bind", &self.bind)
            .field("demo", &self.demo)
            .field("demo_password", &"***")
            .field("secret_key", &"***")
            .field("time_zone", &self.time_zone)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// Reads the settings: defaults, the TOML file if given, then `BAQYLAU_*` variables.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(file) = file {
            anyhow::ensure!(
                file.exists(),
                "the settings file {} does not exist",
                file.display()
            );
            figment = figment.merge(Toml::file(file));
        }
        figment = figment.merge(Env::prefixed("BAQYLAU_").ignore(&["config"]));
        let settings: Settings = figment.extract().context("the settings are not valid")?;
        settings.check()?;
        Ok(settings)
    }

    /// Whether the server speaks HTTPS itself (`tls_cert` and `tls_key` are set).
    pub fn tls_enabled(&self) -> bool {
        !self.tls_cert.as_os_str().is_empty()
    }

    /// Whether cookies are marked `Secure`: over HTTPS, the server's own or a proxy's.
    pub fn cookies_secure(&self) -> bool {
        self.secure_cookies || self.tls_enabled()
    }

    /// The server's own folder: beside the SQLite database; with PostgreSQL the cookie key
    /// file's folder when one is named, else `data/` (the cookie key and uploads waiting for their
    /// import live there).
    pub fn data_dir(&self) -> PathBuf {
        let named_key_dir = self
            .secret_key_file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf);
        match crate::db::DatabaseUrl::parse(&self.database_url) {
            Ok(crate::db::DatabaseUrl::Sqlite(path)) => path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            _ => named_key_dir.unwrap_or_else(|| PathBuf::from("data")),
        }
    }

    /// The cookie key's file: `secret_key_file`, else `secret.key` in the data folder.
    pub fn secret_key_path(&self) -> PathBuf {
        if self.secret_key_file.as_os_str().is_empty() {
            self.data_dir().join("secret.key")
        } else {
            self.secret_key_file.clone()
        }
    }

    /// The demo users' password: the one set, else the published one.
    pub fn effective_demo_password(&self) -> &str {
        if self.demo_password.is_empty() {
            PUBLISHED_DEMO_PASSWORD
        } else {
            &self.demo_password
        }
    }

    /// Whether the demo region may be loaded: asked for, and either the server listens only on
    /// a loopback address or its password was chosen (not the published one).
    pub fn demo_allowed(&self) -> bool {
        self.demo && (!self.demo_password.is_empty() || is_loopback_bind(&self.bind))
    }

    /// The `trusted_proxies` entries.
    pub fn proxy_list(&self) -> Vec<String> {
        self.trusted_proxies
            .split([',', ' ', '\n', '\t'])
            .filter(|e| !e.trim().is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The configured time zone.
    pub fn time_zone(&self) -> anyhow::Result<chrono_tz::Tz> {
        self.time_zone.parse().map_err(|e| {
            anyhow::anyhow!(
                "BAQYLAU_TIME_ZONE {:?} is not an IANA time zone: {e}",
                self.time_zone
            )
        })
    }

    /// Today's date in the configured time zone by the system clock (the command line and
    /// start-up; the web reads `AppState::clock`, which tests pin).
    pub fn today(&self) -> anyhow::Result<chrono::NaiveDate> {
        Ok(crate::clock::Clock::system().today(self.time_zone()?))
    }

    /// The cookie key: from `secret_key`, else from `secret_key_file`, else a new one written
    /// there (so sessions survive restarts).
    pub fn cookie_key(&self) -> anyhow::Result<[u8; 64]> {
        if !self.secret_key.is_empty() {
            return parse_key(&self.secret_key)
                .context("BAQYLAU_SECRET_KEY must be 128 hex digits");
        }
        let path = &self.secret_key_path();
        if path.exists() {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the cookie key {}", path.display()))?;
            return parse_key(text.trim())
                .with_context(|| format!("{} must hold 128 hex digits", path.display()));
        }
        let mut key = [0u8; 64];
        getrandom::fill(&mut key)
            .map_err(|e| anyhow::anyhow!("no randomness for the cookie key: {e}"))?;
        if let Some(dir) = path.parent() {
            crate::private_files::create_private_dir(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        write_private(path, &hex)
            .with_context(|| format!("cannot write the cookie key {}", path.display()))?;
        Ok(key)
    }
}

/// What a yes/no setting accepts, for the message that refuses anything else.
const BOOL_WORDS: &str = "true/false, 1/0, yes/no or on/off (any case)";

/// A yes/no setting as people type it: `true/false`, `1/0`, `yes/no`, `on/off`, in any case, from
/// the TOML file or an environment variable (`BAQYLAU_DEMO=1` must not stop the server).
fn flexible_bool<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    struct Words;
    impl serde::de::Visitor<'_> for Words {
        type Value = bool;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(BOOL_WORDS)
        }

        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }

        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<bool, E> {
            match v {
                0 => Ok(false),
                1 => Ok(true),
                _ => Err(E::invalid_value(serde::de::Unexpected::Signed(v), &self)),
            }
        }

        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<bool, E> {
            match v {
                0 => Ok(false),
                1 => Ok(true),
                _ => Err(E::invalid_value(serde::de::Unexpected::Unsigned(v), &self)),
            }
        }

        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<bool, E> {
            match v.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Ok(true),
                "false" | "0" | "no" | "off" => Ok(false),
                _ => Err(E::invalid_value(serde::de::Unexpected::Str(v), &self)),
            }
        }
    }
    deserializer.deserialize_any(Words)
}

fn parse_key(hex: &str) -> anyhow::Result<[u8; 64]> {
    anyhow::ensure!(
        hex.len() == 128 && hex.is_ascii(),
        "expected 128 hex digits"
    );
    let mut key = [0u8; 64];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)?;
    }
    Ok(key)
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// Whether an address to listen on is a loopback one (`127.0.0.1:8080`, `[::1]:8080`,
/// `localhost:8080`): only then may the demo region with its published password be served.
pub fn is_loopback_bind(bind: &str) -> bool {
    let host = match bind.rsplit_once(':') {
        Some((host, _)) => host,
        None => bind,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_binds_count_as_local() {
        for local in [
            "127.0.0.1:8080",
            "[::1]:8080",
            "localhost:8080",
            "127.0.0.5:1",
        ] {
            assert!(is_loopback_bind(local), "{local}");
        }
        for open in [
            "0.0.0.0:8080",
            "[::]:8080",
            "192.168.1.10:443",
            "baqylau.office:80",
        ] {
            assert!(!is_loopback_bind(open), "{open}");
        }
    }

    #[test]
    fn the_example_settings_file_holds_only_known_keys_and_the_defaults() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/baqylau.example.toml");
        let loaded = Settings::load(Some(&path));
        assert!(loaded.is_ok(), "{:?}", loaded.err());
        let defaults = Settings::default();
        let example = loaded.unwrap_or_default();
        assert_eq!(example.session_idle_minutes, defaults.session_idle_minutes);
        assert_eq!(example.demo_password, defaults.demo_password);
        assert_eq!(example.trusted_proxies, defaults.trusted_proxies);
    }

    #[test]
    fn yes_no_settings_take_the_words_people_type_and_name_what_they_refuse() {
        let read = |text: &str| -> Result<bool, String> {
            let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
            flexible_bool(value).map_err(|e| e.to_string())
        };
        for yes in ["true", "1", "\"1\"", "\"YES\"", "\"On\"", "\" true \""] {
            assert_eq!(read(yes), Ok(true), "{yes}");
        }
        for no in ["false", "0", "\"0\"", "\"No\"", "\"OFF\""] {
            assert_eq!(read(no), Ok(false), "{no}");
        }
        let refused = read("\"maybe\"").err().unwrap_or_default();
        assert!(
            refused.contains("maybe") && refused.contains("yes/no"),
            "{refused}"
        );
    }

    #[test]
    fn the_cookie_key_sits_beside_the_sqlite_database_unless_named() {
        let mut settings = Settings {
            database_url: "sqlite:///var/lib/baqylau/region.db".to_owned(),
            ..Settings::default()
        };
        assert_eq!(
            settings.secret_key_path(),
            PathBuf::from("/var/lib/baqylau/secret.key")
        );
        settings.secret_key_file = PathBuf::from("/etc/baqylau/key");
        assert_eq!(
            settings.secret_key_path(),
            PathBuf::from("/etc/baqylau/key")
        );
        settings.database_url = "postgres://db/baqylau".to_owned();
        settings.secret_key_file = PathBuf::new();
        assert_eq!(settings.secret_key_path(), PathBuf::from("data/secret.key"));
    }

    #[test]
    fn a_key_round_trips_through_hex() {
        let hex = "ab".repeat(64);
        assert_eq!(parse_key(&hex).map(|k| k[63]).ok(), Some(0xab));
        assert!(parse_key("abc").is_err());
    }
}
