//! Moves of optional jobs: drop a served job when its route saves more than its penalty, add a
//! left-out job where it costs less than its penalty, or put a left-out job in the place of a
//! served neighbour with a lower penalty.

use super::individual::NONE;
use super::local_search::{EPS, LocalSearch, Piece};

impl LocalSearch<'_> {
    /// Drops an optional job when its route saves more than its penalty, or adds a left-out job
    /// at its best place when that costs less than its penalty (always, for a required job).
    pub(super) fn optional_moves(&mut self, u: u32) -> bool {
        let Some(penalty) =
            self.data.penalty[u as usize].map_or(Some(f64::INFINITY), |p| Some(p as f64))
        else {
            return false;
        };
        let ru = self.route_of[u as usize];
        if ru != NONE {
            if penalty.is_infinite() {
                return false;
            }
            let (r, p) = (ru as usize, self.pos_of[u as usize] as usize);
            let without = self.eval(r, &[Piece::Pre(r, p - 1), Piece::Suf(r, p + 1)]);
            if without - self.routes[r].cost + penalty < -EPS {
                self.routes[r].nodes.remove(p);
                self.leave(u);
                self.update(r);
                return true;
            }
            return false;
        }
        if let Some((delta, after)) = self.best_insertion(u)
            && delta < penalty - EPS
        {
            self.insert_after(u, after);
            return true;
        }
        penalty.is_finite() && self.replace_neighbour(u, penalty)
    }

    /// Puts left-out job `u` in the place of a served neighbour with a lower penalty, which is
    /// left out instead, when that lowers the penalised cost: where routes are full, this trades
    /// a cheap job for a valuable one (the left-out one may then find a place of its own).
    fn replace_neighbour(&mut self, u: u32, penalty: f64) -> bool {
        let mut best: Option<(f64, u32)> = None;
        for &v in &self.neighbours[u as usize] {
            let r = self.route_of[v as usize];
            let Some(pv) = self.data.penalty[v as usize] else {
                continue;
            };
            if r == NONE || pv as f64 >= penalty || !self.data.allows(u, r as usize) {
                continue;
            }
            let (r, p) = (r as usize, self.pos_of[v as usize] as usize);
            let cost = self.eval(
                r,
                &[Piece::Pre(r, p - 1), Piece::Node(u), Piece::Suf(r, p + 1)],
            );
            let delta = cost - self.routes[r].cost + pv as f64 - penalty;
            if delta < -EPS && best.is_none_or(|b| delta < b.0) {
                best = Some((delta, v));
            }
        }
        let Some((_, v)) = best else {
            return false;
        };
        let (r, p) = (
            self.route_of[v as usize] as usize,
            self.pos_of[v as usize] as usize,
        );
        self.routes[r].nodes[p] = u;
        self.leave(v);
        self.update(r);
        true
    }

    /// Cheapest place for a left-out job: after a neighbour, first in a neighbour's route, or
    /// alone in an empty route. Returns the cost increase and the node to insert after.
    pub fn best_insertion(&self, u: u32) -> Option<(f64, u32)> {
        let mut best: Option<(f64, u32)> = None;
        for &v in &self.neighbours[u as usize] {
            let r = self.route_of[v as usize];
            if r != NONE {
                self.consider_insertion(u, v, &mut best);
                self.consider_insertion(u, self.data.start(r as usize), &mut best);
            }
        }
        for v in 0..self.data.m {
            if self.is_empty(v) || best.is_none() {
                self.consider_insertion(u, self.data.start(v), &mut best);
            }
        }
        best
    }

    /// Updates `best` if inserting `u` after `after` is cheaper.
    fn consider_insertion(&self, u: u32, after: u32, best: &mut Option<(f64, u32)>) {
        let r = self.route_of[after as usize] as usize;
        if !self.data.allows(u, r) {
            return;
        }
        let p = self.pos_of[after as usize] as usize;
        let cost = self.eval(r, &[Piece::Pre(r, p), Piece::Node(u), Piece::Suf(r, p + 1)]);
        let delta = cost - self.routes[r].cost;
        if best.is_none_or(|b| delta < b.0) {
            *best = Some((delta, after));
        }
    }

    /// Puts job `u` (in no route) right after node `after`.
    pub fn insert_after(&mut self, u: u32, after: u32) {
        let r = self.route_of[after as usize] as usize;
        let p = self.pos_of[after as usize] as usize;
        self.routes[r].nodes.insert(p + 1, u);
        self.update(r);
    }
}
