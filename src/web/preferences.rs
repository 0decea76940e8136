//! `POST /preferences`: the language and theme switches (they work before sign-in too).

use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::auth::safe_next;
use super::context::PageContext;
use super::render::see_other;
use super::session::{SessionData, Theme};
use crate::app::AppState;
use crate::db;
use crate::error::AppError;
use crate::i18n::Lang;

/// The switch form; unknown values are ignored.
#[derive(Debug, serde::Deserialize)]
pub struct PreferencesForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    next: String,
}

/// Stores the choice in the session (and the language on the user, for the next sign-in).
pub async fn update_preferences(
    session: Session,
    ctx: PageContext,
    state: web::Data<AppState>,
    form: web::Form<PreferencesForm>,
) -> Result<HttpResponse, AppError> {
    let data = SessionData(&session);
    if let Some(theme) = Theme::parse(&form.theme) {
        data.set_theme(theme);
    }
    if let Some(lang) = Lang::parse(&form.lang) {
        data.set_lang(lang);
        if let Some(user) = ctx.user {
            db::run(&state.pool, move |conn| {
                Ok(db::users::update_preferred_lang(
                    conn,
                    &user.id,
                    lang.code(),
                )?)
            })
            .await?;
        }
    }
    Ok(see_other(&safe_next(Some(&form.next))))
}
