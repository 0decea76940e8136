//! A person record's validation: every field read (all refusals at once), then the rules
//! between fields (the IIN's birth date and sex, the dates' order, the risk tier's override),
//! then the person built.

use chrono::NaiveDate;

use super::validator::Validator;
use super::{FieldError, PersonRecord, RecordContext};
use crate::domain::iin::Iin;
use crate::domain::location::GeoPoint;
use crate::domain::person::{
    Conviction, Curfew, Person, PersonStatus, RiskTier, Severity, Sex, SupervisionKind, Workplace,
    suggested_risk_tier,
};
use crate::domain::{DistrictId, PersonId};

/// Every field as read: `None` when refused, `Some(None)` for an optional field left empty.
struct Fields {
    iin: Option<Iin>,
    last_name: Option<Option<String>>,
    first_name: Option<Option<String>>,
    middle_name: Option<Option<String>>,
    birth_date: Option<NaiveDate>,
    sex: Option<Sex>,
    phone: Option<Option<String>>,
    article: Option<Option<String>>,
    severity: Option<Severity>,
    conviction_date: Option<NaiveDate>,
    release_date: Option<Option<NaiveDate>>,
    expungement_date: Option<Option<NaiveDate>>,
    prior_convictions: Option<u32>,
    supervision_kind: Option<SupervisionKind>,
    supervision_start: Option<NaiveDate>,
    restrictions: Option<Option<String>>,
    curfew: Option<Option<Curfew>>,
    tier: Option<Option<RiskTier>>,
    tier_reason: Option<Option<String>>,
    status: Option<PersonStatus>,
    home_address: Option<Option<String>>,
    home: Option<(GeoPoint, DistrictId)>,
    work: Option<Option<Workplace>>,
}

impl PersonRecord {
    /// Validates every field and builds the person (with the given id and version), or returns
    /// every refused field at once.
    pub fn validate(
        &self,
        ctx: &RecordContext<'_>,
        id: PersonId,
        version: i32,
    ) -> Result<Person, Vec<FieldError>> {
        let mut v = Validator { errors: Vec::new() };
        let fields = Fields::read(self, ctx, &mut v);
        fields.check_dates(&mut v);
        let tier = fields.risk_tier(&mut v);
        if !v.errors.is_empty() {
            return Err(v.errors);
        }
        fields.person(id, version, tier)
    }
}

/// The birth date and sex: as given, or as the IIN encodes them; a given one must agree.
fn identity(
    v: &mut Validator,
    iin: Option<&Iin>,
    birth_date: Option<Option<NaiveDate>>,
    sex: Option<Option<Sex>>,
) -> (Option<NaiveDate>, Option<Sex>) {
    let Some(iin) = iin else {
        return (birth_date.flatten(), sex.flatten());
    };
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

impl Fields {
    /// Reads every field in the columns' order (the order of the refusals).
    fn read(r: &PersonRecord, ctx: &RecordContext<'_>, v: &mut Validator) -> Self {
        let iin = v.iin(&r.iin);
        let last_name = v.name("last_name", &r.last_name, true);
        let first_name = v.name("first_name", &r.first_name, true);
        let middle_name = v.name("middle_name", &r.middle_name, false);
        let birth_date = v.optional_date("birth_date", &r.birth_date, ctx.today);
        let sex = v.optional_word("sex", &r.sex, Sex::parse, Sex::ALL);
        let (birth_date, sex) = identity(v, iin.as_ref(), birth_date, sex);
        let kinds = (SupervisionKind::parse, SupervisionKind::ALL);
        let statuses = (PersonStatus::parse, PersonStatus::ALL);
        Self {
            iin,
            last_name,
            first_name,
            middle_name,
            birth_date,
            sex,
            phone: v.phone(&r.phone),
            article: v.text("article", &r.article, 40, true),
            severity: v.word("severity", &r.severity, Severity::parse, Severity::ALL),
            conviction_date: v.date("conviction_date", &r.conviction_date, ctx.today),
            release_date: v.optional_date("release_date", &r.release_date, ctx.today),
            expungement_date: v.optional_date(
                "expungement_date",
                &r.expungement_date,
                NaiveDate::MAX,
            ),
            prior_convictions: v.count("prior_convictions", &r.prior_convictions),
            supervision_kind: v.word("supervision_kind", &r.supervision_kind, kinds.0, kinds.1),
            supervision_start: v.date("supervision_start", &r.supervision_start, NaiveDate::MAX),
            restrictions: v.text("restrictions", &r.restrictions, 500, false),
            curfew: v.curfew(&r.curfew),
            tier: v.optional_word("risk_tier", &r.risk_tier, RiskTier::parse, RiskTier::ALL),
            tier_reason: v.text("risk_tier_reason", &r.risk_tier_reason, 500, false),
            status: v
                .optional_word("status", &r.status, statuses.0, statuses.1)
                .map(|s| s.unwrap_or(PersonStatus::Active)),
            home_address: v.text("home_address", &r.home_address, 200, true),
            home: v.point(
                "home_lat",
                "home_lon",
                &r.home_lat,
                &r.home_lon,
                ctx.districts,
            ),
            work: v.workplace(r, ctx.districts),
        }
    }

    /// Dates in order: birth < conviction <= release <= expungement; supervision from the
    /// conviction on.
    fn check_dates(&self, v: &mut Validator) {
        if let (Some(born), Some(convicted)) = (self.birth_date, self.conviction_date)
            && convicted <= born
        {
            v.push(FieldError::new(
                "conviction_date",
                "person-error-conviction-before-birth",
            ));
        }
        if let (Some(convicted), Some(Some(released))) = (self.conviction_date, self.release_date)
            && released < convicted
        {
            v.push(FieldError::new(
                "release_date",
                "person-error-release-before-conviction",
            ));
        }
        if let (Some(convicted), Some(Some(expunged))) =
            (self.conviction_date, self.expungement_date)
        {
            let after = self.release_date.flatten().unwrap_or(convicted);
            if expunged < after {
                v.push(FieldError::new(
                    "expungement_date",
                    "person-error-expungement-before-release",
                ));
            }
        }
        if let (Some(convicted), Some(start)) = (self.conviction_date, self.supervision_start)
            && start < convicted
        {
            v.push(FieldError::new(
                "supervision_start",
                "person-error-supervision-before-conviction",
            ));
        }
    }

    /// The tier: the rules' suggestion, or an override that must say why.
    fn risk_tier(&self, v: &mut Validator) -> (Option<RiskTier>, Option<String>) {
        let (Some(severity), Some(prior), Some(tier)) =
            (self.severity, self.prior_convictions, self.tier)
        else {
            return (None, None);
        };
        let suggested = suggested_risk_tier(severity, prior, 0);
        match (tier, self.tier_reason.clone().flatten()) {
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

    /// The person, once no field was refused.
    fn person(
        self,
        id: PersonId,
        version: i32,
        (risk_tier, risk_tier_reason): (Option<RiskTier>, Option<String>),
    ) -> Result<Person, Vec<FieldError>> {
        let missing = || vec![FieldError::new("iin", "person-error-invalid")];
        let (home, district_id) = self.home.ok_or_else(missing)?;
        Ok(Person {
            id,
            iin: self.iin.ok_or_else(missing)?,
            last_name: self.last_name.flatten().ok_or_else(missing)?,
            first_name: self.first_name.flatten().ok_or_else(missing)?,
            middle_name: self.middle_name.flatten(),
            birth_date: self.birth_date.ok_or_else(missing)?,
            sex: self.sex.ok_or_else(missing)?,
            phone: self.phone.flatten(),
            conviction: Conviction {
                article: self.article.flatten().ok_or_else(missing)?,
                severity: self.severity.ok_or_else(missing)?,
                conviction_date: self.conviction_date.ok_or_else(missing)?,
                release_date: self.release_date.flatten(),
                expungement_date: self.expungement_date.flatten(),
                prior_convictions: self.prior_convictions.ok_or_else(missing)?,
            },
            supervision_kind: self.supervision_kind.ok_or_else(missing)?,
            supervision_start: self.supervision_start.ok_or_else(missing)?,
            restrictions: self.restrictions.flatten(),
            curfew: self.curfew.flatten(),
            risk_tier: risk_tier.ok_or_else(missing)?,
            risk_tier_reason,
            status: self.status.ok_or_else(missing)?,
            home_address: self.home_address.flatten().ok_or_else(missing)?,
            home,
            district_id,
            work: self.work.flatten(),
            version,
        })
    }
}
