//! Mobile groups, their districts and members.

use diesel::prelude::*;

use super::schema::{mobile_group_districts, mobile_group_members, mobile_groups};
use super::{DbConnection, now_utc};
use crate::domain::mobile_group::{MobileGroup, Weekdays};
use crate::domain::{DistrictId, GeoPoint, MobileGroupId, UserId};

/// A row of `mobile_groups`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mobile_groups)]
pub struct MobileGroupRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Base address.
    pub base_address: String,
    /// Base latitude.
    pub base_lat: f64,
    /// Base longitude.
    pub base_lon: f64,
    /// Shift start, minutes after midnight.
    pub shift_start_min: i32,
    /// Shift end, minutes after midnight.
    pub shift_end_min: i32,
    /// Capacity per shift.
    pub max_checks_per_shift: i32,
    /// Weekday bit set.
    pub active_days_mask: i32,
    /// Version.
    pub version: i32,
}

impl MobileGroupRow {
    fn into_group(self, district_ids: Vec<DistrictId>) -> MobileGroup {
        MobileGroup {
            id: MobileGroupId::from(self.id),
            name: self.name,
            base_address: self.base_address,
            base: GeoPoint {
                lat: self.base_lat,
                lon: self.base_lon,
            },
            shift_start_min: u16::try_from(self.shift_start_min).unwrap_or(0),
            shift_end_min: u16::try_from(self.shift_end_min).unwrap_or(0),
            max_checks_per_shift: u16::try_from(self.max_checks_per_shift).unwrap_or(0),
            active_days: Weekdays(u8::try_from(self.active_days_mask & 0x7f).unwrap_or(0)),
            district_ids,
            version: self.version,
        }
    }
}

/// Inserts a group with its districts.
pub fn insert(conn: &mut DbConnection, group: &MobileGroup) -> QueryResult<()> {
    diesel::insert_into(mobile_groups::table)
        .values((
            mobile_groups::id.eq(group.id.as_str()),
            mobile_groups::name.eq(&group.name),
            mobile_groups::base_address.eq(&group.base_address),
            mobile_groups::base_lat.eq(group.base.lat),
            mobile_groups::base_lon.eq(group.base.lon),
            mobile_groups::shift_start_min.eq(i32::from(group.shift_start_min)),
            mobile_groups::shift_end_min.eq(i32::from(group.shift_end_min)),
            mobile_groups::max_checks_per_shift.eq(i32::from(group.max_checks_per_shift)),
            mobile_groups::active_days_mask.eq(i32::from(group.active_days.0)),
            mobile_groups::updated_at.eq(now_utc()),
        ))
        .execute(conn)?;
    for district in &group.district_ids {
        diesel::insert_into(mobile_group_districts::table)
            .values((
                mobile_group_districts::mobile_group_id.eq(group.id.as_str()),
                mobile_group_districts::district_id.eq(district.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Every group with its districts, in the natural order of their names (МГ-2 before МГ-10).
pub fn list_mobile_groups(conn: &mut DbConnection) -> QueryResult<Vec<MobileGroup>> {
    let mut rows = mobile_groups::table
        .order(mobile_groups::name.asc())
        .select(MobileGroupRow::as_select())
        .load::<MobileGroupRow>(conn)?;
    rows.sort_by(|a, b| crate::domain::natural::natural_cmp(&a.name, &b.name));
    let links: Vec<(String, String)> = mobile_group_districts::table
        .select((
            mobile_group_districts::mobile_group_id,
            mobile_group_districts::district_id,
        ))
        .order((
            mobile_group_districts::mobile_group_id,
            mobile_group_districts::district_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let districts = links
                .iter()
                .filter(|(g, _)| *g == row.id)
                .map(|(_, d)| DistrictId::from(d.clone()))
                .collect();
            row.into_group(districts)
        })
        .collect())
}

/// One group with its districts.
pub fn find_mobile_group(
    conn: &mut DbConnection,
    id: &MobileGroupId,
) -> QueryResult<Option<MobileGroup>> {
    let row = mobile_groups::table
        .find(id.as_str())
        .select(MobileGroupRow::as_select())
        .first(conn)
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    let districts = mobile_group_districts::table
        .filter(mobile_group_districts::mobile_group_id.eq(id.as_str()))
        .select(mobile_group_districts::district_id)
        .order(mobile_group_districts::district_id)
        .load::<String>(conn)?
        .into_iter()
        .map(DistrictId::from)
        .collect();
    Ok(Some(row.into_group(districts)))
}

/// The group with that name, if any (names are unique).
pub fn find_by_name(conn: &mut DbConnection, name: &str) -> QueryResult<Option<MobileGroupId>> {
    mobile_groups::table
        .filter(mobile_groups::name.eq(name))
        .select(mobile_groups::id)
        .first::<String>(conn)
        .optional()
        .map(|id| id.map(MobileGroupId::from))
}

/// Changes a group and replaces its districts if the row still has `group.version`; returns the
/// rows changed (0 when someone else changed it first).
pub fn update(conn: &mut DbConnection, group: &MobileGroup) -> QueryResult<usize> {
    let changed = diesel::update(
        mobile_groups::table
            .find(group.id.as_str())
            .filter(mobile_groups::version.eq(group.version)),
    )
    .set((
        mobile_groups::name.eq(&group.name),
        mobile_groups::base_address.eq(&group.base_address),
        mobile_groups::base_lat.eq(group.base.lat),
        mobile_groups::base_lon.eq(group.base.lon),
        mobile_groups::shift_start_min.eq(i32::from(group.shift_start_min)),
        mobile_groups::shift_end_min.eq(i32::from(group.shift_end_min)),
        mobile_groups::max_checks_per_shift.eq(i32::from(group.max_checks_per_shift)),
        mobile_groups::active_days_mask.eq(i32::from(group.active_days.0)),
        mobile_groups::updated_at.eq(now_utc()),
        mobile_groups::version.eq(mobile_groups::version + 1),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(0);
    }
    diesel::delete(
        mobile_group_districts::table
            .filter(mobile_group_districts::mobile_group_id.eq(group.id.as_str())),
    )
    .execute(conn)?;
    for district in &group.district_ids {
        diesel::insert_into(mobile_group_districts::table)
            .values((
                mobile_group_districts::mobile_group_id.eq(group.id.as_str()),
                mobile_group_districts::district_id.eq(district.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(changed)
}

/// The ids of a group's members, ordered.
pub fn list_member_ids(conn: &mut DbConnection, id: &MobileGroupId) -> QueryResult<Vec<UserId>> {
    mobile_group_members::table
        .filter(mobile_group_members::mobile_group_id.eq(id.as_str()))
        .select(mobile_group_members::user_id)
        .order(mobile_group_members::user_id)
        .load::<String>(conn)
        .map(|ids| ids.into_iter().map(UserId::from).collect())
}

/// Makes exactly these users the group's members: others leave it, and each of these leaves any
/// other group (an officer belongs to at most one).
pub fn replace_members(
    conn: &mut DbConnection,
    id: &MobileGroupId,
    members: &[UserId],
) -> QueryResult<()> {
    diesel::delete(
        mobile_group_members::table.filter(mobile_group_members::mobile_group_id.eq(id.as_str())),
    )
    .execute(conn)?;
    for member in members {
        diesel::delete(mobile_group_members::table.find(member.as_str())).execute(conn)?;
        diesel::insert_into(mobile_group_members::table)
            .values((
                mobile_group_members::user_id.eq(member.as_str()),
                mobile_group_members::mobile_group_id.eq(id.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}
