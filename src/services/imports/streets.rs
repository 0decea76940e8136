//! The persons file's home points against the road network: a row whose address names a street
//! the network knows and whose point lies farther than `roads::addresses::NEAR_STREET_M` from it
//! gets a warning naming its line, the street and the distance. A warning, not an error: the
//! row is imported all the same, since the extract may be older than the house, know only part
//! of the street, or spell it otherwise (the office must be able to record anyone), while a
//! swapped latitude and longitude or a point from another town shows at once.

use super::{ImportKind, ImportReport};
use crate::domain::person_csv::{self, FileError};
use crate::roads::Router;

/// Adds the street warnings of a persons file to its report (nothing for offences or without a
/// network). Rows that failed validation are checked too: their line may carry both.
pub fn add_street_warnings(
    report: &mut ImportReport,
    kind: ImportKind,
    bytes: &[u8],
    roads: Option<&Router>,
) {
    let (ImportKind::Persons, Some(router)) = (kind, roads) else {
        return;
    };
    let index = router.addresses();
    for (line, record) in person_csv::read(bytes).rows {
        let point = (
            record.home_lat.trim().parse::<f64>(),
            record.home_lon.trim().parse::<f64>(),
        );
        let (Ok(lat), Ok(lon)) = point else {
            continue;
        };
        if let Some((street, metres)) =
            index.far_from_named_street(&router.net, &record.home_address, lat, lon)
        {
            report.warnings.push(FileError {
                line,
                column: Some("home_lat".to_owned()),
                key: "import-warning-far-from-street",
                args: vec![("name", street), ("number", format!("{metres:.0}"))],
            });
        }
    }
}
