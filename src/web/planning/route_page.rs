//! A route of a plan on its own page (its map, its stops with their changes, links to the
//! group's other days and the day's other groups), and the checks left out, one reason at a
//! time and a page at a time. Each row offers only its own move targets (the days of the
//! groups covering its district), a few dozen options, never the whole plan's.

use chrono::NaiveDate;

use super::pages::{ConfirmRemove, LeftOutPage, NavLink, RoutePage, RouteView};
use super::plan_page::{
    Sheet, driving, head, left_out, left_out_href, reason_counts, route_href, shift_use,
};
use crate::domain::MobileGroupId;
use crate::domain::check::{Check, UnplacedReason, hhmm};
use crate::domain::mobile_group::MobileGroup;
use crate::services::plans::PlanView;
use crate::web::context::PageContext;
use crate::web::map;
use crate::web::pagination::{PAGE_SIZE, Pagination};
use crate::web::paths::CheckChange;

/// The stops of `group`'s route on `date`, in order.
pub fn stops_of<'a>(checks: &'a [Check], group: &MobileGroupId, date: NaiveDate) -> Vec<&'a Check> {
    checks
        .iter()
        .filter(|c| c.mobile_group_id.as_ref() == Some(group) && c.planned_date == Some(date))
        .collect()
}

/// The page of `group`'s route on `date`, with the removal of `remove` to confirm; `None` when
/// the plan has no such group or day.
pub fn route_page(
    ctx: PageContext,
    view: &PlanView,
    group_id: &MobileGroupId,
    date: NaiveDate,
    remove: Option<&str>,
    roads: Option<&crate::roads::Router>,
) -> Option<RoutePage> {
    let group = view.groups.iter().find(|g| &g.id == group_id)?;
    let stops = stops_of(&view.checks, group_id, date);
    // A day outside the period has no route, unless checks were put there (by hand).
    if !view.plan.covers(date) && stops.is_empty() {
        return None;
    }
    let sheet = Sheet { ctx: &ctx, view };
    let href = route_href(view.plan.id.as_str(), group_id, date);
    let route = route_view(&sheet, group, date, &stops, &href, roads);
    let confirm = remove
        .and_then(|r| stops.iter().find(|c| c.id.as_str() == r))
        .map(|c| ConfirmRemove {
            action: sheet.check_action(c, CheckChange::Remove),
            person: sheet.name(c),
            keep: format!("{href}#s-{}", c.id),
        });
    let (days, groups) = neighbours(&ctx, view, group, date);
    Some(RoutePage {
        head: head(&ctx, view, href),
        route,
        days,
        groups,
        confirm,
        ctx,
    })
}

/// The route itself: its map, its stops (each coming back to the next after a change), its
/// driving and shift use.
fn route_view(
    sheet: &Sheet<'_>,
    group: &MobileGroup,
    date: NaiveDate,
    stops: &[&Check],
    href: &str,
    roads: Option<&crate::roads::Router>,
) -> RouteView {
    let (metres, seconds) = driving(sheet.view, group, date, stops);
    let mut path = vec![group.base];
    path.extend(stops.iter().map(|c| c.location));
    path.push(group.base);
    let areas: Vec<_> = sheet
        .view
        .districts
        .iter()
        .filter(|d| group.district_ids.contains(&d.id))
        .map(|d| &d.boundary)
        .collect();
    // After a change of a row, the page comes back to the row after it (the list at the end).
    let back_of = |i: usize| match stops.get(i + 1) {
        Some(next) => format!("{href}#s-{}", next.id),
        None => format!("{href}#stops"),
    };
    RouteView {
        title: format!("{} · {}", group.name, sheet.ctx.date(date)),
        anchor: format!("r-{}-{date}", group.id),
        map_svg: map::draw_with_paths(
            roads,
            &areas,
            &[path],
            &sheet.marks(group, stops),
            &group.name,
        ),
        stops: stops
            .iter()
            .enumerate()
            .map(|(i, c)| sheet.stop_line(i + 1, c, back_of(i)))
            .collect(),
        href: href.to_owned(),
        km: format!("{:.1}", metres / 1000.0),
        driving: hhmm((seconds / 60.0).round() as i32),
        shift_use: shift_use(group, stops),
    }
}

/// Links to the group's other working days of the plan, and to the day's other groups.
fn neighbours(
    ctx: &PageContext,
    view: &PlanView,
    group: &MobileGroup,
    date: NaiveDate,
) -> (Vec<NavLink>, Vec<NavLink>) {
    let id = view.plan.id.as_str();
    let days = view
        .plan
        .dates()
        .filter(|d| group.active_days.includes(*d))
        .map(|d| NavLink {
            href: route_href(id, &group.id, d),
            label: ctx.date(d),
            current: d == date,
        })
        .collect();
    let groups = view
        .groups
        .iter()
        .filter(|g| g.active_days.includes(date))
        .map(|g| NavLink {
            href: route_href(id, &g.id, date),
            label: g.name.clone(),
            current: g.id == group.id,
        })
        .collect();
    (days, groups)
}

/// The checks left out that page `page` of `reason` shows.
pub fn left_out_shown(
    checks: &[Check],
    reason: Option<UnplacedReason>,
    page: Option<i64>,
) -> Vec<&Check> {
    let offset = usize::try_from(Pagination::offset(page, PAGE_SIZE)).unwrap_or(0);
    left_out(checks, reason)
        .into_iter()
        .skip(offset)
        .take(PAGE_SIZE as usize)
        .collect()
}

/// Page `page` of the checks left out for `reason` (or all).
pub fn left_out_page(
    ctx: PageContext,
    view: &PlanView,
    reason: Option<UnplacedReason>,
    page: Option<i64>,
) -> LeftOutPage {
    let sheet = Sheet { ctx: &ctx, view };
    let total = left_out(&view.checks, reason).len();
    let pagination = Pagination::new(page, PAGE_SIZE, total as i64);
    let base = left_out_href(view.plan.id.as_str(), reason);
    let joiner = if base.contains('?') { '&' } else { '?' };
    let here = format!("{base}{joiner}page={}", pagination.page);
    let shown = left_out_shown(&view.checks, reason, Some(pagination.page));
    let lines = shown
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let back = match shown.get(i + 1) {
                Some(next) => format!("{here}#s-{}", next.id),
                None => format!("{here}#left-out"),
            };
            sheet.unplaced_line(c, back)
        })
        .collect();
    LeftOutPage {
        head: head(&ctx, view, here),
        reasons: reason_counts(&ctx, view, reason),
        lines,
        pagination,
        pager_base: format!("{base}{joiner}"),
        ctx,
    }
}
