//! A person as text, one field per CSV column, and its validation into a [`Person`]. The web
//! form and the CSV importer share it, so both refuse exactly the same things with the same
//! messages (DESIGN.md section 2; README "CSV of persons").

mod validate;
mod validator;

use chrono::NaiveDate;

#[cfg(test)]
use super::PersonId;
use super::location::District;
use super::person::{Curfew, Person};

/// The columns of the persons CSV, in file order. `district` is written on export for the reader
/// and ignored on import: the district is always derived from the home point.
pub const COLUMNS: &[&str] = &[
    "iin",
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "sex",
    "phone",
    "article",
    "severity",
    "conviction_date",
    "release_date",
    "expungement_date",
    "prior_convictions",
    "supervision_kind",
    "supervision_start",
    "restrictions",
    "curfew",
    "risk_tier",
    "risk_tier_reason",
    "status",
    "home_address",
    "home_lat",
    "home_lon",
    "district",
    "employer",
    "work_address",
    "work_lat",
    "work_lon",
];

/// Columns an import file must have (the others may be left out of the header).
pub const REQUIRED_COLUMNS: &[&str] = &[
    "iin",
    "last_name",
    "first_name",
    "article",
    "severity",
    "conviction_date",
    "supervision_kind",
    "supervision_start",
    "home_address",
    "home_lat",
    "home_lon",
];

/// A person's fields as typed in the form or read from a CSV row; every field is text so that any
/// input reaches validation instead of failing to parse.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(default)]
#[expect(
    missing_docs,
    reason = "one field per column of COLUMNS, documented in the README"
)]
pub struct PersonRecord {
    pub iin: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub birth_date: String,
    pub sex: String,
    pub phone: String,
    pub article: String,
    pub severity: String,
    pub conviction_date: String,
    pub release_date: String,
    pub expungement_date: String,
    pub prior_convictions: String,
    pub supervision_kind: String,
    pub supervision_start: String,
    pub restrictions: String,
    pub curfew: String,
    pub risk_tier: String,
    pub risk_tier_reason: String,
    pub status: String,
    pub home_address: String,
    pub home_lat: String,
    pub home_lon: String,
    pub district: String,
    pub employer: String,
    pub work_address: String,
    pub work_lat: String,
    pub work_lon: String,
}

/// One refused field: the column, the catalogue key of the message, and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The column (and form field) name.
    pub column: &'static str,
    /// Catalogue key of the message.
    pub key: &'static str,
    /// Named arguments of the message.
    pub args: Vec<(&'static str, String)>,
}

impl FieldError {
    pub(crate) fn new(column: &'static str, key: &'static str) -> Self {
        Self {
            column,
            key,
            args: Vec::new(),
        }
    }

    pub(crate) fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }
}

/// What validation needs besides the record: the region's districts and today's date.
pub struct RecordContext<'a> {
    /// The region's districts (the home point must lie in one).
    pub districts: &'a [District],
    /// Today, in the region's time zone (no date may lie in the future where that is absurd).
    pub today: NaiveDate,
}

impl PersonRecord {
    /// The record of a stored person, as export writes it.
    pub fn from_person(p: &Person, district_code: &str) -> Self {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let work = p.work.as_ref();
        Self {
            iin: p.iin.as_str().to_owned(),
            last_name: p.last_name.clone(),
            first_name: p.first_name.clone(),
            middle_name: p.middle_name.clone().unwrap_or_default(),
            birth_date: p.birth_date.to_string(),
            sex: p.sex.as_str().to_owned(),
            phone: p.phone.clone().unwrap_or_default(),
            article: p.conviction.article.clone(),
            severity: p.conviction.severity.as_str().to_owned(),
            conviction_date: p.conviction.conviction_date.to_string(),
            release_date: date(p.conviction.release_date),
            expungement_date: date(p.conviction.expungement_date),
            prior_convictions: p.conviction.prior_convictions.to_string(),
            supervision_kind: p.supervision_kind.as_str().to_owned(),
            supervision_start: p.supervision_start.to_string(),
            restrictions: p.restrictions.clone().unwrap_or_default(),
            curfew: p.curfew.map(format_curfew).unwrap_or_default(),
            risk_tier: p.risk_tier.as_str().to_owned(),
            risk_tier_reason: p.risk_tier_reason.clone().unwrap_or_default(),
            status: p.status.as_str().to_owned(),
            home_address: p.home_address.clone(),
            home_lat: p.home.lat.to_string(),
            home_lon: p.home.lon.to_string(),
            district: district_code.to_owned(),
            employer: work.map(|w| w.employer.clone()).unwrap_or_default(),
            work_address: work.map(|w| w.address.clone()).unwrap_or_default(),
            work_lat: work.map(|w| w.point.lat.to_string()).unwrap_or_default(),
            work_lon: work.map(|w| w.point.lon.to_string()).unwrap_or_default(),
        }
    }

    /// The record's values in [`COLUMNS`] order.
    pub fn values(&self) -> [&str; 28] {
        [
            &self.iin,
            &self.last_name,
            &self.first_name,
            &self.middle_name,
            &self.birth_date,
            &self.sex,
            &self.phone,
            &self.article,
            &self.severity,
            &self.conviction_date,
            &self.release_date,
            &self.expungement_date,
            &self.prior_convictions,
            &self.supervision_kind,
            &self.supervision_start,
            &self.restrictions,
            &self.curfew,
            &self.risk_tier,
            &self.risk_tier_reason,
            &self.status,
            &self.home_address,
            &self.home_lat,
            &self.home_lon,
            &self.district,
            &self.employer,
            &self.work_address,
            &self.work_lat,
            &self.work_lon,
        ]
    }

    /// The field of a column by name (empty for an unknown column).
    pub fn get(&self, column: &str) -> &str {
        COLUMNS
            .iter()
            .position(|c| *c == column)
            .map(|i| self.values()[i])
            .unwrap_or("")
    }

    /// Sets the field of a column by name; `false` for an unknown column.
    pub fn set(&mut self, column: &str, value: String) -> bool {
        let field = match column {
            "iin" => &mut self.iin,
            "last_name" => &mut self.last_name,
            "first_name" => &mut self.first_name,
            "middle_name" => &mut self.middle_name,
            "birth_date" => &mut self.birth_date,
            "sex" => &mut self.sex,
            "phone" => &mut self.phone,
            "article" => &mut self.article,
            "severity" => &mut self.severity,
            "conviction_date" => &mut self.conviction_date,
            "release_date" => &mut self.release_date,
            "expungement_date" => &mut self.expungement_date,
            "prior_convictions" => &mut self.prior_convictions,
            "supervision_kind" => &mut self.supervision_kind,
            "supervision_start" => &mut self.supervision_start,
            "restrictions" => &mut self.restrictions,
            "curfew" => &mut self.curfew,
            "risk_tier" => &mut self.risk_tier,
            "risk_tier_reason" => &mut self.risk_tier_reason,
            "status" => &mut self.status,
            "home_address" => &mut self.home_address,
            "home_lat" => &mut self.home_lat,
            "home_lon" => &mut self.home_lon,
            "district" => &mut self.district,
            "employer" => &mut self.employer,
            "work_address" => &mut self.work_address,
            "work_lat" => &mut self.work_lat,
            "work_lon" => &mut self.work_lon,
            _ => return false,
        };
        *field = value;
        true
    }
}

/// `HH:MM-HH:MM`.
pub fn format_curfew(c: Curfew) -> String {
    format!(
        "{:02}:{:02}-{:02}:{:02}",
        c.start_min / 60,
        c.start_min % 60,
        c.end_min / 60,
        c.end_min % 60
    )
}

/// Parses a date as offices write it: `2026-11-25` or `25.11.2026`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_curfew_hour_far_out_of_range_is_refused_not_an_overflow() {
        // Found by fuzz/persons_csv: "2200:0-6:00" multiplied 2200 by 60 in a u16 and panicked.
        let ctx = RecordContext {
            districts: &[],
            today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default(),
        };
        for curfew in ["2200:0-6:00", "22:00-65535:59", "1093:00-06:00"] {
            let record = PersonRecord {
                curfew: curfew.to_owned(),
                ..PersonRecord::default()
            };
            let Err(errors) = record.validate(&ctx, PersonId::new(), 1) else {
                panic!("{curfew} accepted");
            };
            assert!(
                errors
                    .iter()
                    .any(|e| e.column == "curfew" && e.key == "person-error-curfew"),
                "{curfew}: {errors:?}"
            );
        }
    }
}
