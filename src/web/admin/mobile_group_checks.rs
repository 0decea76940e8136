//! Checks of the mobile group form against the rules and the region: a base inside a district,
//! a shift that ends after it starts, 1 to 40 checks, at least one day and district, officers
//! as members, a unique name.

use super::forms::{FieldErrors, checked_line, parse_decimal, parse_integer, parse_version};
use super::mobile_groups::MobileGroupForm;
use crate::db::users::UserListRow;
use crate::db::{self, DbConnection};
use crate::domain::location::{district_of, nearest_district};
use crate::domain::mobile_group::{CHECKS_PER_SHIFT, MobileGroup, Weekdays, minutes_from_hhmm};
use crate::domain::user::Role;
use crate::domain::{District, GeoPoint, MobileGroupId, UserId};
use crate::error::AppError;
use crate::i18n::Lang;

/// What the form needs from the database: districts, users, and the groups' names.
pub(super) struct Lists {
    /// Every district.
    pub(super) districts: Vec<District>,
    /// Every user.
    pub(super) users: Vec<UserListRow>,
    /// Every group.
    pub(super) groups: Vec<MobileGroup>,
}

/// Loads the lists.
pub(super) fn load_lists(conn: &mut DbConnection) -> Result<Lists, AppError> {
    Ok(Lists {
        districts: db::districts::list_districts(conn)?,
        users: db::users::list_users(conn)?,
        groups: db::mobile_groups::list_mobile_groups(conn)?,
    })
}

/// Checks the base point: a point on Earth inside one of the region's districts; outside, the
/// message names the nearest district.
fn check_base(
    form: &MobileGroupForm,
    districts: &[District],
    lang: Lang,
    errors: &mut FieldErrors,
) -> Option<GeoPoint> {
    let lat = parse_decimal(&form.base_lat);
    let lon = parse_decimal(&form.base_lon);
    if lat.is_none_or(|v| GeoPoint::new(v, 0.0).is_err()) {
        errors.add("base_lat", "admin-error-latitude");
    }
    if lon.is_none_or(|v| GeoPoint::new(0.0, v).is_err()) {
        errors.add("base_lon", "admin-error-longitude");
    }
    let point = GeoPoint::new(lat?, lon?).ok()?;
    if district_of(districts, point).is_some() {
        return Some(point);
    }
    match nearest_district(districts, point) {
        Some((district, distance_m)) => errors.add_with(
            "base",
            "admin-error-base-outside",
            vec![
                ("district", district.name(lang.code()).to_owned()),
                ("km", format!("{:.0}", distance_m / 1000.0)),
            ],
        ),
        None => errors.add("base", "admin-error-base-no-districts"),
    }
    None
}

/// Checks shift, capacity and days; `(start, end, max checks, days)` when they are right.
fn check_shift(
    form: &MobileGroupForm,
    errors: &mut FieldErrors,
) -> Option<(u16, u16, u16, Weekdays)> {
    let start = minutes_from_hhmm(&form.shift_start).filter(|m| *m < 24 * 60);
    let end = minutes_from_hhmm(&form.shift_end);
    if start.is_none() {
        errors.add("shift_start", "admin-error-time");
    }
    if end.is_none() {
        errors.add("shift_end", "admin-error-time");
    }
    if let (Some(start), Some(end)) = (start, end)
        && start >= end
    {
        errors.add("shift_end", "admin-error-shift-order");
    }
    let max_checks = parse_integer(&form.max_checks)
        .and_then(|n| u16::try_from(n).ok())
        .filter(|n| CHECKS_PER_SHIFT.contains(n));
    if max_checks.is_none() {
        errors.add("max_checks", "admin-error-checks-range");
    }
    let mut mask = 0u8;
    for day in &form.days {
        match day.parse::<u8>() {
            Ok(i) if i < 7 => mask |= 1 << i,
            _ => errors.add("days", "admin-error-choose"),
        }
    }
    if mask == 0 {
        errors.add("days", "admin-error-days-required");
    }
    Some((start?, end?, max_checks?, Weekdays(mask))).filter(|(s, e, ..)| s < e)
}

/// Checks the whole form against the region's districts and users; the group and its members
/// when everything is right.
pub(super) fn check_group(
    conn: &mut DbConnection,
    id: &MobileGroupId,
    form: &MobileGroupForm,
    lists: &Lists,
    lang: Lang,
) -> Result<Result<(MobileGroup, Vec<UserId>), FieldErrors>, AppError> {
    let mut errors = FieldErrors::default();
    let name = checked_line(&mut errors, "name", &form.name, 100);
    if !errors.has("name")
        && db::mobile_groups::find_by_name(conn, &name)?.is_some_and(|other| other != *id)
    {
        errors.add("name", "admin-error-name-taken");
    }
    let base_address = checked_line(&mut errors, "base_address", &form.base_address, 300);
    let base = check_base(form, &lists.districts, lang, &mut errors);
    let mut district_ids = Vec::new();
    for value in &form.districts {
        match lists.districts.iter().find(|d| d.id.as_str() == value) {
            Some(d) => district_ids.push(d.id.clone()),
            None => errors.add("districts", "admin-error-choose"),
        }
    }
    if form.districts.is_empty() {
        errors.add("districts", "admin-error-districts-required");
    }
    district_ids.sort();
    let shift = check_shift(form, &mut errors);
    let mut members = Vec::new();
    for value in &form.members {
        match lists.users.iter().find(|u| u.id == *value) {
            Some(u) if u.role == Role::Officer.as_str() => members.push(UserId::from(u.id.clone())),
            _ => errors.add("members", "admin-error-member-not-officer"),
        }
    }
    members.sort();
    let (Some(base), Some((start, end, max_checks, days)), true) = (base, shift, errors.is_empty())
    else {
        return Ok(Err(errors));
    };
    let group = MobileGroup {
        id: id.clone(),
        name,
        base_address,
        base,
        shift_start_min: start,
        shift_end_min: end,
        max_checks_per_shift: max_checks,
        active_days: days,
        district_ids,
        version: parse_version(&form.version).unwrap_or(1),
    };
    Ok(Ok((group, members)))
}
