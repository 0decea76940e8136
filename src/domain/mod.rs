//! Pure domain types and rules (DESIGN.md section 2): no actix, no diesel, no clock.

pub mod check;
pub mod contact_standard;
pub mod csv_cell;
pub mod follow_up;
pub mod geojson;
pub mod ids;
pub mod iin;
pub mod location;
pub mod mobile_group;
pub mod natural;
pub mod offence;
pub mod offence_csv;
pub mod password;
pub mod period;
pub mod period_presets;
pub mod person;
pub mod person_csv;
pub mod person_record;
pub mod plan;
pub mod search;
pub mod stop_state;
pub mod travel;
pub mod user;
pub mod visit;

pub use ids::{
    AuditEntryId, CheckId, DistrictId, FollowUpId, MobileGroupId, PersonId, PlanId, UserId, VisitId,
};
pub use iin::{Iin, IinError};
pub use location::{District, DistrictKind, GeoPoint};

/// Declares a closed set of domain words stored as stable snake_case text (in tables, URLs and
/// catalogue keys alike), with `as_str`, `parse` and the list of all values.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* #[doc = concat!("Stored as `", $text, "`.")] $variant),+ }

        impl $name {
            /// Every value, in declaration order (the order forms and reports list them in).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable text stored in the database and used in catalogue keys.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the stored text; `None` for anything else.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;
