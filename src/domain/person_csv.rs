//! The CSV files of the importers (persons, offences): reading an office spreadsheet's export
//! (UTF-8 with or without BOM, comma or semicolon, a header naming the columns in any order) into
//! records with their line numbers, and writing records back in the same format. A record type
//! says its columns through [`CsvRecord`]; validating the values is its own job. Text cells are
//! written so that a spreadsheet never runs them as formulas, and read back exactly
//! ([`super::csv_cell`]).

use super::csv_cell;
use super::person_record::{COLUMNS, PersonRecord, REQUIRED_COLUMNS};

/// A problem with one place of the file: its line (1 = the header), the column when known, and
/// the message key with its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// Line in the file, counting from 1 (the header).
    pub line: u64,
    /// The column, when the problem is one field's.
    pub column: Option<String>,
    /// Catalogue key of the message.
    pub key: &'static str,
    /// Named arguments of the message.
    pub args: Vec<(&'static str, String)>,
}

impl FileError {
    fn new(line: u64, column: Option<&str>, key: &'static str) -> Self {
        Self {
            line,
            column: column.map(str::to_owned),
            key,
            args: Vec::new(),
        }
    }
}

/// A record of an importer's file: its columns and how to fill and read them.
pub trait CsvRecord: Default {
    /// Every column, in file order.
    const COLUMNS: &'static [&'static str];
    /// Columns an import file must have.
    const REQUIRED: &'static [&'static str];
    /// Columns that hold numbers: written as they are (a longitude `-63.5` stays a number in a
    /// spreadsheet); every other column is text, guarded against formulas.
    const NUMBER_COLUMNS: &'static [&'static str];
    /// Sets the field of a column by name; `false` for an unknown column.
    fn set(&mut self, column: &str, value: String) -> bool;
    /// The values in [`Self::COLUMNS`] order.
    fn values(&self) -> Vec<&str>;
}

impl CsvRecord for PersonRecord {
    const COLUMNS: &'static [&'static str] = COLUMNS;
    const REQUIRED: &'static [&'static str] = REQUIRED_COLUMNS;
    const NUMBER_COLUMNS: &'static [&'static str] = &[
        "prior_convictions",
        "home_lat",
        "home_lon",
        "work_lat",
        "work_lon",
    ];
    fn set(&mut self, column: &str, value: String) -> bool {
        PersonRecord::set(self, column, value)
    }
    fn values(&self) -> Vec<&str> {
        PersonRecord::values(self).to_vec()
    }
}

/// A file read into records. Rows that could not be read at all are in `errors`; the others
/// still need validating.
#[derive(Debug)]
pub struct CsvFile<R = PersonRecord> {
    /// The records and the line each starts on.
    pub rows: Vec<(u64, R)>,
    /// Problems with the file itself or with whole rows.
    pub errors: Vec<FileError>,
    /// The delimiter found in the header.
    pub delimiter: u8,
}

impl<R> Default for CsvFile<R> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            errors: Vec::new(),
            delimiter: b',',
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads a persons file (see [`read_records`]).
pub fn read(bytes: &[u8]) -> CsvFile {
    read_records(bytes)
}

/// Reads a file of records. A wrong encoding or a header without the required columns stops the
/// reading (the file's only error); a bad row is reported and the others are still read.
pub fn read_records<R: CsvRecord>(bytes: &[u8]) -> CsvFile<R> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let mut file = CsvFile::default();
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        file.errors
            .push(FileError::new(line, None, "import-error-encoding"));
        return file;
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        file.errors
            .push(FileError::new(1, None, "import-error-empty"));
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
    let Some(Ok(header)) = records.next() else {
        file.errors
            .push(FileError::new(1, None, "import-error-empty"));
        return file;
    };
    let header: Vec<String> = header
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_lowercase())
        .collect();
    file.errors = check_header::<R>(&header);
    if !file.errors.is_empty() {
        return file;
    }
    let mut lines = LineCounter::default();
    for result in records {
        match read_row(&header, result, |at| lines.line_at(bytes, at)) {
            Ok(Some(row)) => file.rows.push(row),
            Ok(None) => {}
            Err(error) => file.errors.push(error),
        }
    }
    file
}

/// The header's problems: unknown and repeated columns, missing required ones.
fn check_header<R: CsvRecord>(header: &[String]) -> Vec<FileError> {
    let mut errors = Vec::new();
    for (i, name) in header.iter().enumerate() {
        if !R::COLUMNS.contains(&name.as_str()) {
            let mut e = FileError::new(1, Some(name), "import-error-unknown-column");
            e.args.push(("number", (i + 1).to_string()));
            errors.push(e);
        } else if header[..i].contains(name) {
            errors.push(FileError::new(
                1,
                Some(name),
                "import-error-duplicate-column",
            ));
        }
    }
    for required in R::REQUIRED {
        if !header.iter().any(|h| h == required) {
            errors.push(FileError::new(
                1,
                Some(required),
                "import-error-missing-column",
            ));
        }
    }
    errors
}

/// The file's own line numbers (1 = the header), as a spreadsheet or an editor shows them.
/// The csv reader's own count is off where a file ends its lines with `\r\n` (Excel on
/// Windows: the first data row came out as line 1) or `\r` alone, so lines are counted here
/// from each record's byte offset, reading forward only (the offsets only grow).
#[derive(Debug, Default)]
struct LineCounter {
    /// The offset counted up to, and the line there.
    at: usize,
    line: u64,
}

impl LineCounter {
    /// The line of the byte at `offset` of `bytes`.
    fn line_at(&mut self, bytes: &[u8], offset: u64) -> u64 {
        let mut offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        // The reader may place a record at the line breaks before it (the `\n` of `\r\n`, or
        // skipped blank lines): the record starts at its first byte of content.
        while matches!(bytes.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        if offset < self.at {
            *self = Self::default();
        }
        let span = bytes.get(self.at..offset).unwrap_or_default();
        let breaks = span
            .iter()
            .enumerate()
            .filter(|(i, b)| match b {
                b'\n' => true,
                // A lone `\r` ends a line; in `\r\n` the `\n` counts.
                b'\r' => bytes.get(self.at + i + 1) != Some(&b'\n'),
                _ => false,
            })
            .count();
        self.line += breaks as u64;
        self.at = offset;
        self.line + 1
    }
}

/// One row as a record with its line (`line_at` turns a byte offset into the file's line);
/// `None` for a blank row.
fn read_row<R: CsvRecord>(
    header: &[String],
    result: Result<csv::ByteRecord, csv::Error>,
    mut line_at: impl FnMut(u64) -> u64,
) -> Result<Option<(u64, R)>, FileError> {
    let record = result.map_err(|e| {
        let line = e.position().map(|p| line_at(p.byte())).unwrap_or(0);
        FileError::new(line, None, "import-error-unreadable-row")
    })?;
    let line = record.position().map(|p| line_at(p.byte())).unwrap_or(0);
    if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
        return Ok(None);
    }
    if record.len() != header.len() {
        let mut e = FileError::new(line, None, "import-error-field-count");
        e.args.push(("found", record.len().to_string()));
        e.args.push(("expected", header.len().to_string()));
        return Err(e);
    }
    let mut row = R::default();
    for (name, value) in header.iter().zip(record.iter()) {
        // The whole file is valid UTF-8, so every field is too.
        let value = String::from_utf8_lossy(value);
        let value = if R::NUMBER_COLUMNS.contains(&name.as_str()) {
            value.into_owned()
        } else {
            csv_cell::unescape(&value).to_owned()
        };
        row.set(name, value);
    }
    Ok(Some((line, row)))
}

/// Writes persons (see [`write_records`]).
pub fn write(records: impl IntoIterator<Item = PersonRecord>) -> Vec<u8> {
    write_records(records)
}

/// Writes records as the importer reads them: UTF-8 with a BOM (so spreadsheet programs pick the
/// encoding), comma-separated, a header row of the record's columns, text cells guarded against
/// formulas.
pub fn write_records<R: CsvRecord>(records: impl IntoIterator<Item = R>) -> Vec<u8> {
    let mut out = BOM.to_vec();
    let is_text: Vec<bool> = R::COLUMNS
        .iter()
        .map(|c| !R::NUMBER_COLUMNS.contains(c))
        .collect();
    {
        let mut writer = csv::WriterBuilder::new().from_writer(&mut out);
        // Writing into a Vec cannot fail; errors would only come from the underlying writer.
        let _ = writer.write_record(R::COLUMNS);
        for r in records {
            for (value, is_text) in r.values().into_iter().zip(&is_text) {
                let cell = if *is_text {
                    csv_cell::escape(value)
                } else {
                    value.into()
                };
                let _ = writer.write_field(cell.as_bytes());
            }
            let _ = writer.write_record(None::<&[u8]>);
        }
        let _ = writer.flush();
    }
    out
}
