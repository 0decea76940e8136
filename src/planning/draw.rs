//! The unannounced draw (DESIGN.md section 4): each due check's day and its two-hour window are
//! drawn at random, seeded by the plan's seed and the person, within what its standard allows,
//! so that a person cannot learn a pattern.

use chrono::NaiveDate;
use rand::{Rng as _, SeedableRng as _};

use super::due_checks::DueCheck;
use super::plan::PlanCheck;
use crate::domain::mobile_group::MobileGroup;
use crate::domain::person::{CheckKind, Curfew};

/// Length of the drawn window of a check, minutes.
const WINDOW_MINUTES: u16 = 120;

/// Service time by kind (DESIGN.md section 4): home 15 minutes, work 20.
pub fn service_minutes(kind: CheckKind) -> u16 {
    match kind {
        CheckKind::Home => 15,
        CheckKind::Work => 20,
    }
}

/// The window a kind allows before the draw: home 18:00-22:00 (or the evening part of a curfew),
/// work 09:00-18:00.
pub fn base_window(kind: CheckKind, curfew: Option<Curfew>) -> (u16, u16) {
    match (kind, curfew) {
        (CheckKind::Work, _) => (9 * 60, 18 * 60),
        (CheckKind::Home, Some(c)) if c.start_min >= 18 * 60 => {
            let end = if c.end_min > c.start_min {
                c.end_min
            } else {
                24 * 60 - 1
            };
            (c.start_min, end.min(24 * 60 - 1))
        }
        (CheckKind::Home, _) => (18 * 60, 22 * 60),
    }
}

/// A stable number from a text (FNV-1a), so that a person's draw does not depend on list order.
fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Draws a due check's day and window for a period (`days` days from `from`), seeded by the
/// plan's seed and the person. The day is drawn among those from when the check is worth making
/// to its due day (any day of the period when overdue) on which a group covering the district
/// works. After a missed check (`avoid`: its window),
/// the window is drawn at another time of day where the allowed window leaves room.
pub fn draw(
    due: &DueCheck,
    from: NaiveDate,
    days: u32,
    groups: &[MobileGroup],
    seed: u64,
    avoid: Option<(u16, u16)>,
) -> PlanCheck {
    let key = format!("{}:{}", due.person_id, due.kind);
    let mut rng = rand_pcg::Pcg64::seed_from_u64(seed ^ stable_hash(&key));
    let to = from + chrono::Duration::days(i64::from(days.max(1)) - 1);
    let last = if due.due < from { to } else { due.due.min(to) };
    let first = due.earliest.max(from);
    let mut candidates: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| {
            groups
                .iter()
                .any(|g| g.district_ids.contains(&due.district_id) && g.active_days.includes(*d))
        })
        .collect();
    // One day, drawn: the optimiser then sees one window per check. (Offering it several days
    // to choose from gave it a window spanning them, which its local search handles poorly; see
    // bench/vrptw/README.md, "rich problem".)
    if candidates.len() > 1 {
        let day = candidates[rng.random_range(0..candidates.len())];
        candidates = vec![day];
    }
    let (open, close) = base_window(due.kind, due.curfew);
    let span = close.saturating_sub(open);
    let window = if span <= WINDOW_MINUTES {
        (open, close)
    } else {
        let slots = (span - WINDOW_MINUTES) / 15;
        let starts: Vec<u16> = (0..=slots).map(|k| open + 15 * k).collect();
        let away: Vec<u16> = starts
            .iter()
            .copied()
            .filter(|s| avoid.is_none_or(|(a, b)| s + WINDOW_MINUTES <= a || *s >= b))
            .collect();
        let pool = if away.is_empty() { &starts } else { &away };
        let start = pool[rng.random_range(0..pool.len())];
        (start, start + WINDOW_MINUTES)
    };
    PlanCheck {
        person_id: due.person_id.clone(),
        kind: due.kind,
        location: due.location,
        address: due.address.clone(),
        district_id: due.district_id.clone(),
        days: candidates,
        window,
        service_min: service_minutes(due.kind),
        priority: due.priority,
        pin: None,
    }
}
