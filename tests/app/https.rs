//! HTTPS built in, tried as a tablet would: `baqylau tls self-signed` makes an office authority
//! and a server certificate; the server started with them speaks only TLS on its address (a
//! client that trusts the authority gets pages, cookies marked `Secure` and HSTS), its plain
//! listener only redirects to HTTPS, and `baqylau check-config` names each problem and exits 1.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::process::Command;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName};

use crate::fleet::Server;
use crate::support::{drop_schema, fresh_database};

/// `GET path` over TLS to `addr`, trusting only `authority` and checking the name `host`; the
/// whole answer as text.
fn https_get(addr: &str, host: &str, authority: &std::path::Path, path: &str) -> String {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(authority).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_owned()).unwrap();
    let conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let mut stream = rustls::StreamOwned::new(conn, TcpStream::connect(addr).unwrap());
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    // A peer that closes without close_notify ends the read with an error after the bytes.
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// `GET path` in plain HTTP; the answer's head.
fn http_get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    // A TLS listener may close the connection before the request is all written.
    let _ = write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: office.example:80\r\nConnection: close\r\n\r\n"
    );
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn baqylau(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_baqylau"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[actix_web::test]
async fn the_server_speaks_https_with_a_self_signed_office_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (made, text) = baqylau(
        dir.path(),
        &[
            "tls",
            "self-signed",
            "--host",
            "localhost",
            "--ip",
            "127.0.0.1",
        ],
        &[],
    );
    assert!(made, "{text}");
    let tls = dir.path().join("tls");
    let (again, text) = baqylau(
        dir.path(),
        &["tls", "self-signed", "--host", "localhost"],
        &[],
    );
    assert!(
        !again && text.contains("exists already"),
        "never overwritten: {text}"
    );

    let (url, schema) = fresh_database(dir.path());
    let redirect_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let redirect_addr = format!("127.0.0.1:{redirect_port}");
    let cert = tls.join("cert.pem").display().to_string();
    let key = tls.join("key.pem").display().to_string();
    let mut server = Server::start_with(
        &url,
        dir.path(),
        &"cd".repeat(64),
        &[
            ("BAQYLAU_DEMO", "false"),
            ("BAQYLAU_TLS_CERT", &cert),
            ("BAQYLAU_TLS_KEY", &key),
            ("BAQYLAU_HTTP_REDIRECT_BIND", &redirect_addr),
        ],
    );
    let authority = tls.join("ca.pem");
    let probe = authority.clone();
    server
        .ready_by(|addr| {
            let probe = probe.clone();
            async move {
                std::net::TcpStream::connect(&addr).is_ok()
                    && https_get(&addr, "localhost", &probe, "/healthz").starts_with("HTTP/1.1 200")
            }
        })
        .await;

    // A tablet that trusts the office authority: the sign-in page, its cookie Secure, HSTS.
    let page = https_get(&server.addr, "localhost", &authority, "/login");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    let head = page.to_ascii_lowercase();
    assert!(
        head.contains("strict-transport-security: max-age=31536000"),
        "{page}"
    );
    let cookies: Vec<&str> = head
        .lines()
        .filter(|l| l.starts_with("set-cookie:"))
        .collect();
    assert!(!cookies.is_empty(), "the sign-in page sets its CSRF cookie");
    assert!(
        cookies.iter().all(|c| c.contains("; secure")),
        "{cookies:?}"
    );
    // The address by IP works too (the certificate names 127.0.0.1).
    let by_ip = https_get(&server.addr, "127.0.0.1", &authority, "/healthz");
    assert!(by_ip.starts_with("HTTP/1.1 200"), "{by_ip}");

    // Plain HTTP on the TLS address is no page.
    let plain = http_get(&server.addr, "/login");
    assert!(!plain.starts_with("HTTP/1.1 200"), "{plain}");
    // The plain listener redirects, keeping the path and query, to the HTTPS port.
    let redirect = http_get(&redirect_addr, "/registry/persons?q=x");
    let port = server.addr.rsplit(':').next().unwrap();
    assert!(redirect.starts_with("HTTP/1.1 308"), "{redirect}");
    assert!(
        redirect.contains(&format!(
            "location: https://office.example:{port}/registry/persons?q=x"
        )),
        "{redirect}"
    );
    assert!(
        !redirect.to_ascii_lowercase().contains("set-cookie"),
        "{redirect}"
    );
    drop(server);
    drop_schema(schema.as_ref());
}

#[test]
fn check_config_names_each_problem_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, text) = baqylau(dir.path(), &["check-config"], &[]);
    assert!(ok, "the defaults are a valid configuration: {text}");
    assert!(text.contains("ok"), "{text}");
    assert!(
        !dir.path().join("data").exists(),
        "checking changes nothing"
    );
    for (env, expected) in [
        (
            &[("BAQYLAU_TLS_CERT", "cert.pem")][..],
            "BAQYLAU_TLS_CERT and BAQYLAU_TLS_KEY go together",
        ),
        (
            &[
                ("BAQYLAU_TLS_CERT", "no.pem"),
                ("BAQYLAU_TLS_KEY", "no.pem"),
            ][..],
            "cannot read the certificate no.pem",
        ),
        (&[("BAQYLAU_DEMO", "maybe")][..], "\"maybe\""),
        (
            &[("BAQYLAU_PLAN_JOB_LOST_SECONDS", "1")][..],
            "BAQYLAU_PLAN_JOB_LOST_SECONDS is 1",
        ),
        (
            &[("BAQYLAU_TRUSTED_PROXIES", "10.0.0.0/99")][..],
            "\"10.0.0.0/99\"",
        ),
        (
            &[("BAQYLAU_BIND", "nowhere")][..],
            "BAQYLAU_BIND \"nowhere\"",
        ),
        (
            &[("BAQYLAU_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")][..],
            "cannot connect to postgres://nobody@127.0.0.1:1/none",
        ),
        (
            &[("BAQYLAU_SECRET_KEY", "short")][..],
            "BAQYLAU_SECRET_KEY must be 128 hex digits",
        ),
    ] {
        let (ok, text) = baqylau(dir.path(), &["check-config"], env);
        assert!(!ok, "{env:?} is refused: {text}");
        assert!(text.contains(expected), "{env:?}: {text}");
    }
    // Yes/no settings as people type them.
    for yes in ["1", "yes", "ON", "True"] {
        let (ok, text) = baqylau(dir.path(), &["check-config"], &[("BAQYLAU_DEMO", yes)]);
        assert!(ok, "BAQYLAU_DEMO={yes}: {text}");
    }
}
