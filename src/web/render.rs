//! Small answers shared by handlers: a page with a status (422 for a re-rendered form) and the
//! 303 redirect that ends every POST (Post/Redirect/Get, so a tablet reload never resubmits).

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use askama::Template;

/// Renders a page with the given status; a template error becomes a logged 500.
pub fn render_with_status(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(html) => HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .body(html),
        Err(error) => {
            tracing::error!(%error, "a page failed to render");
            HttpResponse::InternalServerError().finish()
        }
    }
}

/// `303 See Other` to a local path.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}
