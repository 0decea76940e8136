//! Offences: one registered offence of the region's crime statistics (DESIGN.md section 2), and
//! its text form, one field per CSV column, validated into an [`Offence`] with the same messages
//! as the person form uses.

mod validate;

use chrono::NaiveDate;

use super::iin::Iin;
use super::location::GeoPoint;
use super::person::Severity;
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
