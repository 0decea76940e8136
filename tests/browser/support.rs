//! The browser tests' harness: the real `baqylau serve` on a free port over a temp SQLite file,
//! a published plan for today, Debian's chromedriver and a headless Chromium with a fresh profile,
//! and the few WebDriver and DevTools commands fantoccini does not wrap (network conditions,
//! geolocation, permissions, viewport).

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use baqylau::db::{self, DatabaseUrl, DbPool};
use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// The demo password.
pub const PASSWORD: &str = "baqylau-demo";
/// How long a wait may take before it fails. Waits end as soon as their condition holds; the
/// bound is generous because a loaded CI machine (two cores) once took over 30 s for the field
/// app's service worker to install (it fetches today's route with its street map).
pub const WAIT: Duration = Duration::from_secs(90);
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "chromedriver";

/// A free TCP port on loopback (the listener is dropped at once; a race is unlikely in tests).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `GET path` on loopback with a plain socket: the status code, or none when nothing answers.
fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 32];
    let n = stream.read(&mut head).ok()?;
    let line = String::from_utf8_lossy(&head[..n]).into_owned();
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Waits until `GET path` answers 200, or panics with `what` and the log file.
fn wait_until_up(child: &mut Child, port: u16, path: &str, what: &str, log: &Path) {
    let start = Instant::now();
    loop {
        if http_status(port, path) == Some(200) {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "{what} exited ({status}) before answering; its log:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "{what} did not answer {path} on port {port} within 90 s; its log:\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// The tablet's link to the server: a TCP relay on loopback that the test can cut. Chromedriver's
/// network conditions take the page offline but not its service worker (measured: a fetch the
/// worker passes on still reached the server), so a test of "the route opens offline" must also
/// cut the link itself, as a tablet losing its network would.
pub struct Link {
    /// Where the browser connects.
    pub port: u16,
    state: Arc<LinkState>,
}

#[derive(Default)]
struct LinkState {
    cut: AtomicBool,
    closing: AtomicBool,
    open: Mutex<Vec<TcpStream>>,
}

impl LinkState {
    fn close_all(&self) {
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

fn relay(mut from: TcpStream, mut to: TcpStream) {
    let _ = std::io::copy(&mut from, &mut to);
    let _ = to.shutdown(std::net::Shutdown::Write);
}

impl Link {
    /// Relays 127.0.0.1:(new port) to 127.0.0.1:`upstream`.
    pub fn start(upstream: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(LinkState::default());
        let shared = state.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if shared.closing.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                if shared.cut.load(Ordering::SeqCst) {
                    let _ = client.shutdown(std::net::Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
                    continue;
                };
                let (Ok(c2), Ok(s2), Ok(c3), Ok(s3)) = (
                    client.try_clone(),
                    server.try_clone(),
                    client.try_clone(),
                    server.try_clone(),
                ) else {
                    continue;
                };
                shared.open.lock().unwrap().extend([c3, s3]);
                std::thread::spawn(move || relay(client, server));
                std::thread::spawn(move || relay(s2, c2));
            }
        });
        Link { port, state }
    }

    /// Cuts the link (open connections too) or restores it.
    pub fn set_cut(&self, cut: bool) {
        self.state.cut.store(cut, Ordering::SeqCst);
        if cut {
            self.state.close_all();
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.state.closing.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        self.state.close_all();
    }
}

/// The real binary serving a temp SQLite database with the demo region, reached through a
/// [`Link`] the test can cut.
/// Held by each test's [`Server`] while it runs.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub struct Server {
    /// This test's turn: one server (and its browser) at a time.
    _turn: std::sync::MutexGuard<'static, ()>,
    child: Child,
    /// The browser's way to it.
    pub link: Link,
    /// The database's URL.
    pub database_url: String,
    _dir: tempfile::TempDir,
}

impl Server {
    /// Starts `baqylau serve` and waits until /healthz answers.
    pub fn start() -> Self {
        // One browser test at a time: two debug servers and two Chromiums on CI's two cores
        // starved the field app's service worker (its install never finished in 90 s).
        let turn = ONE_AT_A_TIME
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let database_url = format!("sqlite://{}", dir.path().join("baqylau.db").display());
        let log = dir.path().join("server.log");
        let out = std::fs::File::create(&log).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_baqylau"))
            .arg("serve")
            .current_dir(dir.path())
            .env_remove("BAQYLAU_CONFIG")
            .env("BAQYLAU_DATABASE_URL", &database_url)
            .env("BAQYLAU_BIND", format!("127.0.0.1:{port}"))
            .env(
                "BAQYLAU_SECRET_KEY_FILE",
                dir.path().join("secret.key").display().to_string(),
            )
            .env("BAQYLAU_DEMO", "true")
            // The test counts the visits it makes; the demo history would add thousands.
            .env("BAQYLAU_DEMO_HISTORY", "false")
            .env("BAQYLAU_DEMO_PASSWORD", PASSWORD)
            .env("BAQYLAU_WORKERS", "2")
            .env("BAQYLAU_LOG", "info")
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap();
        wait_until_up(&mut child, port, "/healthz", "baqylau serve", &log);
        Server {
            _turn: turn,
            child,
            link: Link::start(port),
            database_url,
            _dir: dir,
        }
    }

    /// `http://127.0.0.1:PORT/path`, through the link.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.link.port)
    }

    /// A pool over the same database file the server uses.
    pub fn pool(&self) -> DbPool {
        db::connect(&DatabaseUrl::parse(&self.database_url).unwrap(), 1).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// Today in the region (the server's default zone).
pub fn today() -> chrono::NaiveDate {
    let tz = baqylau::config::Settings::default().time_zone().unwrap();
    chrono::Utc::now().with_timezone(&tz).date_naive()
}

/// Today's route of an officer.
pub struct Route {
    /// The officer's login.
    pub login: String,
    /// The route's check ids, in order.
    pub check_ids: Vec<String>,
}

/// Plans and publishes today for every group (a fixed seed and iteration count, one thread), and
/// returns the first officer (officer01..officer24, in group order) with at least `min_stops`.
pub fn publish_today(pool: &DbPool, min_stops: usize) -> Route {
    let mut conn = pool.get().unwrap();
    let options = baqylau::services::plans::PlanOptions {
        from: today(),
        days: 1,
        group_ids: vec![],
        seed: 7,
        time_limit: Duration::from_secs(30),
        threads: 1,
        iterations: 40,
    };
    let (id, totals) = baqylau::services::plans::create_plan(&mut conn, &options, None).unwrap();
    assert!(totals.placed > 0, "the plan for today placed no check");
    assert!(baqylau::services::plans::publish(&mut conn, &id, 1).unwrap());
    for n in 1..=24 {
        let login = format!("officer{n:02}");
        let Some(user) = db::users::find_by_login(&mut conn, &login).unwrap() else {
            continue;
        };
        let user_id = baqylau::domain::UserId::from(user.id);
        let Some(group) = db::users::find_group_of(&mut conn, &user_id).unwrap() else {
            continue;
        };
        let route = db::checks::route_of(&mut conn, &group, today()).unwrap();
        if route.len() >= min_stops {
            return Route {
                login,
                check_ids: route.into_iter().map(|c| c.id.to_string()).collect(),
            };
        }
    }
    panic!("no officer has {min_stops} stops today");
}

/// Debian's chromedriver on a free port.
pub struct Driver {
    child: Child,
    /// Where it listens.
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl Driver {
    /// Starts chromedriver; a missing chromium or chromedriver fails the test with the fix.
    pub fn start() -> Self {
        assert!(
            Path::new(CHROMIUM).exists(),
            "the browser tests need Debian's chromium at {CHROMIUM}: run scripts/browser.sh \
             (apt-get install chromium chromium-driver)"
        );
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let log = dir.path().join("chromedriver.log");
        let out = std::fs::File::create(&log).unwrap();
        let spawned = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(error) => panic!(
                "the browser tests need chromedriver on PATH ({error}): run scripts/browser.sh \
                 (apt-get install chromium chromium-driver)"
            ),
        };
        wait_until_up(&mut child, port, "/status", "chromedriver", &log);
        Driver {
            child,
            port,
            _dir: dir,
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// A WebDriver command fantoccini does not wrap: `METHOD /session/{id}/{path}` with a JSON body.
#[derive(Debug)]
struct SessionCommand {
    method: http::Method,
    path: String,
    body: Option<Value>,
}

impl WebDriverCompatibleCommand for SessionCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/{}", self.path))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (
            self.method.clone(),
            self.body.as_ref().map(ToString::to_string),
        )
    }
}

/// A headless Chromium session with a fresh profile.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Opens a session with STACK.md's flags and a 1280x800 window.
    pub async fn open(driver: &Driver) -> Self {
        let profile = tempfile::tempdir().unwrap();
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic", "--window-size=1280,800",
                    "--lang=en-GB",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": {"intl.accept_languages": "en-GB,en"},
            }
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .unwrap_or_else(|error| panic!("chromedriver could not start {CHROMIUM}: {error}"));
        Browser {
            client,
            _profile: profile,
        }
    }

    async fn session(&self, method: http::Method, path: &str, body: Option<Value>) -> Value {
        self.client
            .issue_cmd(SessionCommand {
                method,
                path: path.to_owned(),
                body,
            })
            .await
            .unwrap_or_else(|error| panic!("WebDriver {path}: {error}"))
    }

    /// A Chrome DevTools command through chromedriver (`goog/cdp/execute`).
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.session(
            http::Method::POST,
            "goog/cdp/execute",
            Some(json!({"cmd": cmd, "params": params})),
        )
        .await
    }

    /// Cuts or restores the network (chromedriver's network conditions).
    pub async fn set_offline(&self, offline: bool) {
        let conditions = json!({"network_conditions": {
            "offline": offline,
            "latency": 0,
            "download_throughput": -1,
            "upload_throughput": -1,
        }});
        self.session(
            http::Method::POST,
            "chromium/network_conditions",
            Some(conditions),
        )
        .await;
    }

    /// Grants geolocation to `origin` and fakes the device's position.
    pub async fn fake_position(&self, origin: &str, lat: f64, lon: f64, accuracy: f64) {
        self.cdp(
            "Browser.grantPermissions",
            json!({"permissions": ["geolocation"], "origin": origin}),
        )
        .await;
        self.cdp(
            "Emulation.setGeolocationOverride",
            json!({"latitude": lat, "longitude": lon, "accuracy": accuracy}),
        )
        .await;
    }

    /// Sets the viewport to exactly `width` x `height` CSS pixels.
    pub async fn viewport(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .unwrap_or_else(|error| panic!("window size: {error}"));
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        )
        .await;
    }

    /// Saves a screenshot of the viewport to `tests/screenshots/{name}.png`.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        println!("screenshot: {}", path.display());
    }

    /// Runs `script` (a function body that returns a value).
    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|error| panic!("script failed: {error}\n{script}"))
    }

    /// Waits until `script` returns `true` (polled every 100 ms), or panics naming `what`.
    pub async fn wait_until(&self, what: &str, timeout: Duration, script: &str) {
        let start = Instant::now();
        loop {
            if self.client.execute(script, vec![]).await.ok() == Some(Value::Bool(true)) {
                return;
            }
            if start.elapsed() > timeout {
                let url = self.client.current_url().await.map(|u| u.to_string());
                let body = self
                    .js("return document.body ? document.body.innerText : ''")
                    .await;
                panic!(
                    "timed out after {timeout:?} waiting for {what} at {url:?}; the page says:\n{body}"
                );
            }
            tokio_sleep(Duration::from_millis(100)).await;
        }
    }

    /// Goes to `url` and waits (at most [`WAIT`]) until `css` is on the loaded page.
    pub async fn open_page(&self, url: &str, css: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|error| panic!("goto {url}: {error}"));
        self.wait_for(css).await;
    }

    /// The element `css` picks on the page now, or a panic naming it and the page.
    pub async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element,
            Err(error) => {
                let url = self.client.current_url().await.map(|u| u.to_string());
                panic!("no {css} at {url:?}: {error}")
            }
        }
    }

    /// Clicks the element `css` picks (as a user would: WebDriver clicks its middle).
    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|error| panic!("click on {css}: {error}"));
    }

    /// Types `text` into the field `css` picks (a file input takes a path).
    pub async fn type_into(&self, css: &str, text: &str) {
        self.find(css)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|error| panic!("typing into {css}: {error}"));
    }

    /// Sends the form `form` (a CSS selector of the form) with a click on its submit button.
    pub async fn submit(&self, form: &str) {
        self.click(&format!("{form} button[type=submit]")).await;
    }

    /// Waits (at most [`WAIT`]) until the page has loaded and `css` picks an element on it.
    pub async fn wait_for(&self, css: &str) {
        let selector = json!(css);
        self.wait_until(
            &format!("{css} on the page"),
            WAIT,
            &format!(
                "return document.readyState === 'complete' && !!document.querySelector({selector});"
            ),
        )
        .await;
    }

    /// Waits (at most [`WAIT`]) until the first element `css` picks holds `text` in its text.
    pub async fn wait_text(&self, css: &str, text: &str) {
        let (selector, wanted) = (json!(css), json!(text));
        self.wait_until(
            &format!("{text:?} in {css}"),
            WAIT,
            &format!(
                "const e = document.querySelector({selector}); \
                 return !!e && e.textContent.includes({wanted});"
            ),
        )
        .await;
    }

    /// Signs in through the sign-in page.
    pub async fn sign_in(&self, server: &Server, login: &str) {
        self.open_page(&server.url("/login"), "#login").await;
        self.type_into("#login", login).await;
        self.type_into("#password", PASSWORD).await;
        self.submit("form[action='/login']").await;
        self.wait_until(
            "the sign-in to finish",
            WAIT,
            "return !location.pathname.startsWith('/login') && document.readyState === 'complete'",
        )
        .await;
    }

    /// Ends the session so Chromium exits.
    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// Sleeps without blocking the runtime.
pub async fn tokio_sleep(duration: Duration) {
    actix_web::rt::time::sleep(duration).await;
}
