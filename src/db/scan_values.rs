//! Column values for the reports' large scans (millions of visits), read without a heap
//! allocation or a format-string parse per row: most of a report's time at 100,000 persons went
//! to diesel's `String` and `NaiveDateTime` decoding, not to the database.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::deserialize::{self, FromSql};
use diesel::pg::{Pg, PgValue};
use diesel::sql_types::{Text, Timestamp};
use diesel::sqlite::{Sqlite, SqliteValue};

use super::connection::{MultiBackend, MultiRawValue};

/// Longest text kept inline: a UUID (36 bytes), a kind or an evidence word fit.
const INLINE: usize = 46;

/// A text column's value, inline when short (ids, enum words), on the heap otherwise. Also a
/// hash key: kept inline in the table, a look-up compares it without chasing a pointer to a
/// string elsewhere on the heap (a cache miss per visit read, once a fifth of a report's time).
#[derive(Debug, Clone, PartialEq, Eq, Hash, diesel::deserialize::FromSqlRow)]
pub(crate) enum ScanText {
    /// Up to [`INLINE`] bytes of UTF-8.
    Inline { len: u8, bytes: [u8; INLINE] },
    /// Longer text.
    Heap(String),
}

impl ScanText {
    /// The value of `text`.
    pub(crate) fn new(text: &str) -> Self {
        match u8::try_from(text.len()) {
            Ok(len) if text.len() <= INLINE => {
                let mut bytes = [0; INLINE];
                bytes[..text.len()].copy_from_slice(text.as_bytes());
                Self::Inline { len, bytes }
            }
            _ => Self::Heap(text.to_owned()),
        }
    }

    /// The text's bytes.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Self::Heap(text) => text.as_bytes(),
        }
    }
}

impl FromSql<Text, Sqlite> for ScanText {
    fn from_sql(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
        Ok(Self::new(value.read_text()))
    }
}

impl FromSql<Text, Pg> for ScanText {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        Ok(Self::new(std::str::from_utf8(value.as_bytes())?))
    }
}

impl FromSql<Text, MultiBackend> for ScanText {
    fn from_sql(value: MultiRawValue<'_>) -> deserialize::Result<Self> {
        value.from_sql::<Self, Text>()
    }
}

/// A UTC timestamp column's value. SQLite keeps timestamps as text, `YYYY-MM-DD HH:MM:SS` with
/// an optional fraction, as diesel writes them; that form is read by hand, anything else by
/// diesel's own (slower) parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::deserialize::FromSqlRow)]
pub(crate) struct UtcStamp(pub(crate) NaiveDateTime);

/// Reads `YYYY-MM-DD HH:MM:SS[.fraction]` (or with `T`); `None` for any other form.
fn parse_stamp(text: &[u8]) -> Option<NaiveDateTime> {
    let number = |from: usize, to: usize| -> Option<u32> {
        text.get(from..to)?.iter().try_fold(0_u32, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(i, c)| text.get(i) != Some(&c))
        || !matches!(text.get(10), Some(b' ' | b'T'))
    {
        return None;
    }
    let nanos = match text.get(19..) {
        None | Some([]) => 0,
        Some([b'.', digits @ ..]) if !digits.is_empty() && digits.len() <= 9 => {
            let n = number(20, text.len())?;
            n * 10_u32.pow(u32::try_from(9 - digits.len()).ok()?)
        }
        Some(_) => return None,
    };
    let day = NaiveDate::from_ymd_opt(
        i32::try_from(number(0, 4)?).ok()?,
        number(5, 7)?,
        number(8, 10)?,
    )?;
    let time =
        NaiveTime::from_hms_nano_opt(number(11, 13)?, number(14, 16)?, number(17, 19)?, nanos)?;
    Some(day.and_time(time))
}

impl FromSql<Timestamp, Sqlite> for UtcStamp {
    fn from_sql(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
        if let Some(at) = parse_stamp(value.read_text().as_bytes()) {
            return Ok(Self(at));
        }
        <NaiveDateTime as FromSql<Timestamp, Sqlite>>::from_sql(value).map(Self)
    }
}

impl FromSql<Timestamp, Pg> for UtcStamp {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        <NaiveDateTime as FromSql<Timestamp, Pg>>::from_sql(value).map(Self)
    }
}

impl FromSql<Timestamp, MultiBackend> for UtcStamp {
    fn from_sql(value: MultiRawValue<'_>) -> deserialize::Result<Self> {
        value.from_sql::<Self, Timestamp>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<String> {
        parse_stamp(text.as_bytes()).map(|t| t.format("%F %T%.f").to_string())
    }

    #[test]
    fn stamps_read_by_hand_match_chrono_and_odd_forms_are_left_to_diesel() {
        for text in [
            "2026-11-26 08:30:00",
            "2024-02-29 23:59:59.5",
            "2025-06-01T00:00:01.123456",
            "2025-06-01 00:00:01.123456789",
        ] {
            let chrono = NaiveDateTime::parse_from_str(&text.replace('T', " "), "%F %T%.f")
                .map(|t| t.format("%F %T%.f").to_string())
                .ok();
            assert_eq!(at(text), chrono, "{text}");
        }
        for text in [
            "2026-11-26",
            "2025-02-29 10:00:00",
            "2026-11-26 08:30",
            "2026-11-26 08:30:00Z",
            "2026-11-26 08:30:00.",
            "2459000.5",
            "2026-1x-26 08:30:00",
        ] {
            assert_eq!(at(text), None, "{text}");
        }
    }

    #[test]
    fn short_text_stays_inline_and_long_text_whole() {
        let id = "0193f6a2-7c1e-7d2b-9a41-5f0e2c3b4a59";
        assert!(matches!(ScanText::new(id), ScanText::Inline { .. }));
        assert_eq!(ScanText::new(id).as_bytes(), id.as_bytes());
        let long = "ж".repeat(40);
        assert!(matches!(ScanText::new(&long), ScanText::Heap(_)));
        assert_eq!(ScanText::new(&long).as_bytes(), long.as_bytes());
        assert_eq!(ScanText::new("").as_bytes(), b"");
        assert_ne!(ScanText::new("home"), ScanText::new("work"));
    }
}
