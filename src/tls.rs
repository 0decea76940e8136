//! HTTPS built in: the server's certificate and key from PEM files (`BAQYLAU_TLS_CERT`,
//! `BAQYLAU_TLS_KEY`) become a rustls configuration, and `baqylau tls self-signed` makes an
//! office's own small certificate authority and a server certificate signed by it. Tablets trust
//! the authority once (installed as a CA certificate); the service worker and geolocation of the
//! field app need HTTPS on anything but localhost.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// How long the server certificate is valid: Apple devices refuse TLS server certificates valid
/// for more than 825 days, so a little less.
pub const SERVER_CERT_DAYS: i64 = 820;
/// How long the office's authority is valid (its certificate is installed on the tablets once).
pub const AUTHORITY_DAYS: i64 = 3650;

/// Reads a certificate chain and its private key (PEM) into a rustls server configuration. The
/// error names the file and what is wrong with it.
pub fn server_config(cert: &Path, key: &Path) -> anyhow::Result<rustls::ServerConfig> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .with_context(|| {
            format!(
                "cannot read the certificate {} (BAQYLAU_TLS_CERT)",
                cert.display()
            )
        })?
        .collect::<Result<_, _>>()
        .with_context(|| {
            format!(
                "{} is not a PEM certificate (BAQYLAU_TLS_CERT)",
                cert.display()
            )
        })?;
    anyhow::ensure!(
        !chain.is_empty(),
        "{} holds no certificate (BAQYLAU_TLS_CERT): expected -----BEGIN CERTIFICATE-----",
        cert.display()
    );
    let private = PrivateKeyDer::from_pem_file(key).with_context(|| {
        format!(
            "{} holds no private key (BAQYLAU_TLS_KEY): expected a PEM PRIVATE KEY",
            key.display()
        )
    })?;
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS 1.2 and 1.3 are not available")?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .with_context(|| {
            format!(
                "the key {} does not belong to the certificate {}",
                key.display(),
                cert.display()
            )
        })
}

/// What `baqylau tls self-signed` writes.
#[derive(Debug, Clone)]
pub struct SelfSigned {
    /// The authority's certificate, to install on every tablet.
    pub authority_pem: String,
    /// The server's certificate followed by the authority's (the chain the server sends).
    pub chain_pem: String,
    /// The server's private key.
    pub key_pem: String,
}

/// A calendar day as rcgen takes it.
fn ymd(at: chrono::NaiveDate) -> (i32, u8, u8) {
    use chrono::Datelike as _;
    let month = u8::try_from(at.month()).unwrap_or(1);
    let day = u8::try_from(at.day()).unwrap_or(1);
    (at.year(), month, day)
}

/// Makes an office authority and a server certificate for `host` (and `ips`), valid from
/// `today`.
pub fn self_signed(
    host: &str,
    ips: &[IpAddr],
    today: chrono::NaiveDate,
) -> anyhow::Result<SelfSigned> {
    let mut authority = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(
        DnType::CommonName,
        format!("Baqylau office authority ({host})"),
    );
    name.push(DnType::OrganizationName, "Baqylau");
    authority.distinguished_name = name;
    authority.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    authority.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    authority.not_before = {
        let (y, mo, d) = ymd(today - chrono::Days::new(1));
        rcgen::date_time_ymd(y, mo, d)
    };
    authority.not_after = {
        let (y, mo, d) = ymd(today + chrono::Days::new(AUTHORITY_DAYS.unsigned_abs()));
        rcgen::date_time_ymd(y, mo, d)
    };
    let authority_key = KeyPair::generate().context("cannot make a key for the authority")?;
    let authority_cert = authority
        .self_signed(&authority_key)
        .context("cannot sign the authority's certificate")?;

    let mut names = vec![host.to_owned()];
    names.extend(ips.iter().map(IpAddr::to_string));
    let mut server = CertificateParams::new(names)
        .with_context(|| format!("{host:?} is not a host name a certificate can carry"))?;
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, host);
    server.distinguished_name = name;
    server.is_ca = IsCa::ExplicitNoCa;
    server.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    server.not_before = {
        let (y, mo, d) = ymd(today - chrono::Days::new(1));
        rcgen::date_time_ymd(y, mo, d)
    };
    server.not_after = {
        let (y, mo, d) = ymd(today + chrono::Days::new(SERVER_CERT_DAYS.unsigned_abs()));
        rcgen::date_time_ymd(y, mo, d)
    };
    let server_key = KeyPair::generate().context("cannot make the server's key")?;
    let issuer = Issuer::new(authority, authority_key);
    let server_cert = server
        .signed_by(&server_key, &issuer)
        .context("cannot sign the server's certificate")?;
    Ok(SelfSigned {
        authority_pem: authority_cert.pem(),
        chain_pem: format!("{}{}", server_cert.pem(), authority_cert.pem()),
        key_pem: server_key.serialize_pem(),
    })
}

/// The three files written into a folder: `ca.pem`, `cert.pem`, `key.pem` (the key 0600).
pub fn write_self_signed(dir: &Path, made: &SelfSigned) -> anyhow::Result<[PathBuf; 3]> {
    crate::private_files::create_private_dir(dir)
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let paths = [
        dir.join("ca.pem"),
        dir.join("cert.pem"),
        dir.join("key.pem"),
    ];
    for path in &paths {
        anyhow::ensure!(
            !path.exists(),
            "{} exists already: remove it or choose another --out folder",
            path.display()
        );
    }
    std::fs::write(&paths[0], &made.authority_pem)
        .with_context(|| format!("cannot write {}", paths[0].display()))?;
    std::fs::write(&paths[1], &made.chain_pem)
        .with_context(|| format!("cannot write {}", paths[1].display()))?;
    crate::private_files::write_private(&paths[2], made.key_pem.as_bytes())
        .with_context(|| format!("cannot write {}", paths[2].display()))?;
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_made_certificate_and_key_load_as_a_server_configuration() {
        let dir = std::env::temp_dir().join(format!("baqylau-tls-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
        let ip: IpAddr = "192.168.1.20".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        let made = self_signed("baqylau.office", &[ip], today);
        assert!(made.is_ok(), "{:?}", made.err());
        let Ok(made) = made else { return };
        assert_eq!(made.chain_pem.matches("BEGIN CERTIFICATE").count(), 2);
        let written = write_self_signed(&dir, &made);
        assert!(written.is_ok(), "{:?}", written.err());
        let loaded = server_config(&dir.join("cert.pem"), &dir.join("key.pem"));
        assert!(loaded.is_ok(), "{:?}", loaded.err());
        let again = write_self_signed(&dir, &made);
        assert!(again.is_err_and(|e| e.to_string().contains("exists already")));
        let wrong = server_config(&dir.join("key.pem"), &dir.join("key.pem"));
        assert!(wrong.is_err_and(|e| format!("{e:#}").contains("BAQYLAU_TLS_CERT")));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
