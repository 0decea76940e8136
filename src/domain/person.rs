//! A supervised, previously convicted resident and the words that describe them (DESIGN.md
//! section 2): conviction, supervision, risk tier, status, home and work.

use chrono::NaiveDate;

use super::{DistrictId, GeoPoint, Iin, PersonId, text_enum};

text_enum!(
    /// Sex, as the IIN encodes it.
    Sex { Male = "male", Female = "female" }
);

text_enum!(
    /// The severity class of the crime of conviction (Criminal Code of Kazakhstan, art. 11).
    Severity {
        EspeciallyGrave = "especially_grave",
        Grave = "grave",
        Medium = "medium",
        Minor = "minor",
        Misdemeanour = "misdemeanour",
    }
);

text_enum!(
    /// Under which regime the person is supervised.
    SupervisionKind {
        Probation = "probation",
        AdministrativeSupervision = "administrative_supervision",
        Parole = "parole",
        RecordOnly = "record_only",
    }
);

text_enum!(
    /// How closely the person must be checked; sets the contact standard.
    RiskTier { High = "high", Medium = "medium", Low = "low" }
);

text_enum!(
    /// Where the person stands in the registry; only `Active` persons are checked.
    PersonStatus {
        Active = "active",
        MovedOut = "moved_out",
        InCustody = "in_custody",
        Deceased = "deceased",
        Expunged = "expunged",
        Wanted = "wanted",
    }
);

text_enum!(
    /// Which address a check visits.
    CheckKind { Home = "home", Work = "work" }
);

/// The conviction the person is registered for.
#[derive(Debug, Clone, PartialEq)]
pub struct Conviction {
    /// Criminal Code article, e.g. "188 ч.2".
    pub article: String,
    /// Severity class of that crime.
    pub severity: Severity,
    /// Date of the court's verdict.
    pub conviction_date: NaiveDate,
    /// Release from custody, when the person served time.
    pub release_date: Option<NaiveDate>,
    /// When the criminal record is expunged (погашение судимости).
    pub expungement_date: Option<NaiveDate>,
    /// Earlier convictions (a repeat offender is a higher risk).
    pub prior_convictions: u32,
}

/// A curfew restriction: the person must be at home between these minutes after midnight
/// (the window may wrap past midnight, e.g. 22:00-06:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Curfew {
    /// Start, minutes after midnight.
    pub start_min: u16,
    /// End, minutes after midnight.
    pub end_min: u16,
}

/// The place of work of an employed person.
#[derive(Debug, Clone, PartialEq)]
pub struct Workplace {
    /// Employer's name.
    pub employer: String,
    /// Street address.
    pub address: String,
    /// Where it is.
    pub point: GeoPoint,
}

/// A supervised person as the registry holds them.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// Identifier.
    pub id: PersonId,
    /// Validated IIN.
    pub iin: Iin,
    /// Family name.
    pub last_name: String,
    /// Given name.
    pub first_name: String,
    /// Patronymic, when the person has one.
    pub middle_name: Option<String>,
    /// Birth date (agrees with the IIN).
    pub birth_date: NaiveDate,
    /// Sex (agrees with the IIN).
    pub sex: Sex,
    /// Phone number, `+7XXXXXXXXXX`.
    pub phone: Option<String>,
    /// The conviction of record.
    pub conviction: Conviction,
    /// Supervision regime.
    pub supervision_kind: SupervisionKind,
    /// Date supervision began; checks fall due from then.
    pub supervision_start: NaiveDate,
    /// Free-text restrictions set by the court.
    pub restrictions: Option<String>,
    /// Curfew, when the court set one.
    pub curfew: Option<Curfew>,
    /// Risk tier in force.
    pub risk_tier: RiskTier,
    /// Why a prosecutor overrode the suggested tier; `None` when the suggestion stands.
    pub risk_tier_reason: Option<String>,
    /// Registry status.
    pub status: PersonStatus,
    /// Home street address.
    pub home_address: String,
    /// Home point.
    pub home: GeoPoint,
    /// District holding the home point (derived, never entered).
    pub district_id: DistrictId,
    /// Workplace, when employed.
    pub work: Option<Workplace>,
    /// Optimistic-locking version; a save with an older version is a conflict.
    pub version: i32,
}

impl Person {
    /// "Last First Middle", as Kazakh and Russian documents write a name.
    pub fn full_name(&self) -> String {
        full_name(
            &self.last_name,
            &self.first_name,
            self.middle_name.as_deref(),
        )
    }
}

/// Joins name parts in the documents' order, skipping an absent patronymic.
pub fn full_name(last: &str, first: &str, middle: Option<&str>) -> String {
    match middle {
        Some(m) if !m.is_empty() => format!("{last} {first} {m}"),
        _ => format!("{last} {first}"),
    }
}

/// The tier the rules suggest: grave crimes, repeat convictions and recent violations raise it.
/// A prosecutor may override it with a reason.
pub fn suggested_risk_tier(
    severity: Severity,
    prior_convictions: u32,
    recent_violations: u32,
) -> RiskTier {
    let mut score = match severity {
        Severity::EspeciallyGrave => 3,
        Severity::Grave => 2,
        Severity::Medium => 1,
        Severity::Minor | Severity::Misdemeanour => 0,
    };
    score += prior_convictions.min(2);
    score += 2 * recent_violations.min(2);
    match score {
        0..=1 => RiskTier::Low,
        2..=3 => RiskTier::Medium,
        _ => RiskTier::High,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn especially_grave_repeat_offender_is_high_risk() {
        assert_eq!(
            suggested_risk_tier(Severity::EspeciallyGrave, 1, 0),
            RiskTier::High
        );
    }

    #[test]
    fn first_minor_conviction_is_low_risk_until_a_violation() {
        assert_eq!(suggested_risk_tier(Severity::Minor, 0, 0), RiskTier::Low);
        assert_eq!(suggested_risk_tier(Severity::Minor, 0, 1), RiskTier::Medium);
    }

    #[test]
    fn stored_words_round_trip() {
        for tier in RiskTier::ALL {
            assert_eq!(RiskTier::parse(tier.as_str()), Some(*tier));
        }
        assert_eq!(PersonStatus::parse("nonsense"), None);
    }
}
