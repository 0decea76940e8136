//! Visits (DESIGN.md section 2): what an officer found at a check, which outcomes a kind of
//! check allows, whether it counts as a successful check, the evidence quality of the record,
//! and the follow-ups an outcome calls for.

use chrono::NaiveDateTime;

use super::person::CheckKind;
use super::{CheckId, GeoPoint, MobileGroupId, PersonId, UserId, VisitId, text_enum};

text_enum!(
    /// What the officer found.
    VisitOutcome {
        Present = "present",
        Absent = "absent",
        MovedAway = "moved_away",
        Refused = "refused",
        Violation = "violation",
        Employed = "employed",
        NotEmployed = "not_employed",
        AbsentFromWork = "absent_from_work",
        EmployerNotFound = "employer_not_found",
    }
);

text_enum!(
    /// The kind of a violation found at home.
    ViolationKind {
        Intoxication = "intoxication",
        CurfewBreach = "curfew_breach",
        Other = "other",
    }
);

text_enum!(
    /// How far a visit record can be trusted (position, distance, clock).
    EvidenceQuality {
        Good = "good",
        Fair = "fair",
        Poor = "poor",
        NoPosition = "no_position",
    }
);

text_enum!(
    /// Why a follow-up was opened.
    FollowUpReason {
        RepeatedAbsence = "repeated_absence",
        Violation = "violation",
        MovedAway = "moved_away",
        EmploymentToVerify = "employment_to_verify",
    }
);

text_enum!(
    /// Where a follow-up stands.
    FollowUpStatus {
        /// Waiting for a prosecutor.
        Open = "open",
    }
);

/// A visit as stored: what the officer found, when (by the device's clock and the server's),
/// where the device was, and how far that record can be trusted.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    /// The device-made id.
    pub id: VisitId,
    /// The check it was made on (none: ad hoc).
    pub check_id: Option<CheckId>,
    /// Whom.
    pub person_id: PersonId,
    /// Home or work.
    pub kind: CheckKind,
    /// The officer who recorded it.
    pub officer_id: UserId,
    /// The officer's group then.
    pub mobile_group_id: Option<MobileGroupId>,
    /// What the officer found.
    pub outcome: VisitOutcome,
    /// For a violation, its kind.
    pub violation_kind: Option<ViolationKind>,
    /// Free text.
    pub notes: Option<String>,
    /// When, by the device's clock (UTC).
    pub device_at: NaiveDateTime,
    /// When the server stored it (UTC).
    pub server_at: NaiveDateTime,
    /// Where the device was.
    pub position: Option<GeoPoint>,
    /// How vague that position is, metres.
    pub accuracy_m: Option<f64>,
    /// How far it was from the address visited, metres.
    pub distance_m: Option<f64>,
    /// Recorded [`FAR_FROM_ADDRESS_M`] or further from the address.
    pub far_from_address: bool,
    /// How far the record can be trusted.
    pub evidence: EvidenceQuality,
    /// The check had been cancelled when the visit came in.
    pub check_was_cancelled: bool,
    /// Made without a check.
    pub ad_hoc: bool,
    /// The device's request as sent, to recognise a resubmission.
    pub payload: String,
}

impl Visit {
    /// Why the visit deserves the officer's attention at once: far from the address, no
    /// position, or a vague one. Never the distance itself (it would give away an address the
    /// officer may not see).
    pub fn flags(&self) -> Vec<&'static str> {
        let mut flags = Vec::new();
        if self.far_from_address {
            flags.push("far_from_address");
        }
        match self.accuracy_m {
            _ if self.position.is_none() => flags.push("no_position"),
            Some(accuracy) if accuracy > POOR_ACCURACY_M => flags.push("poor_accuracy"),
            None => flags.push("poor_accuracy"),
            Some(_) => {}
        }
        flags
    }
}

/// A visit recorded this far (metres) or further from the address is flagged.
pub const FAR_FROM_ADDRESS_M: f64 = 500.0;

/// A position vaguer than this (metres) is poor evidence.
pub const POOR_ACCURACY_M: f64 = 200.0;

impl VisitOutcome {
    /// The outcomes of a kind of check, in the order the buttons show them.
    pub fn for_kind(kind: CheckKind) -> &'static [VisitOutcome] {
        match kind {
            CheckKind::Home => &[
                VisitOutcome::Present,
                VisitOutcome::Absent,
                VisitOutcome::Violation,
                VisitOutcome::Refused,
                VisitOutcome::MovedAway,
            ],
            CheckKind::Work => &[
                VisitOutcome::Employed,
                VisitOutcome::AbsentFromWork,
                VisitOutcome::NotEmployed,
                VisitOutcome::EmployerNotFound,
            ],
        }
    }

    /// Whether the check is made: the person was found where they should be.
    pub fn is_success(self) -> bool {
        matches!(
            self,
            VisitOutcome::Present | VisitOutcome::Violation | VisitOutcome::Employed
        )
    }

    /// Whether the outcome counts toward "failed in a row" (nobody found).
    pub fn is_failure(self) -> bool {
        !self.is_success()
    }
}

/// The evidence quality of a visit: good when the position is accurate (<= 50 m), near the
/// address (<= 150 m) and the device clock agrees with the server's (within 10 minutes, for a
/// visit sent at once); poor when far from the address (>= 500 m) or the position is vague
/// (> 200 m); fair otherwise.
pub fn evidence_quality(
    distance_m: Option<f64>,
    accuracy_m: Option<f64>,
    clock_skew_s: Option<i64>,
) -> EvidenceQuality {
    let (Some(distance), Some(accuracy)) = (distance_m, accuracy_m) else {
        return EvidenceQuality::NoPosition;
    };
    if distance >= FAR_FROM_ADDRESS_M || accuracy > POOR_ACCURACY_M {
        return EvidenceQuality::Poor;
    }
    let clock_ok = clock_skew_s.is_none_or(|s| s.abs() <= 600);
    if distance <= 150.0 && accuracy <= 50.0 && clock_ok {
        EvidenceQuality::Good
    } else {
        EvidenceQuality::Fair
    }
}

/// The follow-up an outcome opens, given how many failed visits of this kind came right before
/// it, and the number of failures in a row that call for one.
pub fn follow_up_for(
    outcome: VisitOutcome,
    failures_before: u32,
    failures_for_follow_up: u32,
) -> Option<FollowUpReason> {
    match outcome {
        VisitOutcome::Violation => Some(FollowUpReason::Violation),
        VisitOutcome::MovedAway => Some(FollowUpReason::MovedAway),
        VisitOutcome::NotEmployed | VisitOutcome::EmployerNotFound => {
            Some(FollowUpReason::EmploymentToVerify)
        }
        o if o.is_failure() && failures_before + 1 >= failures_for_follow_up.max(1) => {
            Some(FollowUpReason::RepeatedAbsence)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_and_work_checks_offer_their_own_outcomes() {
        assert!(VisitOutcome::for_kind(CheckKind::Home).contains(&VisitOutcome::Violation));
        assert!(!VisitOutcome::for_kind(CheckKind::Work).contains(&VisitOutcome::Present));
        assert!(VisitOutcome::Employed.is_success() && VisitOutcome::Absent.is_failure());
    }

    #[test]
    fn evidence_is_good_near_and_accurate_and_poor_far_away() {
        assert_eq!(
            evidence_quality(Some(40.0), Some(10.0), Some(5)),
            EvidenceQuality::Good
        );
        assert_eq!(
            evidence_quality(Some(300.0), Some(10.0), Some(5)),
            EvidenceQuality::Fair
        );
        assert_eq!(
            evidence_quality(Some(40.0), Some(10.0), Some(3600)),
            EvidenceQuality::Fair
        );
        assert_eq!(
            evidence_quality(Some(2_000.0), Some(10.0), None),
            EvidenceQuality::Poor
        );
        assert_eq!(
            evidence_quality(None, None, None),
            EvidenceQuality::NoPosition
        );
    }

    #[test]
    fn the_second_absence_in_a_row_opens_a_follow_up_and_violations_always_do() {
        assert_eq!(follow_up_for(VisitOutcome::Absent, 0, 2), None);
        assert_eq!(
            follow_up_for(VisitOutcome::Absent, 1, 2),
            Some(FollowUpReason::RepeatedAbsence)
        );
        assert_eq!(follow_up_for(VisitOutcome::Present, 5, 2), None);
        assert_eq!(
            follow_up_for(VisitOutcome::Violation, 0, 2),
            Some(FollowUpReason::Violation)
        );
    }
}
