//! The coverage map: the districts reported, shaded by their coverage at the period's last day.

use super::page::percent;
use crate::domain::location::District;
use crate::reports::coverage::Coverage;
use crate::web::context::PageContext;
use crate::web::map::{self, Shade};

/// The map's shades: ColorBrewer's five-class "Blues", a sequential palette readable with any
/// colour blindness (lighter is lower coverage), by steps of 20 percent.
const SHADES: [&str; 5] = ["shade-0", "shade-1", "shade-2", "shade-3", "shade-4"];

fn shade(share: Option<f64>) -> &'static str {
    match share {
        None => "shade-none",
        Some(s) => SHADES[((s / 20.0).floor().max(0.0) as usize).min(SHADES.len() - 1)],
    }
}

/// The districts reported, each shaded by its coverage at the period's last day.
pub(super) fn coverage_map(
    ctx: &PageContext,
    report: &Coverage,
    districts: &[District],
    roads: Option<&crate::roads::Router>,
) -> String {
    let shades: Vec<Shade<'_>> = districts
        .iter()
        .filter_map(|d| {
            let line = report.by_district.iter().find(|l| l.key == d.code)?;
            let share = line.all().share();
            Some(Shade {
                area: &d.boundary,
                class: shade(share),
                label: d.code.clone(),
                title: format!("{}: {}", d.name(ctx.lang.code()), percent(ctx, share)),
            })
        })
        .collect();
    map::draw_shaded(roads, &shades, &ctx.t("coverage-map-label"))
}

/// The legend: each shade's CSS class and range in words.
pub(super) fn legend(ctx: &PageContext) -> Vec<(&'static str, String)> {
    let mut legend: Vec<(&'static str, String)> = SHADES
        .iter()
        .enumerate()
        .map(|(i, class)| (*class, format!("{}–{} %", i * 20, (i + 1) * 20)))
        .collect();
    legend.push(("shade-none", ctx.t("coverage-map-none")));
    legend
}
