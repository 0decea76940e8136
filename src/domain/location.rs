//! Places: validated WGS84 points and the districts whose boundaries decide where a person
//! belongs.

use geo::{Contains, Distance, Haversine, Point, Polygon};

use super::{DistrictId, text_enum};

/// A WGS84 point with latitude and longitude in range and finite.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GeoPoint {
    /// Degrees north, -90..=90.
    pub lat: f64,
    /// Degrees east, -180..=180.
    pub lon: f64,
}

/// Why a pair of numbers is not a point on Earth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GeoPointError {
    /// Latitude missing, not finite or outside -90..=90.
    #[error("latitude must be between -90 and 90")]
    Latitude,
    /// Longitude missing, not finite or outside -180..=180.
    #[error("longitude must be between -180 and 180")]
    Longitude,
}

impl GeoPoint {
    /// Validates latitude and longitude.
    pub fn new(lat: f64, lon: f64) -> Result<Self, GeoPointError> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(GeoPointError::Latitude);
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(GeoPointError::Longitude);
        }
        Ok(Self { lat, lon })
    }

    /// The point for `geo` (x = longitude, y = latitude).
    pub fn to_geo(self) -> Point<f64> {
        Point::new(self.lon, self.lat)
    }

    /// Great-circle distance in metres.
    pub fn distance_m(self, other: GeoPoint) -> f64 {
        Haversine.distance(self.to_geo(), other.to_geo())
    }
}

text_enum!(
    /// Urban or rural: sets the default travel speed of routes through the district.
    DistrictKind { Urban = "urban", Rural = "rural" }
);

/// An administrative district of the region.
#[derive(Debug, Clone, PartialEq)]
pub struct District {
    /// Identifier.
    pub id: DistrictId,
    /// Short stable code used in URLs and CSV files, e.g. `KST-C`.
    pub code: String,
    /// Name in Kazakh.
    pub name_kk: String,
    /// Name in Russian.
    pub name_ru: String,
    /// Name in English (transliterated).
    pub name_en: String,
    /// Urban or rural.
    pub kind: DistrictKind,
    /// Residents, for rates per 10,000.
    pub population: i64,
    /// Boundary (x = longitude, y = latitude).
    pub boundary: Polygon<f64>,
}

impl District {
    /// The name in the given language code (`kk`, `ru`, anything else: English).
    pub fn name(&self, lang: &str) -> &str {
        match lang {
            "kk" => &self.name_kk,
            "ru" => &self.name_ru,
            _ => &self.name_en,
        }
    }

    /// Whether the boundary holds the point.
    pub fn contains(&self, point: GeoPoint) -> bool {
        self.boundary.contains(&point.to_geo())
    }
}

/// The district whose boundary holds the point, if any (the first one when boundaries overlap).
pub fn district_of(districts: &[District], point: GeoPoint) -> Option<&District> {
    districts.iter().find(|d| d.contains(point))
}

/// The district whose boundary is closest to a point outside all of them, with the distance in
/// metres, so a refused point can name where it probably belongs.
pub fn nearest_district(districts: &[District], point: GeoPoint) -> Option<(&District, f64)> {
    districts
        .iter()
        .map(|d| {
            let distance_m = d
                .boundary
                .exterior()
                .points()
                .map(|p| Haversine.distance(p, point.to_geo()))
                .fold(f64::INFINITY, f64::min);
            (d, distance_m)
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// Parses a boundary stored as JSON rings of `[lon, lat]` pairs (the GeoJSON Polygon
/// `coordinates` member).
pub fn polygon_from_json(text: &str) -> Result<Polygon<f64>, serde_json::Error> {
    let rings: Vec<Vec<[f64; 2]>> = serde_json::from_str(text)?;
    let mut rings = rings.into_iter().map(|ring| {
        geo::LineString::from(ring.into_iter().map(|[x, y]| (x, y)).collect::<Vec<_>>())
    });
    let exterior = rings
        .next()
        .unwrap_or_else(|| geo::LineString::new(Vec::new()));
    Ok(Polygon::new(exterior, rings.collect()))
}

/// Writes a boundary as JSON rings of `[lon, lat]` pairs (inverse of [`polygon_from_json`]).
pub fn polygon_to_json(polygon: &Polygon<f64>) -> String {
    let ring = |r: &geo::LineString<f64>| r.points().map(|p| [p.x(), p.y()]).collect::<Vec<_>>();
    let mut rings = vec![ring(polygon.exterior())];
    rings.extend(polygon.interiors().iter().map(ring));
    serde_json::to_string(&rings).unwrap_or_else(|_| "[]".to_owned())
}

/// Travel time and distance between two points estimated from the great circle: town streets
/// (circuity 1.35 at 25 km/h) when both ends are in urban districts, country roads (1.2 at
/// 60 km/h) otherwise. Seconds and metres; the planner's default travel matrix and the group
/// report's distance driven both use it.
pub fn leg(a: GeoPoint, b: GeoPoint, a_urban: bool, b_urban: bool) -> (i64, i64) {
    let (circuity, kmh) = if a_urban && b_urban {
        (1.35, 25.0)
    } else {
        (1.2, 60.0)
    };
    let metres = a.distance_m(b) * circuity;
    ((metres / (kmh / 3.6)).ceil() as i64, metres.ceil() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_out_of_range_is_refused_with_the_axis() {
        assert_eq!(GeoPoint::new(91.0, 10.0), Err(GeoPointError::Latitude));
        assert_eq!(GeoPoint::new(10.0, f64::NAN), Err(GeoPointError::Longitude));
    }

    #[test]
    fn boundary_json_round_trips() {
        let json = "[[[63.0,53.0],[64.0,53.0],[64.0,54.0],[63.0,53.0]]]";
        let polygon = polygon_from_json(json)
            .unwrap_or_else(|_| Polygon::new(geo::LineString::new(vec![]), vec![]));
        assert_eq!(polygon_to_json(&polygon), json);
    }

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let a = GeoPoint {
            lat: 53.0,
            lon: 63.0,
        };
        let b = GeoPoint {
            lat: 54.0,
            lon: 63.0,
        };
        assert!((a.distance_m(b) - 111_195.0).abs() < 500.0);
    }
}
