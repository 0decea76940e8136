//! A person as text, one field per CSV column, and its validation into a [`Person`]. The web
//! form and the CSV importer share it, so both refuse exactly the same things with the same
//! messages (DESIGN.md section 2; README "CSV of persons").

use chrono::{Datelike as _, NaiveDate};

use super::iin::Iin;
use super::location::{District, GeoPoint, district_of, nearest_district};
use super::person::{
    Conviction, Curfew, Person, PersonStatus, RiskTier, Severity, Sex, SupervisionKind, Workplace,
    suggested_risk_tier,
};
use super::{DistrictId, PersonId};

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
    fn new(column: &'static str, key: &'static str) -> Self {
        Self {
            column,
            key,
            args: Vec::new(),
        }
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
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

    /// Validates every field and builds the person (with the given id and version), or returns
    /// every refused field at once.
    pub fn validate(
        &self,
        ctx: &RecordContext<'_>,
        id: PersonId,
        version: i32,
    ) -> Result<Person, Vec<FieldError>> {
        let mut v = Validator { errors: Vec::new() };
        let iin = v.iin(&self.iin);
        let last_name = v.name("last_name", &self.last_name, true);
        let first_name = v.name("first_name", &self.first_name, true);
        let middle_name = v.name("middle_name", &self.middle_name, false);
        let birth_date = v.optional_date("birth_date", &self.birth_date, ctx.today);
        let sex = v.optional_word("sex", &self.sex, Sex::parse, Sex::ALL);
        let (birth_date, sex) = match &iin {
            Some(iin) => {
                let from_iin = iin.birth_date();
                if let (Some(given), Some(encoded)) = (birth_date.flatten(), from_iin)
                    && given != encoded
                {
                    v.push(
                        FieldError::new("birth_date", "person-error-iin-birth-date")
                            .with("date", encoded.to_string()),
                    );
                }
                if let Some(given) = sex.flatten()
                    && given != iin.sex()
                {
                    v.push(FieldError::new("sex", "person-error-iin-sex"));
                }
                (
                    birth_date.flatten().or(from_iin),
                    Some(sex.flatten().unwrap_or(iin.sex())),
                )
            }
            None => (birth_date.flatten(), sex.flatten()),
        };
        let phone = v.phone(&self.phone);
        let article = v.text("article", &self.article, 40, true);
        let severity = v.word("severity", &self.severity, Severity::parse, Severity::ALL);
        let conviction_date = v.date("conviction_date", &self.conviction_date, ctx.today);
        let release_date = v.optional_date("release_date", &self.release_date, ctx.today);
        let expungement_date =
            v.optional_date("expungement_date", &self.expungement_date, NaiveDate::MAX);
        let prior_convictions = v.count("prior_convictions", &self.prior_convictions);
        let supervision_kind = v.word(
            "supervision_kind",
            &self.supervision_kind,
            SupervisionKind::parse,
            SupervisionKind::ALL,
        );
        let supervision_start =
            v.date("supervision_start", &self.supervision_start, NaiveDate::MAX);
        let restrictions = v.text("restrictions", &self.restrictions, 500, false);
        let curfew = v.curfew(&self.curfew);
        let tier = v.optional_word("risk_tier", &self.risk_tier, RiskTier::parse, RiskTier::ALL);
        let reason = v.text("risk_tier_reason", &self.risk_tier_reason, 500, false);
        let status = v
            .optional_word(
                "status",
                &self.status,
                PersonStatus::parse,
                PersonStatus::ALL,
            )
            .map(|s| s.unwrap_or(PersonStatus::Active));
        let home_address = v.text("home_address", &self.home_address, 200, true);
        let home = v.point(
            "home_lat",
            "home_lon",
            &self.home_lat,
            &self.home_lon,
            ctx.districts,
        );
        let work = v.workplace(self, ctx.districts);

        // Dates in order: birth < conviction <= release <= expungement.
        if let (Some(born), Some(convicted)) = (birth_date, conviction_date)
            && convicted <= born
        {
            v.push(FieldError::new(
                "conviction_date",
                "person-error-conviction-before-birth",
            ));
        }
        if let (Some(convicted), Some(Some(released))) = (conviction_date, release_date)
            && released < convicted
        {
            v.push(FieldError::new(
                "release_date",
                "person-error-release-before-conviction",
            ));
        }
        if let (Some(convicted), Some(Some(expunged))) = (conviction_date, expungement_date) {
            let after = release_date.flatten().unwrap_or(convicted);
            if expunged < after {
                v.push(FieldError::new(
                    "expungement_date",
                    "person-error-expungement-before-release",
                ));
            }
        }
        if let (Some(convicted), Some(start)) = (conviction_date, supervision_start)
            && start < convicted
        {
            v.push(FieldError::new(
                "supervision_start",
                "person-error-supervision-before-conviction",
            ));
        }
        // The tier: the rules' suggestion, or an override that must say why.
        let (risk_tier, risk_tier_reason) = match (severity, prior_convictions, tier) {
            (Some(severity), Some(prior), Some(tier)) => {
                let suggested = suggested_risk_tier(severity, prior, 0);
                match (tier, reason.flatten()) {
                    (None, _) => (Some(suggested), None),
                    (Some(t), _) if t == suggested => (Some(t), None),
                    (Some(t), Some(reason)) => (Some(t), Some(reason)),
                    (Some(t), None) => {
                        v.push(
                            FieldError::new("risk_tier_reason", "person-error-tier-reason")
                                .with("suggested", suggested.as_str()),
                        );
                        (Some(t), None)
                    }
                }
            }
            _ => (None, None),
        };
        if !v.errors.is_empty() {
            return Err(v.errors);
        }
        let missing = || vec![FieldError::new("iin", "person-error-invalid")];
        let (home, district_id) = home.ok_or_else(missing)?;
        Ok(Person {
            id,
            iin: iin.ok_or_else(missing)?,
            last_name: last_name.flatten().ok_or_else(missing)?,
            first_name: first_name.flatten().ok_or_else(missing)?,
            middle_name: middle_name.flatten(),
            birth_date: birth_date.ok_or_else(missing)?,
            sex: sex.ok_or_else(missing)?,
            phone: phone.flatten(),
            conviction: Conviction {
                article: article.flatten().ok_or_else(missing)?,
                severity: severity.ok_or_else(missing)?,
                conviction_date: conviction_date.ok_or_else(missing)?,
                release_date: release_date.flatten(),
                expungement_date: expungement_date.flatten(),
                prior_convictions: prior_convictions.ok_or_else(missing)?,
            },
            supervision_kind: supervision_kind.ok_or_else(missing)?,
            supervision_start: supervision_start.ok_or_else(missing)?,
            restrictions: restrictions.flatten(),
            curfew: curfew.flatten(),
            risk_tier: risk_tier.ok_or_else(missing)?,
            risk_tier_reason,
            status: status.ok_or_else(missing)?,
            home_address: home_address.flatten().ok_or_else(missing)?,
            home,
            district_id,
            work: work.flatten(),
            version,
        })
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

/// Collects errors while each field is parsed. Each method returns `None` when its field was
/// refused (the error is recorded), and `Some(None)` for an optional field left empty.
struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    fn push(&mut self, error: FieldError) {
        self.errors.push(error);
    }

    fn fail<T>(&mut self, column: &'static str, key: &'static str) -> Option<T> {
        self.push(FieldError::new(column, key));
        None
    }

    fn iin(&mut self, text: &str) -> Option<Iin> {
        let text = text.trim();
        if text.is_empty() {
            return self.fail("iin", "error-required");
        }
        match Iin::parse(text) {
            Ok(iin) => Some(iin),
            Err(e) => self.fail("iin", e.message_key()),
        }
    }

    fn name(&mut self, column: &'static str, text: &str, required: bool) -> Option<Option<String>> {
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

    fn text(
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

    fn date(&mut self, column: &'static str, text: &str, latest: NaiveDate) -> Option<NaiveDate> {
        match self.optional_date(column, text, latest) {
            Some(Some(date)) => Some(date),
            Some(None) => self.fail(column, "error-required"),
            None => None,
        }
    }

    fn optional_date(
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

    fn word<T: Copy + std::fmt::Display>(
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

    fn optional_word<T: Copy + std::fmt::Display>(
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

    fn count(&mut self, column: &'static str, text: &str) -> Option<u32> {
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
    fn phone(&mut self, text: &str) -> Option<Option<String>> {
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

    fn curfew(&mut self, text: &str) -> Option<Option<Curfew>> {
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

    fn coordinate(&mut self, column: &'static str, text: &str) -> Option<f64> {
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
    fn point(
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
            Err(super::location::GeoPointError::Latitude) => {
                return self.fail(lat_column, "error-latitude");
            }
            Err(super::location::GeoPointError::Longitude) => {
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

    fn workplace(&mut self, r: &PersonRecord, districts: &[District]) -> Option<Option<Workplace>> {
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
