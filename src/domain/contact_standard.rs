//! Contact standards: the longest allowed interval between successful checks, per risk tier and
//! check kind (DESIGN.md section 2).

use super::person::{CheckKind, RiskTier};

/// One row of the contact standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContactStandard {
    /// Risk tier it applies to.
    pub risk_tier: RiskTier,
    /// Home or work.
    pub check_kind: CheckKind,
    /// Longest allowed interval between successful checks, in days.
    pub max_interval_days: u16,
}

/// The defaults of DESIGN.md: high 7/14, medium 14/30, low 30/60 days (home/work).
pub fn default_contact_standards() -> Vec<ContactStandard> {
    [
        (RiskTier::High, 7, 14),
        (RiskTier::Medium, 14, 30),
        (RiskTier::Low, 30, 60),
    ]
    .into_iter()
    .flat_map(|(risk_tier, home, work)| {
        [
            ContactStandard {
                risk_tier,
                check_kind: CheckKind::Home,
                max_interval_days: home,
            },
            ContactStandard {
                risk_tier,
                check_kind: CheckKind::Work,
                max_interval_days: work,
            },
        ]
    })
    .collect()
}
