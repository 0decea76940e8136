//! The registry of supervised persons (prosecutors): the list, a person's page, the person form,
//! and CSV import and export.

pub mod addresses;
pub mod export;
pub mod forms;
pub mod handlers;
pub mod pages;
pub mod pending;
pub mod person_page;
pub mod transfer;
