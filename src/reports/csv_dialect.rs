//! The two CSV dialects spreadsheets open directly: `comma` (comma between fields, a point in
//! decimals: English-locale Excel, LibreOffice, tools) and `semicolon` (semicolon between fields,
//! a decimal comma: Russian- and Kazakh-locale Excel, which reads a comma file as one column and
//! `3.5` as a date). Reports are written in the comma dialect ([`super::csv_bytes`]) and turned
//! into the user's here, with the units in the header in the user's language.

/// A CSV dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `,` and a decimal point.
    Comma,
    /// `;` and a decimal comma.
    Semicolon,
}

impl Dialect {
    /// The dialect of the interface language `code`'s spreadsheets.
    pub fn of_language(code: &str) -> Self {
        match code {
            "ru" | "kk" => Dialect::Semicolon,
            _ => Dialect::Comma,
        }
    }

    /// `comma` or `semicolon`, as in `?dialect=`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "comma" => Some(Dialect::Comma),
            "semicolon" => Some(Dialect::Semicolon),
            _ => None,
        }
    }

    /// The word of `?dialect=`.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Comma => "comma",
            Dialect::Semicolon => "semicolon",
        }
    }
}

/// Whether `cell` is a plain decimal number (`-12.5`, `+3.0`): the cells whose point becomes a
/// comma. Guarded text (`'=…`) and dates never match.
fn is_decimal(cell: &str) -> bool {
    let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let Some((whole, fraction)) = digits.split_once('.') else {
        return false;
    };
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// A header name with its unit words (`km`, `m`, `h`, between underscores) in the user's
/// language: `units` maps each unit to its word.
fn header_name(name: &str, units: &dyn Fn(&str) -> Option<String>) -> String {
    name.split('_')
        .map(|part| units(part).unwrap_or_else(|| part.to_owned()))
        .collect::<Vec<_>>()
        .join("_")
}

/// `csv` (the comma dialect, with or without its byte-order mark) in `dialect`, its header's
/// units named by `units`. The cells are carried over as they are (their formula guard too);
/// only the delimiter and, in the semicolon dialect, the decimal point of numbers change.
pub fn convert(csv: &[u8], dialect: Dialect, units: &dyn Fn(&str) -> Option<String>) -> Vec<u8> {
    convert_with(csv, dialect, units, &|_| true)
}

/// As [`convert`], with decimal commas only in the columns whose header `is_number` names: an
/// import-format export keeps a text cell such as an address `12.5` as it was typed.
pub fn convert_with(
    csv: &[u8],
    dialect: Dialect,
    units: &dyn Fn(&str) -> Option<String>,
    is_number: &dyn Fn(&str) -> bool,
) -> Vec<u8> {
    let body = csv.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(csv);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let delimiter = match dialect {
        Dialect::Comma => b',',
        Dialect::Semicolon => b';',
    };
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_writer(&mut out);
        let mut numbers = Vec::new();
        for (i, record) in reader.records().flatten().enumerate() {
            if i == 0 {
                numbers = record.iter().map(is_number).collect();
            }
            let cells: Vec<String> = record
                .iter()
                .enumerate()
                .map(|(column, cell)| match (i, dialect) {
                    (0, _) => header_name(cell, units),
                    (_, Dialect::Semicolon)
                        if numbers.get(column) == Some(&true) && is_decimal(cell) =>
                    {
                        cell.replace('.', ",")
                    }
                    _ => cell.to_owned(),
                })
                .collect();
            // Writing into a Vec cannot fail.
            let _ = writer.write_record(&cells);
        }
        let _ = writer.flush();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(unit: &str) -> Option<String> {
        (unit == "km").then(|| "км".to_owned())
    }

    #[test]
    fn the_semicolon_dialect_has_decimal_commas_and_keeps_the_guard() {
        let comma = crate::reports::csv_bytes(
            &["group", "distance_km", "day"],
            &[0],
            [vec![
                "=1+2".to_owned(),
                "-12.5".to_owned(),
                "2025-03-01".to_owned(),
            ]],
        );
        let out = convert(&comma, Dialect::Semicolon, &units);
        let text = String::from_utf8(out).unwrap_or_default();
        assert_eq!(
            text,
            "\u{feff}group;distance_км;day\n'=1+2;-12,5;2025-03-01\n"
        );
        let back = convert(&comma, Dialect::Comma, &|_| None);
        assert_eq!(back, comma, "the comma dialect is the file as written");
    }

    #[test]
    fn only_the_named_columns_get_decimal_commas() {
        let comma = b"lat,address\n43.25,12.5\n";
        let out = convert_with(comma, Dialect::Semicolon, &|_| None, &|c| c == "lat");
        assert_eq!(
            String::from_utf8(out).unwrap_or_default(),
            "\u{feff}lat;address\n43,25;12.5\n"
        );
    }

    #[test]
    fn only_plain_decimals_are_numbers() {
        for yes in ["1.5", "-0.25", "+3.0"] {
            assert!(is_decimal(yes), "{yes}");
        }
        for no in ["1.", ".5", "1.2.3", "'=1.5", "2025-03-01", "12", "1e3", ""] {
            assert!(!is_decimal(no), "{no}");
        }
        assert_eq!(Dialect::parse(" semicolon "), Some(Dialect::Semicolon));
        assert_eq!(Dialect::parse("tab"), None);
        assert_eq!(Dialect::of_language("kk"), Dialect::Semicolon);
        assert_eq!(Dialect::of_language("en"), Dialect::Comma);
    }
}
