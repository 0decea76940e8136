//! Administration (administrators): users, mobile groups, districts, contact standards and the
//! audit log. `handlers` and `pages` hold the lists; one module per area holds its forms.

pub mod contact_standards;
pub mod districts;
pub mod forms;
pub mod handlers;
pub mod mobile_group_checks;
pub mod mobile_groups;
pub mod pages;
pub mod user_account;
pub mod user_checks;
pub mod user_sessions;
pub mod users;
