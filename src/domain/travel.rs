//! Where a plan's travel times come from (issue 17, item 3): the imported road network, or the
//! great-circle estimate; for a plan on roads, how many of its points fell back to the straight
//! line and why; and each route's driving distance and time on that source, leg by leg.

use chrono::{NaiveDate, NaiveDateTime};

use super::{CheckId, MobileGroupId, text_enum};

text_enum!(
    /// The travel source of a plan.
    TravelSource {
        /// The imported road network (points off it fall back to the straight line).
        Roads = "roads",
        /// Great-circle distance times a circuity factor, at town or country speed.
        GreatCircle = "great_circle",
    }
);

text_enum!(
    /// Why a point of a plan on roads is timed by the straight line.
    TravelFallback {
        /// No road network is imported (any more).
        NoNetwork = "no_network",
        /// The point lies outside the network's box.
        OutsideNetwork = "outside_network",
        /// The nearest road is too far from the point.
        TooFarFromRoad = "too_far_from_road",
        /// The point's coordinates are not a place on Earth.
        InvalidPoint = "invalid_point",
    }
);

/// What a plan's travel times were computed on.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TravelSummary {
    /// Roads or great circle.
    pub source: TravelSource,
    /// The network's file name, on roads.
    pub network_name: Option<String>,
    /// When the network was imported, UTC, on roads.
    pub network_imported_at: Option<NaiveDateTime>,
    /// Points of the plan's problem: the groups' bases and the checks.
    pub points: usize,
    /// Points timed by the straight line (all of them on the great circle).
    pub fell_back: usize,
    /// The reasons of those that fell back, counted, in [`TravelFallback::ALL`] order.
    pub reasons: Vec<(TravelFallback, usize)>,
}

impl Default for TravelSummary {
    fn default() -> Self {
        TravelSummary {
            source: TravelSource::GreatCircle,
            network_name: None,
            network_imported_at: None,
            points: 0,
            fell_back: 0,
            reasons: Vec::new(),
        }
    }
}

impl TravelSummary {
    /// The reasons as stored: `too_far_from_road=2,outside_network=1`.
    pub fn reasons_text(&self) -> String {
        self.reasons
            .iter()
            .map(|(r, n)| format!("{r}={n}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads the stored reasons; unknown words and bad counts are skipped (a newer server may
    /// know more reasons than this one).
    pub fn parse_reasons(text: &str) -> Vec<(TravelFallback, usize)> {
        text.split(',')
            .filter_map(|part| {
                let (word, count) = part.split_once('=')?;
                Some((TravelFallback::parse(word)?, count.parse().ok()?))
            })
            .collect()
    }

    /// One line for the command line and logs, in English.
    pub fn describe(&self) -> String {
        let reasons = self
            .reasons
            .iter()
            .map(|(r, n)| format!("{n} {}", r.as_str().replace('_', " ")))
            .collect::<Vec<_>>()
            .join(", ");
        match (self.source, &self.network_name) {
            (TravelSource::Roads, name) => format!(
                "travel times: roads (network {}); {} of {} points by straight line{}",
                name.as_deref().unwrap_or("?"),
                self.fell_back,
                self.points,
                if reasons.is_empty() {
                    String::new()
                } else {
                    format!(": {reasons}")
                }
            ),
            (TravelSource::GreatCircle, _) => {
                "travel times: straight line (no road network imported)".to_owned()
            }
        }
    }
}

/// One route's driving as its plan's travel source gives it (base, stops in order, base).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RouteTravel {
    /// The group.
    pub group_id: MobileGroupId,
    /// The day.
    pub date: NaiveDate,
    /// Metres.
    pub distance_m: i64,
    /// Seconds.
    pub driving_s: i64,
    /// Its legs into the stops, in order (the drive back to the base is not one: no visit ends
    /// it). Empty where they are not known: routes read back without them, a route that emptied.
    #[serde(skip)]
    pub legs: Vec<LegTravel>,
}

/// One leg of a route as its plan timed it: the drive into a stop from the stop before (or from
/// the base), which the group report holds against the visits' recorded times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegTravel {
    /// The stop it arrives at.
    pub check_id: CheckId,
    /// The stop it leaves; `None` from the base.
    pub from_check_id: Option<CheckId>,
    /// Seconds.
    pub driving_s: i64,
    /// Metres.
    pub distance_m: i64,
    /// The road class (`roads::RoadClass` word) most of its driving time is spent on; `None`
    /// when the leg was timed by the straight line.
    pub road_class: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_round_trip_and_unknown_words_are_skipped() {
        let summary = TravelSummary {
            reasons: vec![
                (TravelFallback::OutsideNetwork, 1),
                (TravelFallback::TooFarFromRoad, 2),
            ],
            ..TravelSummary::default()
        };
        let text = summary.reasons_text();
        assert_eq!(text, "outside_network=1,too_far_from_road=2");
        assert_eq!(TravelSummary::parse_reasons(&text), summary.reasons);
        assert_eq!(
            TravelSummary::parse_reasons("ferry=3,no_network=x,invalid_point=4"),
            vec![(TravelFallback::InvalidPoint, 4)]
        );
    }
}
