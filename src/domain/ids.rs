//! Typed identifiers: client-made UUIDv7 strings, so that a swapped argument fails to compile and a
//! tablet can name a visit before the server has seen it (STYLE.md section 2.9). The demo draws
//! its ids from its seed instead ([`SeededIds`]), so that a seed always makes the same database.

use std::cell::Cell;

thread_local! {
    /// The state of this thread's seeded id source, while a [`SeededIds`] lives.
    static SEEDED: Cell<Option<Seeded>> = const { Cell::new(None) };
}

/// A seeded id source: the random sequence, the ids' timestamp and how many ids it made.
#[derive(Debug, Clone, Copy)]
struct Seeded {
    state: u64,
    millis: u64,
    count: u64,
}

/// While it lives, every id made on this thread with `new()` is drawn from a seed instead of the
/// clock and the system's randomness: the demo region and its history, made on one thread, are
/// then the same for the same seed, row for row. Other threads (the server's requests meanwhile)
/// keep fresh ids. A thread-local rather than a parameter, so that the services and database
/// writes the demo shares with the app keep their signatures; dropping it restores what was
/// there before.
///
/// The ids are UUIDv7 like the app's own, and ascend in the order they are made: the timestamp
/// is the moment given to [`SeededIds::start`], then a count of the ids made, then bits of a
/// SplitMix64 sequence of the seed. Ordered ids matter for speed, not only looks: the demo
/// history inserts some 100,000 checks and visits, and random ids put each one on a random page
/// of every index (on SQLite, three times the page writes of the whole history).
#[derive(Debug)]
pub struct SeededIds {
    previous: Option<Seeded>,
}

impl SeededIds {
    /// Draws this thread's ids from `seed`, stamped `at`, until the value is dropped.
    #[must_use = "the ids are seeded only while the value lives"]
    pub fn start(seed: u64, at: chrono::NaiveDateTime) -> Self {
        // A seed of its own, so the ids do not repeat another draw from the same seed.
        let seeded = Seeded {
            state: seed ^ 0x001d_5eed_01d5,
            millis: u64::try_from(at.and_utc().timestamp_millis()).unwrap_or(0),
            count: 0,
        };
        let previous = SEEDED.replace(Some(seeded));
        Self { previous }
    }
}

impl Drop for SeededIds {
    fn drop(&mut self) {
        SEEDED.set(self.previous);
    }
}

/// The next 64 bits of SplitMix64 from `state` (and the state after them).
fn split_mix(state: u64) -> (u64, u64) {
    let next = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = next;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (next, z ^ (z >> 31))
}

/// A fresh id for a row without a typed id (a road network): drawn from this thread's seed while
/// a [`SeededIds`] lives, else time-ordered (UUIDv7).
pub fn fresh_id() -> String {
    fresh_uuid().to_string()
}

/// A fresh id: drawn from this thread's seed while a [`SeededIds`] lives, else time-ordered
/// (UUIDv7).
fn fresh_uuid() -> uuid::Uuid {
    match SEEDED.get() {
        Some(seeded) => {
            let (state, random) = split_mix(seeded.state);
            SEEDED.set(Some(Seeded {
                state,
                count: seeded.count + 1,
                ..seeded
            }));
            // The 74 bits after the timestamp (12 of `rand_a`, 62 of `rand_b`): the count in
            // the upper 32, so the ids ascend, and 42 random bits below.
            let bits = (u128::from(seeded.count & 0xffff_ffff) << 42)
                | u128::from(random & ((1 << 42) - 1));
            let rand_a = u16::try_from(bits >> 62).unwrap_or(0);
            let rand_b = u64::try_from(bits & ((1 << 62) - 1)).unwrap_or(0);
            let mut tail = [0u8; 10];
            tail[..2].copy_from_slice(&rand_a.to_be_bytes());
            tail[2..].copy_from_slice(&rand_b.to_be_bytes());
            uuid::Builder::from_unix_timestamp_millis(seeded.millis, &tail).into_uuid()
        }
        None => uuid::Uuid::now_v7(),
    }
}

macro_rules! typed_id {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A fresh, time-ordered id (UUIDv7); drawn from the seed under [`SeededIds`].
            pub fn new() -> Self {
                Self(fresh_uuid().to_string())
            }

            /// A deterministic id made from 16 random bytes (demo data drawn from a seed).
            pub fn from_random_bytes(bytes: [u8; 16]) -> Self {
                Self(uuid::Builder::from_random_bytes(bytes).into_uuid().to_string())
            }

            /// The id as stored in the database.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    )+};
}

typed_id!(
    /// A supervised person of the registry.
    PersonId,
    /// A user account (any role).
    UserId,
    /// A mobile group (a car and its crew).
    MobileGroupId,
    /// An administrative district of the region.
    DistrictId,
    /// One entry of the audit log.
    AuditEntryId,
    /// A plan of checks for a period and a set of groups.
    PlanId,
    /// One planned check of a person's home or work.
    CheckId,
    /// One follow-up a visit opened.
    FollowUpId,
);

/// A visit, named by the device that recorded it (a tablet may send it again, offline and
/// later): a UUID kept in one canonical spelling, lowercase and hyphenated. The same UUID
/// written in upper case, without hyphens, in braces or as `urn:uuid:` is the same visit, so a
/// device (or an attacker) resending it another way cannot store it twice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct VisitId(String);

impl VisitId {
    /// A fresh, time-ordered id (UUIDv7), for a visit the server records itself; drawn from the
    /// seed under [`SeededIds`].
    pub fn new() -> Self {
        Self(fresh_uuid().hyphenated().to_string())
    }

    /// Reads an id in any spelling of a UUID; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        uuid::Uuid::parse_str(text.trim())
            .ok()
            .map(|u| Self(u.hyphenated().to_string()))
    }

    /// The id as stored in the database.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for VisitId {
    fn default() -> Self {
        Self::new()
    }
}

impl From<VisitId> for String {
    fn from(value: VisitId) -> Self {
        value.0
    }
}

impl std::fmt::Display for VisitId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::{CheckId, SeededIds, VisitId};

    /// The moment seeded ids are stamped with in these tests.
    fn at() -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
            .and_then(|d| d.and_hms_opt(19, 0, 0))
            .unwrap_or_default()
    }

    #[test]
    fn seeded_ids_are_uuid_v7_of_the_given_moment_and_ascend_as_made() {
        let _seeded = SeededIds::start(11, at());
        let ids: Vec<String> = (0..5000).map(|_| CheckId::new().0).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(sorted, ids, "made in order, sorted in order");
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len(), "no id twice");
        let first = uuid::Uuid::parse_str(&ids[0]).ok();
        assert_eq!(first.map(|u| u.get_version_num()), Some(7));
        let secs = first
            .and_then(|u| u.get_timestamp())
            .map(|t| t.to_unix().0)
            .and_then(|s| i64::try_from(s).ok());
        assert_eq!(
            secs,
            Some(at().and_utc().timestamp()),
            "stamped with the demo's moment"
        );
    }

    #[test]
    fn seeded_ids_repeat_for_a_seed_and_fresh_ones_return_after() {
        let draw = |seed| {
            let _seeded = SeededIds::start(seed, at());
            (CheckId::new(), VisitId::new(), CheckId::new())
        };
        let (a, b) = (draw(7), draw(7));
        assert_eq!(a, b);
        assert_ne!(a.0, a.2, "each id is new");
        assert_ne!(draw(8), a, "another seed, other ids");
        assert!(VisitId::parse(a.1.as_str()).is_some());
        // Outside the scope, ids are time-ordered UUIDv7 again.
        let fresh = CheckId::new();
        assert_eq!(
            uuid::Uuid::parse_str(fresh.as_str())
                .map(|u| u.get_version_num())
                .ok(),
            Some(7)
        );
        let other_thread = std::thread::spawn(|| {
            let _seeded = SeededIds::start(7, at());
            CheckId::new()
        });
        assert_eq!(
            other_thread.join().ok(),
            Some(a.0),
            "a thread's seed is its own"
        );
    }

    #[test]
    fn every_spelling_of_a_visit_id_is_the_same_visit() {
        let canonical = "0190a0a0-0000-7000-8000-00000000abcd";
        for spelling in [
            canonical,
            "0190A0A0-0000-7000-8000-00000000ABCD",
            "0190a0a000007000800000000000abcd",
            "{0190a0a0-0000-7000-8000-00000000abcd}",
            "urn:uuid:0190a0a0-0000-7000-8000-00000000abcd",
            " 0190a0a0-0000-7000-8000-00000000abcd ",
        ] {
            assert_eq!(
                VisitId::parse(spelling).map(String::from).as_deref(),
                Some(canonical),
                "{spelling}"
            );
        }
    }

    #[test]
    fn text_that_is_not_a_uuid_is_no_visit_id() {
        for bad in ["", "w-1", "0190a0a0-0000-7000-8000", "not a uuid at all"] {
            assert_eq!(VisitId::parse(bad), None, "{bad}");
        }
        assert!(VisitId::parse(VisitId::new().as_str()).is_some());
    }
}
