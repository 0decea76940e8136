//! Spreadsheet formula injection ("CSV injection", OWASP): a CSV cell that begins with `=`, `+`,
//! `-`, `@`, a tab or a carriage return is read by Excel and LibreOffice as a formula, so an
//! address typed as `=HYPERLINK(...)` would run on the desk of whoever opens the export. Text
//! cells of every export get a leading `'` then, as OWASP advises; the importers take exactly
//! that quote off again, so an export imported back changes nothing.
//!
//! Only text columns are escaped: a number such as a longitude `-63.5` stays a number in the
//! spreadsheet. A cell that already begins with quotes before such a character gets one more
//! quote, so that taking one off on import always gives back the stored text.

use std::borrow::Cow;

/// The first characters that make a spreadsheet read a cell as a formula (OWASP).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a text would be read as a formula, looking past quotes already before it.
fn needs_quote(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// A text cell as written to a CSV file: with a leading `'` when a spreadsheet would otherwise
/// read it as a formula.
pub fn escape(text: &str) -> Cow<'_, str> {
    if needs_quote(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A cell as read from a CSV file: the quote [`escape`] added is taken off, and nothing else.
pub fn unescape(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_a_spreadsheet_would_run_gets_a_leading_quote() {
        for (text, written) in [
            (
                "=HYPERLINK(\"http://evil.example\",\"x\")",
                "'=HYPERLINK(\"http://evil.example\",\"x\")",
            ),
            ("+7 701 123 45 67", "'+7 701 123 45 67"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("'=1", "''=1"),
            ("''-x", "'''-x"),
        ] {
            assert_eq!(escape(text), written, "{text:?}");
        }
    }

    #[test]
    fn ordinary_text_is_written_as_it_is() {
        for text in [
            "ул. Абая, 12",
            "O'Brien",
            "'quoted'",
            "",
            "a=b",
            " =1",
            "1-2",
        ] {
            assert!(
                matches!(escape(text), Cow::Borrowed(t) if t == text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn unescape_undoes_exactly_what_escape_did() {
        for text in [
            "=1+1", "+7701", "-x", "@x", "\tx", "\rx", "'=1", "''=1", "'", "''", "'abc", "abc", "",
            "'-", "a'=b",
        ] {
            assert_eq!(unescape(&escape(text)), text, "{text:?}");
        }
    }

    #[test]
    fn a_quote_a_person_typed_before_ordinary_text_is_kept_on_import() {
        assert_eq!(unescape("'abc"), "'abc");
        assert_eq!(unescape("'"), "'");
        assert_eq!(
            unescape("'=1"),
            "=1",
            "an office's own escaping is undone too"
        );
    }
}
