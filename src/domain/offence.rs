//! Offences: one registered offence of the region's crime statistics (DESIGN.md section 2), and
//! its text form, one field per CSV column, validated into an [`Offence`] with the same messages
//! as the person form uses.

use chrono::{Datelike as _, NaiveDate};

use super::iin::Iin;
use super::location::{District, GeoPoint, district_of, nearest_district};
use super::person::Severity;
use super::person_record::{FieldError, parse_date};
use super::{DistrictId, text_enum};

text_enum!(
    /// What kind of offence it is, as the crime-trend tables group them.
    OffenceType {
        Theft = "theft",
        Robbery = "robbery",
        Extortion = "extortion",
        Fraud = "fraud",
        /// Intentional grievous bodily harm.
        GrievousBodilyHarm = "grievous_bodily_harm",
        Hooliganism = "hooliganism",
        Other = "other",
    }
);

text_enum!(
    /// Where it happened.
    OffencePlace {
        PublicPlace = "public_place",
        Street = "street",
        Dwelling = "dwelling",
        Other = "other",
    }
);

/// One registered offence.
#[derive(Debug, Clone, PartialEq)]
pub struct Offence {
    /// The office's register number (or a generated id for demo data).
    pub id: String,
    /// When it was committed.
    pub offence_date: NaiveDate,
    /// Where: the district.
    pub district_id: DistrictId,
    /// Where exactly, when known.
    pub point: Option<GeoPoint>,
    /// Criminal Code article, e.g. `188 ч.2`.
    pub article: String,
    /// Severity class.
    pub severity: Severity,
    /// Kind.
    pub offence_type: OffenceType,
    /// Kind of place.
    pub place: OffencePlace,
    /// The suspect's IIN when known (links re-offending to the registry).
    pub suspect_iin: Option<Iin>,
}

/// The columns of the offences CSV, in file order.
pub const COLUMNS: &[&str] = &[
    "id",
    "offence_date",
    "district",
    "lat",
    "lon",
    "article",
    "severity",
    "offence_type",
    "place",
    "suspect_iin",
];

/// Columns an import file must have.
pub const REQUIRED_COLUMNS: &[&str] = &[
    "id",
    "offence_date",
    "district",
    "article",
    "severity",
    "offence_type",
    "place",
];

/// An offence's fields as read from a CSV row; all text so that any input reaches validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[expect(
    missing_docs,
    reason = "one field per column of COLUMNS, documented in the README"
)]
pub struct OffenceRecord {
    pub id: String,
    pub offence_date: String,
    pub district: String,
    pub lat: String,
    pub lon: String,
    pub article: String,
    pub severity: String,
    pub offence_type: String,
    pub place: String,
    pub suspect_iin: String,
}

impl OffenceRecord {
    /// The record of a stored offence, as export writes it (`district_code` of its district).
    pub fn from_offence(o: &Offence, district_code: &str) -> Self {
        Self {
            id: o.id.clone(),
            offence_date: o.offence_date.to_string(),
            district: district_code.to_owned(),
            lat: o.point.map(|p| p.lat.to_string()).unwrap_or_default(),
            lon: o.point.map(|p| p.lon.to_string()).unwrap_or_default(),
            article: o.article.clone(),
            severity: o.severity.as_str().to_owned(),
            offence_type: o.offence_type.as_str().to_owned(),
            place: o.place.as_str().to_owned(),
            suspect_iin: o
                .suspect_iin
                .as_ref()
                .map(|i| i.as_str().to_owned())
                .unwrap_or_default(),
        }
    }

    /// The values in [`COLUMNS`] order.
    pub fn values(&self) -> [&str; 10] {
        [
            &self.id,
            &self.offence_date,
            &self.district,
            &self.lat,
            &self.lon,
            &self.article,
            &self.severity,
            &self.offence_type,
            &self.place,
            &self.suspect_iin,
        ]
    }

    /// Sets the field of a column by name; `false` for an unknown column.
    pub fn set(&mut self, column: &str, value: String) -> bool {
        let field = match column {
            "id" => &mut self.id,
            "offence_date" => &mut self.offence_date,
            "district" => &mut self.district,
            "lat" => &mut self.lat,
            "lon" => &mut self.lon,
            "article" => &mut self.article,
            "severity" => &mut self.severity,
            "offence_type" => &mut self.offence_type,
            "place" => &mut self.place,
            "suspect_iin" => &mut self.suspect_iin,
            _ => return false,
        };
        *field = value;
        true
    }

    /// Validates every field and builds the offence, or returns every refused field at once.
    /// The district is named by its code; a point, when given, must lie in that district.
    pub fn validate(
        &self,
        districts: &[District],
        today: NaiveDate,
    ) -> Result<Offence, Vec<FieldError>> {
        let mut errors = Vec::new();
        let fail = |errors: &mut Vec<FieldError>, column: &'static str, key: &'static str| {
            errors.push(field_error(column, key, &[]));
        };
        let id = self.id.trim();
        let id_ok = if id.is_empty() {
            fail(&mut errors, "id", "error-required");
            false
        } else if id.chars().count() > 40 {
            errors.push(field_error("id", "error-too-long", &[("max", "40")]));
            false
        } else if !id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        {
            fail(&mut errors, "id", "offence-error-id");
            false
        } else {
            true
        };
        let date = match parse_date(&self.offence_date) {
            _ if self.offence_date.trim().is_empty() => {
                fail(&mut errors, "offence_date", "error-required");
                None
            }
            Some(d) if d > today => {
                fail(&mut errors, "offence_date", "error-date-in-future");
                None
            }
            Some(d) if d.year() < 1990 => {
                fail(&mut errors, "offence_date", "error-date");
                None
            }
            Some(d) => Some(d),
            None => {
                fail(&mut errors, "offence_date", "error-date");
                None
            }
        };
        let code = self.district.trim();
        let district = if code.is_empty() {
            fail(&mut errors, "district", "error-required");
            None
        } else {
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
        };
        let point = self.point(districts, district, &mut errors);
        let article = self.article.trim();
        if article.is_empty() {
            errors.push(field_error("article", "error-required", &[]));
        } else if article.chars().count() > 40 {
            errors.push(field_error("article", "error-too-long", &[("max", "40")]));
        } else if article.chars().any(char::is_control) {
            errors.push(field_error("article", "error-control-characters", &[]));
        }
        let severity = word(
            &mut errors,
            "severity",
            &self.severity,
            Severity::parse,
            Severity::ALL,
        );
        let offence_type = word(
            &mut errors,
            "offence_type",
            &self.offence_type,
            OffenceType::parse,
            OffenceType::ALL,
        );
        let place = word(
            &mut errors,
            "place",
            &self.place,
            OffencePlace::parse,
            OffencePlace::ALL,
        );
        let iin_text = self.suspect_iin.trim();
        let suspect_iin = if iin_text.is_empty() {
            Some(None)
        } else {
            match Iin::parse(iin_text) {
                Ok(iin) => Some(Some(iin)),
                Err(e) => {
                    errors.push(field_error("suspect_iin", e.message_key(), &[]));
                    None
                }
            }
        };
        match (
            id_ok,
            date,
            district,
            point,
            severity,
            offence_type,
            place,
            suspect_iin,
        ) {
            (
                true,
                Some(offence_date),
                Some(district),
                Some(point),
                Some(severity),
                Some(offence_type),
                Some(place),
                Some(suspect_iin),
            ) if errors.is_empty() => Ok(Offence {
                id: id.to_owned(),
                offence_date,
                district_id: district.id.clone(),
                point,
                article: article.to_owned(),
                severity,
                offence_type,
                place,
                suspect_iin,
            }),
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
        let number = |column: &'static str, text: &str, errors: &mut Vec<FieldError>| {
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
        };
        let lat = number("lat", lat, errors);
        let lon = number("lon", lon, errors);
        let point = match GeoPoint::new(lat?, lon?) {
            Ok(p) => p,
            Err(super::location::GeoPointError::Latitude) => {
                errors.push(field_error("lat", "error-latitude", &[]));
                return None;
            }
            Err(super::location::GeoPointError::Longitude) => {
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
                let mut args = Vec::new();
                let (name, km);
                if let Some((nearest, metres)) = nearest_district(districts, point) {
                    name = nearest.name_ru.clone();
                    km = format!("{:.1}", metres / 1000.0);
                    args.push(("district", name.as_str()));
                    args.push(("km", km.as_str()));
                }
                errors.push(field_error("lat", "person-error-outside-region", &args));
                None
            }
        }
    }
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

/// The Criminal Code article usually recorded for an offence of this kind and severity (demo data
/// and examples; a real file carries the article as registered).
pub fn typical_article(offence_type: OffenceType, severity: Severity) -> &'static str {
    use OffenceType as T;
    use Severity as S;
    match (offence_type, severity) {
        (T::Theft, S::Misdemeanour) => "188 ч.1",
        (T::Theft, S::Minor | S::Medium) => "188 ч.2",
        (T::Theft, _) => "188 ч.3",
        (T::Robbery, S::EspeciallyGrave | S::Grave) => "192 ч.2",
        (T::Robbery, _) => "192 ч.1",
        (T::Extortion, S::EspeciallyGrave) => "194 ч.4",
        (T::Extortion, S::Grave) => "194 ч.3",
        (T::Extortion, _) => "194 ч.1",
        (T::Fraud, S::Misdemeanour) => "190 ч.1",
        (T::Fraud, S::Minor | S::Medium) => "190 ч.2",
        (T::Fraud, _) => "190 ч.3",
        (T::GrievousBodilyHarm, S::EspeciallyGrave) => "106 ч.3",
        (T::GrievousBodilyHarm, S::Grave) => "106 ч.2",
        (T::GrievousBodilyHarm, _) => "106 ч.1",
        (T::Hooliganism, S::Misdemeanour | S::Minor) => "293 ч.1",
        (T::Hooliganism, _) => "293 ч.2",
        (T::Other, S::EspeciallyGrave) => "99 ч.1",
        (T::Other, S::Grave) => "200 ч.2",
        (T::Other, S::Medium) => "296 ч.1",
        (T::Other, S::Minor) => "287 ч.1",
        (T::Other, S::Misdemeanour) => "109 ч.1",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::region;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()
    }

    fn record() -> OffenceRecord {
        OffenceRecord {
            id: "261500031000123".to_owned(),
            offence_date: "2026-03-08".to_owned(),
            district: "KST".to_owned(),
            lat: "53.2150".to_owned(),
            lon: "63.6050".to_owned(),
            article: "188 ч.2".to_owned(),
            severity: "medium".to_owned(),
            offence_type: "theft".to_owned(),
            place: "street".to_owned(),
            suspect_iin: String::new(),
        }
    }

    #[test]
    fn a_good_record_validates_and_round_trips() {
        let districts = region::generate(1, 0, today()).districts;
        let offence = record().validate(&districts, today());
        let Ok(offence) = offence else {
            panic!("{offence:?}");
        };
        assert_eq!(offence.offence_type, OffenceType::Theft);
        let back = OffenceRecord::from_offence(&offence, "KST");
        assert_eq!(back.validate(&districts, today()), Ok(offence));
    }

    #[test]
    fn every_bad_field_is_named() {
        let districts = region::generate(1, 0, today()).districts;
        let bad = OffenceRecord {
            id: "a b".to_owned(),
            offence_date: "2027-01-01".to_owned(),
            district: "NOPE".to_owned(),
            lat: "53.2".to_owned(),
            lon: String::new(),
            article: String::new(),
            severity: "awful".to_owned(),
            offence_type: "theft".to_owned(),
            place: "moon".to_owned(),
            suspect_iin: "123".to_owned(),
        };
        let columns: Vec<&str> = bad
            .validate(&districts, today())
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.column)
            .collect();
        assert_eq!(
            columns,
            [
                "id",
                "offence_date",
                "district",
                "lon",
                "article",
                "severity",
                "place",
                "suspect_iin"
            ]
        );
    }

    #[test]
    fn a_point_in_another_district_is_refused() {
        let districts = region::generate(1, 0, today()).districts;
        let mut r = record();
        r.district = "RUD".to_owned();
        let errors = r.validate(&districts, today()).err().unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].key, "offence-error-other-district");
    }
}
