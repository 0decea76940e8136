//! The offences CSV file, read and written exactly as the persons file is (UTF-8 with or without
//! BOM, comma or semicolon, a header row naming the columns in any order). Validation of the
//! values is [`super::offence::OffenceRecord::validate`]'s job.

use super::offence::{COLUMNS, OffenceRecord, REQUIRED_COLUMNS};
pub use super::person_csv::FileError;

/// A file read into records. Rows that could not be read at all are in `errors`; the others
/// still need validating.
#[derive(Debug, Default)]
pub struct CsvFile {
    /// The records and the line each starts on.
    pub rows: Vec<(u64, OffenceRecord)>,
    /// Problems with the file itself or with whole rows.
    pub errors: Vec<FileError>,
    /// The delimiter found in the header.
    pub delimiter: u8,
}

fn file_error(line: u64, column: Option<&str>, key: &'static str) -> FileError {
    FileError {
        line,
        column: column.map(str::to_owned),
        key,
        args: Vec::new(),
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads an offences file. A wrong encoding or a header without the required columns stops the
/// reading (the file's only error); a bad row is reported and the others are still read.
pub fn read(bytes: &[u8]) -> CsvFile {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let mut file = CsvFile::default();
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        file.errors
            .push(file_error(line, None, "import-error-encoding"));
        return file;
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        file.errors.push(file_error(1, None, "import-error-empty"));
        return file;
    }
    let header_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |d: u8| header_line.iter().filter(|b| **b == d).count();
    file.delimiter = if count(b';') > count(b',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(file.delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let header: Vec<String> = match records.next() {
        Some(Ok(h)) => h
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_lowercase())
            .collect(),
        _ => {
            file.errors.push(file_error(1, None, "import-error-empty"));
            return file;
        }
    };
    for (i, name) in header.iter().enumerate() {
        if !COLUMNS.contains(&name.as_str()) {
            let mut e = file_error(1, Some(name), "import-error-unknown-column");
            e.args.push(("number", (i + 1).to_string()));
            file.errors.push(e);
        } else if header[..i].contains(name) {
            file.errors
                .push(file_error(1, Some(name), "import-error-duplicate-column"));
        }
    }
    for required in REQUIRED_COLUMNS {
        if !header.iter().any(|h| h == required) {
            file.errors
                .push(file_error(1, Some(required), "import-error-missing-column"));
        }
    }
    if !file.errors.is_empty() {
        return file;
    }
    for result in records {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                file.errors
                    .push(file_error(line, None, "import-error-unreadable-row"));
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        if record.len() != header.len() {
            let mut e = file_error(line, None, "import-error-field-count");
            e.args.push(("found", record.len().to_string()));
            e.args.push(("expected", header.len().to_string()));
            file.errors.push(e);
            continue;
        }
        let mut offence = OffenceRecord::default();
        for (name, value) in header.iter().zip(record.iter()) {
            // The whole file is valid UTF-8, so every field is too.
            offence.set(name, String::from_utf8_lossy(value).into_owned());
        }
        file.rows.push((line, offence));
    }
    file
}

/// Writes records as the importer reads them: UTF-8 with a BOM (so spreadsheet programs pick the
/// encoding), comma-separated, a header row of [`COLUMNS`].
pub fn write(records: impl IntoIterator<Item = OffenceRecord>) -> Vec<u8> {
    let mut out = BOM.to_vec();
    {
        let mut writer = csv::WriterBuilder::new().from_writer(&mut out);
        // Writing into a Vec cannot fail; errors would only come from the underlying writer.
        let _ = writer.write_record(COLUMNS);
        for r in records {
            let _ = writer.write_record(r.values());
        }
        let _ = writer.flush();
    }
    out
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
    fn unknown_and_missing_columns_stop_the_reading() {
        let file = read(b"id,offence_date,distrikt\n1,2025-01-01,KST\n");
        let keys: Vec<&str> = file.errors.iter().map(|e| e.key).collect();
        assert!(keys.contains(&"import-error-unknown-column"), "{keys:?}");
        assert!(keys.contains(&"import-error-missing-column"), "{keys:?}");
        assert!(file.rows.is_empty());
    }
}
