//! Report aggregations for supervisors, pure over what the database layer reads, shared by the
//! web pages and the `report` command.

pub mod coverage;
pub mod coverage_vs_crime;
pub mod crime_trends;
pub mod groups;
