//! An offence record's validation, field by field in the columns' order, every refusal at once.

use chrono::{Datelike as _, NaiveDate};

use super::{Offence, OffencePlace, OffenceRecord, OffenceType};
use crate::domain::iin::Iin;
use crate::domain::location::{District, GeoPoint, GeoPointError, district_of, nearest_district};
use crate::domain::person::Severity;
use crate::domain::person_record::{FieldError, parse_date};

impl OffenceRecord {
    /// Validates every field and builds the offence, or returns every refused field at once.
    /// The district is named by its code; a point, when given, must lie in that district.
    pub fn validate(
        &self,
        districts: &[District],
        today: NaiveDate,
    ) -> Result<Offence, Vec<FieldError>> {
        let mut errors = Vec::new();
        let id = self.id.trim();
        let id_ok = check_id(&mut errors, id);
        let date = offence_date(&mut errors, &self.offence_date, today);
        let district = district(&mut errors, &self.district, districts);
        let point = self.point(districts, district, &mut errors);
        let article = self.article.trim();
        check_article(&mut errors, article);
        let severity = word(
            &mut errors,
            "severity",
            &self.severity,
            Severity::parse,
            Severity::ALL,
        );
        let types = (OffenceType::parse, OffenceType::ALL);
        let offence_type = word(
            &mut errors,
            "offence_type",
            &self.offence_type,
            types.0,
            types.1,
        );
        let places = (OffencePlace::parse, OffencePlace::ALL);
        let place = word(&mut errors, "place", &self.place, places.0, places.1);
        let suspect_iin = suspect(&mut errors, &self.suspect_iin);
        let (true, Some(offence_date), Some(district), Some(point)) =
            (id_ok, date, district, point)
        else {
            return Err(errors);
        };
        match (severity, offence_type, place, suspect_iin) {
            (Some(severity), Some(offence_type), Some(place), Some(suspect_iin))
                if errors.is_empty() =>
            {
                Ok(Offence {
                    id: id.to_owned(),
                    offence_date,
                    district_id: district.id.clone(),
                    point,
                    article: article.to_owned(),
                    severity,
                    offence_type,
                    place,
                    suspect_iin,
                })
            }
            _ => Err(errors),
        }
    }

    /// The optional point: both coordinates or neither, inside the named district.
    fn point(
        &self,
        districts: &[District],
        district: Option<&District>,
        errors: &mut Vec<FieldError>,
    ) -> Option<Option<GeoPoint>> {
        let (lat, lon) = (self.lat.trim(), self.lon.trim());
        if lat.is_empty() && lon.is_empty() {
            return Some(None);
        }
        let lat = coordinate(errors, "lat", lat);
        let lon = coordinate(errors, "lon", lon);
        let point = match GeoPoint::new(lat?, lon?) {
            Ok(p) => p,
            Err(GeoPointError::Latitude) => {
                errors.push(field_error("lat", "error-latitude", &[]));
                return None;
            }
            Err(GeoPointError::Longitude) => {
                errors.push(field_error("lon", "error-longitude", &[]));
                return None;
            }
        };
        match district_of(districts, point) {
            Some(found) if district.is_none_or(|d| d.id == found.id) => Some(Some(point)),
            Some(found) => {
                errors.push(field_error(
                    "lat",
                    "offence-error-other-district",
                    &[("district", &found.code)],
                ));
                None
            }
            None => {
                outside_region(errors, districts, point);
                None
            }
        }
    }
}

/// The register number: required, at most 40 letters, digits and `-_./`.
fn check_id(errors: &mut Vec<FieldError>, id: &str) -> bool {
    if id.is_empty() {
        errors.push(field_error("id", "error-required", &[]));
    } else if id.chars().count() > 40 {
        errors.push(field_error("id", "error-too-long", &[("max", "40")]));
    } else if !id
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
    {
        errors.push(field_error("id", "offence-error-id", &[]));
    } else {
        return true;
    }
    false
}

/// The day committed: required, not in the future, not before 1990.
fn offence_date(errors: &mut Vec<FieldError>, text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let key = match parse_date(text) {
        _ if text.trim().is_empty() => "error-required",
        Some(d) if d > today => "error-date-in-future",
        Some(d) if d.year() < 1990 => "error-date",
        Some(d) => return Some(d),
        None => "error-date",
    };
    errors.push(field_error("offence_date", key, &[]));
    None
}

/// The district named by its code (any case).
fn district<'a>(
    errors: &mut Vec<FieldError>,
    code: &str,
    districts: &'a [District],
) -> Option<&'a District> {
    let code = code.trim();
    if code.is_empty() {
        errors.push(field_error("district", "error-required", &[]));
        return None;
    }
    let found = districts.iter().find(|d| d.code.eq_ignore_ascii_case(code));
    if found.is_none() {
        let allowed: Vec<&str> = districts.iter().map(|d| d.code.as_str()).collect();
        errors.push(field_error(
            "district",
            "error-one-of",
            &[("allowed", &allowed.join(", "))],
        ));
    }
    found
}

/// The article: required, at most 40 characters, no control characters.
fn check_article(errors: &mut Vec<FieldError>, article: &str) {
    if article.is_empty() {
        errors.push(field_error("article", "error-required", &[]));
    } else if article.chars().count() > 40 {
        errors.push(field_error("article", "error-too-long", &[("max", "40")]));
    } else if article.chars().any(char::is_control) {
        errors.push(field_error("article", "error-control-characters", &[]));
    }
}

/// The suspect's IIN, when given.
fn suspect(errors: &mut Vec<FieldError>, text: &str) -> Option<Option<Iin>> {
    let text = text.trim();
    if text.is_empty() {
        return Some(None);
    }
    match Iin::parse(text) {
        Ok(iin) => Some(Some(iin)),
        Err(e) => {
            errors.push(field_error("suspect_iin", e.message_key(), &[]));
            None
        }
    }
}

/// One coordinate of a point whose other coordinate was given.
fn coordinate(errors: &mut Vec<FieldError>, column: &'static str, text: &str) -> Option<f64> {
    if text.is_empty() {
        errors.push(field_error(column, "offence-error-both-coordinates", &[]));
        return None;
    }
    match text.replace(',', ".").parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => {
            errors.push(field_error(column, "error-number", &[]));
            None
        }
    }
}

/// A point in no district: refused, naming the nearest district and how far it is.
fn outside_region(errors: &mut Vec<FieldError>, districts: &[District], point: GeoPoint) {
    let mut args = Vec::new();
    let (name, km);
    if let Some((nearest, metres)) = nearest_district(districts, point) {
        name = nearest.name_ru.clone();
        km = format!("{:.1}", metres / 1000.0);
        args.push(("district", name.as_str()));
        args.push(("km", km.as_str()));
    }
    errors.push(field_error("lat", "person-error-outside-region", &args));
}

fn field_error(
    column: &'static str,
    key: &'static str,
    args: &[(&'static str, &str)],
) -> FieldError {
    FieldError {
        column,
        key,
        args: args.iter().map(|(n, v)| (*n, (*v).to_owned())).collect(),
    }
}

fn word<T: Copy + std::fmt::Display>(
    errors: &mut Vec<FieldError>,
    column: &'static str,
    text: &str,
    parse: fn(&str) -> Option<T>,
    all: &[T],
) -> Option<T> {
    let text = text.trim();
    if text.is_empty() {
        errors.push(field_error(column, "error-required", &[]));
        return None;
    }
    let found = parse(&text.to_lowercase());
    if found.is_none() {
        let allowed: Vec<String> = all.iter().map(ToString::to_string).collect();
        errors.push(field_error(
            column,
            "error-one-of",
            &[("allowed", &allowed.join(", "))],
        ));
    }
    found
}
