//! A minimal HTTP/1.1 client for the load and soak benchmarks: one keep-alive connection per
//! simulated client, a cookie, and the sign-in dance of the app (page, CSRF token, form post).
//! Enough for our own server's answers (Content-Length or chunked bodies), nothing more.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::TcpStream;

/// An answer: status, the cookies it set, the Location and the body.
#[derive(Debug, Default)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// `name=value` of each cookie the answer set (the session's key, a visitor's CSRF token).
    pub cookies: Vec<String>,
    /// `Location` of a redirect.
    pub location: Option<String>,
    /// Body as text.
    pub body: String,
    /// The server will close the connection after this answer.
    pub close: bool,
}

/// One keep-alive connection.
pub struct Conn {
    addr: String,
    stream: Option<BufReader<TcpStream>>,
    /// The `Cookie` header sent with every request (`a=1; b=2`).
    pub cookie: Option<String>,
    /// The local address to connect from (a client of its own address, for the sign-in flood).
    pub source: Option<std::net::IpAddr>,
    /// The session's CSRF token, sent as `X-CSRF-Token` on PUTs.
    pub csrf: Option<String>,
}

impl Conn {
    /// A connection to `addr` (host:port), opened on first use.
    pub fn new(addr: &str) -> Self {
        Conn {
            addr: addr.to_owned(),
            stream: None,
            cookie: None,
            csrf: None,
            source: None,
        }
    }

    /// Stores cookies an answer set, replacing those of the same name.
    fn keep_cookies(&mut self, set: &[String]) {
        let mut jar: Vec<String> = self
            .cookie
            .as_deref()
            .unwrap_or("")
            .split("; ")
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        for pair in set {
            let name = pair.split('=').next().unwrap_or("");
            jar.retain(|p| p.split('=').next() != Some(name));
            if !pair.ends_with('=') {
                jar.push(pair.clone());
            }
        }
        self.cookie = (!jar.is_empty()).then(|| jar.join("; "));
    }

    /// Sends a request and reads the answer, within `timeout`. On any error the connection is
    /// dropped, so the next request starts afresh.
    pub async fn request(
        &mut self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
        timeout: Duration,
    ) -> std::io::Result<Answer> {
        let result = tokio::time::timeout(timeout, self.exchange(method, path, content_type, body))
            .await
            .unwrap_or_else(|_| {
                Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "no answer in time",
                ))
            });
        if !result.as_ref().is_ok_and(|a| !a.close) {
            self.stream = None;
        }
        let answer = result?;
        self.keep_cookies(&answer.cookies);
        Ok(answer)
    }

    async fn exchange(
        &mut self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> std::io::Result<Answer> {
        if self.stream.is_none() {
            let stream = match self.source {
                None => TcpStream::connect(&self.addr).await?,
                Some(source) => {
                    let target: std::net::SocketAddr = self
                        .addr
                        .parse()
                        .map_err(|e| std::io::Error::other(format!("{}: {e}", self.addr)))?;
                    let socket = tokio::net::TcpSocket::new_v4()?;
                    socket.bind(std::net::SocketAddr::new(source, 0))?;
                    socket.connect(target).await?
                }
            };
            stream.set_nodelay(true)?;
            self.stream = Some(BufReader::new(stream));
        }
        let Some(stream) = self.stream.as_mut() else {
            return Err(std::io::Error::other("no connection"));
        };
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        if let Some(ct) = content_type {
            head.push_str(&format!("Content-Type: {ct}\r\n"));
        }
        if let Some(cookie) = &self.cookie {
            head.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        if method != "GET"
            && let Some(token) = &self.csrf
        {
            head.push_str(&format!("X-CSRF-Token: {token}\r\n"));
        }
        head.push_str("\r\n");
        let mut request = head.into_bytes();
        request.extend_from_slice(body);
        stream.get_mut().write_all(&request).await?;
        read_answer(stream).await
    }

    /// `GET path`.
    pub async fn get(&mut self, path: &str, timeout: Duration) -> std::io::Result<Answer> {
        self.request("GET", path, None, b"", timeout).await
    }

    /// Signs in as `login`: the sign-in page for a session and token, the form post, then a page
    /// of the new session for its token (kept in `csrf`).
    pub async fn sign_in(&mut self, login: &str, password: &str) -> std::io::Result<()> {
        let t = Duration::from_secs(30);
        let page = self.get("/login", t).await?;
        let token = csrf_of(&page.body).unwrap_or_default();
        let form = format!(
            "csrf_token={}&login={}&password={}&next=%2F",
            token, login, password
        );
        let answer = self
            .request(
                "POST",
                "/login",
                Some("application/x-www-form-urlencoded"),
                form.as_bytes(),
                t,
            )
            .await?;
        if answer.status != 303 {
            return Err(std::io::Error::other(format!(
                "sign-in of {login}: {}",
                answer.status
            )));
        }
        // The account page has a form for every role (an officer's `/` redirects to Today).
        let account = self.get("/account", t).await?;
        self.csrf = csrf_of(&account.body);
        Ok(())
    }
}

/// The CSRF token of a page: its first `csrf_token` field or `csrf-token` meta tag.
pub fn csrf_of(html: &str) -> Option<String> {
    for marker in [
        r#"name="csrf_token" value=""#,
        r#"name="csrf-token" content=""#,
    ] {
        if let Some(start) = html.find(marker) {
            let rest = &html[start + marker.len()..];
            return rest.find('"').map(|end| rest[..end].to_owned());
        }
    }
    None
}

/// Every value of attribute `attr` (`data-check-id="`...) in a page.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let marker = format!("{attr}=\"");
    html.match_indices(&marker)
        .filter_map(|(i, _)| {
            let rest = &html[i + marker.len()..];
            rest.find('"').map(|end| rest[..end].to_owned())
        })
        .collect()
}

#[expect(
    clippy::too_many_lines,
    reason = "reads one HTTP/1.1 answer in order: status line, headers, then a sized or chunked body"
)]
async fn read_answer(stream: &mut BufReader<TcpStream>) -> std::io::Result<Answer> {
    let mut line = String::new();
    if stream.read_line(&mut line).await? == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "connection closed",
        ));
    }
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut answer = Answer {
        status,
        ..Answer::default()
    };
    let mut length = 0usize;
    let mut chunked = false;
    let mut close = false;
    loop {
        line.clear();
        stream.read_line(&mut line).await?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().unwrap_or(0),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "connection" => close = value.eq_ignore_ascii_case("close"),
            "location" => answer.location = Some(value.to_owned()),
            "set-cookie" => {
                let pair = value.split(';').next().unwrap_or("");
                answer.cookies.push(pair.to_owned());
            }
            _ => {}
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            stream.read_line(&mut line).await?;
            let size = usize::from_str_radix(line.trim(), 16).unwrap_or(0);
            let mut chunk = vec![0; size + 2];
            stream.read_exact(&mut chunk).await?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        body.resize(length, 0);
        stream.read_exact(&mut body).await?;
    }
    answer.body = String::from_utf8_lossy(&body).into_owned();
    answer.close = close;
    Ok(answer)
}
