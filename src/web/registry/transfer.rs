//! CSV import and export from the web: upload, a dry run that lists every bad row, then the
//! all-or-nothing import of the checked file, for persons and for offences alike (one flow, two
//! [`ImportTarget`]s). The export is in `export.rs`.

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use futures_util::StreamExt as _;

use super::pages::label_key;
use super::pending;
use crate::app::AppState;
use crate::db;
use crate::domain::person_csv::FileError;
use crate::domain::person_record::RecordContext;
use crate::error::AppError;
use crate::services::imports::{self, ImportKind, ImportReport, ImportedBy, message};
use crate::web::auth::CurrentUser;
use crate::web::context::PageContext;
use crate::web::paths;
use crate::web::render::{render_with_status, see_other};
use crate::web::session::SessionData;

/// Largest file taken from the web: 10 MB (about 40,000 persons); larger files go through the
/// CLI, `baqylau import persons FILE`.
pub const MAX_WEB_IMPORT_BYTES: usize = 10 * 1024 * 1024;
/// Errors listed on the page (the counts cover them all).
const SHOWN_ERRORS: usize = 500;

/// One error line of the report.
#[derive(Debug, Clone)]
pub struct ErrorLine {
    /// Line in the file.
    pub line: u64,
    /// Column label, or empty.
    pub column: String,
    /// Message.
    pub message: String,
}

/// What is imported: the importer, the page's words and paths, and the column labels.
pub struct ImportTarget {
    /// Persons or offences (its word is the prefix of the checked files it keeps).
    pub kind: ImportKind,
    /// Catalogue key of the page's title.
    pub title_key: &'static str,
    /// Catalogue key of the hint under it.
    pub hint_key: &'static str,
    /// The page (`GET`), its check (`POST .../check`) and run (`POST .../run`) are below it.
    pub path: &'static str,
    /// Where a done import leads.
    pub done: &'static str,
    /// The list the page belongs to: its path and catalogue key.
    pub back: (&'static str, &'static str),
    /// The catalogue key of a column's label.
    pub label_key: fn(&str) -> String,
}

/// Persons of the registry, matched by IIN.
pub const PERSONS: ImportTarget = ImportTarget {
    kind: ImportKind::Persons,
    title_key: "import-title",
    hint_key: "import-hint",
    path: paths::PERSON_IMPORT,
    done: "/registry/persons?sort=updated",
    back: (paths::PERSONS, "registry-title"),
    label_key,
};

/// Registered offences, matched by their register number.
pub const OFFENCES: ImportTarget = ImportTarget {
    kind: ImportKind::Offences,
    title_key: "offence-import-title",
    hint_key: "offence-import-hint",
    path: paths::OFFENCE_IMPORT,
    done: paths::REPORT_CRIME,
    back: (paths::REPORT_CRIME, "crime-title"),
    label_key: offence_label_key,
};

fn offence_label_key(column: &str) -> String {
    format!("offence-column-{}", column.replace('_', "-"))
}

/// The import page and the report after a check or an import.
#[derive(Template)]
#[template(path = "registry/import.html")]
pub struct ImportPage {
    /// Layout data.
    pub ctx: PageContext,
    /// Title.
    pub title: String,
    /// The hint under it.
    pub hint: String,
    /// The page's path (the check and run are below it).
    pub path: &'static str,
    /// The list it belongs to: path and name.
    pub back: (&'static str, String),
    /// The counts line, when a file was read.
    pub counts: Option<String>,
    /// The first errors.
    pub errors: Vec<ErrorLine>,
    /// Errors not listed.
    pub more_errors: usize,
    /// The first warnings (rows imported all the same).
    pub warnings: Vec<ErrorLine>,
    /// A checked, clean file waits for "import".
    pub ready: bool,
    /// A message about the upload itself (no file, too large), when any.
    pub problem: Option<String>,
}

fn page(
    ctx: PageContext,
    target: &ImportTarget,
    report: Option<&ImportReport>,
    ready: bool,
    problem: Option<String>,
) -> ImportPage {
    let lines = |list: &[FileError]| -> Vec<ErrorLine> {
        list.iter()
            .take(SHOWN_ERRORS)
            .map(|e| ErrorLine {
                line: e.line,
                column: e
                    .column
                    .as_deref()
                    .map(|c| ctx.t(&(target.label_key)(c)) + " (" + c + ")")
                    .unwrap_or_default(),
                message: message(ctx.lang, e),
            })
            .collect()
    };
    let errors = report.map(|r| lines(&r.errors)).unwrap_or_default();
    let warnings = report.map(|r| lines(&r.warnings)).unwrap_or_default();
    let counts = report.map(|r| imports::counts(ctx.lang, r));
    ImportPage {
        title: ctx.t(target.title_key),
        hint: ctx.t(target.hint_key),
        path: target.path,
        back: (target.back.0, ctx.t(target.back.1)),
        more_errors: report
            .map(|r| r.errors.len().saturating_sub(SHOWN_ERRORS))
            .unwrap_or(0),
        ctx,
        counts,
        errors,
        warnings,
        ready,
        problem,
    }
}

/// Forgets the file this session checked before, if any: removed from disk, not only from the
/// session, so a refused or replaced upload leaves nothing behind.
fn forget_pending(state: &AppState, data: &SessionData) {
    if let Some(name) = data.pending_import() {
        pending::remove(&state.settings, &name);
    }
    data.clear_pending_import();
}

/// `GET /registry/import`.
pub async fn show_import(ctx: PageContext) -> HttpResponse {
    render_with_status(StatusCode::OK, &page(ctx, &PERSONS, None, false, None))
}

/// `GET /registry/offences/import`.
pub async fn show_offence_import(ctx: PageContext) -> HttpResponse {
    render_with_status(StatusCode::OK, &page(ctx, &OFFENCES, None, false, None))
}

/// Reads the uploaded file field, up to the limit. `Ok(None)` when no file was chosen.
async fn read_upload(mut payload: Multipart) -> Result<Result<Vec<u8>, &'static str>, AppError> {
    let mut bytes = Vec::new();
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| AppError::BadRequest(bad_upload(&e)))?;
        if field.name() != Some("file") {
            continue;
        }
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| AppError::BadRequest(bad_upload(&e)))?;
            if bytes.len() + chunk.len() > MAX_WEB_IMPORT_BYTES {
                return Ok(Err("import-too-large"));
            }
            bytes.extend_from_slice(&chunk);
        }
    }
    if bytes.is_empty() {
        return Ok(Err("import-no-file"));
    }
    Ok(Ok(bytes))
}

fn bad_upload(error: &actix_multipart::MultipartError) -> &'static str {
    tracing::info!(%error, "a bad upload");
    "error-bad-request"
}

/// `POST /registry/import/check` (multipart, the CSRF token its first field): the dry run.
pub async fn check_import(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    check(ctx, session, state, payload, &PERSONS).await
}

/// `POST /registry/offences/import/check` (multipart, the CSRF token its first field).
pub async fn check_offence_import(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    check(ctx, session, state, payload, &OFFENCES).await
}

/// The dry run of `target`: every error on the page, or the file kept for the import.
async fn check(
    ctx: PageContext,
    session: Session,
    state: web::Data<AppState>,
    payload: Multipart,
    target: &'static ImportTarget,
) -> Result<HttpResponse, AppError> {
    let bytes = match read_upload(payload).await? {
        Ok(bytes) => bytes,
        Err(key) => return Ok(refused_upload(ctx, target, key)),
    };
    let today = state.today();
    let checked = bytes.clone();
    let kind = target.kind;
    let mut report = db::run(&state.pool, move |conn| {
        let districts = db::districts::list_districts(conn)?;
        let ctx = RecordContext {
            districts: &districts,
            today,
        };
        Ok(imports::dry_run(
            conn,
            kind,
            &checked,
            &ctx,
            &mut |_, _| {},
        )?)
    })
    .await?;
    let roads = crate::web::map::roads_for(&state).await;
    imports::streets::add_street_warnings(&mut report, kind, &bytes, roads.as_deref());
    let data = SessionData(&session);
    forget_pending(&state, &data);
    if !report.is_clean() {
        return Ok(render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(ctx, target, Some(&report), false, None),
        ));
    }
    let settings = state.clone();
    let name = web::block(move || pending::keep(&settings.settings, kind.as_str(), &bytes))
        .await?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot keep the checked file: {e}")))?;
    data.set_pending_import(&name);
    Ok(render_with_status(
        StatusCode::OK,
        &page(ctx, target, Some(&report), true, None),
    ))
}

/// The page again (422) with what was wrong with the upload itself: no file, or too large.
fn refused_upload(ctx: PageContext, target: &ImportTarget, key: &'static str) -> HttpResponse {
    let problem = if key == "import-too-large" {
        use fluent_templates::fluent_bundle::FluentValue;
        ctx.lang.t_args(
            key,
            &[("max", FluentValue::from(MAX_WEB_IMPORT_BYTES / 1_048_576))],
        )
    } else {
        ctx.t(key)
    };
    render_with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &page(ctx, target, None, false, Some(problem)),
    )
}

/// `POST /registry/import/run`: imports the file this session checked, all or nothing. The file
/// is validated again inside the transaction, so a registry changed since the check is seen.
pub async fn run_import(
    ctx: PageContext,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    run(ctx, session, user, state, &PERSONS).await
}

/// `POST /registry/offences/import/run`: imports the offences file this session checked.
pub async fn run_offence_import(
    ctx: PageContext,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    run(ctx, session, user, state, &OFFENCES).await
}

/// The import of the file of `target` this session checked.
async fn run(
    ctx: PageContext,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
    target: &'static ImportTarget,
) -> Result<HttpResponse, AppError> {
    let data = SessionData(&session);
    let Some(file) = data
        .pending_import()
        .and_then(|name| pending::path_of(&state.settings, target.kind.as_str(), &name))
    else {
        return Ok(see_other(target.path));
    };
    let Ok(bytes) = std::fs::read(&file) else {
        data.clear_pending_import();
        data.set_flash("error", "import-file-gone");
        return Ok(see_other(target.path));
    };
    let today = state.today();
    let kind = target.kind;
    let report = db::run(&state.pool, move |conn| {
        let districts = db::districts::list_districts(conn)?;
        let ctx = RecordContext {
            districts: &districts,
            today,
        };
        let by = ImportedBy {
            user: Some(&user.0),
            login: &user.0.login,
        };
        Ok(imports::import(
            conn,
            kind,
            &bytes,
            &ctx,
            by,
            &mut |_, _| {},
        )?)
    })
    .await?;
    data.clear_pending_import();
    // Best effort: the file is no longer needed either way.
    let _ = std::fs::remove_file(&file);
    if !report.is_clean() {
        return Ok(render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(ctx, target, Some(&report), false, None),
        ));
    }
    data.set_flash("success", "import-done");
    Ok(see_other(target.done))
}
