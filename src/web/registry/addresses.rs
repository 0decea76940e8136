//! The person form's address search and street map: `GET /registry/addresses?q=…` answers
//! the houses and streets of the imported road network matching a query (no personal data:
//! OpenStreetMap's streets only; at most [`MAX_RESULTS`]), and the form's map around its point,
//! which the form's script turns into a picker. Also the check that a point lies near the
//! street its address names.

use actix_web::{HttpResponse, web};
use geo::{Contains as _, Point};
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::db;
use crate::domain::{District, GeoPoint};
use crate::error::AppError;
use crate::roads::Router;
use crate::web::context::PageContext;
use crate::web::map::{self, Mark};

/// Results one search returns at most.
pub const MAX_RESULTS: usize = 20;

/// The query: the text, and how many results (default 10, at most [`MAX_RESULTS`]).
#[derive(Debug, Deserialize)]
pub struct AddressQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    limit: Option<usize>,
}

/// One result as the form's script reads it.
#[derive(Debug, Serialize)]
struct Found {
    label: String,
    lat: f64,
    lon: f64,
}

/// `GET /registry/addresses?q=…&limit=…`: `{"roads": bool, "results": [{label, lat, lon}]}`.
pub async fn search_addresses(
    ctx: PageContext,
    state: web::Data<AppState>,
    query: web::Query<AddressQuery>,
) -> Result<HttpResponse, AppError> {
    let text: String = query.q.trim().chars().take(200).collect();
    let limit = query.limit.unwrap_or(10).clamp(1, MAX_RESULTS);
    let roads = map::roads_for(&state).await;
    let districts = db::run(&state.pool, |conn| Ok(db::districts::list_districts(conn)?)).await?;
    let found = match &roads {
        Some(router) => {
            let router = router.clone();
            web::block(move || router.addresses().search(&router.net, &text, limit))
                .await
                .map_err(|e| AppError::from(anyhow::anyhow!("address search: {e}")))?
        }
        None => Vec::new(),
    };
    let results: Vec<Found> = found
        .iter()
        .map(|m| {
            let (lat, lon) = (m.at.lat(), m.at.lon());
            let mut label = match &m.number {
                Some(n) => format!("{}, {n}", m.street),
                None => m.street.clone(),
            };
            if let Some(d) = district_of(&districts, lat, lon) {
                label.push_str(&format!(" · {}", d.name(ctx.lang.code())));
            }
            Found { label, lat, lon }
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "roads": roads.is_some(),
        "results": results,
    })))
}

fn district_of(districts: &[District], lat: f64, lon: f64) -> Option<&District> {
    districts
        .iter()
        .find(|d| d.boundary.contains(&Point::new(lon, lat)))
}

/// The form's street map: a town-sized frame around the point (all its streets), else the
/// network's whole box (its main roads); `None` without a network.
pub fn picker_map(ctx: &PageContext, roads: &Router, point: Option<GeoPoint>) -> Option<String> {
    // About 1.5 km each way: the next streets are there to click on.
    let (frame, marks) = match point {
        Some(at) => {
            let (dlat, dlon) = (0.0135, 0.0135 / at.lat.to_radians().cos().max(0.1));
            let frame = [
                GeoPoint {
                    lat: at.lat - dlat,
                    lon: at.lon - dlon,
                },
                GeoPoint {
                    lat: at.lat + dlat,
                    lon: at.lon + dlon,
                },
            ];
            let home = Mark {
                at,
                sign: "H".to_owned(),
                class: "home",
                title: ctx.t("person-map-home"),
            };
            (frame.to_vec(), vec![home])
        }
        None => {
            let b = roads.net.meta.bbox;
            let frame = [
                GeoPoint {
                    lat: b.south,
                    lon: b.west,
                },
                GeoPoint {
                    lat: b.north,
                    lon: b.east,
                },
            ];
            (frame.to_vec(), Vec::new())
        }
    };
    Some(map::draw_picker(
        roads,
        &frame,
        &marks,
        &ctx.t("address-map-label"),
    ))
}

/// When the address names a street the network knows and the point lies farther than
/// `roads::addresses::NEAR_STREET_M` from it: the street's name and the distance in metres.
pub fn far_from_street(roads: &Router, address: &str, at: GeoPoint) -> Option<(String, f64)> {
    roads
        .addresses()
        .far_from_named_street(&roads.net, address, at.lat, at.lon)
}
