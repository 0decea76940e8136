//! Report aggregations for supervisors, pure over the facts `services::reports` reads through
//! the database layer, shared by the web pages and the `report` command. Imports nothing of ours
//! but `domain`.

pub mod coverage;
pub mod coverage_vs_crime;
pub mod crime_trends;
pub mod csv_dialect;
pub mod groups;
pub mod local_time;

/// A report's CSV: a byte-order mark (spreadsheets then read UTF-8), the header, the records.
/// The cells of `text_columns` (names, codes: anything not a number) are guarded against
/// spreadsheet formulas ([`crate::domain::csv_cell`]); the numbers, negative ones too, are not.
pub fn csv_bytes<R, F>(header: &[&str], text_columns: &[usize], records: R) -> Vec<u8>
where
    R: IntoIterator<Item = F>,
    F: IntoIterator<Item = String>,
{
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::WriterBuilder::new().from_writer(&mut out);
        // Writing into a Vec cannot fail.
        let _ = writer.write_record(header);
        for record in records {
            for (i, cell) in record.into_iter().enumerate() {
                let cell = if text_columns.contains(&i) {
                    crate::domain::csv_cell::escape(&cell).into_owned()
                } else {
                    cell
                };
                let _ = writer.write_field(cell);
            }
            let _ = writer.write_record(None::<&[u8]>);
        }
        let _ = writer.flush();
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_name_a_spreadsheet_would_run_is_quoted_and_negative_numbers_are_left_alone() {
        let bytes = super::csv_bytes(
            &["group", "change_percent"],
            &[0],
            [
                vec!["=cmd|' /C calc'!A0".to_owned(), "-2.5".to_owned()],
                vec!["МГ-1".to_owned(), "+3.0".to_owned()],
            ],
        );
        let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(&bytes[3..])
            .records()
            .flatten()
            .collect();
        assert_eq!(
            &rows[0],
            &csv::StringRecord::from(vec!["'=cmd|' /C calc'!A0", "-2.5"])
        );
        assert_eq!(&rows[1], &csv::StringRecord::from(vec!["МГ-1", "+3.0"]));
    }
}
