//! A contraction hierarchy over the road graph: every junction gets a rank, and shortcuts stand
//! for the fastest paths through the lower-ranked junctions, so a query only climbs (a few
//! hundred junctions from each end) instead of flooding the region.
//!
//! We build our own rather than use `fast_paths` because the planner needs what that crate does
//! not give: many-to-many matrices (the bucket algorithm of Knopp et al., 250 x 250 in a few
//! milliseconds instead of 62,500 point-to-point queries) and the distance of the fastest path
//! next to its time (each shortcut carries both).
//!
//! - `contract`: node ordering (edge difference, deleted neighbours, level) and witness searches.
//! - `query`: upward searches, one route with its unpacked edges, and many-to-many matrices.

mod contract;
mod query;

pub use contract::build;
pub use query::{Seed, Via};

/// Marks a hierarchy edge that is an edge of the road graph; the rest of `via` is then the
/// directed edge (`segment * 2 + 1` when driven backwards), else `via` is the middle junction
/// of a shortcut.
pub const ORIGINAL: u32 = 1 << 31;

/// An edge of the hierarchy, stored at its lower-ranked end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChEdge {
    /// The higher-ranked junction at the other end.
    pub to: u32,
    /// Driving time, milliseconds.
    pub time_ms: u32,
    /// Length, decimetres.
    pub dist_dm: u32,
    /// `ORIGINAL | directed edge`, or the middle junction of a shortcut.
    pub via: u32,
}

/// An edge of the road graph given to [`build`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputArc {
    /// Tail junction.
    pub from: u32,
    /// Head junction.
    pub to: u32,
    /// Driving time, milliseconds.
    pub time_ms: u32,
    /// Length, decimetres.
    pub dist_dm: u32,
    /// The directed edge it is (`segment * 2 + 1` when driven backwards).
    pub edge: u32,
}

/// The hierarchy: for each junction, the edges up to higher-ranked ones, in both directions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ch {
    /// `up[up_first[v]..up_first[v + 1]]`: edges v -> to, `to` ranked above v.
    pub up_first: Vec<u32>,
    /// Upward edges in driving direction.
    pub up: Vec<ChEdge>,
    /// `down[down_first[v]..down_first[v + 1]]`: edges to -> v, `to` ranked above v.
    pub down_first: Vec<u32>,
    /// Upward edges against driving direction.
    pub down: Vec<ChEdge>,
}

impl Ch {
    /// Number of junctions.
    pub fn node_count(&self) -> usize {
        self.up_first.len().saturating_sub(1)
    }

    /// Checks that every index points inside (a stored network is decoded through this, so a
    /// damaged one is refused instead of panicking later).
    pub fn validate(&self, directed_edges: u32) -> Result<(), String> {
        let n = self.node_count();
        if self.down_first.len() != n + 1 {
            return Err("hierarchy: index sizes differ".to_owned());
        }
        for (first, edges) in [(&self.up_first, &self.up), (&self.down_first, &self.down)] {
            if first.windows(2).any(|w| w[0] > w[1])
                || first.last().copied().unwrap_or(0) as usize != edges.len()
                || first.first().copied().unwrap_or(0) != 0
            {
                return Err("hierarchy: edge index out of order".to_owned());
            }
            for e in edges {
                let bad_via = if e.via & ORIGINAL != 0 {
                    e.via & !ORIGINAL >= directed_edges
                } else {
                    e.via as usize >= n
                };
                if e.to as usize >= n || bad_via {
                    return Err("hierarchy: edge points outside the network".to_owned());
                }
            }
        }
        Ok(())
    }

    fn range(first: &[u32], v: u32) -> std::ops::Range<usize> {
        let v = v as usize;
        match (first.get(v), first.get(v + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }

    /// Upward edges leaving `v` in driving direction.
    pub fn up_edges(&self, v: u32) -> &[ChEdge] {
        self.up
            .get(Self::range(&self.up_first, v))
            .unwrap_or_default()
    }

    /// Upward edges arriving at `v` (each `to` is the tail).
    pub fn down_edges(&self, v: u32) -> &[ChEdge] {
        self.down
            .get(Self::range(&self.down_first, v))
            .unwrap_or_default()
    }
}
