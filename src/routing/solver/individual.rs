//! A solution as the genetic search sees it: one job list per vehicle, its penalised cost under
//! the current penalty weights, and the neighbours of each job for the diversity measure.

use super::data::{Data, Seg};

/// Marks "no node" in predecessor and successor arrays.
pub(crate) const NONE: u32 = u32::MAX;
/// Stands for any depot in predecessor and successor arrays (depots are interchangeable there).
pub(crate) const DEPOT: u32 = u32::MAX - 1;

/// Weights that turn excess load and time warp into cost, so that the search may cross
/// infeasible space (Vidal et al. 2013).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Penalties {
    pub load: f64,
    pub warp: f64,
}

impl Penalties {
    /// Penalised cost of a whole route summarised by `s` on a vehicle of capacity `cap`.
    #[inline]
    pub fn route_cost(&self, s: &Seg, cap: i64) -> f64 {
        s.cost as f64 + self.load * (s.load - cap).max(0) as f64 + self.warp * s.time_warp as f64
    }
}

/// One member of the population.
#[derive(Clone, Debug)]
pub(crate) struct Individual {
    /// Jobs of each vehicle, in order (no depots).
    pub routes: Vec<Vec<u32>>,
    /// Travel cost plus penalties of left-out jobs, plus weighted violations.
    pub penalised: f64,
    /// Travel cost alone.
    pub travel: i64,
    /// Penalties of left-out optional jobs.
    pub left_out: i64,
    pub excess_load: i64,
    pub time_warp: i64,
    /// Successor and predecessor of each job (`DEPOT`, or `NONE` when left out).
    pub succ: Vec<u32>,
    pub pred: Vec<u32>,
}

impl Individual {
    /// Evaluates `routes`; jobs in no route count as left out (with `skipped` ones costing 0).
    pub fn new(data: &Data, routes: Vec<Vec<u32>>, pen: &Penalties, skipped: &[bool]) -> Self {
        let mut succ = vec![NONE; data.n];
        let mut pred = vec![NONE; data.n];
        let (mut travel, mut excess_load, mut time_warp) = (0, 0, 0);
        for (v, route) in routes.iter().enumerate() {
            if route.is_empty() {
                continue;
            }
            let s = route_segment(data, v, route);
            travel += s.cost;
            excess_load += (s.load - data.capacity[v]).max(0);
            time_warp += s.time_warp;
            for (k, &j) in route.iter().enumerate() {
                pred[j as usize] = if k == 0 { DEPOT } else { route[k - 1] };
                succ[j as usize] = route.get(k + 1).copied().unwrap_or(DEPOT);
            }
        }
        let left_out = (0..data.n)
            .filter(|&j| succ[j] == NONE && !skipped[j])
            .map(|j| data.penalty[j].unwrap_or(i64::MAX / (4 * data.n as i64 + 4)))
            .sum();
        let penalised = (travel + left_out) as f64
            + pen.load * excess_load as f64
            + pen.warp * time_warp as f64;
        Self {
            routes,
            penalised,
            travel,
            left_out,
            excess_load,
            time_warp,
            succ,
            pred,
        }
    }

    /// Feasible for capacity and time windows (by the hull of each job's windows).
    pub fn is_feasible(&self) -> bool {
        self.excess_load == 0 && self.time_warp == 0
    }

    /// The true objective: left-out penalties then travel (only meaningful when feasible).
    pub fn objective(&self) -> i64 {
        self.left_out + self.travel
    }

    /// Re-weighs the violations after the penalty weights changed.
    pub fn reweigh(&mut self, pen: &Penalties) {
        self.penalised = (self.travel + self.left_out) as f64
            + pen.load * self.excess_load as f64
            + pen.warp * self.time_warp as f64;
    }

    /// Broken-pairs distance (Prins 2009; Vidal et al. 2012): the share of jobs whose
    /// neighbours in the route differ between the two solutions.
    pub fn broken_pairs(&self, other: &Self) -> f64 {
        let n = self.succ.len();
        let mut broken = 0usize;
        for j in 0..n {
            let (s, p) = (self.succ[j], self.pred[j]);
            if s != other.succ[j] && s != other.pred[j] {
                broken += 1;
            }
            if p == DEPOT && other.pred[j] != DEPOT && other.succ[j] != DEPOT {
                broken += 1;
            }
        }
        broken as f64 / n.max(1) as f64
    }
}

/// The segment of a whole route, depots included.
pub(crate) fn route_segment(data: &Data, v: usize, route: &[u32]) -> Seg {
    let mut s = data.node_seg[data.start(v) as usize];
    for &j in route {
        s = data.join(&s, &data.node_seg[j as usize]);
    }
    data.join(&s, &data.node_seg[data.end(v) as usize])
}
