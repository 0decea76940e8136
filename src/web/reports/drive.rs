//! The group report's planned-against-driven tables (issue 17, item 6), ready to print: by
//! district and by road class, minutes with one decimal and the suggested factor.

use crate::reports::groups::drive::{DriveLine, DriveReport};
use crate::web::context::PageContext;

use super::DistrictNames;

/// One shown line.
#[derive(Debug, Clone)]
pub struct ShownDriveLine {
    /// District code, road class word or `total`, kept in a data attribute.
    pub key: String,
    /// The label.
    pub label: String,
    /// Legs compared.
    pub legs: String,
    /// Outliers left out.
    pub outliers: String,
    /// Median planned drive, minutes.
    pub planned: String,
    /// Median driven, minutes.
    pub driven: String,
    /// The suggested factor.
    pub factor: String,
}

/// One table: by district or by road class.
#[derive(Debug, Clone)]
pub struct ShownDriveTable {
    /// Its element id: `drive-districts` or `drive-classes`.
    pub id: &'static str,
    /// Its title.
    pub title: String,
    /// The header of its first column.
    pub first: String,
    /// Its lines.
    pub lines: Vec<ShownDriveLine>,
}

/// The tables.
#[derive(Debug, Clone)]
pub struct DriveTables {
    /// By district, then by road class.
    pub tables: Vec<ShownDriveTable>,
    /// All legs (each table's foot).
    pub total: ShownDriveLine,
    /// How many pairs of done checks could not be compared, in words; empty when none.
    pub unmatched: String,
    /// Whether any leg was compared or left out (else the page says there are none).
    pub has_legs: bool,
}

fn shown(ctx: &PageContext, line: &DriveLine, label: String) -> ShownDriveLine {
    let lang = ctx.lang;
    let minutes = |s: Option<f64>| s.map_or_else(|| "–".to_owned(), |s| lang.decimal(s / 60.0, 1));
    ShownDriveLine {
        key: line.key.clone(),
        label,
        legs: ctx.int(line.legs),
        outliers: ctx.int(line.outliers),
        planned: minutes(line.median_planned_s),
        driven: minutes(line.median_driven_s),
        factor: line
            .factor
            .map_or_else(|| "–".to_owned(), |f| lang.decimal(f, 2)),
    }
}

/// The tables of `report`, districts named in the page's language.
pub fn drive_tables(ctx: &PageContext, report: &DriveReport, names: &DistrictNames) -> DriveTables {
    let districts = ShownDriveTable {
        id: "drive-districts",
        title: ctx.t("groups-drive-by-district"),
        first: ctx.t("field-district"),
        lines: report
            .districts
            .iter()
            .map(|l| shown(ctx, l, names.name(&l.key)))
            .collect(),
    };
    let classes = ShownDriveTable {
        id: "drive-classes",
        title: ctx.t("groups-drive-by-class"),
        first: ctx.t("groups-drive-road-class"),
        lines: report
            .road_classes
            .iter()
            .map(|l| shown(ctx, l, ctx.word("road-class", &l.key)))
            .collect(),
    };
    DriveTables {
        tables: vec![districts, classes],
        total: shown(ctx, &report.total, ctx.t("report-region-total")),
        unmatched: if report.unmatched > 0 {
            ctx.tn("groups-drive-unmatched", report.unmatched)
        } else {
            String::new()
        },
        has_legs: report.total.legs + report.total.outliers > 0,
    }
}
