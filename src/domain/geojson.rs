//! District boundaries imported from GeoJSON: a Feature (or bare geometry, or a collection of one
//! feature) holding a Polygon, or a MultiPolygon of exactly one polygon, in lon/lat order.

use geo::{Area, LineString, Polygon};
use serde_json::Value;

/// Why a text is not a usable boundary. Each variant has a message key (`message_key`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GeoJsonError {
    /// Nothing was given.
    #[error("no GeoJSON given")]
    Empty,
    /// The text is not JSON at all.
    #[error("not valid JSON")]
    Json,
    /// JSON, but not a Feature/Polygon/MultiPolygon of one polygon.
    #[error("not a Feature with a Polygon or a MultiPolygon of one polygon")]
    Geometry,
    /// A position is not two numbers, or is off the globe.
    #[error("coordinates must be [longitude, latitude] pairs within range")]
    Coordinates,
    /// A ring has fewer than four positions.
    #[error("a ring needs at least four points")]
    TooFewPoints,
    /// A ring's last position is not its first.
    #[error("a ring must end where it starts")]
    OpenRing,
    /// The outer ring encloses no area (all points on one line).
    #[error("the boundary encloses no area")]
    NoArea,
}

impl GeoJsonError {
    /// The catalogue key of the message shown next to the field.
    pub fn message_key(self) -> &'static str {
        match self {
            GeoJsonError::Empty => "admin-error-required",
            GeoJsonError::Json => "admin-error-geojson-json",
            GeoJsonError::Geometry => "admin-error-geojson-geometry",
            GeoJsonError::Coordinates => "admin-error-geojson-coordinates",
            GeoJsonError::TooFewPoints => "admin-error-geojson-ring-short",
            GeoJsonError::OpenRing => "admin-error-geojson-ring-open",
            GeoJsonError::NoArea => "admin-error-geojson-no-area",
        }
    }
}

/// Reads a boundary polygon (x = longitude, y = latitude) from GeoJSON text.
pub fn polygon_from_geojson(text: &str) -> Result<Polygon<f64>, GeoJsonError> {
    if text.trim().is_empty() {
        return Err(GeoJsonError::Empty);
    }
    let value: Value = serde_json::from_str(text).map_err(|_json| GeoJsonError::Json)?;
    let rings = polygon_rings(geometry_of(&value)?)?;
    let mut rings = rings.iter().map(ring_from_json);
    let exterior = rings.next().ok_or(GeoJsonError::Geometry)??;
    let interiors = rings.collect::<Result<Vec<_>, _>>()?;
    let polygon = Polygon::new(exterior, interiors);
    if polygon.unsigned_area() <= 0.0 {
        return Err(GeoJsonError::NoArea);
    }
    Ok(polygon)
}

/// The geometry object inside a Feature, a one-feature FeatureCollection, or the value itself.
fn geometry_of(value: &Value) -> Result<&Value, GeoJsonError> {
    match value.get("type").and_then(Value::as_str) {
        Some("Feature") => value.get("geometry").ok_or(GeoJsonError::Geometry),
        Some("FeatureCollection") => match value.get("features").and_then(Value::as_array) {
            Some(features) if features.len() == 1 => geometry_of(&features[0]),
            _ => Err(GeoJsonError::Geometry),
        },
        Some("Polygon" | "MultiPolygon") => Ok(value),
        _ => Err(GeoJsonError::Geometry),
    }
}

/// The rings of a Polygon, or of the only polygon of a MultiPolygon.
fn polygon_rings(geometry: &Value) -> Result<&Vec<Value>, GeoJsonError> {
    let coordinates = geometry.get("coordinates").and_then(Value::as_array);
    let rings = match (geometry.get("type").and_then(Value::as_str), coordinates) {
        (Some("Polygon"), Some(rings)) => rings,
        (Some("MultiPolygon"), Some(polygons)) if polygons.len() == 1 => {
            polygons[0].as_array().ok_or(GeoJsonError::Geometry)?
        }
        _ => return Err(GeoJsonError::Geometry),
    };
    if rings.is_empty() {
        return Err(GeoJsonError::Geometry);
    }
    Ok(rings)
}

fn ring_from_json(ring: &Value) -> Result<LineString<f64>, GeoJsonError> {
    let positions = ring.as_array().ok_or(GeoJsonError::Geometry)?;
    let points = positions
        .iter()
        .map(position)
        .collect::<Result<Vec<_>, _>>()?;
    if points.len() < 4 {
        return Err(GeoJsonError::TooFewPoints);
    }
    if points.first() != points.last() {
        return Err(GeoJsonError::OpenRing);
    }
    Ok(LineString::from(points))
}

/// One `[lon, lat]` position (an altitude after them is ignored).
fn position(value: &Value) -> Result<(f64, f64), GeoJsonError> {
    let numbers = value.as_array().ok_or(GeoJsonError::Coordinates)?;
    let (Some(lon), Some(lat)) = (
        numbers.first().and_then(Value::as_f64),
        numbers.get(1).and_then(Value::as_f64),
    ) else {
        return Err(GeoJsonError::Coordinates);
    };
    let in_range = lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-90.0..=90.0).contains(&lat);
    if !in_range {
        return Err(GeoJsonError::Coordinates);
    }
    Ok((lon, lat))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = "[[63.0,53.0],[64.0,53.0],[64.0,54.0],[63.0,54.0],[63.0,53.0]]";

    #[test]
    fn a_feature_with_a_polygon_is_read_in_lon_lat_order() {
        let text = format!(
            r#"{{"type":"Feature","properties":{{}},"geometry":{{"type":"Polygon","coordinates":[{SQUARE}]}}}}"#
        );
        let polygon = polygon_from_geojson(&text);
        assert!(polygon.is_ok(), "{polygon:?}");
        let polygon = polygon.unwrap_or_else(|_| Polygon::new(LineString::new(vec![]), vec![]));
        assert_eq!(polygon.exterior().0.len(), 5);
        assert_eq!(polygon.exterior().0[1].x, 64.0);
        assert_eq!(polygon.exterior().0[1].y, 53.0);
    }

    #[test]
    fn a_multipolygon_of_one_polygon_is_accepted_and_of_two_refused() {
        let one = format!(r#"{{"type":"MultiPolygon","coordinates":[[{SQUARE}]]}}"#);
        assert!(polygon_from_geojson(&one).is_ok());
        let two = format!(r#"{{"type":"MultiPolygon","coordinates":[[{SQUARE}],[{SQUARE}]]}}"#);
        assert_eq!(polygon_from_geojson(&two), Err(GeoJsonError::Geometry));
    }

    #[test]
    fn broken_boundaries_are_refused_with_the_reason() {
        let cases = [
            ("", GeoJsonError::Empty),
            ("not json {", GeoJsonError::Json),
            (
                r#"{"type":"Point","coordinates":[63,53]}"#,
                GeoJsonError::Geometry,
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[63,53],[64,53],[64,54],[63,54]]]}"#,
                GeoJsonError::OpenRing,
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[63,53],[64,53],[63,53]]]}"#,
                GeoJsonError::TooFewPoints,
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[63,53],[264,53],[64,54],[63,53]]]}"#,
                GeoJsonError::Coordinates,
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[63,53],["x",53],[64,54],[63,53]]]}"#,
                GeoJsonError::Coordinates,
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[63,53],[64,53],[65,53],[63,53]]]}"#,
                GeoJsonError::NoArea,
            ),
            (
                r#"{"type":"Polygon","coordinates":[]}"#,
                GeoJsonError::Geometry,
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(polygon_from_geojson(text), Err(expected), "{text}");
        }
    }
}
