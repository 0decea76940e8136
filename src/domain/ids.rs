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
