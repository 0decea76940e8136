//! `GET /healthz`: 200 when the database answers, 503 otherwise (for load balancers).

use actix_web::{HttpResponse, web};
use diesel::RunQueryDsl as _;

use crate::app::AppState;
use crate::db;

/// Runs `SELECT 1` on a pooled connection.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let answer = db::run(&state.pool, |conn| {
        diesel::sql_query("SELECT 1").execute(conn)?;
        Ok(())
    })
    .await;
    match answer {
        Ok(()) => HttpResponse::Ok().content_type("text/plain").body("ok"),
        Err(error) => {
            tracing::warn!(%error, "health check: the database does not answer");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database unavailable")
        }
    }
}
