//! Report aggregations for supervisors, pure over what the database layer reads, shared by the
//! web pages and the `report` command.

pub mod coverage;
pub mod coverage_vs_crime;
pub mod crime_trends;
pub mod groups;

/// A report's CSV: a byte-order mark (spreadsheets then read UTF-8), the header, the records.
pub fn csv_bytes<R, F>(header: &[&str], records: R) -> Vec<u8>
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
            let _ = writer.write_record(record);
        }
        let _ = writer.flush();
    }
    out
}
