//! Persons of the registry: rows, conversion to the domain type, and the list query with search,
//! filters, sorting and pagination.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::persons;
use super::{DbConnection, now_utc};
use crate::domain::person::{
    Conviction, Curfew, Person, PersonStatus, RiskTier, Severity, Sex, SupervisionKind, Workplace,
};
use crate::domain::{DistrictId, GeoPoint, Iin, PersonId, search};

/// A row of `persons`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = persons)]
#[expect(
    missing_docs,
    reason = "the fields mirror the columns, documented on Person"
)]
pub struct PersonRow {
    pub id: String,
    pub iin: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: NaiveDate,
    pub sex: String,
    pub phone: Option<String>,
    pub article: String,
    pub severity: String,
    pub conviction_date: NaiveDate,
    pub release_date: Option<NaiveDate>,
    pub expungement_date: Option<NaiveDate>,
    pub prior_convictions: i32,
    pub supervision_kind: String,
    pub supervision_start: NaiveDate,
    pub restrictions: Option<String>,
    pub curfew_start_min: Option<i32>,
    pub curfew_end_min: Option<i32>,
    pub risk_tier: String,
    pub risk_tier_reason: Option<String>,
    pub status: String,
    pub home_address: String,
    pub home_lat: f64,
    pub home_lon: f64,
    pub district_id: String,
    pub employer: Option<String>,
    pub work_address: Option<String>,
    pub work_lat: Option<f64>,
    pub work_lon: Option<f64>,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

fn word<T>(parsed: Option<T>, column: &str, value: &str) -> anyhow::Result<T> {
    parsed.ok_or_else(|| anyhow::anyhow!("persons.{column} holds an unknown value {value:?}"))
}

impl TryFrom<PersonRow> for Person {
    type Error = anyhow::Error;

    fn try_from(row: PersonRow) -> Result<Self, Self::Error> {
        let work = match (row.employer, row.work_address, row.work_lat, row.work_lon) {
            (Some(employer), Some(address), Some(lat), Some(lon)) => Some(Workplace {
                employer,
                address,
                point: GeoPoint::new(lat, lon)?,
            }),
            _ => None,
        };
        let curfew = match (row.curfew_start_min, row.curfew_end_min) {
            (Some(start), Some(end)) => Some(Curfew {
                start_min: u16::try_from(start)?,
                end_min: u16::try_from(end)?,
            }),
            _ => None,
        };
        Ok(Person {
            id: PersonId::from(row.id),
            iin: Iin::parse(&row.iin)?,
            last_name: row.last_name,
            first_name: row.first_name,
            middle_name: row.middle_name,
            birth_date: row.birth_date,
            sex: word(Sex::parse(&row.sex), "sex", &row.sex)?,
            phone: row.phone,
            conviction: Conviction {
                article: row.article,
                severity: word(Severity::parse(&row.severity), "severity", &row.severity)?,
                conviction_date: row.conviction_date,
                release_date: row.release_date,
                expungement_date: row.expungement_date,
                prior_convictions: u32::try_from(row.prior_convictions)?,
            },
            supervision_kind: word(
                SupervisionKind::parse(&row.supervision_kind),
                "supervision_kind",
                &row.supervision_kind,
            )?,
            supervision_start: row.supervision_start,
            restrictions: row.restrictions,
            curfew,
            risk_tier: word(RiskTier::parse(&row.risk_tier), "risk_tier", &row.risk_tier)?,
            risk_tier_reason: row.risk_tier_reason,
            status: word(PersonStatus::parse(&row.status), "status", &row.status)?,
            home_address: row.home_address,
            home: GeoPoint::new(row.home_lat, row.home_lon)?,
            district_id: DistrictId::from(row.district_id),
            work,
            version: row.version,
        })
    }
}

/// The stored search text of a person: name, IIN and addresses.
pub fn person_search_text(p: &Person) -> String {
    let work = p.work.as_ref().map(|w| w.address.as_str()).unwrap_or("");
    search::search_text(&[
        &p.last_name,
        &p.first_name,
        p.middle_name.as_deref().unwrap_or(""),
        p.iin.as_str(),
        &p.home_address,
        work,
    ])
}

/// The stored columns of a person except id, version and creation time, for insert and update
/// alike.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = persons, treat_none_as_null = true)]
struct PersonValues<'a> {
    iin: &'a str,
    last_name: &'a str,
    first_name: &'a str,
    middle_name: Option<&'a str>,
    birth_date: NaiveDate,
    sex: &'a str,
    phone: Option<&'a str>,
    article: &'a str,
    severity: &'a str,
    conviction_date: NaiveDate,
    release_date: Option<NaiveDate>,
    expungement_date: Option<NaiveDate>,
    prior_convictions: i32,
    supervision_kind: &'a str,
    supervision_start: NaiveDate,
    restrictions: Option<&'a str>,
    curfew_start_min: Option<i32>,
    curfew_end_min: Option<i32>,
    risk_tier: &'a str,
    risk_tier_reason: Option<&'a str>,
    status: &'a str,
    home_address: &'a str,
    home_lat: f64,
    home_lon: f64,
    district_id: &'a str,
    employer: Option<&'a str>,
    work_address: Option<&'a str>,
    work_lat: Option<f64>,
    work_lon: Option<f64>,
    search_text: String,
    updated_at: NaiveDateTime,
}

impl<'a> PersonValues<'a> {
    fn of(p: &'a Person, now: NaiveDateTime) -> Self {
        let work = p.work.as_ref();
        Self {
            iin: p.iin.as_str(),
            last_name: &p.last_name,
            first_name: &p.first_name,
            middle_name: p.middle_name.as_deref(),
            birth_date: p.birth_date,
            sex: p.sex.as_str(),
            phone: p.phone.as_deref(),
            article: &p.conviction.article,
            severity: p.conviction.severity.as_str(),
            conviction_date: p.conviction.conviction_date,
            release_date: p.conviction.release_date,
            expungement_date: p.conviction.expungement_date,
            prior_convictions: i32::try_from(p.conviction.prior_convictions).unwrap_or(i32::MAX),
            supervision_kind: p.supervision_kind.as_str(),
            supervision_start: p.supervision_start,
            restrictions: p.restrictions.as_deref(),
            curfew_start_min: p.curfew.map(|c| i32::from(c.start_min)),
            curfew_end_min: p.curfew.map(|c| i32::from(c.end_min)),
            risk_tier: p.risk_tier.as_str(),
            risk_tier_reason: p.risk_tier_reason.as_deref(),
            status: p.status.as_str(),
            home_address: &p.home_address,
            home_lat: p.home.lat,
            home_lon: p.home.lon,
            district_id: p.district_id.as_str(),
            employer: work.map(|w| w.employer.as_str()),
            work_address: work.map(|w| w.address.as_str()),
            work_lat: work.map(|w| w.point.lat),
            work_lon: work.map(|w| w.point.lon),
            search_text: person_search_text(p),
            updated_at: now,
        }
    }
}

/// Inserts a person.
pub fn insert(conn: &mut DbConnection, p: &Person) -> QueryResult<()> {
    let now = now_utc();
    diesel::insert_into(persons::table)
        .values((
            persons::id.eq(p.id.as_str()),
            persons::version.eq(p.version),
            persons::created_at.eq(now),
            PersonValues::of(p, now),
        ))
        .execute(conn)
        .map(drop)
}

/// Saves a changed person if the stored version is still `p.version`, and bumps the version.
/// `false` when someone else saved in between (the caller shows the conflict) or the person is
/// gone.
pub fn update(conn: &mut DbConnection, p: &Person) -> QueryResult<bool> {
    let now = now_utc();
    let changed = diesel::update(
        persons::table
            .filter(persons::id.eq(p.id.as_str()))
            .filter(persons::version.eq(p.version)),
    )
    .set((
        PersonValues::of(p, now),
        persons::version.eq(p.version.saturating_add(1)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The person with that IIN.
pub fn find_by_iin(conn: &mut DbConnection, iin: &str) -> anyhow::Result<Option<Person>> {
    let row = persons::table
        .filter(persons::iin.eq(iin))
        .select(PersonRow::as_select())
        .first(conn)
        .optional()?;
    row.map(Person::try_from).transpose()
}

/// The person with that id.
pub fn find_person(conn: &mut DbConnection, id: &PersonId) -> anyhow::Result<Option<Person>> {
    let row = persons::table
        .find(id.as_str())
        .select(PersonRow::as_select())
        .first(conn)
        .optional()?;
    row.map(Person::try_from).transpose()
}

/// How many persons there are.
pub fn count_persons(conn: &mut DbConnection) -> QueryResult<i64> {
    persons::table.count().get_result(conn)
}

/// Every person (demo checks and exports), ordered by id.
pub fn list_all_persons(conn: &mut DbConnection) -> anyhow::Result<Vec<Person>> {
    let rows = persons::table
        .order(persons::id.asc())
        .select(PersonRow::as_select())
        .load(conn)?;
    rows.into_iter().map(Person::try_from).collect()
}

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
        if super::is_sqlite(conn) {
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

/// A list row as loaded with the count of all matches.
type ListTuple = (
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    i64,
);

/// One page of persons matching the filter, and how many match in all.
pub fn list_persons(
    conn: &mut DbConnection,
    filter: &PersonFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<PersonListRow>, i64)> {
    let search = SearchPlan::choose(conn, filter)?;
    let mut query = filtered_persons!(filter, search.candidates());
    query = match filter.sort {
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
        // 'high' < 'low' < 'medium' alphabetically, so sort by an explicit rank.
        // The same expression as the index `persons_tier_rank`, so the page is an index walk.
        PersonSort::RiskTier => query.order((
            diesel::dsl::sql::<diesel::sql_types::Integer>(
                "CASE risk_tier WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END",
            )
            .asc(),
            persons::last_name.asc(),
            persons::id.asc(),
        )),
        PersonSort::Updated => query.order((persons::updated_at.desc(), persons::id.asc())),
    };
    let query = query.offset(offset).limit(limit);
    if search.counts_in_the_page_query(filter) {
        // Few candidates (or a scan anyway): count in the same query (`count(*) over ()`)
        // instead of reading them twice.
        let rows: Vec<ListTuple> = query
            .select((
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
                diesel::dsl::sql::<diesel::sql_types::BigInt>("count(*) OVER ()"),
            ))
            .load(conn)?;
        let total = match rows.first() {
            Some(row) => row.10,
            None => filtered_persons!(filter, search.candidates())
                .count()
                .get_result(conn)?,
        };
        let rows = rows.into_iter().map(|r| PersonListRow {
            id: r.0,
            iin: r.1,
            last_name: r.2,
            first_name: r.3,
            middle_name: r.4,
            district_id: r.5,
            risk_tier: r.6,
            status: r.7,
            supervision_kind: r.8,
            home_address: r.9,
        });
        return Ok((rows.collect(), total));
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
    let rows = query
        .select((
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
        ))
        .load(conn)?;
    Ok((rows, total))
}

/// Persons counted by district, risk tier and status (overview tables).
pub fn count_by_district_tier_status(
    conn: &mut DbConnection,
) -> QueryResult<Vec<(String, String, String, i64)>> {
    persons::table
        .group_by((persons::district_id, persons::risk_tier, persons::status))
        .select((
            persons::district_id,
            persons::risk_tier,
            persons::status,
            diesel::dsl::count_star(),
        ))
        .order((persons::district_id, persons::risk_tier, persons::status))
        .load(conn)
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

/// Full names of the persons with these ids.
pub fn names_of(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    Ok(names_and_iins_of(conn, ids)?
        .into_iter()
        .map(|(id, (name, _))| (id, name))
        .collect())
}

/// Full names and IINs by person id, for the ids given (unknown ids are left out).
pub fn names_and_iins_of(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<std::collections::HashMap<String, (String, String)>> {
    let mut names = std::collections::HashMap::new();
    // In slices: SQLite limits the variables of one statement.
    for chunk in ids.chunks(500) {
        let rows: Vec<(String, String, String, String, Option<String>)> = persons::table
            .filter(persons::id.eq_any(chunk))
            .select((
                persons::id,
                persons::iin,
                persons::last_name,
                persons::first_name,
                persons::middle_name,
            ))
            .load(conn)?;
        for (id, iin, last, first, middle) in rows {
            let name = crate::domain::person::full_name(&last, &first, middle.as_deref());
            names.insert(id, (name, iin));
        }
    }
    Ok(names)
}
