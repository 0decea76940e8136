//! The stop page's view data (`templates/field/stop.html`): what the officer needs at the door
//! (name, age, risk tier, phone to call, restrictions and curfew, open follow-ups, the last
//! visits with their kind), the check's saved outcome with what was flagged and until when it
//! may be corrected, the outcome buttons of the check's kind (a violation's kinds only where the
//! kind takes a violation) and the next stop.

use askama::Template;
use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::pages::{geo_uri, window};
use crate::domain::check::{CheckKind, hhmm};
use crate::domain::person::Person;
use crate::domain::visit::{ViolationKind, Visit, VisitOutcome};
use crate::services::visits::route::Stop;
use crate::web::context::PageContext;
use crate::web::paths;

/// One earlier visit shown on the stop.
#[derive(Debug, Clone)]
pub struct PastVisit {
    /// When, local.
    pub at: String,
    /// home or work, as a word.
    pub kind: String,
    /// Outcome word.
    pub outcome: String,
}

/// The visit saved on this check.
#[derive(Debug, Clone)]
pub struct SavedVisit {
    /// Its id (a correction is sent under it).
    pub id: String,
    /// The outcome's code.
    pub outcome: String,
    /// When it was saved, local `HH:MM`.
    pub at: String,
    /// What was flagged: code and sentence.
    pub flags: Vec<(&'static str, String)>,
    /// Until when it may be corrected, local `HH:MM`; none once the check is closed.
    pub correctable_until: Option<String>,
    /// Seconds left to correct it (0: closed).
    pub correctable_for_s: i64,
}

/// The next stop of the route.
#[derive(Debug, Clone)]
pub struct NextStop {
    /// Its page.
    pub href: String,
    /// The person's name.
    pub name: String,
}

/// `GET /field/stops/{check_id}`.
#[derive(Template)]
#[template(path = "field/stop.html")]
pub struct StopPage {
    /// Layout data.
    pub ctx: PageContext,
    /// The check.
    pub check_id: String,
    /// Where the plain visit form posts.
    pub action: String,
    /// The person.
    pub person_id: String,
    /// home or work.
    pub kind: String,
    /// Full name.
    pub name: String,
    /// Initials for the photo placeholder.
    pub initials: String,
    /// Age in years today.
    pub age: i64,
    /// high, medium or low.
    pub risk_tier: String,
    /// The phone as written, and as a `tel:` link.
    pub phone: Option<(String, String)>,
    /// Address of the check.
    pub address: String,
    /// Window and planned arrival.
    pub when: String,
    /// Court restrictions, as text.
    pub restrictions: String,
    /// Curfew, `HH:MM–HH:MM`.
    pub curfew: Option<String>,
    /// Last visits.
    pub past: Vec<PastVisit>,
    /// Open follow-ups: reason word and since when.
    pub follow_ups: Vec<(String, String)>,
    /// Outcome buttons of the kind, a violation apart.
    pub outcomes: Vec<&'static str>,
    /// Violation kinds, each its own button; empty where the kind takes no violation.
    pub violation_kinds: Vec<&'static str>,
    /// `geo:` link.
    pub geo: String,
    /// A refusal of the plain form, when any.
    pub error: Option<String>,
    /// The notes as typed (kept beside a refusal).
    pub notes: String,
    /// The check's status.
    pub status: String,
    /// The visit saved on the check.
    pub saved: Option<SavedVisit>,
    /// The next stop.
    pub next: Option<NextStop>,
}

impl StopPage {
    /// Whether outcome buttons are offered: no visit yet, or one still correctable.
    pub fn open(&self) -> bool {
        self.saved
            .as_ref()
            .is_none_or(|s| s.correctable_until.is_some())
    }

    /// Whether `outcome` is the saved one.
    pub fn is_saved(&self, outcome: &str) -> bool {
        self.saved.as_ref().is_some_and(|s| s.outcome == outcome)
    }
}

/// Full years from `birth` to `today`.
fn age(birth: NaiveDate, today: NaiveDate) -> i64 {
    let before_birthday = (today.month(), today.day()) < (birth.month(), birth.day());
    i64::from(today.year() - birth.year() - i32::from(before_birthday))
}

/// A `tel:` link of a phone as written: its digits, and a leading `+`.
fn tel(phone: &str) -> Option<(String, String)> {
    let trimmed = phone.trim();
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 5 {
        return None;
    }
    let plus = if trimmed.starts_with('+') { "+" } else { "" };
    Some((trimmed.to_owned(), format!("tel:{plus}{digits}")))
}

fn initials(person: &Person) -> String {
    [&person.last_name, &person.first_name]
        .iter()
        .filter_map(|n| n.chars().next())
        .collect()
}

/// The saved visit as shown, with its flags and the rest of its correction window.
fn saved_view(ctx: &PageContext, visit: &Visit, correction_minutes: u32) -> SavedVisit {
    let now = ctx.clock.now_utc();
    let until: NaiveDateTime =
        visit.server_at + chrono::Duration::minutes(i64::from(correction_minutes));
    let left = (until - now).num_seconds().max(0);
    let local_hhmm = |at: NaiveDateTime| {
        chrono::TimeZone::from_utc_datetime(&ctx.tz, &at)
            .format("%H:%M")
            .to_string()
    };
    SavedVisit {
        id: visit.id.to_string(),
        outcome: visit.outcome.as_str().to_owned(),
        at: local_hhmm(visit.server_at),
        flags: visit
            .flags()
            .into_iter()
            .map(|f| (f, ctx.word("visit-flag", f)))
            .collect(),
        correctable_until: (left > 0).then(|| local_hhmm(until)),
        correctable_for_s: left,
    }
}

/// The page of a stop, with the refusal of the plain form when there is one.
pub fn stop_page(
    ctx: PageContext,
    stop: Stop,
    error: Option<String>,
    correction_minutes: u32,
) -> StopPage {
    let Stop {
        check,
        person,
        past,
        follow_ups,
        visit,
        next,
    } = stop;
    let (outcomes, violation_kinds) = outcome_buttons(check.kind);
    StopPage {
        check_id: check.id.to_string(),
        action: paths::stop_visit(&check.id),
        person_id: person.id.to_string(),
        kind: check.kind.to_string(),
        name: person.full_name(),
        initials: initials(&person),
        age: age(person.birth_date, ctx.today()),
        risk_tier: person.risk_tier.to_string(),
        phone: person.phone.as_deref().and_then(tel),
        address: check.address.clone(),
        when: format!(
            "{} ({})",
            check.planned_arrival_min.map(hhmm).unwrap_or_default(),
            window(&check)
        ),
        restrictions: person.restrictions.clone().unwrap_or_default(),
        curfew: person.curfew.map(|c| {
            format!(
                "{}–{}",
                hhmm(i32::from(c.start_min)),
                hhmm(i32::from(c.end_min))
            )
        }),
        past: past_visits(&ctx, &past),
        follow_ups: follow_ups
            .iter()
            .map(|(r, at)| (ctx.word("follow-up", r), ctx.date(at.date())))
            .collect(),
        outcomes,
        violation_kinds,
        geo: geo_uri(&check),
        status: check.status.to_string(),
        saved: visit.map(|v| saved_view(&ctx, &v, correction_minutes)),
        next: next.map(|(id, name)| NextStop {
            href: paths::stop(&id),
            name,
        }),
        notes: String::new(),
        error,
        ctx,
    }
}

/// The outcome buttons of a check of `kind` (the violation apart), and the violation's kinds
/// where the kind takes one.
fn outcome_buttons(kind: CheckKind) -> (Vec<&'static str>, Vec<&'static str>) {
    let outcomes = VisitOutcome::for_kind(kind);
    let violation_kinds = if outcomes.contains(&VisitOutcome::Violation) {
        ViolationKind::ALL.iter().map(|v| v.as_str()).collect()
    } else {
        Vec::new()
    };
    let outcomes = outcomes
        .iter()
        .filter(|o| **o != VisitOutcome::Violation)
        .map(|o| o.as_str())
        .collect();
    (outcomes, violation_kinds)
}

/// The person's last visits as the stop shows them.
fn past_visits(ctx: &PageContext, past: &[Visit]) -> Vec<PastVisit> {
    past.iter()
        .map(|v| PastVisit {
            at: ctx.date_time(v.device_at),
            kind: ctx.word("check-kind", v.kind),
            outcome: ctx.word("outcome", v.outcome),
        })
        .collect()
}
