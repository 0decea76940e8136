//! The demo region: generated (`region`) and loaded into an empty database, so that
//! `cargo run --release` shows a living region at once (DESIGN.md section 7). The same seed (and
//! day) gives the same database, row for row: the ids are drawn from the seed
//! ([`SeededIds`]), the rows stamped with the demo's clock ([`ThreadPin`]), and the demo users'
//! published password hashed with a salt from the seed.

pub mod history;
pub mod offences;
pub mod office;
pub mod region;

use anyhow::Context as _;

use crate::clock::ThreadPin;
use crate::domain::ids::SeededIds;

use crate::db::{self, DbConnection};
use crate::domain::UserId;
use crate::domain::contact_standard::default_contact_standards;

/// The demo users' published password (`config::PUBLISHED_DEMO_PASSWORD`, which the settings
/// serve; the demo may not read the settings' module, a test checks the two agree).
pub const PUBLISHED_PASSWORD: &str = "baqylau-demo";

/// What was loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// Districts.
    pub districts: usize,
    /// Persons.
    pub persons: usize,
    /// Mobile groups.
    pub groups: usize,
    /// User logins, in the order they were made.
    pub logins: Vec<String>,
}

/// Imports the demo region's road network (`region::roads`) when no network is stored yet, so a
/// fresh demo shows streets, road times and address search at once; `Ok(None)` when a network
/// is there already (an office's own import is never replaced). Called after `load_if_empty`
/// by `serve` and `demo-data`, not inside it: tests that load the demo region skip it.
///
/// The network counts as imported at the start of `today` (local time), the day the demo is
/// loaded, as the region itself is: the office sees the day it got its roads, not the first
/// week of the made-up history, and the same seed and day still make the same row.
pub fn load_roads_if_absent(
    conn: &mut DbConnection,
    seed: u64,
    today: chrono::NaiveDate,
) -> anyhow::Result<Option<crate::roads::NetworkSummary>> {
    if crate::roads::store::active_summary(conn)?.is_some() {
        return Ok(None);
    }
    let _ids = SeededIds::start(seed ^ 0x0a0d_5eed, history::midnight_utc(today));
    let _clock = ThreadPin::start(history::midnight_utc(today));
    // The districts do not depend on the date or the number of persons.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let districts = region::generate(seed, 0, today).districts;
    let network = region::roads::network(seed, &districts).context("demo road network")?;
    Ok(Some(crate::roads::store::store(conn, &network)?))
}

/// Whether the database holds no users and no persons (a fresh install).
pub fn is_empty(conn: &mut DbConnection) -> anyhow::Result<bool> {
    Ok(db::users::count_users(conn)? == 0 && db::persons::count_persons(conn)? == 0)
}

/// Fills an empty database with the demo region in one transaction; `Ok(None)` when the
/// database already has data (it is never touched then).
pub fn load_if_empty(
    conn: &mut DbConnection,
    seed: u64,
    persons: usize,
    today: chrono::NaiveDate,
    password: &str,
) -> anyhow::Result<Option<DemoSummary>> {
    if !is_empty(conn)? {
        return Ok(None);
    }
    let region = region::generate(seed, persons, today);
    // One hash for all demo users: they share a published password anyway, and 27 Argon2id
    // hashes would add about a second to the first start. The published password (known to
    // all) gets a salt from the seed, so the database is the same for a seed; one the office
    // chose keeps a random salt, as every other password.
    let password_hash = if password == PUBLISHED_PASSWORD {
        crate::accounts::hash_password_with_salt(password, &seed.to_le_bytes().repeat(2))?
    } else {
        crate::accounts::hash_password(password)?
    };
    // The region is loaded at the start of `today` (local time), by the demo's clock.
    let _ids = SeededIds::start(seed ^ 0x000e_610a, history::midnight_utc(today));
    let _clock = ThreadPin::start(history::midnight_utc(today));
    let now = db::now_utc();
    db::write_transaction(conn, |conn| -> anyhow::Result<()> {
        for district in &region.districts {
            db::districts::insert(conn, district)
                .with_context(|| format!("district {}", district.code))?;
        }
        for group in &region.groups {
            db::mobile_groups::insert(conn, group)
                .with_context(|| format!("group {}", group.name))?;
        }
        for user in &region.users {
            let row = db::users::NewUserRow {
                id: UserId::new().to_string(),
                login: user.login.clone(),
                full_name: user.full_name.clone(),
                role: user.role.as_str().to_owned(),
                password_hash: password_hash.clone(),
                is_active: true,
                created_at: now,
                updated_at: now,
            };
            let group = user
                .group_index
                .and_then(|i| region.groups.get(i))
                .map(|g| &g.id);
            db::users::insert(conn, &row, group).with_context(|| format!("user {}", user.login))?;
        }
        for person in &region.persons {
            db::persons::insert(conn, person).with_context(|| format!("person {}", person.iin))?;
        }
        db::contact_standards::insert_all(conn, &default_contact_standards())?;
        let offences = offences::generate(seed, &region.districts, &region.persons, today);
        let rows: Vec<_> = offences.iter().map(db::offences::OffenceRow::of).collect();
        db::offences::insert_all(conn, &rows).context("demo offences")?;
        Ok(())
    })?;
    Ok(Some(DemoSummary {
        districts: region.districts.len(),
        persons: region.persons.len(),
        groups: region.groups.len(),
        logins: region.users.iter().map(|u| u.login.clone()).collect(),
    }))
}
