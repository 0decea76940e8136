//! The plain-HTTP listener of a server that speaks HTTPS itself (`http_redirect_bind`): every
//! request is answered with a permanent redirect to the same host and path over HTTPS, and
//! nothing else; no page, no cookie, no session is ever served in the clear.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

/// The HTTPS port the redirects point at (443 is left out of the address).
#[derive(Debug, Clone, Copy)]
pub struct HttpsPort(pub u16);

/// Answers any request with `308 Permanent Redirect` to `https://HOST[:PORT]/PATH?QUERY` (308
/// keeps a form's method and body, should a tablet post to the old address).
pub async fn redirect(req: HttpRequest, port: web::Data<HttpsPort>) -> HttpResponse {
    let info = req.connection_info();
    let host = info.host();
    // The host without its port: `[::1]:80` -> `[::1]`, `office:80` -> `office`.
    let name = match host.rfind(':') {
        Some(at) if !host[at..].contains(']') => &host[..at],
        _ => host,
    };
    let port = match port.0 {
        443 => String::new(),
        other => format!(":{other}"),
    };
    let path = req
        .uri()
        .path_and_query()
        .map_or("/", actix_web::http::uri::PathAndQuery::as_str);
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, format!("https://{name}{port}{path}")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}
