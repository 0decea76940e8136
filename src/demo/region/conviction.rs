//! Convictions and supervision of the demo persons: Criminal Code articles whose severity class
//! fits, dates that follow the law's order (verdict, release, expungement), and the restrictions
//! courts set.
//!
//! Severity and prior convictions are drawn per supervision kind, because the law ties them:
//! administrative supervision follows release after grave crimes or repeat offending, probation
//! mostly follows minor and medium ones. The proportions are tuned so that
//! `person::suggested_risk_tier` comes out at about 20 % high, 40 % medium and 40 % low.

use chrono::{Days, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;

use super::geometry::pick_weighted;
use crate::domain::person::{Conviction, Curfew, Severity, SupervisionKind};

/// The at-home hours of a curfew: 22:00-06:00, the usual order of administrative supervision.
pub(super) const NIGHT_CURFEW: Curfew = Curfew {
    start_min: 22 * 60,
    end_min: 6 * 60,
};

/// Articles of the Criminal Code of the Republic of Kazakhstan (2014) with the severity class of
/// that part (art. 11) and how often it appears among the region's convicted residents. Criminal
/// misdemeanours are left out: their records are expunged within a year, before the earliest
/// conviction date the demo draws.
const ARTICLES: &[(&str, Severity, u32)] = &[
    ("188 ч.1", Severity::Minor, 30),
    ("190 ч.1", Severity::Minor, 10),
    ("296 ч.1", Severity::Minor, 8),
    ("188 ч.2", Severity::Medium, 30),
    ("190 ч.2", Severity::Medium, 12),
    ("191 ч.1", Severity::Medium, 10),
    ("194 ч.1", Severity::Medium, 4),
    ("293 ч.2", Severity::Medium, 10),
    ("296 ч.2", Severity::Medium, 8),
    ("345 ч.2", Severity::Medium, 5),
    ("345 ч.3", Severity::Medium, 3),
    ("188 ч.3", Severity::Grave, 20),
    ("188 ч.4", Severity::Grave, 5),
    ("190 ч.3", Severity::Grave, 8),
    ("191 ч.2", Severity::Grave, 15),
    ("192 ч.1", Severity::Grave, 6),
    ("192 ч.2", Severity::Grave, 8),
    ("194 ч.2", Severity::Grave, 5),
    ("106 ч.1", Severity::Grave, 12),
    ("106 ч.2", Severity::Grave, 4),
    ("293 ч.3", Severity::Grave, 4),
    ("296 ч.3", Severity::Grave, 6),
    ("297 ч.1", Severity::Grave, 6),
    ("297 ч.2", Severity::Grave, 5),
    ("99 ч.1", Severity::EspeciallyGrave, 25),
    ("106 ч.3", Severity::EspeciallyGrave, 20),
    ("192 ч.4", Severity::EspeciallyGrave, 15),
    ("297 ч.3", Severity::EspeciallyGrave, 20),
];

/// Severities in the order of the weight rows below.
const SEVERITIES: [Severity; 4] = [
    Severity::EspeciallyGrave,
    Severity::Grave,
    Severity::Medium,
    Severity::Minor,
];

/// Per supervision kind: its share (per cent), severity weights in `SEVERITIES` order, and
/// weights of 0, 1, 2 and 3 prior convictions.
const KINDS: [(SupervisionKind, u32, [u32; 4], [u32; 4]); 4] = [
    (
        SupervisionKind::Probation,
        45,
        [0, 18, 42, 40],
        [66, 20, 10, 4],
    ),
    (
        SupervisionKind::AdministrativeSupervision,
        20,
        [30, 65, 5, 0],
        [12, 28, 36, 24],
    ),
    (
        SupervisionKind::Parole,
        15,
        [18, 55, 24, 3],
        [40, 30, 20, 10],
    ),
    (
        SupervisionKind::RecordOnly,
        20,
        [6, 30, 34, 30],
        [55, 22, 14, 9],
    ),
];

/// What the registry holds about a person's conviction and supervision.
pub(super) struct Record {
    /// Article, severity, dates and prior convictions.
    pub conviction: Conviction,
    /// Supervision regime.
    pub supervision_kind: SupervisionKind,
    /// First day of supervision, on or before `today`.
    pub supervision_start: NaiveDate,
    /// Restrictions as the court worded them.
    pub restrictions: Option<String>,
    /// The at-home hours, when the court set them.
    pub curfew: Option<Curfew>,
}

/// Draws a record for a person born on `birth_date`, with every date on or before `today` except
/// the expungement, which is after it (the record is still in force).
pub(super) fn draw(rng: &mut impl Rng, birth_date: NaiveDate, today: NaiveDate) -> Record {
    let (kind, _, severity_weights, prior_weights) = KINDS[pick_weighted(rng, KINDS.map(|k| k.1))];
    let severity = SEVERITIES[pick_weighted(rng, severity_weights)];
    let article = draw_article(rng, severity, kind);
    let prior_convictions = pick_weighted(rng, prior_weights) as u32;
    // Criminal responsibility starts at 16 for most crimes (art. 15); the demo keeps every
    // conviction in the last 8 years as well.
    let adult_days = (today - add_days(birth_date, 16 * 365)).num_days().max(365);
    let latest_days = adult_days.min(8 * 365 - rng.random_range(0..150));
    let dates = match kind {
        SupervisionKind::Probation => probation_dates(rng, severity, latest_days, today),
        _ => custody_dates(rng, kind, severity, latest_days, today),
    };
    let (restrictions, curfew) = restrictions(rng, kind);
    Record {
        conviction: Conviction {
            article: article.to_owned(),
            severity,
            conviction_date: dates.convicted,
            release_date: dates.released,
            expungement_date: Some(dates.expunged),
            prior_convictions,
        },
        supervision_kind: kind,
        supervision_start: dates.supervised_from,
        restrictions,
        curfew,
    }
}

/// Articles of violence and drug dealing, for which courts hardly ever suspend a sentence.
const NEVER_SUSPENDED: [&str; 4] = ["99 ", "106 ", "192 ", "297 "];

fn draw_article(rng: &mut impl Rng, severity: Severity, kind: SupervisionKind) -> &'static str {
    let suspended = kind == SupervisionKind::Probation;
    let fitting: Vec<&(&str, Severity, u32)> = ARTICLES
        .iter()
        .filter(|a| a.1 == severity)
        .filter(|a| !(suspended && NEVER_SUSPENDED.iter().any(|prefix| a.0.starts_with(prefix))))
        .collect();
    let index = pick_weighted(rng, fitting.iter().map(|a| a.2));
    fitting.get(index).map_or("188 ч.2", |a| a.0)
}

struct Dates {
    convicted: NaiveDate,
    released: Option<NaiveDate>,
    supervised_from: NaiveDate,
    expunged: NaiveDate,
}

fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    let shifted = match u64::try_from(days) {
        Ok(days) => date.checked_add_days(Days::new(days)),
        Err(_) => date.checked_sub_days(Days::new(days.unsigned_abs())),
    };
    shifted.unwrap_or(date)
}

/// A conditional sentence: no custody, supervision from the day the verdict takes effect, and
/// the record expunged when the probation term ends (art. 79).
fn probation_dates(
    rng: &mut impl Rng,
    severity: Severity,
    latest_days: i64,
    today: NaiveDate,
) -> Dates {
    let term_years: i64 = match severity {
        Severity::Grave | Severity::EspeciallyGrave => rng.random_range(3..=5),
        Severity::Medium => rng.random_range(2..=4),
        Severity::Minor | Severity::Misdemeanour => rng.random_range(2..=3),
    };
    let back_days = rng.random_range(365..=(term_years * 365 - 60).min(latest_days).max(365));
    let convicted = add_days(today, -back_days);
    // A verdict takes effect after the 15-day appeal period, give or take the paperwork.
    let supervised_from = add_days(convicted, rng.random_range(15..=30)).min(today);
    Dates {
        convicted,
        released: None,
        supervised_from,
        expunged: add_days(convicted, term_years * 365 + 30),
    }
}

/// Custody, then release (on parole, under administrative supervision or simply with a record);
/// the record is expunged 3, 6 or 8 years after release by severity (art. 79).
fn custody_dates(
    rng: &mut impl Rng,
    kind: SupervisionKind,
    severity: Severity,
    latest_days: i64,
    today: NaiveDate,
) -> Dates {
    let (expunge_years, served): (i64, (i64, i64)) = match severity {
        Severity::EspeciallyGrave => (8, (5 * 365, 10 * 365)),
        Severity::Grave => (6, (2 * 365, 7 * 365)),
        Severity::Medium => (3, (365, 4 * 365)),
        Severity::Minor | Severity::Misdemeanour => (3, (180, 730)),
    };
    let recent_limit = match kind {
        SupervisionKind::RecordOnly => 5 * 365,
        _ => 3 * 365,
    };
    let release_limit = recent_limit
        .min(expunge_years * 365 - 90)
        .min(latest_days - 30);
    let release_back = rng.random_range(30..=release_limit);
    let served_days = rng.random_range(served.0..=served.1);
    // Keep the verdict 1 to 8 years back and after the 16th birthday (latest_days is at least
    // a year, so the clamp's bounds are in order).
    let back_days = (release_back + served_days).clamp(365, latest_days);
    let released = add_days(today, -release_back);
    let supervised_from = match kind {
        // The court sets administrative supervision on the prison's request, around release.
        SupervisionKind::AdministrativeSupervision => {
            add_days(released, rng.random_range(0..=45)).min(today)
        }
        _ => released,
    };
    Dates {
        convicted: add_days(today, -back_days),
        released: Some(released),
        supervised_from,
        expunged: add_days(released, expunge_years * 365),
    }
}

/// Restriction texts as courts word them, and a curfew for most under administrative supervision.
fn restrictions(rng: &mut impl Rng, kind: SupervisionKind) -> (Option<String>, Option<Curfew>) {
    const CURFEW_TEXT: &str = "запрет пребывания вне жилища с 22:00 до 06:00";
    let mut parts: Vec<String> = Vec::new();
    let has_curfew = match kind {
        SupervisionKind::AdministrativeSupervision => {
            let visits = ["1 раз", "2 раза", "4 раза"]
                .choose(rng)
                .copied()
                .unwrap_or("2 раза");
            parts.push(format!("явка на регистрацию в ОВД {visits} в месяц"));
            parts.push("запрет выезда за пределы района без разрешения ОВД".to_owned());
            if rng.random_bool(0.4) {
                parts.push("запрет посещения мест продажи алкогольных напитков".to_owned());
            }
            rng.random_bool(0.85)
        }
        SupervisionKind::Probation if rng.random_bool(0.5) => {
            parts.push(
                "не менять место жительства и работы без уведомления службы пробации".to_owned(),
            );
            if rng.random_bool(0.3) {
                parts.push("не посещать места проведения массовых мероприятий".to_owned());
            }
            rng.random_bool(0.2)
        }
        SupervisionKind::Parole if rng.random_bool(0.4) => {
            parts.push("не менять место жительства без уведомления ОВД".to_owned());
            parts.push("трудоустроиться в течение месяца".to_owned());
            false
        }
        _ => false,
    };
    if has_curfew {
        parts.insert(0, CURFEW_TEXT.to_owned());
    }
    let text = (!parts.is_empty()).then(|| capitalise(&parts.join("; ")));
    (text, has_curfew.then_some(NIGHT_CURFEW))
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn dates_follow_verdict_release_supervision_expungement() {
        let mut rng = Pcg64Mcg::seed_from_u64(11);
        let today = date(2026, 11, 25);
        for birth in [date(2007, 1, 10), date(1990, 6, 1), date(1958, 3, 3)] {
            for _ in 0..2000 {
                let record = draw(&mut rng, birth, today);
                let c = &record.conviction;
                let back = (today - c.conviction_date).num_days();
                assert!((365..=8 * 365).contains(&back), "verdict {back} days back");
                assert!(
                    c.conviction_date >= add_days(birth, 16 * 365),
                    "convicted as a child"
                );
                assert!(
                    c.release_date
                        .is_none_or(|r| r > c.conviction_date && r <= today)
                );
                assert!(
                    record.supervision_start <= today
                        && record.supervision_start >= c.conviction_date
                );
                assert!(c.expungement_date.is_some_and(|e| e > today));
                assert!(
                    ARTICLES
                        .iter()
                        .any(|a| a.0 == c.article && a.1 == c.severity)
                );
            }
        }
    }

    #[test]
    fn most_under_administrative_supervision_have_a_night_curfew() {
        let mut rng = Pcg64Mcg::seed_from_u64(12);
        let records: Vec<Record> = (0..3000)
            .map(|_| draw(&mut rng, date(1985, 5, 5), date(2026, 11, 25)))
            .collect();
        let admin: Vec<&Record> = records
            .iter()
            .filter(|r| r.supervision_kind == SupervisionKind::AdministrativeSupervision)
            .collect();
        let with_curfew = admin
            .iter()
            .filter(|r| r.curfew == Some(NIGHT_CURFEW))
            .count();
        assert!(
            with_curfew * 100 >= admin.len() * 75,
            "{with_curfew} of {}",
            admin.len()
        );
        assert!(
            admin
                .iter()
                .all(|r| r.conviction.release_date.is_some() && r.restrictions.is_some())
        );
    }
}
