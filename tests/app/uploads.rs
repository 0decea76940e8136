//! Uploads of import files: the CSRF token travels in the form's body (the multipart upload's
//! first field), never in the query string, and the form still works without script; a checked
//! file waits `0600` in a `0700` folder and is gone once imported, refused or replaced, and an
//! hour after its check at the latest, also across a restart.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::time::{Duration, SystemTime};

use actix_web::http::StatusCode;
use baqylau::web::registry::pending;

use crate::support::client::multipart_body;
use crate::support::{PASSWORD, TestApp, TestClient};

async fn prosecutor(app: &TestApp) -> TestClient {
    let mut client = app.client().await;
    client.sign_in("prosecutor", PASSWORD).await;
    client
}

fn kept_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    match std::fs::read_dir(pending::pending_dir(&app.state.settings)) {
        Ok(entries) => entries.flatten().map(|e| e.path()).collect(),
        Err(_) => Vec::new(),
    }
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

async fn check(client: &mut TestClient, bytes: Vec<u8>) -> crate::support::client::Page {
    client
        .post_file("/registry/import/check", "p.csv", &bytes)
        .await
}

/// The real binary serving an empty database in `data`; stopped when dropped.
struct Server(std::process::Child);

impl Server {
    fn start(dir: &Path, data: &Path) -> Self {
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_baqylau"))
            .arg("serve")
            .current_dir(dir)
            .env_remove("BAQYLAU_CONFIG")
            .env(
                "BAQYLAU_DATABASE_URL",
                format!("sqlite://{}", data.join("b.db").display()),
            )
            .env("BAQYLAU_SECRET_KEY_FILE", data.join("secret.key"))
            .env("BAQYLAU_BIND", "127.0.0.1:0")
            .env("BAQYLAU_DEMO", "false")
            .env("BAQYLAU_LOG", "warn")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        Server(child)
    }

    /// Waits (a minute at most) for the welcome line, printed once the server listens.
    fn wait_until_running(&mut self) {
        use std::io::BufRead as _;
        let stdout = self.0.stdout.take().unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if line.contains("is running") {
                    let _ = sender.send(());
                }
            }
        });
        receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("the server started");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The registry's own export: a file that checks clean.
async fn clean_file(client: &mut TestClient) -> Vec<u8> {
    client.get("/registry/export").await.body.into_bytes()
}

#[actix_web::test]
async fn the_upload_form_carries_its_token_in_the_body_before_the_file() {
    let (app, _) = TestApp::office();
    let mut client = prosecutor(&app).await;
    for page in ["/registry/import", "/registry/offences/import"] {
        let html = client.get(page).await.body;
        let form_start = html.find("enctype=\"multipart/form-data\"").unwrap();
        let form = &html[html[..form_start].rfind("<form").unwrap()..];
        let form = &form[..form.find("</form>").unwrap()];
        assert!(
            !form.contains("?csrf_token"),
            "{page}: no token in the action"
        );
        let token = form.find("name=\"csrf_token\"").expect("a token field");
        let file = form.find("type=\"file\"").unwrap();
        assert!(token < file, "{page}: the token comes before the file");
    }
    let file = clean_file(&mut client).await;
    let answer = client
        .post_file("/registry/import/check", "p.csv", &file)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

#[actix_web::test]
async fn a_token_in_the_query_string_is_refused_for_uploads_and_forms() {
    let (app, _) = TestApp::office();
    let mut client = prosecutor(&app).await;
    let file = clean_file(&mut client).await;
    let token = client.csrf_token().await;
    let only_file = multipart_body(&[("file", Some("p.csv"), &file)]);
    let answer = client
        .post_multipart(
            &format!("/registry/import/check?csrf_token={token}"),
            only_file,
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(kept_files(&app).is_empty(), "nothing kept");
    let wrong = multipart_body(&[
        ("csrf_token", None, b"forged".as_slice()),
        ("file", Some("p.csv"), &file),
    ]);
    let answer = client.post_multipart("/registry/import/check", wrong).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let answer = client
        .post_form_raw(
            &format!("/preferences?csrf_token={token}"),
            &[("lang", "en"), ("next", "/")],
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::FORBIDDEN,
        "a url-encoded form too"
    );
    // A small file before the token still fits in what the check reads.
    let reversed = multipart_body(&[
        ("file", Some("p.csv"), b"iin\n".as_slice()),
        ("csrf_token", None, token.as_bytes()),
    ]);
    let answer = client
        .post_multipart("/registry/import/check", reversed)
        .await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "checked, not refused"
    );
}

#[actix_web::test]
async fn a_checked_file_is_private_and_gone_once_imported_refused_or_replaced() {
    let (app, _) = TestApp::office();
    let mut client = prosecutor(&app).await;
    let file = clean_file(&mut client).await;
    assert_eq!(
        check(&mut client, file.clone()).await.status,
        StatusCode::OK
    );
    let kept = kept_files(&app);
    assert_eq!(kept.len(), 1);
    assert_eq!(mode(&kept[0]), 0o600);
    assert_eq!(mode(&pending::pending_dir(&app.state.settings)), 0o700);

    // Another check replaces it; a refused one leaves nothing.
    assert_eq!(
        check(&mut client, file.clone()).await.status,
        StatusCode::OK
    );
    let replaced = kept_files(&app);
    assert_eq!(replaced.len(), 1);
    assert_ne!(replaced, kept);
    let refused = check(&mut client, b"iin,last_name\n1,x\n".to_vec()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(kept_files(&app).is_empty(), "{:?}", kept_files(&app));

    assert_eq!(check(&mut client, file).await.status, StatusCode::OK);
    let done = client.post_form("/registry/import/run", &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(kept_files(&app).is_empty(), "imported: removed");
}

#[actix_web::test]
async fn a_file_waiting_over_an_hour_is_removed_and_its_import_asks_for_it_again() {
    let (app, _) = TestApp::office();
    let mut client = prosecutor(&app).await;
    let file = clean_file(&mut client).await;
    client
        .post_file("/registry/import/check", "p.csv", &file)
        .await;
    let kept = kept_files(&app).remove(0);
    let two_hours_ago = SystemTime::now() - Duration::from_secs(2 * 3600);
    std::fs::File::options()
        .write(true)
        .open(&kept)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    assert_eq!(pending::forget_expired(&app.state.settings), 1);
    assert!(!kept.exists());
    let done = client.post_form("/registry/import/run", &[]).await;
    assert_eq!(done.location(), "/registry/import");
    let page = client.get("/registry/import").await;
    assert_eq!(page.select(".flash-error").len(), 1, "{}", page.body);
}

#[test]
fn the_server_removes_files_left_over_an_hour_when_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let imports = data.join("imports");
    std::fs::create_dir_all(&imports).unwrap();
    let old = imports.join("persons-0190a0b0-0000-7000-8000-000000000001.csv");
    let fresh = imports.join("persons-0190a0b0-0000-7000-8000-000000000002.csv");
    std::fs::write(&old, "iin\n").unwrap();
    std::fs::write(&fresh, "iin\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(3 * 3600))
        .unwrap();
    let mut server = Server::start(dir.path(), &data);
    server.wait_until_running();
    drop(server);
    assert!(!old.exists(), "left over an hour: removed at start");
    assert!(fresh.exists(), "checked minutes ago: kept");
}
