//! Where a plan's travel times come from (issue 17, item 3). A new plan is timed on the
//! imported road network when there is one (points off it fall back to the planner's own
//! great-circle estimate, each with its reason), else on the great circle; the plan keeps its
//! source, and every edit that re-times it (re-optimise, move, add, remove) and the checker use
//! the same one, so that its route times do not change with an edit. The pure planner gets the
//! matrix ready-made ([`crate::planning::PlanRequest::travel`]).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use crate::db::{self, DbConnection};
use crate::domain::check::Check;
use crate::domain::mobile_group::MobileGroup;
use crate::domain::travel::{LegTravel, RouteTravel, TravelFallback, TravelSource, TravelSummary};
use crate::domain::{District, GeoPoint, PlanId};
use crate::planning::GreatCircleLegs;
use crate::roads::{self, FallbackReason, NetworkCache, NetworkSummary, PointSource, Router};
use crate::routing::{LatLon, TravelMatrix};

/// The cache of the callers that hold none of their own (the command line, the demo's history,
/// tests); app servers pass the one in their state.
pub fn shared_cache() -> &'static NetworkCache {
    static SHARED: OnceLock<NetworkCache> = OnceLock::new();
    SHARED.get_or_init(NetworkCache::default)
}

/// The travel source of a plan, ready to price its legs.
pub struct Travel {
    source: TravelSource,
    router: Option<Arc<Router>>,
    network: Option<NetworkSummary>,
}

impl Travel {
    /// The great-circle estimate.
    pub fn great_circle() -> Self {
        Travel {
            source: TravelSource::GreatCircle,
            router: None,
            network: None,
        }
    }

    /// For a new plan: the imported network when there is one, else the great circle.
    pub fn for_new_plan(conn: &mut DbConnection, cache: &NetworkCache) -> anyhow::Result<Self> {
        let network = roads::store::active_summary(conn)?;
        if network.is_none() {
            return Ok(Travel::great_circle());
        }
        Ok(Travel {
            source: TravelSource::Roads,
            router: cache.active(conn)?,
            network,
        })
    }

    /// For a change to a stored plan: the source it was made on. A plan on roads uses the
    /// network imported now (a newer import replaces the old one; without any, its points fall
    /// back with "no network"); a plan on the great circle, or made before plans kept their
    /// source, stays on the great circle.
    pub fn of_plan(
        conn: &mut DbConnection,
        cache: &NetworkCache,
        plan_id: &PlanId,
    ) -> anyhow::Result<Self> {
        match db::plan_travel::find_summary(conn, plan_id)? {
            Some(s) if s.source == TravelSource::Roads => Ok(Travel {
                source: TravelSource::Roads,
                network: roads::store::active_summary(conn)?,
                router: cache.active(conn)?,
            }),
            _ => Ok(Travel::great_circle()),
        }
    }

    /// Whether this is the road network (else the great circle).
    pub fn is_roads(&self) -> bool {
        self.source == TravelSource::Roads
    }

    /// What a great-circle matrix of `points` points was made on.
    pub fn summary_of(&self, points: usize) -> TravelSummary {
        TravelSummary {
            points,
            fell_back: points,
            ..TravelSummary::default()
        }
    }

    /// The matrix between `points` (seconds, metres; not symmetric on roads) and what it was
    /// made on.
    pub fn matrix(
        &self,
        districts: &[District],
        points: &[GeoPoint],
    ) -> (TravelMatrix, TravelSummary) {
        let legs = GreatCircleLegs::new(districts, points);
        if !self.is_roads() {
            return (legs.matrix(), self.summary_of(points.len()));
        }
        let at: Vec<LatLon> = points
            .iter()
            .map(|p| LatLon {
                lat: p.lat,
                lon: p.lon,
            })
            .collect();
        let fallback = |i, j| legs.leg(i, j);
        let m = roads::travel_matrix(
            self.router.as_deref(),
            &at,
            roads::DEFAULT_MAX_SNAP_M,
            &fallback,
        );
        let mut reasons: BTreeMap<usize, usize> = BTreeMap::new();
        for s in &m.sources {
            if let PointSource::GreatCircle { reason } = s {
                let word = fallback_word(*reason);
                let rank = TravelFallback::ALL.iter().position(|w| *w == word);
                *reasons.entry(rank.unwrap_or(0)).or_default() += 1;
            }
        }
        let summary = TravelSummary {
            source: TravelSource::Roads,
            network_name: self.network.as_ref().map(|n| n.source.clone()),
            network_imported_at: self.network.as_ref().map(|n| n.imported_at),
            points: points.len(),
            fell_back: points.len() - m.on_roads(),
            reasons: reasons
                .into_iter()
                .map(|(rank, n)| (TravelFallback::ALL[rank], n))
                .collect(),
        };
        (m.matrix, summary)
    }

    /// Each placed route's driving on this source: base, the stops in order, base.
    pub fn routes(
        &self,
        districts: &[District],
        groups: &[MobileGroup],
        checks: &[Check],
    ) -> Vec<RouteTravel> {
        let mut runs: BTreeMap<(chrono::NaiveDate, &str), Vec<&Check>> = BTreeMap::new();
        for c in checks {
            if let (Some(g), Some(d)) = (&c.mobile_group_id, c.planned_date) {
                runs.entry((d, g.as_str())).or_default().push(c);
            }
        }
        runs.into_iter()
            .filter_map(|((date, group_id), mut stops)| {
                let group = groups.iter().find(|g| g.id.as_str() == group_id)?;
                stops.sort_by_key(|c| c.position.unwrap_or(i32::MAX));
                Some(self.route(districts, group, date, &stops))
            })
            .collect()
    }

    /// One route's driving.
    fn route(
        &self,
        districts: &[District],
        group: &MobileGroup,
        date: chrono::NaiveDate,
        stops: &[&Check],
    ) -> RouteTravel {
        let points: Vec<GeoPoint> = std::iter::once(group.base)
            .chain(stops.iter().map(|c| c.location))
            .collect();
        let (m, _) = self.matrix(districts, &points);
        let path: Vec<usize> = (0..points.len()).chain(std::iter::once(0)).collect();
        let (mut distance_m, mut driving_s) = (0, 0);
        for w in path.windows(2) {
            distance_m += m.distance(w[0], w[1]);
            driving_s += m.duration(w[0], w[1]);
        }
        let classes = self.leg_classes(&points);
        let legs = stops
            .iter()
            .enumerate()
            .map(|(k, stop)| LegTravel {
                check_id: stop.id.clone(),
                from_check_id: k.checked_sub(1).map(|j| stops[j].id.clone()),
                driving_s: m.duration(k, k + 1),
                distance_m: m.distance(k, k + 1),
                road_class: classes.get(k).cloned().flatten(),
            })
            .collect();
        RouteTravel {
            group_id: group.id.clone(),
            date,
            distance_m,
            driving_s,
            legs,
        }
    }

    /// The road class each leg `points[k] -> points[k + 1]` mostly drives on, where both ends
    /// are on the roads (`None` where the leg is timed by the straight line). The leg's class is
    /// the one of most of its driving time, not of most of its length: the report it serves
    /// compares times, and a leg's time is mostly where it is slow.
    fn leg_classes(&self, points: &[GeoPoint]) -> Vec<Option<String>> {
        let Some(router) = self.router.as_deref().filter(|_| self.is_roads()) else {
            return Vec::new();
        };
        let snaps: Vec<Option<roads::Snap>> = points
            .iter()
            .map(|p| {
                let at = LatLon {
                    lat: p.lat,
                    lon: p.lon,
                };
                roads::matrix::locate(router, at, roads::DEFAULT_MAX_SNAP_M).ok()
            })
            .collect();
        snaps
            .windows(2)
            .map(|w| match (&w[0], &w[1]) {
                (Some(a), Some(b)) => router.dominant_class(a, b).map(|c| c.as_str().to_owned()),
                _ => None,
            })
            .collect()
    }
}

/// The stored word of a road matrix's fallback reason.
fn fallback_word(reason: FallbackReason) -> TravelFallback {
    match reason {
        FallbackReason::NoNetwork => TravelFallback::NoNetwork,
        FallbackReason::OutsideNetwork => TravelFallback::OutsideNetwork,
        FallbackReason::TooFarFromRoad { .. } => TravelFallback::TooFarFromRoad,
        FallbackReason::InvalidPoint => TravelFallback::InvalidPoint,
    }
}
