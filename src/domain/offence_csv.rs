//! The offences CSV file, read and written exactly as the persons file is (UTF-8 with or without
//! BOM, comma or semicolon, a header row naming the columns in any order). Validation of the
//! values is [`super::offence::OffenceRecord::validate`]'s job.

use super::offence::{COLUMNS, OffenceRecord, REQUIRED_COLUMNS};
pub use super::person_csv::FileError;
use super::person_csv::{self, CsvRecord};

impl CsvRecord for OffenceRecord {
    const COLUMNS: &'static [&'static str] = COLUMNS;
    const REQUIRED: &'static [&'static str] = REQUIRED_COLUMNS;
    const NUMBER_COLUMNS: &'static [&'static str] = &["lat", "lon"];
    fn set(&mut self, column: &str, value: String) -> bool {
        OffenceRecord::set(self, column, value)
    }
    fn values(&self) -> Vec<&str> {
        OffenceRecord::values(self).to_vec()
    }
}

/// A file of offences read into records.
pub type CsvFile = person_csv::CsvFile<OffenceRecord>;

/// Reads an offences file: the same reader as the persons file's.
pub fn read(bytes: &[u8]) -> CsvFile {
    person_csv::read_records(bytes)
}

/// Writes offences as the importer reads them.
pub fn write(records: impl IntoIterator<Item = OffenceRecord>) -> Vec<u8> {
    person_csv::write_records(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_file_reads_back_with_semicolons_and_a_bom_too() {
        let record = OffenceRecord {
            id: "X-1".to_owned(),
            article: "188 ч.2; quoted \"x\"".to_owned(),
            ..OffenceRecord::default()
        };
        let bytes = write([record.clone()]);
        let file = read(&bytes);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        assert_eq!(file.rows, vec![(2, record)]);
        let semicolons = "id;offence_date;district;article;severity;offence_type;place\nA;2025-01-01;KST;188;minor;theft;street\n";
        let file = read(semicolons.as_bytes());
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        assert_eq!(file.rows[0].1.district, "KST");
    }

    #[test]
    fn text_a_spreadsheet_would_run_is_quoted_but_numbers_are_not_and_both_read_back() {
        let record = OffenceRecord {
            id: "-2-3".to_owned(),
            article: "=HYPERLINK(\"http://evil.example\")".to_owned(),
            lat: "-53.2".to_owned(),
            lon: "+63.6".to_owned(),
            ..OffenceRecord::default()
        };
        let bytes = write([record.clone()]);
        let text = String::from_utf8_lossy(&bytes);
        let line = text.lines().nth(1).unwrap_or_default();
        assert!(line.starts_with("'-2-3,"), "{line}");
        assert!(line.contains(",\"'=HYPERLINK("), "{line}");
        assert!(
            line.contains(",-53.2,+63.6,"),
            "numbers stay numbers: {line}"
        );
        assert_eq!(read(&bytes).rows, vec![(2, record)]);
    }

    #[test]
    fn unknown_and_missing_columns_stop_the_reading() {
        let file = read(b"id,offence_date,distrikt\n1,2025-01-01,KST\n");
        let keys: Vec<&str> = file.errors.iter().map(|e| e.key).collect();
        assert!(keys.contains(&"import-error-unknown-column"), "{keys:?}");
        assert!(keys.contains(&"import-error-missing-column"), "{keys:?}");
        assert!(file.rows.is_empty());
    }

    #[test]
    fn rows_carry_the_files_own_line_whatever_ends_the_lines() {
        let h = "id,offence_date,district,article,severity,offence_type,place";
        let r = "A,2025-01-01,KST,188,minor,theft,street";
        for (text, lines) in [
            (format!("{h}\n{r}\n{r}\n"), vec![2, 3]),
            (format!("{h}\r\n{r}\r\n{r}\r\n"), vec![2, 3]),
            (format!("{h}\r{r}\r{r}\r"), vec![2, 3]),
            (format!("{h}\n\n{r}\n"), vec![3]),
            (
                format!("{h}\r\n\"A\r\nB\",{}\r\n{r}\r\n", &r[2..]),
                vec![2, 4],
            ),
        ] {
            let file = read(text.as_bytes());
            assert!(file.errors.is_empty(), "{:?}", file.errors);
            let found: Vec<u64> = file.rows.iter().map(|(line, _)| *line).collect();
            assert_eq!(found, lines, "{text:?}");
        }
        let bad = read(format!("{h}\r\n{r},x\r\n").as_bytes());
        assert_eq!(bad.errors[0].line, 2, "a bad first data row is line 2");
    }
}
