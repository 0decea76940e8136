//! What the CSV targets validate against: one district (a square around Kostanay) and a fixed
//! today, so a run is reproducible.

use baqylau::domain::{District, DistrictKind};
use chrono::NaiveDate;
use geo::{LineString, Polygon};

pub fn districts() -> Vec<District> {
    let square = LineString::from(vec![
        (63.0, 53.0),
        (64.0, 53.0),
        (64.0, 54.0),
        (63.0, 54.0),
        (63.0, 53.0),
    ]);
    vec![District {
        id: String::from("d1").into(),
        code: "KST".to_owned(),
        name_kk: "Қостанай".to_owned(),
        name_ru: "Костанай".to_owned(),
        name_en: "Kostanay".to_owned(),
        kind: DistrictKind::Urban,
        population: 250_000,
        boundary: Polygon::new(square, vec![]),
    }]
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or(NaiveDate::MIN)
}
