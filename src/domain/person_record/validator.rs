//! The field parsers of a person record: each records its refusal and says whether the field
//! was read.

use chrono::{Datelike as _, NaiveDate};

use super::{FieldError, PersonRecord, parse_date};
use crate::domain::DistrictId;
use crate::domain::iin::Iin;
use crate::domain::location::{District, GeoPoint, district_of, nearest_district};
use crate::domain::person::{Curfew, Workplace};

/// Collects errors while each field is parsed. Each method returns `None` when its field was
/// refused (the error is recorded), and `Some(None)` for an optional field left empty.
pub(super) struct Validator {
    pub(super) errors: Vec<FieldError>,
}

impl Validator {
    pub(super) fn push(&mut self, error: FieldError) {
        self.errors.push(error);
    }

    pub(super) fn fail<T>(&mut self, column: &'static str, key: &'static str) -> Option<T> {
        self.push(FieldError::new(column, key));
        None
    }

    pub(super) fn iin(&mut self, text: &str) -> Option<Iin> {
        let text = text.trim();
        if text.is_empty() {
            return self.fail("iin", "error-required");
        }
        match Iin::parse(text) {
            Ok(iin) => Some(iin),
            Err(e) => self.fail("iin", e.message_key()),
        }
    }

    pub(super) fn name(
        &mut self,
        column: &'static str,
        text: &str,
        required: bool,
    ) -> Option<Option<String>> {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return if required {
                self.fail(column, "error-required")
            } else {
                Some(None)
            };
        }
        if text.chars().count() > 60 {
            self.push(FieldError::new(column, "error-too-long").with("max", "60"));
            return None;
        }
        let letters_only = text
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’' | '.'));
        if !letters_only || !text.chars().any(char::is_alphabetic) {
            return self.fail(column, "person-error-name");
        }
        Some(Some(text))
    }

    pub(super) fn text(
        &mut self,
        column: &'static str,
        text: &str,
        max: usize,
        required: bool,
    ) -> Option<Option<String>> {
        let text = text.trim();
        if text.is_empty() {
            return if required {
                self.fail(column, "error-required")
            } else {
                Some(None)
            };
        }
        if text.chars().count() > max {
            self.push(FieldError::new(column, "error-too-long").with("max", max.to_string()));
            return None;
        }
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            return self.fail(column, "error-control-characters");
        }
        Some(Some(text.to_owned()))
    }

    pub(super) fn date(
        &mut self,
        column: &'static str,
        text: &str,
        latest: NaiveDate,
    ) -> Option<NaiveDate> {
        match self.optional_date(column, text, latest) {
            Some(Some(date)) => Some(date),
            Some(None) => self.fail(column, "error-required"),
            None => None,
        }
    }

    pub(super) fn optional_date(
        &mut self,
        column: &'static str,
        text: &str,
        latest: NaiveDate,
    ) -> Option<Option<NaiveDate>> {
        if text.trim().is_empty() {
            return Some(None);
        }
        match parse_date(text) {
            Some(d) if d > latest => self.fail(column, "error-date-in-future"),
            Some(d) if d.year() < 1900 => self.fail(column, "error-date"),
            Some(d) => Some(Some(d)),
            None => self.fail(column, "error-date"),
        }
    }

    pub(super) fn word<T: Copy + std::fmt::Display>(
        &mut self,
        column: &'static str,
        text: &str,
        parse: fn(&str) -> Option<T>,
        all: &[T],
    ) -> Option<T> {
        match self.optional_word(column, text, parse, all) {
            Some(Some(value)) => Some(value),
            Some(None) => self.fail(column, "error-required"),
            None => None,
        }
    }

    pub(super) fn optional_word<T: Copy + std::fmt::Display>(
        &mut self,
        column: &'static str,
        text: &str,
        parse: fn(&str) -> Option<T>,
        all: &[T],
    ) -> Option<Option<T>> {
        let text = text.trim();
        if text.is_empty() {
            return Some(None);
        }
        match parse(&text.to_lowercase()) {
            Some(value) => Some(Some(value)),
            None => {
                let allowed = all
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                self.push(FieldError::new(column, "error-one-of").with("allowed", allowed));
                None
            }
        }
    }

    pub(super) fn count(&mut self, column: &'static str, text: &str) -> Option<u32> {
        let text = text.trim();
        if text.is_empty() {
            return Some(0);
        }
        match text.parse::<u32>() {
            Ok(n) if n <= 50 => Some(n),
            _ => self.fail(column, "person-error-count"),
        }
    }

    /// `+7XXXXXXXXXX`; spaces, dashes and brackets are dropped and a leading 8 becomes +7.
    pub(super) fn phone(&mut self, text: &str) -> Option<Option<String>> {
        let text = text.trim();
        if text.is_empty() {
            return Some(None);
        }
        let plus = text.starts_with('+');
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let only_allowed = text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'));
        let normalised = match (plus, digits.len(), digits.chars().next()) {
            (true, 11, Some('7')) => Some(digits),
            (false, 11, Some('8' | '7')) => Some(format!("7{}", &digits[1..])),
            (false, 10, Some('7')) => Some(format!("7{digits}")),
            _ => None,
        };
        match normalised {
            Some(n) if only_allowed => Some(Some(format!("+{n}"))),
            _ => self.fail("phone", "person-error-phone"),
        }
    }

    pub(super) fn curfew(&mut self, text: &str) -> Option<Option<Curfew>> {
        let text = text.trim();
        if text.is_empty() {
            return Some(None);
        }
        let minutes = |t: &str| -> Option<u16> {
            let (h, m) = t.trim().split_once(':')?;
            let (h, m) = (h.parse::<u16>().ok()?, m.parse::<u16>().ok()?);
            // Lazily: an hour like 2200 must be refused, not multiplied (u16 overflow; found by
            // fuzz/persons_csv).
            (h < 24 && m < 60 && m.to_string().len() <= 2).then(|| h * 60 + m)
        };
        let parsed = text
            .split_once('-')
            .and_then(|(a, b)| Some((minutes(a)?, minutes(b)?)));
        match parsed {
            Some((start_min, end_min)) if start_min != end_min => {
                Some(Some(Curfew { start_min, end_min }))
            }
            _ => self.fail("curfew", "person-error-curfew"),
        }
    }

    pub(super) fn coordinate(&mut self, column: &'static str, text: &str) -> Option<f64> {
        let text = text.trim().replace(',', ".");
        if text.is_empty() {
            return self.fail(column, "error-required");
        }
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => self.fail(column, "error-number"),
        }
    }

    /// A point inside the region; outside every district, the nearest one is named.
    pub(super) fn point(
        &mut self,
        lat_column: &'static str,
        lon_column: &'static str,
        lat: &str,
        lon: &str,
        districts: &[District],
    ) -> Option<(GeoPoint, DistrictId)> {
        let lat = self.coordinate(lat_column, lat);
        let lon = self.coordinate(lon_column, lon);
        let point = match GeoPoint::new(lat?, lon?) {
            Ok(p) => p,
            Err(crate::domain::location::GeoPointError::Latitude) => {
                return self.fail(lat_column, "error-latitude");
            }
            Err(crate::domain::location::GeoPointError::Longitude) => {
                return self.fail(lon_column, "error-longitude");
            }
        };
        if let Some(d) = district_of(districts, point) {
            return Some((point, d.id.clone()));
        }
        let mut error = FieldError::new(lat_column, "person-error-outside-region");
        if let Some((nearest, metres)) = nearest_district(districts, point) {
            error = error
                .with("district", nearest.name_ru.clone())
                .with("km", format!("{:.1}", metres / 1000.0));
        }
        self.push(error);
        None
    }

    pub(super) fn workplace(
        &mut self,
        r: &PersonRecord,
        districts: &[District],
    ) -> Option<Option<Workplace>> {
        let given = [&r.employer, &r.work_address, &r.work_lat, &r.work_lon];
        if given.iter().all(|t| t.trim().is_empty()) {
            return Some(None);
        }
        let employer = self.text("employer", &r.employer, 200, true);
        let address = self.text("work_address", &r.work_address, 200, true);
        let point = self.point("work_lat", "work_lon", &r.work_lat, &r.work_lon, districts);
        Some(Some(Workplace {
            employer: employer.flatten()?,
            address: address.flatten()?,
            point: point?.0,
        }))
    }
}
