//! The field side of the load and soak benchmarks: an officer's signed-in session with the stops
//! of today's route (read from the today and stop pages as a tablet would), and a visit body.

use std::time::Duration;

use crate::http::{Conn, attr_values};

/// The demo users' password.
pub const PASSWORD: &str = "baqylau-demo";
const TIMEOUT: Duration = Duration::from_secs(30);

/// A check an officer may record a visit on.
#[derive(Clone, Debug)]
pub struct Stop {
    pub check_id: String,
    pub person_id: String,
    pub kind: String,
    pub lat: f64,
    pub lon: f64,
}

/// A signed-in session to clone into many connections.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub stops: Vec<Stop>,
}

/// Signs `login` in and reads the stops of its route today.
pub async fn officer_session(addr: &str, login: &str) -> std::io::Result<Session> {
    let mut conn = Conn::new(addr);
    conn.sign_in(login, PASSWORD).await?;
    let today = conn.get("/field/today", TIMEOUT).await?;
    let mut stops = Vec::new();
    for check_id in attr_values(&today.body, "data-check-id") {
        let page = conn
            .get(&format!("/field/stops/{check_id}"), TIMEOUT)
            .await?;
        let person_id = attr_values(&page.body, "data-person-id").pop();
        let kind = attr_values(&page.body, "data-kind").pop();
        // The stop page's map link: geo:LAT,LON?q=...
        let geo = page
            .body
            .split("geo:")
            .nth(1)
            .and_then(|rest| rest.split('?').next())
            .and_then(|p| p.split_once(','))
            .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)));
        if let (Some(person_id), Some(kind), Some((lat, lon))) = (person_id, kind, geo) {
            stops.push(Stop {
                check_id,
                person_id,
                kind,
                lat,
                lon,
            });
        }
    }
    Ok(Session {
        cookie: conn.cookie,
        csrf: conn.csrf,
        stops,
    })
}

/// A visit of `stop` (present, 20 m from the address) with `notes`, recorded now.
pub fn visit_body(stop: &Stop, notes: &str) -> String {
    visit_json(stop, notes, Some(&stop.check_id))
}

/// The same visit made ad hoc (no check): a check takes one visit, so a benchmark that records
/// many on one route would otherwise measure the 409 of a check already visited.
pub fn ad_hoc_visit_body(stop: &Stop, notes: &str) -> String {
    visit_json(stop, notes, None)
}

fn visit_json(stop: &Stop, notes: &str, check_id: Option<&str>) -> String {
    let outcome = if stop.kind == "work" {
        "employed"
    } else {
        "present"
    };
    serde_json::json!({
        "check_id": check_id,
        "person_id": stop.person_id,
        "kind": stop.kind,
        "outcome": outcome,
        "violation_kind": null,
        "notes": notes,
        "recorded_at": chrono::Utc::now().to_rfc3339(),
        "lat": stop.lat + 0.0002,
        "lon": stop.lon,
        "accuracy_m": 10.0,
    })
    .to_string()
}
