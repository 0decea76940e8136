//! The registry of supervised persons (prosecutors): the list and a person's page.

pub mod handlers;
pub mod pages;
