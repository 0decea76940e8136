//! A plan's travel source and its routes' driving as stored (`plan_travel`, `plan_routes`, and
//! each route's legs in `plan_legs`): written with every placement of the plan's checks, read by
//! its pages and the group report.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::DbConnection;
use super::rows::{BadRow, word};
use super::schema::{plan_legs, plan_routes, plan_travel};
use crate::domain::travel::{LegTravel, RouteTravel, TravelSource, TravelSummary};
use crate::domain::{CheckId, MobileGroupId, PlanId};

/// A row of `plan_travel`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_travel)]
#[expect(
    missing_docs,
    reason = "the fields mirror the columns of the migration"
)]
pub struct PlanTravelRow {
    pub plan_id: String,
    pub source: String,
    pub network_name: Option<String>,
    pub network_imported_at: Option<NaiveDateTime>,
    pub points: i32,
    pub fell_back: i32,
    pub reasons: String,
}

/// A row of `plan_routes`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_routes)]
#[expect(
    missing_docs,
    reason = "the fields mirror the columns of the migration"
)]
pub struct PlanRouteRow {
    pub plan_id: String,
    pub mobile_group_id: String,
    pub day: NaiveDate,
    pub distance_m: i64,
    pub driving_s: i64,
}

/// A row of `plan_legs`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_legs)]
#[expect(
    missing_docs,
    reason = "the fields mirror the columns of the migration"
)]
pub struct PlanLegRow {
    pub plan_id: String,
    pub check_id: String,
    pub mobile_group_id: String,
    pub day: NaiveDate,
    pub from_check_id: Option<String>,
    pub driving_s: i64,
    pub distance_m: i64,
    pub road_class: Option<String>,
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Stores (replaces) the travel source of `plan_id`.
pub fn save_summary(
    conn: &mut DbConnection,
    plan_id: &PlanId,
    summary: &TravelSummary,
) -> QueryResult<()> {
    let row = PlanTravelRow {
        plan_id: plan_id.to_string(),
        source: summary.source.as_str().to_owned(),
        network_name: summary.network_name.clone(),
        network_imported_at: summary.network_imported_at,
        points: count(summary.points),
        fell_back: count(summary.fell_back),
        reasons: summary.reasons_text(),
    };
    diesel::delete(plan_travel::table.find(plan_id.as_str())).execute(conn)?;
    diesel::insert_into(plan_travel::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Replaces the stored driving of the routes of `plan_id` named in `routes` (every route of
/// the plan when `all`, so routes that emptied go too).
pub fn save_routes(
    conn: &mut DbConnection,
    plan_id: &PlanId,
    routes: &[RouteTravel],
    all: bool,
) -> QueryResult<()> {
    let of_plan = plan_routes::plan_id.eq(plan_id.as_str());
    if all {
        diesel::delete(plan_routes::table.filter(of_plan)).execute(conn)?;
        diesel::delete(plan_legs::table.filter(plan_legs::plan_id.eq(plan_id.as_str())))
            .execute(conn)?;
    }
    for r in routes {
        diesel::delete(
            plan_routes::table
                .filter(of_plan)
                .filter(plan_routes::mobile_group_id.eq(r.group_id.as_str()))
                .filter(plan_routes::day.eq(r.date)),
        )
        .execute(conn)?;
        save_legs(conn, plan_id, r)?;
        diesel::insert_into(plan_routes::table)
            .values(PlanRouteRow {
                plan_id: plan_id.to_string(),
                mobile_group_id: r.group_id.to_string(),
                day: r.date,
                distance_m: r.distance_m,
                driving_s: r.driving_s,
            })
            .execute(conn)?;
    }
    Ok(())
}

/// Replaces the legs of one route (a check moved from another route leaves that one's legs,
/// which its own re-timing replaces, or `all`).
fn save_legs(conn: &mut DbConnection, plan_id: &PlanId, route: &RouteTravel) -> QueryResult<()> {
    let of_plan = plan_legs::plan_id.eq(plan_id.as_str());
    diesel::delete(
        plan_legs::table
            .filter(of_plan)
            .filter(plan_legs::mobile_group_id.eq(route.group_id.as_str()))
            .filter(plan_legs::day.eq(route.date)),
    )
    .execute(conn)?;
    let ids: Vec<&str> = route.legs.iter().map(|l| l.check_id.as_str()).collect();
    // A stop moved here from another route of the plan still has a leg there until that route
    // is re-timed: the stop's leg is where it is now.
    diesel::delete(
        plan_legs::table
            .filter(of_plan)
            .filter(plan_legs::check_id.eq_any(&ids)),
    )
    .execute(conn)?;
    let rows: Vec<PlanLegRow> = route
        .legs
        .iter()
        .map(|l| PlanLegRow {
            plan_id: plan_id.to_string(),
            check_id: l.check_id.to_string(),
            mobile_group_id: route.group_id.to_string(),
            day: route.date,
            from_check_id: l.from_check_id.as_ref().map(ToString::to_string),
            driving_s: l.driving_s,
            distance_m: l.distance_m,
            road_class: l.road_class.clone(),
        })
        .collect();
    // Row by row: a route holds a shift's stops (a dozen), and SQLite caps bound values.
    for row in rows {
        diesel::insert_into(plan_legs::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// The travel source of `plan_id`; `None` for a plan made before plans kept it.
pub fn find_summary(
    conn: &mut DbConnection,
    plan_id: &PlanId,
) -> QueryResult<Option<TravelSummary>> {
    let Some(row) = plan_travel::table
        .find(plan_id.as_str())
        .select(PlanTravelRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    Ok(Some(TravelSummary {
        source: word(
            TravelSource::parse(&row.source),
            "plan_travel",
            "source",
            &row.source,
        )?,
        network_name: row.network_name,
        network_imported_at: row.network_imported_at,
        points: usize::try_from(row.points)
            .map_err(|e| BadRow::new("plan_travel", "points", (row.points, e)))?,
        fell_back: usize::try_from(row.fell_back)
            .map_err(|e| BadRow::new("plan_travel", "fell_back", (row.fell_back, e)))?,
        reasons: TravelSummary::parse_reasons(&row.reasons),
    }))
}

/// The stored driving of the routes of `plan_id`, with their legs.
pub fn list_routes(conn: &mut DbConnection, plan_id: &PlanId) -> QueryResult<Vec<RouteTravel>> {
    let rows = plan_routes::table
        .filter(plan_routes::plan_id.eq(plan_id.as_str()))
        .order((plan_routes::day, plan_routes::mobile_group_id))
        .select(PlanRouteRow::as_select())
        .load(conn)?;
    let mut legs = plan_legs::table
        .filter(plan_legs::plan_id.eq(plan_id.as_str()))
        .select(PlanLegRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (mine, rest) = legs
                .drain(..)
                .partition(|l| l.mobile_group_id == r.mobile_group_id && l.day == r.day);
            legs = rest;
            RouteTravel {
                group_id: MobileGroupId::from(r.mobile_group_id),
                date: r.day,
                distance_m: r.distance_m,
                driving_s: r.driving_s,
                legs: in_order(mine),
            }
        })
        .collect())
}

/// A route's legs from the base on, each after the one into the stop it leaves.
fn in_order(rows: Vec<PlanLegRow>) -> Vec<LegTravel> {
    let mut out: Vec<LegTravel> = Vec::with_capacity(rows.len());
    let mut rest = rows;
    let mut from: Option<String> = None;
    while let Some(i) = rest.iter().position(|l| l.from_check_id == from) {
        let row = rest.swap_remove(i);
        from = Some(row.check_id.clone());
        out.push(LegTravel {
            check_id: CheckId::from(row.check_id),
            from_check_id: row.from_check_id.map(CheckId::from),
            driving_s: row.driving_s,
            distance_m: row.distance_m,
            road_class: row.road_class,
        });
    }
    out
}
