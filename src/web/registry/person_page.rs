//! A person's page: the record in three groups of fields, the map of home, work and the group's
//! base, the visits and open follow-ups, and who read the record.

use chrono::NaiveDateTime;

use super::handlers::district_name;
use super::pages::{AccessLine, Field, PersonPage, VisitLine};
use crate::db::audit::AuditEntryRow;
use crate::domain::person::Person;
use crate::domain::visit::{FollowUpReason, Visit};
use crate::domain::{District, GeoPoint};
use crate::web::context::PageContext;
use crate::web::map::{self, Mark};
use crate::web::paths;

/// What the page reads.
pub struct PersonRead {
    /// The person.
    pub person: Person,
    /// The region's districts.
    pub districts: Vec<District>,
    /// The last reads of the record.
    pub access: Vec<AuditEntryRow>,
    /// The group covering the home district: its name and base.
    pub base: Option<(String, GeoPoint)>,
    /// The last visits.
    pub visits: Vec<Visit>,
    /// Open follow-ups: reason and since when.
    pub follow_ups: Vec<(FollowUpReason, NaiveDateTime)>,
    /// The road network for the map's streets, when one is imported.
    pub roads: Option<std::sync::Arc<crate::roads::Router>>,
}

/// The page of what was read.
pub fn person_page(ctx: PageContext, read: PersonRead) -> PersonPage {
    let person = &read.person;
    let follow_ups = read
        .follow_ups
        .iter()
        .map(|(reason, at)| {
            format!(
                "{} · {}",
                ctx.t(&format!("follow-up-{reason}")),
                ctx.date_time(*at)
            )
        })
        .collect();
    PersonPage {
        history: history(&ctx, &read.visits),
        follow_ups,
        edit_href: paths::person_edit(&person.id),
        map_svg: person_map(&ctx, &read),
        name: person.full_name(),
        risk_tier: person.risk_tier.to_string(),
        status: person.status.to_string(),
        identity: identity(&ctx, person),
        conviction: conviction(&ctx, person),
        places: places(&ctx, person, &read.districts),
        access: access(&ctx, read.access),
        ctx,
    }
}

fn field(label_key: &'static str, value: String) -> Field {
    Field { label_key, value }
}

fn identity(ctx: &PageContext, person: &Person) -> Vec<Field> {
    vec![
        field("field-iin", person.iin.to_string()),
        field("field-birth-date", ctx.lang.date(person.birth_date)),
        field("field-sex", ctx.t(&format!("sex-{}", person.sex))),
        field("field-phone", person.phone.clone().unwrap_or_default()),
    ]
}

fn conviction(ctx: &PageContext, person: &Person) -> Vec<Field> {
    let lang = ctx.lang;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| lang.date(d)).unwrap_or_default();
    let hhmm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let c = &person.conviction;
    let curfew = person
        .curfew
        .map(|cf| format!("{}–{}", hhmm(cf.start_min), hhmm(cf.end_min)))
        .unwrap_or_default();
    vec![
        field("field-article", c.article.clone()),
        field("field-severity", ctx.t(&format!("severity-{}", c.severity))),
        field("field-conviction-date", lang.date(c.conviction_date)),
        field("field-release-date", date(c.release_date)),
        field("field-expungement-date", date(c.expungement_date)),
        field("field-prior-convictions", c.prior_convictions.to_string()),
        field(
            "field-supervision-kind",
            ctx.t(&format!("supervision-{}", person.supervision_kind)),
        ),
        field(
            "field-supervision-start",
            lang.date(person.supervision_start),
        ),
        field("field-restrictions", text(&person.restrictions)),
        field("field-curfew", curfew),
        field("field-risk-tier-reason", text(&person.risk_tier_reason)),
    ]
}

fn places(ctx: &PageContext, person: &Person, districts: &[District]) -> Vec<Field> {
    let work = |part: fn(&crate::domain::person::Workplace) -> &String| {
        person.work.as_ref().map(part).cloned().unwrap_or_default()
    };
    vec![
        field(
            "field-district",
            district_name(districts, person.district_id.as_str(), ctx.lang.code()),
        ),
        field("field-home-address", person.home_address.clone()),
        field(
            "field-home-point",
            format!("{:.5}, {:.5}", person.home.lat, person.home.lon),
        ),
        field("field-employer", work(|w| &w.employer)),
        field("field-work-address", work(|w| &w.address)),
    ]
}

/// Who read the record, and through which page.
fn access(ctx: &PageContext, entries: Vec<AuditEntryRow>) -> Vec<AccessLine> {
    entries
        .into_iter()
        .map(|a| {
            let via = a
                .details
                .as_deref()
                .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
                .and_then(|d| d["via"].as_str().map(str::to_owned))
                .unwrap_or_else(|| "record".to_owned());
            AccessLine {
                at: ctx.date_time(a.at),
                login: a.user_login,
                action: a.action,
                via: ctx.word("audit-via", &via),
            }
        })
        .collect()
}

/// The home district with home (H), work (W) and the group's base (B).
fn person_map(ctx: &PageContext, read: &PersonRead) -> String {
    let person = &read.person;
    let mut marks = vec![Mark {
        at: person.home,
        sign: "H".to_owned(),
        class: "home",
        title: format!("{}: {}", ctx.t("person-map-home"), person.home_address),
    }];
    if let Some(work) = &person.work {
        marks.push(Mark {
            at: work.point,
            sign: "W".to_owned(),
            class: "work",
            title: format!("{}: {}", ctx.t("person-map-work"), work.address),
        });
    }
    if let Some((name, at)) = &read.base {
        marks.push(Mark {
            at: *at,
            sign: "B".to_owned(),
            class: "base",
            title: format!("{}: {name}", ctx.t("person-map-base")),
        });
    }
    let district = read.districts.iter().find(|d| d.id == person.district_id);
    map::draw(
        read.roads.as_deref(),
        &district.map(|d| vec![&d.boundary]).unwrap_or_default(),
        &marks,
        &ctx.t("person-map"),
    )
}

/// The last visits.
fn history(ctx: &PageContext, visits: &[Visit]) -> Vec<VisitLine> {
    visits
        .iter()
        .map(|v| VisitLine {
            at: ctx.date_time(v.device_at),
            kind: v.kind.to_string(),
            outcome: ctx.t(&format!("outcome-{}", v.outcome)),
            evidence: v.evidence.to_string(),
            far: v.far_from_address,
            distance: v
                .distance_m
                .map(|d| format!("{d:.0} m"))
                .unwrap_or_default(),
        })
        .collect()
}
