//! The demo office at work on its follow-ups: as the history runs, the prosecutor takes each
//! new follow-up within a few days and closes most of them after a while that depends on the
//! kind (a violation within days, employment to verify within weeks), with an outcome and a
//! note as an office writes them; about one in ten is left lingering, and the newest are still
//! open at the history's end. Each follow-up's fate is a hash of the seed, its person, kind and
//! opening time, so the same seed makes the same office whatever order rows come in.

use std::hash::{Hash as _, Hasher as _};

use chrono::NaiveDateTime;

use crate::db::follow_ups::Closing;
use crate::db::{self, DbConnection};
use crate::domain::UserId;
use crate::domain::follow_up::{FollowUpOutcome, FollowUpReason};

/// Share of follow-ups, in percent, the demo office never gets round to.
const LINGERING_PERCENT: u64 = 10;

/// The demo office: who handles follow-ups, and the seed of their fates.
pub struct Office {
    prosecutor: UserId,
    seed: u64,
}

/// What the office does with one follow-up: when it is assigned, and when and how it is closed
/// (never, for a lingering one).
struct Fate {
    assign_after_h: i64,
    close: Option<(i64, FollowUpOutcome)>,
}

fn fate(seed: u64, person: &str, reason: FollowUpReason, opened: NaiveDateTime) -> Fate {
    let mut hasher = rustc_hash::FxHasher::default();
    (seed, person, reason.as_str(), opened.and_utc().timestamp()).hash(&mut hasher);
    let h = hasher.finish();
    let pick = |shift: u32, n: u64| (h >> shift) % n;
    let assign_after_h = 4 + pick(8, 68) as i64;
    if pick(16, 100) < LINGERING_PERCENT {
        return Fate {
            assign_after_h,
            close: None,
        };
    }
    // Days to close: (at least, spread) by kind.
    let (least, spread) = match reason {
        FollowUpReason::Violation => (2, 9),
        FollowUpReason::MovedAway => (4, 17),
        FollowUpReason::RepeatedAbsence => (6, 20),
        FollowUpReason::EmploymentToVerify => (8, 28),
    };
    let days = least + pick(24, spread) as i64;
    let outcomes: &[FollowUpOutcome] = match reason {
        FollowUpReason::Violation => &[
            FollowUpOutcome::Warned,
            FollowUpOutcome::Warned,
            FollowUpOutcome::Referred,
        ],
        FollowUpReason::MovedAway => &[
            FollowUpOutcome::RecordUpdated,
            FollowUpOutcome::RecordUpdated,
            FollowUpOutcome::Resolved,
        ],
        FollowUpReason::RepeatedAbsence => &[
            FollowUpOutcome::Warned,
            FollowUpOutcome::Resolved,
            FollowUpOutcome::Unfounded,
        ],
        FollowUpReason::EmploymentToVerify => {
            &[FollowUpOutcome::RecordUpdated, FollowUpOutcome::Resolved]
        }
    };
    let outcome = outcomes[pick(32, outcomes.len() as u64) as usize];
    Fate {
        assign_after_h,
        close: Some((days * 24 + pick(40, 8) as i64, outcome)),
    }
}

/// The note an office writes with an outcome (in Russian, the office's working language).
fn note(outcome: FollowUpOutcome) -> &'static str {
    match outcome {
        FollowUpOutcome::Resolved => "Связались с лицом, обстоятельства выяснены, вопрос решён.",
        FollowUpOutcome::Warned => "Проведена профилактическая беседа, лицо предупреждено.",
        FollowUpOutcome::RecordUpdated => "Сведения проверены и исправлены в реестре.",
        FollowUpOutcome::Referred => "Материалы направлены в отдел полиции для принятия мер.",
        FollowUpOutcome::Unfounded => "Отсутствие по уважительной причине, мер не требуется.",
    }
}

impl Office {
    /// The office of the demo's prosecutor; `None` when the database has no such user.
    pub fn of_demo(conn: &mut DbConnection, seed: u64) -> anyhow::Result<Option<Self>> {
        Ok(
            db::users::find_by_login(conn, "prosecutor")?.map(|u| Office {
                prosecutor: UserId::from(u.id),
                seed,
            }),
        )
    }

    /// Works through the open follow-ups as of `until` (UTC): assigns those due to be taken,
    /// closes those due to be closed; returns how many it closed.
    pub fn work_until(
        &self,
        conn: &mut DbConnection,
        until: NaiveDateTime,
    ) -> anyhow::Result<usize> {
        let mut closed = 0;
        for row in db::follow_ups::list_open(conn)? {
            let Some(reason) = FollowUpReason::parse(&row.reason) else {
                continue;
            };
            let fate = fate(self.seed, &row.person_id, reason, row.created_at);
            let mut version = row.version;
            let assign_at = row.created_at + chrono::Duration::hours(fate.assign_after_h);
            if row.assigned_to.is_none() && assign_at <= until {
                db::follow_ups::assign(conn, &row.id, version, Some(&self.prosecutor), assign_at)?;
                version += 1;
            }
            let Some((after_h, outcome)) = fate.close else {
                continue;
            };
            // A cause that came after the planned close keeps it open a little longer.
            let close_at = (row.created_at + chrono::Duration::hours(after_h))
                .max(row.last_cause_at + chrono::Duration::hours(24));
            if close_at <= until {
                let closing = Closing {
                    version,
                    outcome,
                    note: note(outcome),
                    by: &self.prosecutor,
                    at: close_at,
                };
                closed += db::follow_ups::close(conn, &row.id, &closing)?;
            }
        }
        Ok(closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_follow_ups_are_closed_and_violations_sooner_than_employment() {
        let opened = chrono::NaiveDate::from_ymd_opt(2025, 3, 3)
            .and_then(|d| d.and_hms_opt(14, 0, 0))
            .unwrap_or_default();
        let persons: Vec<String> = (0..1000).map(|i| format!("person-{i}")).collect();
        let closes = |reason| -> Vec<i64> {
            persons
                .iter()
                .filter_map(|p| fate(7, p, reason, opened).close.map(|(h, _)| h))
                .collect()
        };
        let violations = closes(FollowUpReason::Violation);
        let work = closes(FollowUpReason::EmploymentToVerify);
        assert!(
            (850..=950).contains(&violations.len()),
            "{}",
            violations.len()
        );
        let mean = |v: &[i64]| v.iter().sum::<i64>() / v.len().max(1) as i64;
        assert!(mean(&violations) < mean(&work));
        assert_eq!(
            fate(7, "person-1", FollowUpReason::Violation, opened).close,
            fate(7, "person-1", FollowUpReason::Violation, opened).close,
        );
    }
}
