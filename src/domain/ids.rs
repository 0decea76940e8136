//! Typed identifiers: client-made UUIDv7 strings, so that a swapped argument fails to compile and a
//! tablet can name a visit before the server has seen it (STYLE.md section 2.9).

macro_rules! typed_id {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A fresh, time-ordered id (UUIDv7).
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7().to_string())
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
    /// A fresh, time-ordered id (UUIDv7), for a visit the server records itself.
    pub fn new() -> Self {
        Self(uuid::Uuid::now_v7().hyphenated().to_string())
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
    use super::VisitId;

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
