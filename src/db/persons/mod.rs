//! Persons of the registry: rows, conversion to the domain type, writes and look-ups; the list
//! query with search, filters, sorting and pagination is in [`list`].

mod list;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::persons;
use super::{DbConnection, now_utc};
use crate::domain::person::{
    Conviction, Curfew, Person, PersonStatus, RiskTier, Severity, Sex, SupervisionKind, Workplace,
};
use crate::domain::{DistrictId, GeoPoint, Iin, PersonId, search};
pub use list::{
    COUNT_LIMIT, ListKey, ListPage, MatchCount, PageAt, PersonFilter, PersonListRow, PersonSort,
    list_matching, list_page,
};

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
