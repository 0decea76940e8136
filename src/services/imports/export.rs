//! The CSV exports, in the importers' format (a file exported and imported again changes
//! nothing): the persons of a registry filter, every offence; each in the comma dialect, or in
//! the semicolon one (decimal commas in its number columns) for Russian- and Kazakh-locale
//! spreadsheets. The importers read both.

use crate::db::{self, DbConnection};
use crate::domain::offence::OffenceRecord;
use crate::domain::person_csv::CsvRecord;
use crate::domain::person_record::PersonRecord;
use crate::domain::{DistrictId, offence_csv, person_csv};
use crate::reports::csv_dialect::{self, Dialect};

/// The code of the district with `id`, or an empty text.
fn code_of<'a>(districts: &'a [crate::domain::District], id: &DistrictId) -> &'a str {
    districts
        .iter()
        .find(|d| &d.id == id)
        .map(|d| d.code.as_str())
        .unwrap_or_default()
}

/// The persons matching a filter as a CSV file.
pub fn persons_csv(
    conn: &mut DbConnection,
    filter: &db::persons::PersonFilter,
) -> anyhow::Result<Vec<u8>> {
    let districts = db::districts::list_districts(conn)?;
    let persons = db::persons::list_matching(conn, filter)?;
    Ok(person_csv::write(persons.iter().map(|p| {
        PersonRecord::from_person(p, code_of(&districts, &p.district_id))
    })))
}

/// Every offence as a CSV file.
pub fn offences_csv(conn: &mut DbConnection) -> anyhow::Result<Vec<u8>> {
    let districts = db::districts::list_districts(conn)?;
    let offences = db::offences::list_all(conn)?;
    Ok(offence_csv::write(offences.iter().map(|o| {
        OffenceRecord::from_offence(o, code_of(&districts, &o.district_id))
    })))
}

/// An export of `R` records (written in the comma dialect) in `dialect`: the header's names stay
/// the importer's, and only `R`'s number columns get decimal commas.
pub fn in_dialect<R: CsvRecord>(csv: Vec<u8>, dialect: Dialect) -> Vec<u8> {
    match dialect {
        Dialect::Comma => csv,
        Dialect::Semicolon => csv_dialect::convert_with(&csv, dialect, &|_| None, &|column| {
            R::NUMBER_COLUMNS.contains(&column)
        }),
    }
}
