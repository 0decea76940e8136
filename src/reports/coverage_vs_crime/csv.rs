//! The report as CSV: one table or all, in one set of columns (fields a table does not have are
//! empty).

use super::{Cell, CoverageVsCrime};

/// The report's tables by name, as `?table=` and the CSV's first column name them.
pub const TABLES: &[&str] = &["district", "month", "correlation", "reoffending"];

/// The CSV's columns.
const HEADER: [&str; 14] = [
    "table",
    "key",
    "month",
    "coverage_counted",
    "coverage_covered",
    "coverage_percent",
    "offences",
    "offences_per_10k_year",
    "n",
    "r",
    "p_value",
    "persons",
    "person_months",
    "offences_per_100_person_months",
];

fn opt(value: Option<f64>, decimals: usize) -> String {
    value.map(|v| format!("{v:.decimals$}")).unwrap_or_default()
}

/// A CSV record with the given fields (by their place in `HEADER`), the others empty.
fn record(fields: Vec<(usize, String)>) -> Vec<String> {
    let mut record = vec![String::new(); HEADER.len()];
    for (i, value) in fields {
        record[i] = value;
    }
    record
}

impl Cell {
    fn record(&self, table: &str) -> Vec<String> {
        record(vec![
            (0, table.to_owned()),
            (1, self.district.clone()),
            (2, self.month.clone()),
            (3, self.coverage.counted().to_string()),
            (4, self.coverage.covered.to_string()),
            (5, opt(self.coverage_percent, 1)),
            (6, self.offences.to_string()),
            (7, opt(self.offences_per_10k, 1)),
        ])
    }
}

impl CoverageVsCrime {
    /// The report as CSV (one table of [`TABLES`], or all) with the columns of `HEADER`; fields a
    /// table does not have are empty.
    pub fn to_csv(&self, only: Option<&str>) -> Vec<u8> {
        let wanted = |name: &str| only.is_none_or(|o| o == name);
        let mut records = Vec::new();
        if wanted("district") {
            records.extend(self.by_district.iter().map(|c| c.record("district")));
        }
        if wanted("month") {
            records.extend(self.cells.iter().map(|c| c.record("month")));
        }
        if wanted("correlation") {
            records.extend(self.correlations.iter().map(|c| {
                record(vec![
                    (0, "correlation".to_owned()),
                    (1, c.key.to_owned()),
                    (8, c.n.to_string()),
                    (9, opt(c.r, 3)),
                    (10, opt(c.p_value, 4)),
                ])
            }));
        }
        if wanted("reoffending") {
            records.extend(self.reoffending.iter().map(|l| {
                record(vec![
                    (0, "reoffending".to_owned()),
                    (1, l.key.to_owned()),
                    (6, l.offences.to_string()),
                    (11, l.persons.to_string()),
                    (12, l.person_months.to_string()),
                    (13, opt(l.per_100_person_months, 1)),
                ])
            }));
        }
        crate::reports::csv_bytes(&HEADER, &[0, 1, 2], records)
    }
}
