//! The registry's person list: filters, a text search through the trigram index of either
//! backend, sorting and pagination, and the whole matching persons for exports.

use diesel::prelude::*;

use super::PersonRow;
use crate::db::DbConnection;
use crate::db::connection::MultiBackend;
use crate::db::schema::persons;
use crate::domain::person::{Person, PersonStatus, RiskTier, SupervisionKind};
use crate::domain::{DistrictId, search};

mod keyset;
pub use keyset::ListKey;

/// The order of the person list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PersonSort {
    /// Family name, then given name.
    #[default]
    Name,
    /// District, then name.
    District,
    /// Risk tier (high first), then name.
    RiskTier,
    /// Newest change first.
    Updated,
}

/// The registry list's filters (all optional) and page.
#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    /// Free text over name, IIN and addresses.
    pub query: Option<String>,
    /// One district.
    pub district_id: Option<DistrictId>,
    /// One risk tier.
    pub risk_tier: Option<RiskTier>,
    /// One status.
    pub status: Option<PersonStatus>,
    /// One supervision kind.
    pub supervision_kind: Option<SupervisionKind>,
    /// Order.
    pub sort: PersonSort,
}

/// One line of the person list: what the list shows, nothing more.
#[derive(Debug, Clone, Queryable)]
#[expect(
    missing_docs,
    reason = "the fields mirror the columns, documented on Person"
)]
pub struct PersonListRow {
    pub id: String,
    pub iin: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub district_id: String,
    pub risk_tier: String,
    pub status: String,
    pub supervision_kind: String,
    pub home_address: String,
    pub updated_at: chrono::NaiveDateTime,
}

/// The persons matching a filter, as a boxed query. `$candidates` (an `Option<&Candidates>`)
/// narrows it to the ids a trigram index found first (see [`SearchPlan`]); the `LIKE` on the
/// folded text is applied in every case, so both backends mean the same by a search.
macro_rules! filtered_persons {
    ($filter:expr, $candidates:expr) => {{
        let filter: &PersonFilter = $filter;
        let mut query = persons::table.into_boxed();
        if let Some(text) = filter.query.as_deref().filter(|q| !q.trim().is_empty()) {
            match $candidates {
                Some(Candidates::Trigram(phrase)) => {
                    query = query.filter(
                        diesel::dsl::sql::<diesel::sql_types::Bool>(
                            "persons.rowid IN (SELECT rowid FROM persons_search \
                             WHERE persons_search MATCH ",
                        )
                        .bind::<diesel::sql_types::Text, _>(phrase.clone())
                        .sql(")"),
                    )
                }
                Some(Candidates::Ids(ids)) => {
                    query = query.filter(persons::id.eq_any(ids.clone()));
                }
                None => {}
            }
            query = query.filter(
                persons::search_text
                    .like(search::like_pattern(text))
                    .escape('\\'),
            );
        }
        if let Some(district) = &filter.district_id {
            query = query.filter(persons::district_id.eq(district.as_str().to_owned()));
        }
        if let Some(tier) = filter.risk_tier {
            query = query.filter(persons::risk_tier.eq(tier.as_str()));
        }
        if let Some(status) = filter.status {
            query = query.filter(persons::status.eq(status.as_str()));
        }
        if let Some(kind) = filter.supervision_kind {
            query = query.filter(persons::supervision_kind.eq(kind.as_str()));
        }
        query
    }};
}

/// How the list finds the persons holding a searched text. A trigram index (SQLite's FTS5
/// table `persons_search`, PostgreSQL's GIN `persons_search`) is asked first how many rows hold
/// it, up to [`NARROW_CANDIDATES`]: few, and the page is sorted from just those; many ("ул."),
/// and the page is a walk of the sort order's index testing each row, which meets matches at
/// once.
enum SearchPlan {
    /// No text searched, or under three letters (no trigram to look up): `LIKE` on every row.
    Scan,
    /// Few rows hold the text: these candidates.
    Narrow(Candidates),
    /// Many rows hold it.
    Broad,
}

/// The rows a trigram index found for a text.
enum Candidates {
    /// SQLite: the FTS5 phrase, looked up again inside the page's query (cheaper than binding
    /// thousands of ids).
    Trigram(String),
    /// PostgreSQL: the ids, so the page's query cannot stray onto a long walk of the name index.
    Ids(Vec<String>),
}

/// Above this many trigram candidates a text counts as broad.
const NARROW_CANDIDATES: i64 = 5_000;

impl SearchPlan {
    /// Asks the trigram index for the rows holding the searched text, up to the narrow limit.
    fn choose(conn: &mut DbConnection, filter: &PersonFilter) -> QueryResult<Self> {
        let Some(text) = filter.query.as_deref().filter(|q| !q.trim().is_empty()) else {
            return Ok(SearchPlan::Scan);
        };
        let Some(phrase) = search::trigram_phrase(text) else {
            return Ok(SearchPlan::Scan);
        };
        if crate::db::is_sqlite(conn) {
            let found = diesel::sql_query(
                "SELECT count(*) AS n FROM (SELECT 1 FROM persons_search \
                 WHERE persons_search MATCH ? LIMIT ?)",
            )
            .bind::<diesel::sql_types::Text, _>(&phrase)
            .bind::<diesel::sql_types::BigInt, _>(NARROW_CANDIDATES + 1)
            .get_result::<Count>(conn)?
            .n;
            return Ok(if found > NARROW_CANDIDATES {
                SearchPlan::Broad
            } else {
                SearchPlan::Narrow(Candidates::Trigram(phrase))
            });
        }
        // PostgreSQL's planner takes the GIN trigram index for a selective LIKE when no ORDER BY
        // tempts it onto the name index.
        let ids: Vec<String> = persons::table
            .filter(
                persons::search_text
                    .like(search::like_pattern(text))
                    .escape('\\'),
            )
            .select(persons::id)
            .limit(NARROW_CANDIDATES + 1)
            .load(conn)?;
        Ok(if ids.len() as i64 > NARROW_CANDIDATES {
            SearchPlan::Broad
        } else {
            SearchPlan::Narrow(Candidates::Ids(ids))
        })
    }

    /// The candidates that narrow the query, if any.
    fn candidates(&self) -> Option<&Candidates> {
        match self {
            SearchPlan::Narrow(candidates) => Some(candidates),
            _ => None,
        }
    }
}

/// A `count(*)` read by `sql_query`.
#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The columns of a list row, in [`PersonListRow`]'s order.
macro_rules! list_columns {
    () => {
        (
            persons::id,
            persons::iin,
            persons::last_name,
            persons::first_name,
            persons::middle_name,
            persons::district_id,
            persons::risk_tier,
            persons::status,
            persons::supervision_kind,
            persons::home_address,
            persons::updated_at,
        )
    };
}

/// A boxed query of persons.
type PersonsQuery<'a> = persons::BoxedQuery<'a, MultiBackend>;

/// Above this many matches the list says "more than" instead of counting on: a count of
/// 90,000 rows is a walk of them all (0.3 s on PostgreSQL), and nobody pages through them.
pub const COUNT_LIMIT: i64 = 1_000;

/// Where a page of the list starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageAt {
    /// The first rows.
    First,
    /// The rows after this key.
    After(ListKey),
    /// The rows before this key (a "previous" link).
    Before(ListKey),
    /// The last rows, read backwards.
    Last,
}

/// How many persons match, counted up to [`COUNT_LIMIT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchCount {
    /// Exactly this many.
    Exact(i64),
    /// More than [`COUNT_LIMIT`].
    MoreThan(i64),
}

/// One page of the list.
#[derive(Debug, Clone)]
pub struct ListPage {
    /// The rows, in the list's order.
    pub rows: Vec<PersonListRow>,
    /// Where the page was read from: a read before the first rows gives the first page, a read
    /// after the last rows the last page.
    pub at: PageAt,
    /// Whether rows come before the page.
    pub has_previous: bool,
    /// Whether rows come after it.
    pub has_next: bool,
    /// How many match in all.
    pub count: MatchCount,
}

/// A page of persons matching the filter from `at`, `limit` rows, and how many match.
pub fn list_page(
    conn: &mut DbConnection,
    filter: &PersonFilter,
    at: &PageAt,
    limit: i64,
) -> QueryResult<ListPage> {
    let search = SearchPlan::choose(conn, filter)?;
    let mut at = at.clone();
    let (mut rows, mut more) = read_page(conn, filter, &search, &at, limit)?;
    // A link whose rows ran out (a key before the first row or after the last, or rows
    // removed since) shows the first or the last page, never an empty one. A "previous" page
    // that reaches the start may be short: walking back and forth then repeats no row.
    if matches!(at, PageAt::Before(_)) && rows.is_empty() {
        at = PageAt::First;
        (rows, more) = read_page(conn, filter, &search, &at, limit)?;
    } else if matches!(at, PageAt::After(_)) && rows.is_empty() {
        at = PageAt::Last;
        (rows, more) = read_page(conn, filter, &search, &at, limit)?;
    }
    let (has_previous, has_next) = match at {
        PageAt::First => (false, more),
        PageAt::After(_) => (true, more),
        PageAt::Before(_) => (more, true),
        PageAt::Last => (more, false),
    };
    if matches!(at, PageAt::Before(_)) && !more {
        at = PageAt::First;
    }
    let found: Vec<String> = filtered_persons!(filter, search.candidates())
        .select(persons::id)
        .limit(COUNT_LIMIT + 1)
        .load(conn)?;
    let n = found.len() as i64;
    let count = if n > COUNT_LIMIT {
        MatchCount::MoreThan(COUNT_LIMIT)
    } else {
        MatchCount::Exact(n)
    };
    Ok(ListPage {
        rows,
        at,
        has_previous,
        has_next,
        count,
    })
}

/// The rows of a page in the list's order, and whether more lie beyond it in the direction read
/// (one row more is asked for).
fn read_page(
    conn: &mut DbConnection,
    filter: &PersonFilter,
    search: &SearchPlan,
    at: &PageAt,
    limit: i64,
) -> QueryResult<(Vec<PersonListRow>, bool)> {
    let query = filtered_persons!(filter, search.candidates());
    let (query, forward) = match at {
        PageAt::First => (query, true),
        PageAt::Last => (query, false),
        PageAt::After(key) => (keyset::beyond(query, filter.sort, key, true), true),
        PageAt::Before(key) => (keyset::beyond(query, filter.sort, key, false), false),
    };
    let mut rows: Vec<PersonListRow> = keyset::ordered(query, filter.sort, forward)
        .limit(limit + 1)
        .select(list_columns!())
        .load(conn)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    if !forward {
        rows.reverse();
    }
    Ok((rows, more))
}

/// Every person matching the filter, whole, in the list's name order (exports).
pub fn list_matching(
    conn: &mut DbConnection,
    filter: &PersonFilter,
) -> anyhow::Result<Vec<Person>> {
    let search = SearchPlan::choose(conn, filter)?;
    let rows = filtered_persons!(filter, search.candidates())
        .order((
            persons::last_name.asc(),
            persons::first_name.asc(),
            persons::id.asc(),
        ))
        .select(PersonRow::as_select())
        .load(conn)?;
    rows.into_iter().map(Person::try_from).collect()
}
