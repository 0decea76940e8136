//! The plan's pages, their shared parts and the summary: the head every page of a plan shows
//! (period, status, totals, whole-plan actions), the summary with a cell for each group and day
//! and the checks left out counted by reason. The route and left-out pages are in `route_page`.
//! A plan of the form's default (5 days, all groups) has thousands of checks: no page renders
//! them all, each shows a route or a page of left-out checks with only its own move targets.

use chrono::NaiveDate;
use fluent_templates::fluent_bundle::FluentValue;

use super::pages::{
    MoveTarget, PlanHead, PlanPage, ReasonCount, RouteCell, StopLine, SummaryRow, UnplacedLine,
};
use crate::domain::check::{Check, UnplacedReason, hhmm};
use crate::domain::mobile_group::MobileGroup;
use crate::domain::travel::{TravelSource, TravelSummary};
use crate::domain::{DistrictId, MobileGroupId, PlanId};
use crate::services::plans::PlanView;
use crate::web::context::PageContext;
use crate::web::map::Mark;
use crate::web::paths::{self, CheckChange};

/// The period of a plan as shown: one day, or first – last.
pub fn period(ctx: &PageContext, from: NaiveDate, days: u32) -> String {
    let to = from + chrono::Duration::days(i64::from(days.max(1)) - 1);
    if days <= 1 {
        ctx.date(from)
    } else {
        format!("{} – {}", ctx.date(from), ctx.date(to))
    }
}

/// The page of one group's route on one day.
pub fn route_href(plan: &str, group: &MobileGroupId, date: NaiveDate) -> String {
    paths::plan_route(&PlanId::from(plan.to_owned()), group, date)
}

/// The page of the checks left out (for `reason`, or all).
pub fn left_out_href(plan: &str, reason: Option<UnplacedReason>) -> String {
    let key = reason.map(|r| r.to_string());
    paths::plan_left_out(&PlanId::from(plan.to_owned()), key.as_deref())
}

/// What a page of the plan needs besides the checks it shows.
pub(super) struct Sheet<'a> {
    pub ctx: &'a PageContext,
    pub view: &'a PlanView,
}

impl Sheet<'_> {
    pub fn name(&self, check: &Check) -> String {
        self.view
            .names
            .get(check.person_id.as_str())
            .cloned()
            .unwrap_or_default()
    }

    /// The days of the plan's groups covering `district` where a check of it may be moved,
    /// but the route it is on (`on`).
    fn targets_for(
        &self,
        district: &DistrictId,
        on: Option<(&MobileGroupId, NaiveDate)>,
    ) -> Vec<MoveTarget> {
        let plan = &self.view.plan;
        self.view
            .groups
            .iter()
            .filter(|g| g.district_ids.contains(district))
            .flat_map(|g| {
                plan.dates()
                    .filter(|d| g.active_days.includes(*d) && on != Some((&g.id, *d)))
                    .map(|d| MoveTarget {
                        value: format!("{}|{d}", g.id),
                        label: format!("{} · {}", g.name, self.ctx.date(d)),
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    pub fn marks(&self, group: &MobileGroup, stops: &[&Check]) -> Vec<Mark> {
        let mut marks = vec![Mark {
            at: group.base,
            sign: "B".into(),
            class: "base",
            title: group.name.clone(),
        }];
        marks.extend(stops.iter().enumerate().map(|(i, c)| Mark {
            at: c.location,
            sign: (i + 1).to_string(),
            class: c.kind.as_str(),
            title: self.name(c),
        }));
        marks
    }

    /// Stop `number` of a route, `back` the place to return to after changing it.
    pub fn stop_line(&self, number: usize, c: &Check, back: String) -> StopLine {
        let on = c.mobile_group_id.as_ref().zip(c.planned_date);
        StopLine {
            check_id: c.id.to_string(),
            number,
            arrival: c.planned_arrival_min.map(hhmm).unwrap_or_default(),
            window: format!(
                "{}–{}",
                hhmm(i32::from(c.window_start_min)),
                hhmm(i32::from(c.window_end_min))
            ),
            person: self.name(c),
            person_href: paths::person(&c.person_id),
            kind: c.kind.to_string(),
            address: c.address.clone(),
            pinned: c.pinned,
            status: c.status.to_string(),
            targets: self.targets_for(&c.district_id, on),
            move_action: self.check_action(c, CheckChange::Move),
            pin_action: self.check_action(c, CheckChange::Pin),
            back,
        }
    }

    /// Where the form of `change` to check `c` of this plan posts.
    pub fn check_action(&self, c: &Check, change: CheckChange) -> String {
        paths::plan_check(&self.view.plan.id, &c.id, change)
    }

    pub fn unplaced_line(&self, c: &Check, back: String) -> UnplacedLine {
        let reason = c.unplaced_reason.unwrap_or(UnplacedReason::NoRoom);
        UnplacedLine {
            check_id: c.id.to_string(),
            person: self.name(c),
            person_href: paths::person(&c.person_id),
            move_action: self.check_action(c, CheckChange::Move),
            kind: c.kind.to_string(),
            reason: self.ctx.word("plan-reason", reason),
            priority: c.priority,
            targets: self.targets_for(&c.district_id, None),
            back,
        }
    }
}

/// A route's distance in metres and driving in seconds as the plan stored them on its travel
/// source; for a plan made before plans kept them, the page's own estimate.
pub(super) fn driving(
    view: &PlanView,
    group: &MobileGroup,
    date: NaiveDate,
    stops: &[&Check],
) -> (f64, f64) {
    let stored = view
        .routes
        .iter()
        .find(|r| r.group_id == group.id && r.date == date);
    match stored {
        Some(r) => (r.distance_m as f64, r.driving_s as f64),
        None if view.travel.is_some() || stops.is_empty() => (0.0, 0.0),
        None => distance(group, stops),
    }
}

/// The travel source of the plan in a line: roads (which network, when imported) with the
/// points that fell back to the straight line and why, or the straight line; empty for a plan
/// made before plans kept it.
pub(super) fn travel_line(ctx: &PageContext, travel: Option<&TravelSummary>) -> String {
    let Some(t) = travel else {
        return String::new();
    };
    if t.source == TravelSource::GreatCircle {
        return ctx.t("plan-travel-great-circle");
    }
    let text = |v: &str| FluentValue::from(v.to_owned());
    // Stored in UTC: the day is the region's (an import at 03:00 in Kostanay is the day
    // before in UTC).
    let imported = t
        .network_imported_at
        .map(|at| ctx.date(at.and_utc().with_timezone(&ctx.tz).date_naive()))
        .unwrap_or_default();
    let network = t.network_name.clone().unwrap_or_default();
    let head = ctx.lang.t_args(
        "plan-travel-roads",
        &[("name", text(&network)), ("date", text(&imported))],
    );
    let count = |n: usize| FluentValue::from(n as i64);
    if t.fell_back == 0 {
        let all = ctx
            .lang
            .t_args("plan-travel-all-on-roads", &[("count", count(t.points))]);
        return format!("{head}; {all}");
    }
    let fell = ctx.lang.t_args(
        "plan-travel-fell-back",
        &[("count", count(t.fell_back)), ("number", count(t.points))],
    );
    let reasons: Vec<String> = t
        .reasons
        .iter()
        .map(|(r, n)| {
            format!(
                "{} {}",
                ctx.int(*n as i64),
                ctx.word("plan-travel-reason", r)
            )
        })
        .collect();
    format!("{head}; {fell}: {}", reasons.join(", "))
}

/// A route's distance in metres and driving in seconds: great circle times the town's
/// circuity, at 40 km/h (an estimate for the page, not the optimiser's).
fn distance(group: &MobileGroup, stops: &[&Check]) -> (f64, f64) {
    let mut path = vec![group.base];
    path.extend(stops.iter().map(|c| c.location));
    path.push(group.base);
    let metres: f64 = path.windows(2).map(|w| w[0].distance_m(w[1]) * 1.25).sum();
    (metres, metres / (40.0 / 3.6))
}

/// The share of the shift from the first arrival to the last departure.
pub(super) fn shift_use(group: &MobileGroup, stops: &[&Check]) -> String {
    let first = stops
        .first()
        .and_then(|c| c.planned_arrival_min)
        .unwrap_or(0);
    let last = stops
        .last()
        .and_then(|c| c.planned_arrival_min.map(|a| a + i32::from(c.service_min)))
        .unwrap_or(0);
    let shift = (i32::from(group.shift_end_min) - i32::from(group.shift_start_min)).max(1);
    format!(
        "{:.0} %",
        f64::from((last - first).max(0)) * 100.0 / f64::from(shift)
    )
}

/// The placed checks in runs of one group and day, as stored (by day, group and position).
pub(super) fn runs(checks: &[Check]) -> Vec<(&MobileGroupId, NaiveDate, Vec<&Check>)> {
    let mut runs: Vec<(&MobileGroupId, NaiveDate, Vec<&Check>)> = Vec::new();
    for c in checks {
        let (Some(group), Some(date)) = (&c.mobile_group_id, c.planned_date) else {
            continue;
        };
        match runs.last_mut() {
            Some((g, d, stops)) if *g == group && *d == date => stops.push(c),
            _ => runs.push((group, date, vec![c])),
        }
    }
    runs
}

/// Whether a check is on no route.
fn is_left_out(c: &Check) -> bool {
    c.mobile_group_id.is_none() || c.planned_date.is_none()
}

/// The checks left out (for `reason`, or all), the most urgent first.
pub fn left_out(checks: &[Check], reason: Option<UnplacedReason>) -> Vec<&Check> {
    let mut left: Vec<&Check> = checks
        .iter()
        .filter(|c| is_left_out(c))
        .filter(|c| reason.is_none() || c.unplaced_reason == reason)
        .collect();
    left.sort_by_key(|c| std::cmp::Reverse(c.priority));
    left
}

/// The head of a page of the plan, whose forms come back to `back`.
pub(super) fn head(ctx: &PageContext, view: &PlanView, back: String) -> PlanHead {
    let (mut total_m, mut total_s) = (0.0, 0.0);
    for (group_id, date, stops) in runs(&view.checks) {
        if let Some(group) = view.groups.iter().find(|g| &g.id == group_id) {
            let (m, s) = driving(view, group, date, &stops);
            total_m += m;
            total_s += s;
        }
    }
    let unplaced = view.checks.iter().filter(|c| is_left_out(c)).count();
    let plan = &view.plan;
    PlanHead {
        href: paths::plan(&plan.id),
        publish: paths::plan_publish(&plan.id),
        reoptimise: paths::plan_reoptimise(&plan.id),
        add_check: paths::plan_add_check(&plan.id),
        period: period(ctx, plan.from_date, plan.days),
        status: plan.status.to_string(),
        version: plan.version,
        totals: (
            view.checks.len() - unplaced,
            unplaced,
            format!("{:.0}", total_m / 1000.0),
            hhmm((total_s / 60.0).round() as i32),
        ),
        travel: travel_line(ctx, view.travel.as_ref()),
        back,
    }
}

/// The checks left out counted by reason (the reasons with none left out), the first "all".
pub(super) fn reason_counts(
    ctx: &PageContext,
    view: &PlanView,
    current: Option<UnplacedReason>,
) -> Vec<ReasonCount> {
    let plan = view.plan.id.as_str();
    let left = left_out(&view.checks, None);
    let mut counts = vec![ReasonCount {
        label: ctx.t("plan-left-out-all"),
        count: left.len(),
        href: left_out_href(plan, None),
        current: current.is_none(),
    }];
    counts.extend(UnplacedReason::ALL.iter().filter_map(|r| {
        let count = left
            .iter()
            .filter(|c| c.unplaced_reason.unwrap_or(UnplacedReason::NoRoom) == *r)
            .count();
        (count > 0).then(|| ReasonCount {
            label: ctx.word("plan-reason", r),
            count,
            href: left_out_href(plan, Some(*r)),
            current: current == Some(*r),
        })
    }));
    counts
}

/// The summary of a plan: a row a group, a cell a day, and the left-out checks by reason.
pub fn plan_page(ctx: PageContext, view: &PlanView) -> PlanPage {
    let plan = &view.plan;
    let id = plan.id.as_str();
    let runs = runs(&view.checks);
    let rows = view
        .groups
        .iter()
        .map(|g| SummaryRow {
            group: g.name.clone(),
            cells: plan
                .dates()
                .map(|d| {
                    let stops = runs
                        .iter()
                        .find(|(gid, date, _)| **gid == g.id && *date == d)
                        .map(|r| r.2.as_slice())
                        .unwrap_or_default();
                    g.active_days.includes(d).then(|| RouteCell {
                        href: route_href(id, &g.id, d),
                        stops: stops.len(),
                        km: format!("{:.1}", driving(view, g, d, stops).0 / 1000.0),
                    })
                })
                .collect(),
        })
        .collect();
    PlanPage {
        head: head(&ctx, view, paths::plan(&PlanId::from(id.to_owned()))),
        days: plan.dates().map(|d| ctx.date(d)).collect(),
        rows,
        reasons: reason_counts(&ctx, view, None),
        ctx,
    }
}
