//! The plan page's view data: each route on a map and as a timed list with its distance,
//! driving and shift use, the checks left out (the most urgent first) with why, and where each
//! check may be moved.

use chrono::NaiveDate;

use super::pages::{MoveTarget, PlanPage, RouteView, StopLine, UNPLACED_SHOWN, UnplacedLine};
use crate::domain::check::{Check, UnplacedReason, hhmm};
use crate::domain::mobile_group::MobileGroup;
use crate::domain::{DistrictId, MobileGroupId};
use crate::services::plans::PlanView;
use crate::web::context::PageContext;
use crate::web::map::{self, Mark};

/// The period of a plan as shown: one day, or first – last.
pub fn period(ctx: &PageContext, from: NaiveDate, days: u32) -> String {
    let to = from + chrono::Duration::days(i64::from(days.max(1)) - 1);
    if days <= 1 {
        ctx.date(from)
    } else {
        format!("{} – {}", ctx.date(from), ctx.date(to))
    }
}

/// What the page needs besides each route's own checks.
struct Sheet<'a> {
    ctx: &'a PageContext,
    view: &'a PlanView,
}

impl Sheet<'_> {
    fn name(&self, check: &Check) -> String {
        self.view
            .names
            .get(check.person_id.as_str())
            .cloned()
            .unwrap_or_default()
    }

    /// The days of the plan's groups covering `district`, where a check of it may be moved.
    fn targets_for(&self, district: &DistrictId) -> Vec<MoveTarget> {
        let plan = &self.view.plan;
        self.view
            .groups
            .iter()
            .filter(|g| g.district_ids.contains(district))
            .flat_map(|g| {
                plan.dates()
                    .filter(|d| g.active_days.includes(*d))
                    .map(|d| MoveTarget {
                        value: format!("{}|{d}", g.id),
                        label: format!("{} · {}", g.name, self.ctx.date(d)),
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// A route's view, with its distance in metres and driving in seconds (great circle times
    /// the town's circuity, at 40 km/h: an estimate for the page, not the optimiser's).
    fn route(
        &self,
        group: &MobileGroup,
        date: NaiveDate,
        stops: &[&Check],
    ) -> (RouteView, f64, f64) {
        let mut path = vec![group.base];
        path.extend(stops.iter().map(|c| c.location));
        path.push(group.base);
        let metres: f64 = path.windows(2).map(|w| w[0].distance_m(w[1]) * 1.25).sum();
        let seconds = metres / (40.0 / 3.6);
        let areas: Vec<_> = self
            .view
            .districts
            .iter()
            .filter(|d| group.district_ids.contains(&d.id))
            .map(|d| &d.boundary)
            .collect();
        let view = RouteView {
            title: format!("{} · {}", group.name, self.ctx.date(date)),
            anchor: format!("r-{}-{date}", group.id),
            map_svg: map::draw_with_paths(&areas, &[path], &self.marks(group, stops), &group.name),
            stops: stops
                .iter()
                .enumerate()
                .map(|(i, c)| self.stop_line(i + 1, c))
                .collect(),
            km: format!("{:.1}", metres / 1000.0),
            driving: hhmm((seconds / 60.0).round() as i32),
            shift_use: shift_use(group, stops),
        };
        (view, metres, seconds)
    }

    fn marks(&self, group: &MobileGroup, stops: &[&Check]) -> Vec<Mark> {
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

    fn stop_line(&self, number: usize, c: &Check) -> StopLine {
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
            person_id: c.person_id.to_string(),
            kind: c.kind.to_string(),
            address: c.address.clone(),
            pinned: c.pinned,
            status: c.status.to_string(),
            targets: self.targets_for(&c.district_id),
        }
    }

    fn unplaced_line(&self, c: &Check) -> UnplacedLine {
        let reason = c.unplaced_reason.unwrap_or(UnplacedReason::NoRoom);
        UnplacedLine {
            check_id: c.id.to_string(),
            person: self.name(c),
            person_id: c.person_id.to_string(),
            kind: c.kind.to_string(),
            reason: self.ctx.word("plan-reason", reason),
            priority: c.priority,
            targets: Vec::new(),
        }
    }
}

/// The share of the shift from the first arrival to the last departure.
fn shift_use(group: &MobileGroup, stops: &[&Check]) -> String {
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
fn runs(checks: &[Check]) -> Vec<(&MobileGroupId, NaiveDate, Vec<&Check>)> {
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

/// The page of a plan.
pub fn plan_page(ctx: PageContext, view: &PlanView) -> PlanPage {
    let sheet = Sheet { ctx: &ctx, view };
    let (mut total_m, mut total_s) = (0.0, 0.0);
    let mut routes = Vec::new();
    for (group_id, date, stops) in runs(&view.checks) {
        // A group no longer in the plan's groups has no base to draw from.
        let Some(group) = view.groups.iter().find(|g| &g.id == group_id) else {
            continue;
        };
        let (route, metres, seconds) = sheet.route(group, date, &stops);
        total_m += metres;
        total_s += seconds;
        routes.push(route);
    }
    let mut left_out: Vec<&Check> = view
        .checks
        .iter()
        .filter(|c| c.mobile_group_id.is_none() || c.planned_date.is_none())
        .collect();
    left_out.sort_by_key(|c| std::cmp::Reverse(c.priority));
    let unplaced_count = left_out.len();
    let unplaced = left_out
        .iter()
        .take(UNPLACED_SHOWN)
        .map(|c| UnplacedLine {
            targets: sheet.targets_for(&c.district_id),
            ..sheet.unplaced_line(c)
        })
        .collect();
    let plan = &view.plan;
    PlanPage {
        id: plan.id.to_string(),
        period: period(&ctx, plan.from_date, plan.days),
        status: plan.status.to_string(),
        version: plan.version,
        totals: (
            view.checks.len() - unplaced_count,
            unplaced_count,
            format!("{:.0}", total_m / 1000.0),
            hhmm((total_s / 60.0).round() as i32),
        ),
        routes,
        unplaced,
        unplaced_count,
        ctx,
    }
}
