//! The registry's person list: filters, a text search through the trigram index of either
//! backend, sorting and pagination, and the whole matching persons for exports.

use diesel::prelude::*;

use super::PersonRow;
use crate::db::DbConnection;
use crate::db::connection::MultiBackend;
use crate::db::schema::persons;
use crate::domain::person::{Person, PersonStatus, RiskTier, SupervisionKind};
use crate::domain::{DistrictId, search};

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

impl PersonFilter {
    /// Whether the text search is the only filter.
    fn only_searches(&self) -> bool {
        self.district_id.is_none()
            && self.risk_tier.is_none()
            && self.status.is_none()
            && self.supervision_kind.is_none()
    }
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
    /// Many rows hold it; on SQLite the phrase counts them from the index alone.
    Broad { phrase: Option<String> },
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
                SearchPlan::Broad {
                    phrase: Some(phrase),
                }
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
            SearchPlan::Broad { phrase: None }
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

    /// Whether the page's query also counts all matches (`count(*) over ()`): when there are
    /// few, or a scan reads every row anyway.
    fn counts_in_the_page_query(&self, filter: &PersonFilter) -> bool {
        match self {
            SearchPlan::Narrow(_) => true,
            SearchPlan::Scan => filter
                .query
                .as_deref()
                .is_some_and(|q| !q.trim().is_empty()),
            SearchPlan::Broad { .. } => false,
        }
    }
}

/// A `count(*)` read by `sql_query`.
#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// How many persons hold a text, from SQLite's trigram index alone (a phrase match there is the
/// same substring test as the list's `LIKE` on the folded text).
fn count_trigram_matches(conn: &mut DbConnection, phrase: &str) -> QueryResult<i64> {
    Ok(
        diesel::sql_query("SELECT count(*) AS n FROM persons_search WHERE persons_search MATCH ?")
            .bind::<diesel::sql_types::Text, _>(phrase)
            .get_result::<Count>(conn)?
            .n,
    )
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
        )
    };
}

/// A boxed query of persons.
type PersonsQuery<'a> = persons::BoxedQuery<'a, MultiBackend>;

/// The list's order. 'high' < 'low' < 'medium' alphabetically, so tiers sort by an explicit
/// rank: the same expression as the index `persons_tier_rank`, so the page is an index walk.
fn sorted(query: PersonsQuery<'_>, sort: PersonSort) -> PersonsQuery<'_> {
    match sort {
        PersonSort::Name => query.order((
            persons::last_name.asc(),
            persons::first_name.asc(),
            persons::id.asc(),
        )),
        PersonSort::District => query.order((
            persons::district_id.asc(),
            persons::last_name.asc(),
            persons::id.asc(),
        )),
        PersonSort::RiskTier => query.order((
            diesel::dsl::sql::<diesel::sql_types::Integer>(
                "CASE risk_tier WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END",
            )
            .asc(),
            persons::last_name.asc(),
            persons::id.asc(),
        )),
        PersonSort::Updated => query.order((persons::updated_at.desc(), persons::id.asc())),
    }
}

/// One page of persons matching the filter, and how many match in all.
pub fn list_persons(
    conn: &mut DbConnection,
    filter: &PersonFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<PersonListRow>, i64)> {
    let search = SearchPlan::choose(conn, filter)?;
    let page = sorted(filtered_persons!(filter, search.candidates()), filter.sort)
        .offset(offset)
        .limit(limit);
    if search.counts_in_the_page_query(filter) {
        return page_and_count(conn, page, filter, &search);
    }
    // Without a search, or with a broad one, the page is a walk of the sort order's index that
    // stops at the page; a window count would make the database build the whole result first.
    // The count is separate: from the filters' indexes, or the trigram index alone.
    let total: i64 = match &search {
        SearchPlan::Broad {
            phrase: Some(phrase),
        } if filter.only_searches() => count_trigram_matches(conn, phrase)?,
        _ => filtered_persons!(filter, search.candidates())
            .count()
            .get_result(conn)?,
    };
    let rows = page.select(list_columns!()).load(conn)?;
    Ok((rows, total))
}

/// A page with few candidates (or a scan anyway), counted in the same query
/// (`count(*) over ()`) instead of reading them twice.
fn page_and_count(
    conn: &mut DbConnection,
    page: PersonsQuery<'_>,
    filter: &PersonFilter,
    search: &SearchPlan,
) -> QueryResult<(Vec<PersonListRow>, i64)> {
    let count = diesel::dsl::sql::<diesel::sql_types::BigInt>("count(*) OVER ()");
    let rows: Vec<(PersonListRow, i64)> = page.select((list_columns!(), count)).load(conn)?;
    let total = match rows.first() {
        Some((_, total)) => *total,
        None => filtered_persons!(filter, search.candidates())
            .count()
            .get_result(conn)?,
    };
    Ok((rows.into_iter().map(|(row, _)| row).collect(), total))
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
