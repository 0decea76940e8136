//! Export of the current list of persons from the web, as CSV in the user's dialect.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use super::handlers::{ListQuery, filter_of};
use crate::app::AppState;
use crate::db;
use crate::domain::person_record::PersonRecord;
use crate::error::AppError;
use crate::reports::csv_dialect::Dialect;
use crate::services::imports;
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;

/// The export's `?dialect=comma|semicolon` (empty or unknown: the interface language's).
#[derive(Debug, Default, serde::Deserialize)]
pub struct DialectQuery {
    #[serde(default)]
    dialect: String,
}

/// `GET /registry/export?...`: the persons of the list with its filters, as CSV in the user's
/// dialect (`?dialect=` the other one); the export is audited as a read.
pub async fn export_persons(
    req: HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
    asked: web::Query<DialectQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = filter_of(&query);
    let dialect = Dialect::parse(&asked.dialect).unwrap_or(Dialect::of_language(ctx.lang.code()));
    let ip = client_ip(&req);
    let details = serde_json::json!({ "via": "export", "query": req.query_string() }).to_string();
    let bytes = db::run(&state.pool, move |conn| {
        let bytes = imports::export::persons_csv(conn, &filter)?;
        let bytes = imports::export::in_dialect::<PersonRecord>(bytes, dialect);
        // An export reads every record it holds: one entry for the whole file.
        db::audit::insert_person_read(conn, &user.0, None, ip.as_deref(), Some(details))?;
        Ok(bytes)
    })
    .await?;
    let name = format!("persons-{}.csv", state.today().format("%Y-%m-%d"));
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(bytes))
}
