//! `baqylau tls self-signed`: an office certificate authority and a server certificate signed by
//! it, for an office network without a public name. The authority's certificate is installed
//! once on every tablet (README "HTTPS"); the server uses the chain and the key.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::Subcommand;

/// Examples in `tls --help`.
pub const EXAMPLES: &str = "Examples:\n  \
    baqylau tls self-signed --host baqylau.office --ip 192.168.10.5\n  \
    baqylau tls self-signed --host baqylau.office --out /var/lib/baqylau/tls\n\n\
    Then: BAQYLAU_TLS_CERT=tls/cert.pem BAQYLAU_TLS_KEY=tls/key.pem baqylau serve,\n\
    and install tls/ca.pem on every tablet (README, HTTPS).";

/// What `baqylau tls` makes.
#[derive(Debug, Subcommand)]
pub enum TlsAction {
    /// Write ca.pem (install on tablets), cert.pem and key.pem (for the server) into --out.
    SelfSigned {
        /// The server's name as the tablets reach it (a DNS name of the office network).
        #[arg(long)]
        host: String,
        /// An IP address the tablets may use instead of the name (repeat for several).
        #[arg(long)]
        ip: Vec<IpAddr>,
        /// The folder to write into (made, 0700; existing files are never overwritten).
        #[arg(long, default_value = "tls")]
        out: PathBuf,
    },
}

/// Makes and writes the certificates, and says what to do next.
pub fn run(action: &TlsAction) -> anyhow::Result<()> {
    let TlsAction::SelfSigned { host, ip, out } = action;
    anyhow::ensure!(
        !host.trim().is_empty(),
        "--host must name the server (e.g. baqylau.office)"
    );
    let today = chrono::Utc::now().date_naive();
    let made = crate::tls::self_signed(host.trim(), ip, today)?;
    let [authority, cert, key] = crate::tls::write_self_signed(out, &made)?;
    println!("Wrote:");
    println!(
        "  {}  the office authority: install it on every tablet",
        authority.display()
    );
    println!("  {}  the server's certificate chain", cert.display());
    println!("  {}  the server's private key (0600)", key.display());
    println!();
    println!("Serve with:");
    println!(
        "  BAQYLAU_TLS_CERT={} BAQYLAU_TLS_KEY={} baqylau serve",
        cert.display(),
        key.display()
    );
    Ok(())
}
