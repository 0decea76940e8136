//! Creating and editing a person: the form (shared field rules with the CSV importer, see
//! `domain::person_record`), 422 re-renders with a message at each bad field, and the conflict
//! page when someone else saved first (optimistic locking on `persons.version`).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::app::AppState;
use crate::db::audit::{AuditAction, AuditRecord};
use crate::db::{self, DbConnection};
use crate::domain::person::{PersonStatus, RiskTier, Severity, Sex, SupervisionKind};
use crate::domain::person_record::{COLUMNS, FieldError, PersonRecord, RecordContext};
use crate::domain::user::User;
use crate::domain::{District, PersonId};
use crate::error::AppError;
use crate::web::auth::{CurrentUser, client_ip};
use crate::web::context::PageContext;
use crate::web::render::{render_with_status, see_other};
use crate::web::session::SessionData;

/// One choice of a select.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Stored value.
    pub value: String,
    /// Shown label.
    pub label: String,
}

/// One field of the form, ready to draw.
#[derive(Debug, Clone)]
pub struct FormField {
    /// Column and input name.
    pub name: &'static str,
    /// Label.
    pub label: String,
    /// `text`, `date`, `number`, `tel`, `select` or `textarea`.
    pub kind: &'static str,
    /// `inputmode` for touch keyboards (`numeric`, `decimal`, or empty).
    pub inputmode: &'static str,
    /// Current value.
    pub value: String,
    /// The message when refused, else empty.
    pub error: String,
    /// Choices of a select (the first, empty one included where the field is optional).
    pub choices: Vec<Choice>,
    /// Whether the field must be filled.
    pub required: bool,
    /// A hint under the field, or empty.
    pub hint: String,
}

/// A titled group of fields.
#[derive(Debug, Clone)]
pub struct FormSection {
    /// Heading.
    pub title: String,
    /// Fields.
    pub fields: Vec<FormField>,
}

/// The person form, new or edit.
#[derive(Template)]
#[template(path = "registry/form.html")]
pub struct PersonFormPage {
    /// Layout data.
    pub ctx: PageContext,
    /// The fields, in sections.
    pub sections: Vec<FormSection>,
    /// Whether any field was refused.
    pub has_errors: bool,
    /// Where the form posts.
    pub action: String,
    /// The version edited (0 for a new person).
    pub version: i32,
    /// The page's heading.
    pub title: String,
    /// Where "cancel" goes.
    pub cancel: String,
}

/// Both versions of a person after a refused save.
#[derive(Template)]
#[template(path = "registry/conflict.html")]
pub struct ConflictPage {
    /// Layout data.
    pub ctx: PageContext,
    /// The person's id (for "edit again").
    pub id: String,
    /// Label, the stored value, the refused value, whether they differ.
    pub rows: Vec<(String, String, String, bool)>,
}

fn choices<T: Copy + std::fmt::Display>(
    ctx: &PageContext,
    all: &[T],
    prefix: &str,
    optional: Option<&str>,
) -> Vec<Choice> {
    let empty = optional.map(|key| Choice {
        value: String::new(),
        label: ctx.t(key),
    });
    empty
        .into_iter()
        .chain(all.iter().map(|v| Choice {
            value: v.to_string(),
            label: ctx.t(&format!("{prefix}-{v}")),
        }))
        .collect()
}

/// The label key of a column: `home_lat` -> `field-home-lat`.
pub fn label_key(column: &str) -> String {
    format!("field-{}", column.replace('_', "-"))
}

fn form_page(
    ctx: PageContext,
    record: PersonRecord,
    errors: &[FieldError],
    id: Option<&str>,
    version: i32,
) -> PersonFormPage {
    let message = |column: &str| -> String {
        errors
            .iter()
            .filter(|e| e.column == column)
            .map(|e| {
                let args: Vec<_> = e
                    .args
                    .iter()
                    .map(|(n, v)| {
                        (
                            *n,
                            fluent_templates::fluent_bundle::FluentValue::from(v.clone()),
                        )
                    })
                    .collect();
                ctx.lang.t_args(e.key, &args)
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let field = |name: &'static str, kind: &'static str, required: bool| FormField {
        name,
        label: ctx.t(&label_key(name)),
        kind,
        inputmode: match name {
            "iin" | "prior_convictions" => "numeric",
            n if n.ends_with("_lat") || n.ends_with("_lon") => "decimal",
            _ => "",
        },
        value: record.get(name).to_owned(),
        error: message(name),
        choices: Vec::new(),
        required,
        hint: String::new(),
    };
    let select = |name: &'static str, choices: Vec<Choice>, required: bool| FormField {
        choices,
        ..field(name, "select", required)
    };
    let sections = vec![
        FormSection {
            title: ctx.t("person-identity"),
            fields: vec![
                field("iin", "text", true),
                field("last_name", "text", true),
                field("first_name", "text", true),
                field("middle_name", "text", false),
                field("birth_date", "date", false),
                select("sex", choices(&ctx, Sex::ALL, "sex", Some("choose")), false),
                field("phone", "tel", false),
            ],
        },
        FormSection {
            title: ctx.t("person-conviction"),
            fields: vec![
                field("article", "text", true),
                select(
                    "severity",
                    choices(&ctx, Severity::ALL, "severity", None),
                    true,
                ),
                field("conviction_date", "date", true),
                field("release_date", "date", false),
                field("expungement_date", "date", false),
                field("prior_convictions", "number", false),
                select(
                    "supervision_kind",
                    choices(&ctx, SupervisionKind::ALL, "supervision", None),
                    true,
                ),
                field("supervision_start", "date", true),
                field("restrictions", "textarea", false),
                FormField {
                    hint: "22:00-06:00".to_owned(),
                    ..field("curfew", "text", false)
                },
                FormField {
                    hint: ctx.t("person-tier-suggested"),
                    ..select(
                        "risk_tier",
                        choices(
                            &ctx,
                            RiskTier::ALL,
                            "risk-tier",
                            Some("person-tier-by-rules"),
                        ),
                        false,
                    )
                },
                field("risk_tier_reason", "textarea", false),
                select(
                    "status",
                    choices(&ctx, PersonStatus::ALL, "status", None),
                    true,
                ),
            ],
        },
        FormSection {
            title: ctx.t("person-places"),
            fields: vec![
                field("home_address", "text", true),
                FormField {
                    hint: ctx.t("person-district-derived"),
                    ..field("home_lat", "text", true)
                },
                field("home_lon", "text", true),
                field("employer", "text", false),
                field("work_address", "text", false),
                field("work_lat", "text", false),
                field("work_lon", "text", false),
            ],
        },
    ];
    let (action, title, cancel) = match id {
        Some(id) => (
            format!("/registry/persons/{id}"),
            ctx.t("person-edit"),
            format!("/registry/persons/{id}"),
        ),
        None => (
            "/registry/persons".to_owned(),
            ctx.t("person-new"),
            "/registry/persons".to_owned(),
        ),
    };
    PersonFormPage {
        has_errors: !errors.is_empty(),
        ctx,
        sections,
        action,
        version,
        title,
        cancel,
    }
}

fn audit_change(
    conn: &mut DbConnection,
    user: &User,
    ip: Option<&str>,
    action: AuditAction,
    id: &PersonId,
    details: serde_json::Value,
) -> Result<(), AppError> {
    db::audit::insert(
        conn,
        &AuditRecord {
            user: Some(user),
            login: &user.login,
            action,
            entity_kind: "person",
            entity_id: Some(id.as_str()),
            ip,
            details: Some(details.to_string()),
        },
    )?;
    Ok(())
}

/// `GET /registry/persons/new`.
pub async fn new_person(ctx: PageContext) -> HttpResponse {
    let record = PersonRecord {
        status: PersonStatus::Active.to_string(),
        prior_convictions: "0".to_owned(),
        ..PersonRecord::default()
    };
    render_with_status(StatusCode::OK, &form_page(ctx, record, &[], None, 0))
}

/// The form as posted: the record's columns plus the edited version.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PersonForm {
    #[serde(flatten)]
    record: PersonRecord,
    #[serde(default)]
    version: String,
}

/// What a save came to.
enum Saved {
    Done(PersonId),
    Refused(Vec<FieldError>),
    Conflict(Box<crate::domain::person::Person>),
}

/// `POST /registry/persons`: adds a person.
pub async fn create_person(
    req: HttpRequest,
    ctx: PageContext,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<PersonForm>,
) -> Result<HttpResponse, AppError> {
    let record = form.into_inner().record;
    let today = state.today();
    let ip = client_ip(&req);
    let posted = record.clone();
    let saved = db::run(&state.pool, move |conn| {
        Ok(db::write_transaction(conn, |conn| {
            let districts = db::districts::list_districts(conn)?;
            let ctx = RecordContext {
                districts: &districts,
                today,
            };
            let person = match record.validate(&ctx, PersonId::new(), 1) {
                Ok(p) => p,
                Err(errors) => return Ok(Saved::Refused(errors)),
            };
            if db::persons::find_by_iin(conn, person.iin.as_str())?.is_some() {
                return Ok(Saved::Refused(vec![FieldError {
                    column: "iin",
                    key: "person-error-iin-taken",
                    args: Vec::new(),
                }]));
            }
            db::persons::insert(conn, &person)?;
            let after = PersonRecord::from_person(&person, &district_code(&districts, &person));
            audit_change(
                conn,
                &user.0,
                ip.as_deref(),
                AuditAction::Create,
                &person.id,
                serde_json::json!({ "after": after }),
            )?;
            Ok::<_, AppError>(Saved::Done(person.id))
        })?)
    })
    .await?;
    match saved {
        Saved::Done(id) => {
            SessionData(&session).set_flash("success", "person-created");
            Ok(see_other(&format!("/registry/persons/{id}")))
        }
        Saved::Refused(errors) => Ok(render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(ctx, posted, &errors, None, 0),
        )),
        Saved::Conflict(_) => Err(AppError::Conflict("error-conflict")),
    }
}

fn district_code(districts: &[District], person: &crate::domain::person::Person) -> String {
    districts
        .iter()
        .find(|d| d.id == person.district_id)
        .map(|d| d.code.clone())
        .unwrap_or_default()
}

/// `GET /registry/persons/{id}/edit`, audited as a read of the record.
pub async fn edit_person(
    req: HttpRequest,
    ctx: PageContext,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = PersonId::from(path.into_inner());
    let ip = client_ip(&req);
    let (person, districts) = db::run(&state.pool, move |conn| {
        let person = db::persons::find_person(conn, &id)?.ok_or(AppError::NotFound)?;
        // The edit form shows the whole record: a read like the record page.
        let details = serde_json::json!({ "via": "edit" }).to_string();
        db::audit::insert_person_read(
            conn,
            &user.0,
            Some(person.id.as_str()),
            ip.as_deref(),
            Some(details),
        )?;
        Ok((person, db::districts::list_districts(conn)?))
    })
    .await?;
    let record = PersonRecord::from_person(&person, &district_code(&districts, &person));
    let page = form_page(ctx, record, &[], Some(person.id.as_str()), person.version);
    Ok(render_with_status(StatusCode::OK, &page))
}

/// `POST /registry/persons/{id}`: saves an edit made on version `version`, or shows the
/// conflict when the stored person has moved on.
pub async fn update_person(
    req: HttpRequest,
    ctx: PageContext,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<PersonForm>,
) -> Result<HttpResponse, AppError> {
    let id = PersonId::from(path.into_inner());
    let form = form.into_inner();
    let Ok(version) = form.version.trim().parse::<i32>() else {
        return Err(AppError::BadRequest("error-bad-request"));
    };
    let record = form.record;
    let posted = record.clone();
    let today = state.today();
    let ip = client_ip(&req);
    let person_id = id.clone();
    let saved = db::run(&state.pool, move |conn| {
        Ok(db::write_transaction(conn, |conn| {
            let stored = db::persons::find_person(conn, &person_id)?.ok_or(AppError::NotFound)?;
            if stored.version != version {
                return Ok(Saved::Conflict(Box::new(stored)));
            }
            let districts = db::districts::list_districts(conn)?;
            let ctx = RecordContext {
                districts: &districts,
                today,
            };
            let person = match record.validate(&ctx, person_id.clone(), version) {
                Ok(p) => p,
                Err(errors) => return Ok(Saved::Refused(errors)),
            };
            if person.iin != stored.iin
                && db::persons::find_by_iin(conn, person.iin.as_str())?.is_some()
            {
                return Ok(Saved::Refused(vec![FieldError {
                    column: "iin",
                    key: "person-error-iin-taken",
                    args: Vec::new(),
                }]));
            }
            if !db::persons::update(conn, &person)? {
                return Ok(Saved::Conflict(Box::new(stored)));
            }
            let code = district_code(&districts, &person);
            let details = serde_json::json!({
                "before": PersonRecord::from_person(&stored, &district_code(&districts, &stored)),
                "after": PersonRecord::from_person(&person, &code),
            });
            audit_change(
                conn,
                &user.0,
                ip.as_deref(),
                AuditAction::Update,
                &person.id,
                details,
            )?;
            Ok::<_, AppError>(Saved::Done(person.id))
        })?)
    })
    .await?;
    match saved {
        Saved::Done(id) => {
            SessionData(&session).set_flash("success", "person-saved");
            Ok(see_other(&format!("/registry/persons/{id}")))
        }
        Saved::Refused(errors) => Ok(render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(ctx, posted, &errors, Some(id.as_str()), version),
        )),
        Saved::Conflict(stored) => {
            let theirs = PersonRecord::from_person(&stored, "");
            let rows = COLUMNS
                .iter()
                .zip(theirs.values().iter().zip(posted.values().iter()))
                .filter(|(column, _)| **column != "district")
                .map(|(column, (a, b))| {
                    (
                        ctx.t(&label_key(column)),
                        (*a).to_owned(),
                        (*b).to_owned(),
                        a.trim() != b.trim(),
                    )
                })
                .collect();
            let page = ConflictPage {
                ctx,
                id: id.to_string(),
                rows,
            };
            Ok(render_with_status(StatusCode::CONFLICT, &page))
        }
    }
}
