//! A solution the search keeps (the least penalised): one job list per vehicle and
//! its costs, plus the penalty weights that price excess load and time warp.

use super::data::{Data, Seg};

/// Marks "no route" for a job that is left out.
pub(crate) const NONE: u32 = u32::MAX;

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

/// Cost of leaving a required job out: larger than any route plan, small enough to add up.
pub(crate) fn required_penalty(n: usize) -> i64 {
    i64::MAX / (4 * n as i64 + 4)
}

/// A recorded solution.
#[derive(Clone, Debug)]
pub(crate) struct Individual {
    /// Jobs of each vehicle, in order (no depots).
    pub routes: Vec<Vec<u32>>,
    /// Travel cost plus penalties of left-out jobs, plus weighted violations.
    pub penalised: f64,
}

impl Individual {
    /// Evaluates `routes`; jobs in no route count as left out (with `skipped` ones costing 0).
    pub fn new(data: &Data, routes: Vec<Vec<u32>>, pen: &Penalties, skipped: &[bool]) -> Self {
        let mut served = vec![false; data.n];
        let mut penalised = 0.0;
        for (v, route) in routes.iter().enumerate().filter(|(_, r)| !r.is_empty()) {
            let s = route_segment(data, v, route);
            penalised += pen.route_cost(&s, data.capacity[v]);
            route.iter().for_each(|&j| served[j as usize] = true);
        }
        let left_out: i64 = (0..data.n)
            .filter(|&j| !served[j] && !skipped[j])
            .map(|j| data.penalty[j].unwrap_or(required_penalty(data.n)))
            .sum();
        Self {
            routes,
            penalised: penalised + left_out as f64,
        }
    }
}

/// The segment of a whole route, depots included.
pub(crate) fn route_segment(data: &Data, v: usize, route: &[u32]) -> Seg {
    let mut s = data.node_seg[data.start(v) as usize];
    for &j in route {
        s = data.join(&s, &data.seg(j, v));
    }
    data.join(&s, &data.node_seg[data.end(v) as usize])
}
