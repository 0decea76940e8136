//! Editing the contact standards: the longest interval, in days, per risk tier and check kind.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::forms::{Change, FieldErrors, FieldMessages, FormPairs, done, parse_integer};
use crate::app::AppState;
use crate::db;
use crate::db::audit::{AuditAction, AuditKind};
use crate::domain::contact_standard::ContactStandard;
use crate::domain::person::{CheckKind, RiskTier};
use crate::error::AppError;
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::paths;
use crate::web::render::render_with_status;

/// Allowed intervals, days.
const INTERVAL_DAYS: std::ops::RangeInclusive<i64> = 1..=365;

/// One row of the form: a tier with its home and work fields.
#[derive(Debug, Clone)]
pub struct StandardRow {
    /// Tier word.
    pub risk_tier: String,
    /// Name of the home field (`high_home`).
    pub home_field: String,
    /// Home interval as typed.
    pub home_days: String,
    /// Name of the work field (`high_work`).
    pub work_field: String,
    /// Work interval as typed.
    pub work_days: String,
}

/// `GET /admin/contact-standards/edit`, and re-rendered with 422.
#[derive(Template)]
#[template(path = "admin/contact_standards_form.html")]
pub struct ContactStandardsFormPage {
    /// Layout data.
    pub ctx: PageContext,
    /// One row per tier.
    pub rows: Vec<StandardRow>,
    /// Messages by field.
    pub errors: FieldMessages,
}

/// Every tier and kind, in the order of the form.
fn slots() -> impl Iterator<Item = (RiskTier, CheckKind)> {
    RiskTier::ALL
        .iter()
        .flat_map(|t| [(*t, CheckKind::Home), (*t, CheckKind::Work)])
}

fn page(ctx: PageContext, values: &FormPairs, errors: &FieldErrors) -> ContactStandardsFormPage {
    let rows = RiskTier::ALL
        .iter()
        .map(|tier| {
            let home_field = field_name(*tier, CheckKind::Home);
            let work_field = field_name(*tier, CheckKind::Work);
            StandardRow {
                risk_tier: tier.to_string(),
                home_days: values.value(home_field),
                work_days: values.value(work_field),
                home_field: home_field.to_owned(),
                work_field: work_field.to_owned(),
            }
        })
        .collect();
    ContactStandardsFormPage {
        errors: errors.localise(&ctx),
        ctx,
        rows,
    }
}

/// `GET /admin/contact-standards/edit`.
pub async fn edit_contact_standards(
    ctx: PageContext,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let all = db::run(&state.pool, |conn| {
        Ok(db::contact_standards::list_contact_standards(conn)?)
    })
    .await?;
    let values = FormPairs(
        all.iter()
            .map(|s| {
                (
                    field_name(s.risk_tier, s.check_kind).to_owned(),
                    s.max_interval_days.to_string(),
                )
            })
            .collect(),
    );
    let page = page(ctx, &values, &FieldErrors::default());
    Ok(render_with_status(StatusCode::OK, &page))
}

/// Checks every interval; the standards when all are right.
fn check_standards(values: &FormPairs) -> Result<Vec<ContactStandard>, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut standards = Vec::new();
    for (risk_tier, check_kind) in slots() {
        let field = field_name(risk_tier, check_kind);
        let days = parse_integer(&values.value(field))
            .filter(|d| INTERVAL_DAYS.contains(d))
            .and_then(|d| u16::try_from(d).ok());
        match days {
            Some(max_interval_days) => standards.push(ContactStandard {
                risk_tier,
                check_kind,
                max_interval_days,
            }),
            None => errors.add(field, "admin-error-interval"),
        }
    }
    if errors.is_empty() {
        Ok(standards)
    } else {
        Err(errors)
    }
}

/// The form field of a tier and kind, e.g. `high_home`.
fn field_name(tier: RiskTier, kind: CheckKind) -> &'static str {
    match (tier, kind) {
        (RiskTier::High, CheckKind::Home) => "high_home",
        (RiskTier::High, CheckKind::Work) => "high_work",
        (RiskTier::Medium, CheckKind::Home) => "medium_home",
        (RiskTier::Medium, CheckKind::Work) => "medium_work",
        (RiskTier::Low, CheckKind::Home) => "low_home",
        (RiskTier::Low, CheckKind::Work) => "low_work",
    }
}

/// `POST /admin/contact-standards`: every changed interval is stored and audited.
pub async fn update_contact_standards(
    req: HttpRequest,
    session: Session,
    ctx: PageContext,
    actor: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let values = FormPairs(form.into_inner());
    let standards = match check_standards(&values) {
        Ok(standards) => standards,
        Err(errors) => {
            let page = page(ctx, &values, &errors);
            return Ok(render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let ip = client_ip(&req);
    db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            let stored = db::contact_standards::list_contact_standards(conn)?;
            for standard in &standards {
                let before = stored.iter().find(|s| {
                    s.risk_tier == standard.risk_tier && s.check_kind == standard.check_kind
                });
                if before.is_some_and(|b| b == standard) {
                    continue;
                }
                if db::contact_standards::update_interval(conn, standard)? == 0 {
                    db::contact_standards::insert_all(conn, std::slice::from_ref(standard))?;
                }
                let id = format!("{}/{}", standard.risk_tier, standard.check_kind);
                Change {
                    actor: &actor.0,
                    ip: ip.as_deref(),
                    action: if before.is_some() {
                        AuditAction::Update
                    } else {
                        AuditAction::Create
                    },
                    entity_kind: AuditKind::ContactStandard,
                    entity_id: &id,
                    before: before
                        .map(|b| serde_json::json!({ "max_interval_days": b.max_interval_days })),
                    after: serde_json::json!({ "max_interval_days": standard.max_interval_days }),
                }
                .write(conn)?;
            }
            Ok(())
        })
    })
    .await?;
    Ok(done(
        &session,
        "admin-flash-standards-updated",
        paths::CONTACT_STANDARDS,
    ))
}
