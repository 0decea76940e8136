//! One-click report periods (issue 16, item 11): links to this month, last month, the last
//! quarter and the last year on every report page, keeping the page's other filters (district,
//! comparison) and marking the period shown.

use crate::domain::period_presets::PeriodPreset;
use crate::web::context::PageContext;

/// A period link of a report page.
#[derive(Debug, Clone)]
pub struct PresetLink {
    /// The report with this period.
    pub href: String,
    /// Its name in the page's language.
    pub label: String,
    /// Whether the page shows this period now.
    pub is_current: bool,
}

/// The period links of the page `ctx` shows (its path and query).
pub fn preset_links(ctx: &PageContext) -> Vec<PresetLink> {
    let (path, query) = ctx.path.split_once('?').unwrap_or((&ctx.path, ""));
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    // Other filters stay (the district); the period, its comparison (the crime report's
    // default, the period before, fits any preset), a page number and a download format do not.
    let kept: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "from" | "to" | "against" | "page" | "format" | "table"
            )
        })
        .cloned()
        .collect();
    let today = ctx.today();
    PeriodPreset::ALL
        .iter()
        .map(|preset| {
            let period = preset.period(today);
            let (from, to) = (period.from.to_string(), period.to.to_string());
            let mut query = vec![
                ("from".to_owned(), from.clone()),
                ("to".to_owned(), to.clone()),
            ];
            query.extend(kept.iter().cloned());
            PresetLink {
                href: format!(
                    "{path}?{}",
                    serde_urlencoded::to_string(&query).unwrap_or_default()
                ),
                label: ctx.word("report-preset", preset),
                is_current: value("from") == from && value("to") == to,
            }
        })
        .collect()
}
