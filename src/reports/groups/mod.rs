//! Group performance (DESIGN.md section 3, Supervisor 2): per mobile group over a period, the
//! checks planned (placed on the group's routes in published plans), done, missed and still open,
//! how many were made on time (the visit's device time inside the check's window on its planned
//! day), visits per shift (visits over the group-days with a route) and the evidence quality of
//! the visits (the share flagged: 500 m or more from the address, or poor evidence), and the
//! planned drive between stops against the driven one (`drive`). Pure: the caller reads the
//! checks, visits, groups and legs.

pub mod drive;

use rustc_hash::{FxHashMap, FxHashSet};

use chrono::{NaiveDate, NaiveDateTime, Timelike as _};

use crate::domain::GeoPoint;
use crate::domain::check::CheckStatus;
use crate::domain::location::leg;
use crate::reports::crime_trends::Period;

/// A check placed on a group's route in a published plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedCheck {
    /// Id, as visits name it.
    pub id: String,
    /// The group whose route holds it.
    pub group_id: String,
    /// Its planned day.
    pub day: NaiveDate,
    /// `published`, `done`, `missed`, `cancelled`.
    pub status: String,
    /// Its window, minutes after local midnight.
    pub window_start_min: i32,
    /// The window's end.
    pub window_end_min: i32,
    /// Its place on the route (stops are driven in this order).
    pub position: Option<i32>,
    /// Where it is.
    pub point: GeoPoint,
    /// Whether its district is urban (town streets are slower and more winding).
    pub urban: bool,
}

/// A visit by a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupVisit {
    /// The group that made it.
    pub group_id: String,
    /// The check it was made on (none for an ad-hoc visit).
    pub check_id: Option<String>,
    /// The device's time, local.
    pub local_at: NaiveDateTime,
    /// Flagged: far from the address or poor evidence.
    pub flagged: bool,
}

/// A group to report on.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupName {
    /// Id.
    pub id: String,
    /// Name, the key of its line.
    pub name: String,
    /// Where its routes start and end.
    pub base: GeoPoint,
    /// Whether the base lies in an urban district.
    pub base_urban: bool,
}

/// One group's line.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct GroupLine {
    /// The group's name (`total` for the sum).
    pub key: String,
    /// Checks placed on its routes in the period.
    pub planned: i64,
    /// Of which done (successful visit).
    pub done: i64,
    /// Of which missed (failed visit).
    pub missed: i64,
    /// Of which neither (not visited yet, or cancelled).
    pub open: i64,
    /// Of the done and missed, those visited inside the window on the planned day.
    pub on_time: i64,
    /// Group-days with a route in the period.
    pub shifts: i64,
    /// Visits made by the group in the period (ad-hoc ones too).
    pub visits: i64,
    /// Of which flagged.
    pub flagged: i64,
    /// Metres driven: from the base along the visited stops (done or missed) of each route in
    /// their planned order and back, as the planner reckons road distance.
    pub distance_m: i64,
}

fn ratio(part: i64, whole: i64, scale: f64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * scale / whole as f64 * 10.0).round() / 10.0)
}

impl GroupLine {
    /// On time in percent of the done and missed, one decimal.
    pub fn on_time_share(&self) -> Option<f64> {
        ratio(self.on_time, self.done + self.missed, 100.0)
    }

    /// Visits per group-day with a route, one decimal.
    pub fn visits_per_shift(&self) -> Option<f64> {
        ratio(self.visits, self.shifts, 1.0)
    }

    /// Flagged visits in percent, one decimal.
    pub fn flagged_share(&self) -> Option<f64> {
        ratio(self.flagged, self.visits, 100.0)
    }

    /// Kilometres driven, one decimal.
    pub fn distance_km(&self) -> f64 {
        (self.distance_m as f64 / 100.0).round() / 10.0
    }

    /// Kilometres per group-day with a route, one decimal.
    pub fn km_per_shift(&self) -> Option<f64> {
        ratio(self.distance_m, self.shifts, 0.001)
    }

    fn add(&mut self, other: &GroupLine) {
        self.planned += other.planned;
        self.done += other.done;
        self.missed += other.missed;
        self.open += other.open;
        self.on_time += other.on_time;
        self.shifts += other.shifts;
        self.visits += other.visits;
        self.flagged += other.flagged;
        self.distance_m += other.distance_m;
    }
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GroupReport {
    /// The period reported.
    pub period: Period,
    /// One line per group, in the order given.
    pub groups: Vec<GroupLine>,
    /// The sum.
    pub total: GroupLine,
    /// Planned against driven ([`drive::aggregate`]; empty until the caller adds it).
    pub drive: drive::DriveReport,
}

/// Aggregates the report over the checks and visits of the period (others are ignored).
pub fn aggregate(
    checks: &[PlannedCheck],
    visits: &[GroupVisit],
    groups: &[GroupName],
    period: Period,
) -> GroupReport {
    let inside = |d: NaiveDate| d >= period.from && d <= period.to;
    let checks: Vec<&PlannedCheck> = checks.iter().filter(|c| inside(c.day)).collect();
    let mut lines: Vec<GroupLine> = groups
        .iter()
        .map(|g| GroupLine {
            key: g.name.clone(),
            ..GroupLine::default()
        })
        .collect();
    let index: FxHashMap<&str, usize> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.as_str(), i))
        .collect();
    count_checks(&mut lines, &checks, &index, &on_time(&checks, visits));
    add_distances(&mut lines, &checks, &index, groups);
    for v in visits.iter().filter(|v| inside(v.local_at.date())) {
        let Some(&i) = index.get(v.group_id.as_str()) else {
            continue;
        };
        lines[i].visits += 1;
        if v.flagged {
            lines[i].flagged += 1;
        }
    }
    let mut total = GroupLine {
        key: "total".to_owned(),
        ..GroupLine::default()
    };
    for line in &lines {
        total.add(line);
    }
    GroupReport {
        period,
        groups: lines,
        total,
        drive: drive::DriveReport::default(),
    }
}

/// Whether each check got a visit inside its window on its planned day.
fn on_time(checks: &[&PlannedCheck], visits: &[GroupVisit]) -> Vec<bool> {
    // A month of checks at 100,000 persons is some 300,000: ids hash fast (Fx) to their place.
    let by_id: FxHashMap<&str, usize> = checks
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut on_time = vec![false; checks.len()];
    for v in visits {
        let Some(&i) = v.check_id.as_deref().and_then(|id| by_id.get(id)) else {
            continue;
        };
        let check = checks[i];
        let minute = i32::try_from(v.local_at.num_seconds_from_midnight() / 60).unwrap_or(0);
        if v.local_at.date() == check.day
            && minute >= check.window_start_min
            && minute <= check.window_end_min
        {
            on_time[i] = true;
        }
    }
    on_time
}

/// Whether a check's status says it was visited (done, or missed: someone went and found no
/// one).
fn is_visited(check: &PlannedCheck) -> bool {
    matches!(
        CheckStatus::parse(&check.status),
        Some(CheckStatus::Done | CheckStatus::Missed)
    )
}

/// Planned, done, missed, open and on-time checks, and the shifts (group-days with a route).
fn count_checks(
    lines: &mut [GroupLine],
    checks: &[&PlannedCheck],
    index: &FxHashMap<&str, usize>,
    on_time: &[bool],
) {
    let mut shifts: FxHashSet<(usize, NaiveDate)> = FxHashSet::default();
    for (c, check) in checks.iter().enumerate() {
        let Some(&i) = index.get(check.group_id.as_str()) else {
            continue;
        };
        let line = &mut lines[i];
        line.planned += 1;
        match CheckStatus::parse(&check.status) {
            Some(CheckStatus::Done) => line.done += 1,
            Some(CheckStatus::Missed) => line.missed += 1,
            _ => line.open += 1,
        }
        if is_visited(check) && on_time[c] {
            line.on_time += 1;
        }
        shifts.insert((i, check.day));
    }
    for (i, _) in &shifts {
        lines[*i].shifts += 1;
    }
}

/// Distance: each route's visited stops in their planned order, from the base and back.
fn add_distances(
    lines: &mut [GroupLine],
    checks: &[&PlannedCheck],
    index: &FxHashMap<&str, usize>,
    groups: &[GroupName],
) {
    let mut routes: FxHashMap<(usize, NaiveDate), Vec<&PlannedCheck>> = FxHashMap::default();
    for c in checks.iter().filter(|c| is_visited(c)) {
        if let Some(&i) = index.get(c.group_id.as_str()) {
            routes.entry((i, c.day)).or_default().push(c);
        }
    }
    for ((i, _), mut stops) in routes {
        stops.sort_by_key(|c| (c.position.unwrap_or(i32::MAX), c.id.as_str()));
        let group = &groups[i];
        let mut at = (group.base, group.base_urban);
        for stop in stops {
            lines[i].distance_m += leg(at.0, stop.point, at.1, stop.urban).1;
            at = (stop.point, stop.urban);
        }
        lines[i].distance_m += leg(at.0, group.base, at.1, group.base_urban).1;
    }
}

impl GroupReport {
    /// The report as CSV: `group,planned,done,missed,open,on_time,on_time_percent,shifts,visits,
    /// visits_per_shift,flagged,flagged_percent,distance_km,km_per_shift`, a line per group and
    /// the total last.
    pub fn to_csv(&self) -> Vec<u8> {
        let number = |x: Option<f64>| x.map(|x| format!("{x:.1}")).unwrap_or_default();
        let records = self
            .groups
            .iter()
            .chain(std::iter::once(&self.total))
            .map(|line| {
                vec![
                    line.key.clone(),
                    line.planned.to_string(),
                    line.done.to_string(),
                    line.missed.to_string(),
                    line.open.to_string(),
                    line.on_time.to_string(),
                    number(line.on_time_share()),
                    line.shifts.to_string(),
                    line.visits.to_string(),
                    number(line.visits_per_shift()),
                    line.flagged.to_string(),
                    number(line.flagged_share()),
                    format!("{:.1}", line.distance_km()),
                    number(line.km_per_shift()),
                ]
            });
        super::csv_bytes(
            &[
                "group",
                "planned",
                "done",
                "missed",
                "open",
                "on_time",
                "on_time_percent",
                "shifts",
                "visits",
                "visits_per_shift",
                "flagged",
                "flagged_percent",
                "distance_km",
                "km_per_shift",
            ],
            &[0],
            records,
        )
    }
}

#[cfg(test)]
mod tests;
