//! Queries on the hierarchy. A point on the road enters as one or two seeds (the junctions at
//! either end of its segment, with the time and distance to reach them); a search only climbs to
//! higher-ranked junctions, and the fastest meeting of a forward and a backward search is the
//! fastest route.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{Ch, ChEdge, ORIGINAL};

/// Where a search starts (or, searching backwards, ends): a junction and the cost to reach it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seed {
    /// The junction.
    pub node: u32,
    /// Milliseconds from the point to the junction (or from the junction to the point).
    pub time_ms: u32,
    /// Decimetres likewise.
    pub dist_dm: u32,
}

/// One step of an unpacked route: the directed edge `segment * 2 (+1 backwards)`.
pub type Via = u32;

#[derive(Debug, Clone, Copy)]
struct Label {
    time: u32,
    dist: u32,
    /// The junction this one was reached from (itself for a seed) and the edge used.
    prev: u32,
    edge: u32,
}

type Labels = FxHashMap<u32, Label>;

impl Ch {
    /// Every junction an upward search from `seeds` settles, with its label. `forward` climbs
    /// in driving direction, else against it.
    fn upward(&self, seeds: &[Seed], forward: bool) -> Labels {
        let mut labels = Labels::default();
        let mut heap = BinaryHeap::new();
        for s in seeds {
            let better = labels.get(&s.node).is_none_or(|l| s.time_ms < l.time);
            if better {
                let label = Label {
                    time: s.time_ms,
                    dist: s.dist_dm,
                    prev: s.node,
                    edge: u32::MAX,
                };
                labels.insert(s.node, label);
                heap.push(Reverse((s.time_ms, s.node)));
            }
        }
        while let Some(Reverse((time, v))) = heap.pop() {
            let Some(here) = labels.get(&v).copied() else {
                continue;
            };
            if time > here.time {
                continue;
            }
            let (edges, base) = if forward {
                (self.up_edges(v), self.up_first.get(v as usize))
            } else {
                (self.down_edges(v), self.down_first.get(v as usize))
            };
            let base = base.copied().unwrap_or(0);
            for (k, e) in edges.iter().enumerate() {
                let next = time.saturating_add(e.time_ms);
                if labels.get(&e.to).is_none_or(|l| next < l.time) {
                    let label = Label {
                        time: next,
                        dist: here.dist.saturating_add(e.dist_dm),
                        prev: v,
                        edge: base + k as u32,
                    };
                    labels.insert(e.to, label);
                    heap.push(Reverse((next, e.to)));
                }
            }
        }
        labels
    }

    /// The fastest route from `sources` to `targets`: (ms, dm, directed edges in order), or
    /// `None` when no target can be reached.
    pub fn route(&self, sources: &[Seed], targets: &[Seed]) -> Option<(u32, u32, Vec<Via>)> {
        let fwd = self.upward(sources, true);
        let bwd = self.upward(targets, false);
        let (&meet, _) = fwd
            .iter()
            .filter_map(|(v, f)| bwd.get(v).map(|b| (v, f.time.saturating_add(b.time))))
            .min_by_key(|&(v, t)| (t, *v))?;
        let (f, b) = (fwd.get(&meet)?, bwd.get(&meet)?);
        let mut up_part = Vec::new();
        let mut v = meet;
        while let Some(l) = fwd.get(&v).filter(|l| l.edge != u32::MAX) {
            up_part.push((l.prev, *self.up.get(l.edge as usize)?));
            v = l.prev;
        }
        let mut path = Vec::new();
        for (from, e) in up_part.into_iter().rev() {
            self.unpack(from, e, &mut path);
        }
        let mut v = meet;
        while let Some(l) = bwd.get(&v).filter(|l| l.edge != u32::MAX) {
            let e = *self.down.get(l.edge as usize)?;
            // A down edge stored at `l.prev` runs from `v` (its `to`) down to `l.prev`.
            self.unpack(v, ChEdge { to: l.prev, ..e }, &mut path);
            v = l.prev;
        }
        Some((
            f.time.saturating_add(b.time),
            f.dist.saturating_add(b.dist),
            path,
        ))
    }

    /// Appends the directed edges of hierarchy edge `from -> e.to` to `path`.
    fn unpack(&self, from: u32, e: ChEdge, path: &mut Vec<Via>) {
        if e.via & ORIGINAL != 0 {
            path.push(e.via & !ORIGINAL);
            return;
        }
        let middle = e.via;
        // Both halves sit at the middle junction, which ranks below both ends.
        let first = self
            .down_edges(middle)
            .iter()
            .filter(|d| d.to == from)
            .min_by_key(|d| d.time_ms);
        let second = self
            .up_edges(middle)
            .iter()
            .filter(|u| u.to == e.to)
            .min_by_key(|u| u.time_ms);
        if let (Some(first), Some(second)) = (first, second) {
            self.unpack(
                from,
                ChEdge {
                    to: middle,
                    ..*first
                },
                path,
            );
            self.unpack(middle, *second, path);
        }
    }

    /// Fastest times and their lengths from every source to every target, row-major:
    /// `(ms, dm)`, `None` where unreachable or a point has no seeds. Sources run in parallel.
    pub fn many_to_many(
        &self,
        sources: &[Vec<Seed>],
        targets: &[Vec<Seed>],
    ) -> Vec<Option<(u32, u32)>> {
        let mut buckets: Vec<(u32, u32, u32, u32)> = targets
            .par_iter()
            .enumerate()
            .flat_map_iter(|(j, seeds)| {
                let labels = if seeds.is_empty() {
                    Labels::default()
                } else {
                    self.upward(seeds, false)
                };
                labels
                    .into_iter()
                    .map(move |(v, l)| (v, j as u32, l.time, l.dist))
            })
            .collect();
        buckets.sort_unstable();
        let mut index: FxHashMap<u32, (usize, usize)> = FxHashMap::default();
        for (k, b) in buckets.iter().enumerate() {
            index
                .entry(b.0)
                .and_modify(|r| r.1 = k + 1)
                .or_insert((k, k + 1));
        }
        let m = targets.len();
        sources
            .par_iter()
            .flat_map_iter(|seeds| {
                let mut row: Vec<Option<(u32, u32)>> = vec![None; m];
                if !seeds.is_empty() {
                    for (v, l) in self.upward(seeds, true) {
                        let Some(&(a, b)) = index.get(&v) else {
                            continue;
                        };
                        for &(_, j, t, d) in buckets.get(a..b).unwrap_or_default() {
                            let time = l.time.saturating_add(t);
                            let cell = &mut row[j as usize];
                            if cell.is_none_or(|(best, _)| time < best) {
                                *cell = Some((time, l.dist.saturating_add(d)));
                            }
                        }
                    }
                }
                row
            })
            .collect()
    }
}
