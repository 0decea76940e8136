//! The rules between settings and their ranges, checked on every load: each refusal names the
//! key, the value and what is accepted.

use anyhow::Context as _;

use super::Settings;

impl Settings {
    /// The rules between settings and their ranges, each refusal naming the key, the value and
    /// what is accepted (every command on loading; `baqylau check-config` then also reads the
    /// files and the database the settings name).
    pub fn check(&self) -> anyhow::Result<()> {
        self.time_zone()?;
        crate::db::DatabaseUrl::parse(&self.database_url)
            .context("BAQYLAU_DATABASE_URL is not a database address")?;
        let cert = !self.tls_cert.as_os_str().is_empty();
        let key = !self.tls_key.as_os_str().is_empty();
        anyhow::ensure!(
            cert == key,
            "BAQYLAU_TLS_CERT and BAQYLAU_TLS_KEY go together: {} is set, {} is not",
            if cert { "the certificate" } else { "the key" },
            if cert { "the key" } else { "the certificate" },
        );
        anyhow::ensure!(
            self.http_redirect_bind.is_empty() || cert,
            "BAQYLAU_HTTP_REDIRECT_BIND ({:?}) redirects to HTTPS, which needs BAQYLAU_TLS_CERT \
             and BAQYLAU_TLS_KEY",
            self.http_redirect_bind
        );
        anyhow::ensure!(
            self.plan_job_lost_seconds >= 3,
            "BAQYLAU_PLAN_JOB_LOST_SECONDS is {}: use 3 or more",
            self.plan_job_lost_seconds
        );
        anyhow::ensure!(
            self.max_plan_jobs >= 1,
            "BAQYLAU_MAX_PLAN_JOBS is 0: use 1 or more"
        );
        anyhow::ensure!(
            self.max_report_years >= 1,
            "BAQYLAU_MAX_REPORT_YEARS is 0: use 1 or more"
        );
        for (key, value) in [
            ("BAQYLAU_SESSION_IDLE_MINUTES", self.session_idle_minutes),
            ("BAQYLAU_SESSION_MAX_HOURS", self.session_max_hours),
            ("BAQYLAU_LOCK_MINUTES", self.lock_minutes),
        ] {
            anyhow::ensure!(value >= 1, "{key} is {value}: use 1 or more");
        }
        for entry in self.proxy_list() {
            parse_proxy(&entry)?;
        }
        Ok(())
    }
}

/// One `trusted_proxies` entry: an address (`10.0.0.5`, `::1`) or a network (`10.0.0.0/24`).
pub fn parse_proxy(entry: &str) -> anyhow::Result<ipnet::IpNet> {
    let entry = entry.trim();
    if let Ok(net) = entry.parse::<ipnet::IpNet>() {
        return Ok(net);
    }
    match entry.parse::<std::net::IpAddr>() {
        Ok(ip) => Ok(ipnet::IpNet::from(ip)),
        Err(_) => anyhow::bail!(
            "BAQYLAU_TRUSTED_PROXIES: {entry:?} is neither an IP address nor a network such as \
             10.0.0.0/24"
        ),
    }
}
