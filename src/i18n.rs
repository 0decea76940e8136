//! Three languages (Russian, Kazakh, English) from Fluent catalogues in `i18n/<lang>/main.ftl`,
//! embedded at compile time, plus date and number formatting per language.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader as _, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./i18n",
        fallback_language: "en",
        // Fluent wraps placeables in Unicode isolation marks by default; in HTML they only get in
        // the way of copying text and of tests (STACK.md).
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A UI language.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Russian, the office's working language and the default.
    #[default]
    Ru,
    /// Kazakh, the state language.
    Kk,
    /// English.
    En,
}

impl Lang {
    /// All languages, in the order the switcher shows them.
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::Kk => "kk",
            Lang::En => "en",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Ru => "Русский",
            Lang::Kk => "Қазақша",
            Lang::En => "English",
        }
    }

    /// Parses a code (`ru`, `kk`, `en`, also `ru-RU`, `kk-KZ`).
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ru" => Some(Lang::Ru),
            "kk" | "kz" => Some(Lang::Kk),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The best language of an `Accept-Language` header, by quality, if any is ours.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::parse) else {
                continue;
            };
            let quality = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            if best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::Ru => langid!("ru"),
            Lang::Kk => langid!("kk"),
            Lang::En => langid!("en"),
        }
    }

    /// The message for a key. A missing key shows as `⟦key⟧` (and is logged) so that tests and
    /// reviewers see it at once.
    pub fn t(self, key: &str) -> String {
        LOCALES
            .try_lookup(&self.id(), key)
            .unwrap_or_else(|| missing(key))
    }

    /// The message for a key with named arguments.
    pub fn t_args(self, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'static>> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), value.clone()))
            .collect();
        LOCALES
            .try_lookup_with_args(&self.id(), key, &args)
            .unwrap_or_else(|| missing(key))
    }

    /// A date as the language writes it: `25.11.2026` (ru, kk) or `25 Nov 2026` (en).
    pub fn date(self, date: chrono::NaiveDate) -> String {
        match self {
            Lang::Ru | Lang::Kk => date.format("%d.%m.%Y").to_string(),
            Lang::En => date.format("%-d %b %Y").to_string(),
        }
    }

    /// A date and time in the region's zone: `25.11.2026 14:05`.
    pub fn date_time(self, at: chrono::NaiveDateTime, tz: chrono_tz::Tz) -> String {
        let local = chrono::TimeZone::from_utc_datetime(&tz, &at);
        match self {
            Lang::Ru | Lang::Kk => local.format("%d.%m.%Y %H:%M").to_string(),
            Lang::En => local.format("%-d %b %Y %H:%M").to_string(),
        }
    }

    /// An integer with the language's thousands separator: `1 500` (ru, kk, with a narrow
    /// no-break space) or `1,500` (en).
    pub fn integer(self, value: i64) -> String {
        let digits = value.unsigned_abs().to_string();
        let separator = match self {
            Lang::Ru | Lang::Kk => '\u{202f}',
            Lang::En => ',',
        };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(separator);
            }
            out.push(c);
        }
        if value < 0 { format!("-{out}") } else { out }
    }

    /// A decimal with `places` digits after the language's decimal mark (`,` for ru and kk).
    pub fn decimal(self, value: f64, places: usize) -> String {
        let text = format!("{value:.places$}");
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let whole: i64 = whole.parse().unwrap_or(0);
        let sign = if value < 0.0 && whole == 0 { "-" } else { "" };
        let mark = match self {
            Lang::Ru | Lang::Kk => ",",
            Lang::En => ".",
        };
        if fraction.is_empty() {
            format!("{sign}{}", self.integer(whole))
        } else {
            format!("{sign}{}{mark}{fraction}", self.integer(whole))
        }
    }
}

fn missing(key: &str) -> String {
    tracing::warn!(key, "missing message key");
    format!("⟦{key}⟧")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_of_ours() {
        assert_eq!(
            Lang::from_accept_language("de-DE,kk;q=0.8,en;q=0.9"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("kk-KZ, ru;q=0.5"),
            Some(Lang::Kk)
        );
        assert_eq!(Lang::from_accept_language("de, fr"), None);
    }

    #[test]
    fn numbers_use_the_language_separators() {
        assert_eq!(Lang::En.integer(1_234_567), "1,234,567");
        assert_eq!(Lang::Ru.integer(1500), "1\u{202f}500");
        assert_eq!(Lang::Ru.decimal(-2.5, 1), "-2,5");
        assert_eq!(Lang::En.decimal(-0.25, 2), "-0.25");
    }

    #[test]
    fn russian_plurals_follow_cldr() {
        let n = |v: i64| Lang::Ru.t_args("persons-count", &[("count", FluentValue::from(v))]);
        assert_eq!(n(1), "1 лицо");
        assert_eq!(n(3), "3 лица");
        assert_eq!(n(5), "5 лиц");
        assert_eq!(n(21), "21 лицо");
    }
}
