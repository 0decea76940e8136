//! Server-side pagination: page numbers from the query string, clamped, and the links.

/// Rows per page of the desk lists.
pub const PAGE_SIZE: i64 = 50;

/// A page of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pagination {
    /// 1-based page number, clamped to the pages that exist.
    pub page: i64,
    /// Rows per page.
    pub size: i64,
    /// Rows in all.
    pub total: i64,
}

impl Pagination {
    /// The row offset of a requested page (before the total is known).
    pub fn offset(page: Option<i64>, size: i64) -> i64 {
        (page.unwrap_or(1).clamp(1, 1_000_000) - 1) * size
    }

    /// The page shown, given the total.
    pub fn new(page: Option<i64>, size: i64, total: i64) -> Self {
        Self {
            page: page.unwrap_or(1).clamp(1, 1_000_000),
            size,
            total,
        }
    }

    /// How many pages there are (at least one).
    pub fn pages(&self) -> i64 {
        ((self.total + self.size - 1) / self.size).max(1)
    }

    /// The first row's 1-based number on this page.
    pub fn first_row(&self) -> i64 {
        if self.total == 0 {
            0
        } else {
            (self.page - 1) * self.size + 1
        }
    }

    /// The last row's 1-based number on this page.
    pub fn last_row(&self) -> i64 {
        (self.page * self.size).min(self.total)
    }

    /// The previous page, if any.
    pub fn previous(&self) -> Option<i64> {
        (self.page > 1).then_some(self.page - 1)
    }

    /// The next page, if any.
    pub fn next(&self) -> Option<i64> {
        (self.page < self.pages()).then_some(self.page + 1)
    }
}

/// The pager of a list paged by keys (the registry): links to the first, previous, next and
/// last page, and the rows shown, numbered when their place is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeysetPager {
    /// The first row's 1-based number, when known (a page reached from the end of a list too
    /// long to count is not numbered).
    pub first_row: Option<i64>,
    /// Rows on this page.
    pub shown: i64,
    /// Rows in all, or the limit the count stopped at.
    pub total: i64,
    /// Whether `total` is exact; otherwise there are more.
    pub exact: bool,
    /// The first page's link, when this is not it.
    pub first: Option<String>,
    /// The previous page's link.
    pub previous: Option<String>,
    /// The next page's link.
    pub next: Option<String>,
    /// The last page's link, when this is not it.
    pub last: Option<String>,
}

impl KeysetPager {
    /// The last row's 1-based number, when known.
    pub fn last_row(&self) -> Option<i64> {
        self.first_row.map(|f| f + self.shown - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_every_row_once() {
        let p = Pagination::new(Some(3), 50, 120);
        assert_eq!(
            (p.pages(), p.first_row(), p.last_row(), p.next()),
            (3, 101, 120, None)
        );
        assert_eq!(Pagination::offset(Some(0), 50), 0);
        assert_eq!(Pagination::new(None, 50, 0).first_row(), 0);
    }
}
