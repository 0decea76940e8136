//! Reading stored rows back as domain types. A value the domain does not know (a status word,
//! a day, a coordinate out of range) is a [`BadRow`] naming the table and column; it reaches the
//! caller as a query error (a 500 page, logged once), never as a panic or a silently skipped row.

/// A stored value the domain cannot read.
#[derive(Debug, thiserror::Error)]
#[error("{table}.{column} holds {value:?}, which is not a valid value")]
pub struct BadRow {
    /// The table.
    pub table: &'static str,
    /// The column.
    pub column: &'static str,
    /// What it holds.
    pub value: String,
}

impl BadRow {
    /// The error for `value` in `table.column`.
    pub fn new(table: &'static str, column: &'static str, value: impl std::fmt::Debug) -> Self {
        BadRow {
            table,
            column,
            value: format!("{value:?}"),
        }
    }
}

impl From<BadRow> for diesel::result::Error {
    fn from(error: BadRow) -> Self {
        diesel::result::Error::DeserializationError(Box::new(error))
    }
}

/// `parsed`, or the error naming what `table.column` held.
pub fn word<T>(
    parsed: Option<T>,
    table: &'static str,
    column: &'static str,
    value: &str,
) -> Result<T, BadRow> {
    parsed.ok_or_else(|| BadRow::new(table, column, value))
}

/// A number of minutes (or another small count) stored as an integer.
pub fn small<T: TryFrom<i32>>(
    value: i32,
    table: &'static str,
    column: &'static str,
) -> Result<T, BadRow> {
    T::try_from(value).map_err(|_overflow| BadRow::new(table, column, value))
}

/// Converts every row, failing on the first bad one.
pub fn convert_all<R, T>(rows: Vec<R>) -> diesel::QueryResult<Vec<T>>
where
    T: TryFrom<R, Error = BadRow>,
{
    rows.into_iter()
        .map(|row| T::try_from(row).map_err(Into::into))
        .collect()
}
