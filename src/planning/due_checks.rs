//! Due checks: for each active person and each kind of check (home; work for the employed), the
//! day the contact standard runs out since the last successful check, and the check's priority.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::contact_standard::ContactStandard;
use crate::domain::person::{CheckKind, Curfew, Person, PersonStatus, RiskTier};
use crate::domain::{DistrictId, GeoPoint, PersonId};

/// One check that falls due in (or before) a period.
#[derive(Debug, Clone, PartialEq)]
pub struct DueCheck {
    /// Whom.
    pub person_id: PersonId,
    /// Home or work.
    pub kind: CheckKind,
    /// Where (home or work point).
    pub location: GeoPoint,
    /// The address shown to officers.
    pub address: String,
    /// The district of the person's home (groups cover districts).
    pub district_id: DistrictId,
    /// The person's curfew, for home checks.
    pub curfew: Option<Curfew>,
    /// The earliest day the check is worth making (half the interval after the last one).
    pub earliest: NaiveDate,
    /// The day the standard runs out; after it the check is overdue.
    pub due: NaiveDate,
    /// Days overdue at the period's start (0 when not overdue).
    pub overdue_days: i64,
    /// The person's tier.
    pub risk_tier: RiskTier,
    /// Penalty of leaving the check out, in the optimiser's units (seconds of driving): the
    /// planner drives up to this much further to make it.
    pub priority: i64,
}

/// Priority of a check: the tier's base, plus half an hour for each day overdue (up to 60 days),
/// plus `raise` (an urgent check added by hand).
pub fn priority(tier: RiskTier, overdue_days: i64, raise: i64) -> i64 {
    let base = match tier {
        RiskTier::High => 6 * 3600,
        RiskTier::Medium => 4 * 3600,
        RiskTier::Low => 2 * 3600,
    };
    base + 1800 * overdue_days.clamp(0, 60) + raise
}

/// A new offence this close to a check's place (metres) makes the check crime-triggered.
pub const CRIME_RADIUS_M: f64 = 500.0;
/// Offences of this many days before a plan's first day count as new.
pub const CRIME_WINDOW_DAYS: i64 = 30;
/// What a crime-triggered check adds to its priority: three hours of driving.
pub const CRIME_RAISE: i64 = 3 * 3600;

/// Crime-triggered checks (DESIGN.md section 3, Prosecutor 3): raises by [`CRIME_RAISE`], once,
/// the priority of every due check within [`CRIME_RADIUS_M`] of one of `recent_offences` (the
/// offences of the [`CRIME_WINDOW_DAYS`] before the plan). Returns how many were raised.
pub fn raise_crime_triggered(due: &mut [DueCheck], recent_offences: &[GeoPoint]) -> usize {
    let mut raised = 0;
    for check in due.iter_mut() {
        if recent_offences
            .iter()
            .any(|&offence| check.location.distance_m(offence) <= CRIME_RADIUS_M)
        {
            check.priority += CRIME_RAISE;
            raised += 1;
        }
    }
    raised
}

/// Checks of active persons that are due by `to` (the period's last day). `last_done` holds the
/// day of the last successful check per person and kind; a person never checked counts from the
/// start of their supervision.
pub fn due_checks(
    persons: &[Person],
    standards: &[ContactStandard],
    last_done: &HashMap<(PersonId, CheckKind), NaiveDate>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<DueCheck> {
    let interval = |tier: RiskTier, kind: CheckKind| {
        standards
            .iter()
            .find(|s| s.risk_tier == tier && s.check_kind == kind)
            .map(|s| i64::from(s.max_interval_days.max(1)))
            .unwrap_or(30)
    };
    let mut due = Vec::new();
    for p in persons.iter().filter(|p| p.status == PersonStatus::Active) {
        let places = [
            Some((CheckKind::Home, p.home, p.home_address.clone())),
            p.work.as_ref().map(|w| {
                (
                    CheckKind::Work,
                    w.point,
                    format!("{} — {}", w.employer, w.address),
                )
            }),
        ];
        for (kind, location, address) in places.into_iter().flatten() {
            let days = interval(p.risk_tier, kind);
            let last = last_done
                .get(&(p.id.clone(), kind))
                .copied()
                .unwrap_or(p.supervision_start);
            let due_on = last + chrono::Duration::days(days);
            let earliest = last + chrono::Duration::days((days / 2).max(1));
            if earliest > to {
                continue;
            }
            let overdue_days = (from - due_on).num_days().max(0);
            due.push(DueCheck {
                person_id: p.id.clone(),
                kind,
                location,
                address,
                district_id: p.district_id.clone(),
                curfew: p.curfew.filter(|_| kind == CheckKind::Home),
                earliest,
                due: due_on,
                overdue_days,
                risk_tier: p.risk_tier,
                priority: priority(p.risk_tier, overdue_days, 0),
            });
        }
    }
    due
}
