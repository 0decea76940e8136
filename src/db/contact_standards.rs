//! The contact standards table (one row per risk tier and check kind).

use diesel::prelude::*;

use super::schema::contact_standards;
use super::{DbConnection, now_utc};
use crate::domain::contact_standard::ContactStandard;
use crate::domain::person::{CheckKind, RiskTier};

/// Inserts the standards (used on an empty database).
pub fn insert_all(conn: &mut DbConnection, standards: &[ContactStandard]) -> QueryResult<()> {
    for s in standards {
        diesel::insert_into(contact_standards::table)
            .values((
                contact_standards::risk_tier.eq(s.risk_tier.as_str()),
                contact_standards::check_kind.eq(s.check_kind.as_str()),
                contact_standards::max_interval_days.eq(i32::from(s.max_interval_days)),
                contact_standards::updated_at.eq(now_utc()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// All standards; rows with unknown words are skipped.
pub fn list_contact_standards(conn: &mut DbConnection) -> QueryResult<Vec<ContactStandard>> {
    let rows: Vec<(String, String, i32)> = contact_standards::table
        .select((
            contact_standards::risk_tier,
            contact_standards::check_kind,
            contact_standards::max_interval_days,
        ))
        .order((contact_standards::risk_tier, contact_standards::check_kind))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(tier, kind, days)| {
            Some(ContactStandard {
                risk_tier: RiskTier::parse(&tier)?,
                check_kind: CheckKind::parse(&kind)?,
                max_interval_days: u16::try_from(days).ok()?,
            })
        })
        .collect())
}

/// Sets one standard's interval; returns the rows changed (0 when the tier and kind have no row).
pub fn update_interval(conn: &mut DbConnection, standard: &ContactStandard) -> QueryResult<usize> {
    diesel::update(
        contact_standards::table
            .filter(contact_standards::risk_tier.eq(standard.risk_tier.as_str()))
            .filter(contact_standards::check_kind.eq(standard.check_kind.as_str())),
    )
    .set((
        contact_standards::max_interval_days.eq(i32::from(standard.max_interval_days)),
        contact_standards::updated_at.eq(now_utc()),
        contact_standards::version.eq(contact_standards::version + 1),
    ))
    .execute(conn)
}
