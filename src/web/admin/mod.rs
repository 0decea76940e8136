//! Administration (administrators): users, mobile groups, districts, contact standards and the
//! audit log.

pub mod handlers;
pub mod pages;
