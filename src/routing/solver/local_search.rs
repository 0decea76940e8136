//! Granular local search (Vidal et al. 2012, 2013; Toth and Vigo 2003): every job is tried next
//! to each of its nearest neighbours with relocate, swap, 2-opt and 2-opt* moves, each evaluated
//! in constant time from prefix and suffix segments, until no move improves the penalised cost.
//! Optional jobs are also dropped or added when that pays, or swapped for a served neighbour
//! with a lower penalty.
//!
//! Long file: the local search's loop and its move evaluation share private state; split, every piece
//! would need it passed around on the hot path.

use super::data::{Data, Seg};
use super::individual::{NONE, Penalties, required_penalty};
use super::rng::Rng;

/// Improvements smaller than this are noise from floating-point penalty weights.
pub(crate) const EPS: f64 = 1e-6;

/// One route under search: its nodes (depots at both ends) and their prefix and suffix segments.
#[derive(Clone, Debug, Default)]
pub(crate) struct LsRoute {
    pub nodes: Vec<u32>,
    pub fwd: Vec<Seg>,
    bwd: Vec<Seg>,
    /// `tail[p]`: the jobs from position `p` to the last job, without the end depot (so that a
    /// tail can move to a route with another end, of the same shift, in constant time).
    tail: Vec<Seg>,
    /// `back[p]`: cost of driving nodes `0..=p` backwards (for reversed pieces' bounds).
    back: Vec<i64>,
    pub cost: f64,
    modified: u64,
}

/// A part of a route from which a candidate route is assembled.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Piece {
    /// Nodes `0..=p` of route `r`.
    Pre(usize, usize),
    /// Nodes `p..` of route `r`.
    Suf(usize, usize),
    /// One node.
    Node(u32),
    /// Nodes `a..=b` of route `r` (empty when `a > b`).
    Mid(usize, usize, usize),
    /// Nodes `a..=b` of route `r`, reversed.
    Rev(usize, usize, usize),
    /// The jobs of route `r` from position `p` on, without its end depot (empty when there are
    /// none); only for a vehicle with the same shift as route `r`'s.
    Tail(usize, usize),
}

/// The search state, reused between calls to avoid allocation.
pub(crate) struct LocalSearch<'a> {
    pub data: &'a Data,
    pub routes: Vec<LsRoute>,
    pub route_of: Vec<u32>,
    pub pos_of: Vec<u32>,
    last_tested: Vec<u64>,
    counter: u64,
    order: Vec<u32>,
    pub(super) neighbours: Vec<Vec<u32>>,
    /// Whether moves are first priced by their cheap lower bounds (always, but in a test that
    /// checks that the bounds prune no improving move).
    pub(super) use_bounds: bool,
    pub pen: Penalties,
    /// Jobs the search must leave alone (unservable on their own).
    skipped: Vec<bool>,
}

impl<'a> LocalSearch<'a> {
    /// A search over `data`; `skipped` jobs are never inserted.
    pub fn new(data: &'a Data, skipped: Vec<bool>) -> Self {
        Self {
            data,
            routes: vec![LsRoute::default(); data.m],
            route_of: vec![NONE; data.nodes],
            pos_of: vec![0; data.nodes],
            last_tested: vec![0; data.n],
            counter: 1,
            order: (0..data.n as u32).collect(),
            neighbours: data.neighbours.clone(),
            use_bounds: true,
            pen: Penalties {
                load: 1.0,
                warp: 1.0,
            },
            skipped,
        }
    }

    /// Improves `routes` (one job list per vehicle) until no move helps; returns the result.
    pub fn run(&mut self, routes: &[Vec<u32>], pen: Penalties, rng: &mut Rng) -> Vec<Vec<u32>> {
        self.load(routes, pen);
        for list in &mut self.neighbours {
            rng.shuffle(list);
        }
        self.search(true, rng);
        self.export()
    }

    /// Improves the loaded routes until no move helps. When `full` is false, only jobs whose
    /// route or neighbours' routes changed since they were last tested are looked at.
    pub fn search(&mut self, full: bool, rng: &mut Rng) {
        rng.shuffle(&mut self.order);
        if full {
            self.last_tested.iter_mut().for_each(|t| *t = 0);
        }
        let mut first_loop = full;
        loop {
            let mut improved = false;
            for k in 0..self.order.len() {
                let u = self.order[k];
                if self.skipped[u as usize] {
                    continue;
                }
                improved |= self.optional_moves(u);
                if self.route_of[u as usize] == NONE {
                    continue;
                }
                improved |= self.improve_job(u, first_loop);
            }
            first_loop = false;
            if !improved {
                break;
            }
        }
    }

    /// Whether the search leaves job `j` alone (unservable on its own).
    pub fn is_skipped(&self, j: u32) -> bool {
        self.skipped[j as usize]
    }

    /// Marks every job as tested now, so that a later non-full search looks only at changes.
    pub fn mark_all_tested(&mut self) {
        let now = self.counter;
        self.last_tested.iter_mut().for_each(|t| *t = now);
        self.counter += 1;
    }

    /// Records that job `j` has just been taken out of its route.
    pub(super) fn leave(&mut self, j: u32) {
        self.route_of[j as usize] = NONE;
    }

    /// Total excess load, time warp and travel cost of the loaded routes.
    pub fn violations(&self) -> (i64, i64, i64) {
        let mut sums = (0, 0, 0);
        for (v, r) in self.routes.iter().enumerate() {
            if let Some(s) = r.fwd.last().filter(|_| r.nodes.len() > 2) {
                sums.0 += (s.load - self.data.capacity[v]).max(0);
                sums.1 += s.time_warp;
                sums.2 += s.cost;
            }
        }
        sums
    }

    /// Penalties of the left-out optional jobs.
    pub fn left_out_penalty(&self) -> i64 {
        (0..self.data.n)
            .filter(|&j| self.route_of[j] == NONE && !self.skipped[j])
            .map(|j| self.data.penalty[j].unwrap_or(required_penalty(self.data.n)))
            .sum()
    }

    /// Takes job `j` out of its route.
    pub fn remove(&mut self, j: u32) {
        let r = self.route_of[j as usize] as usize;
        self.routes[r]
            .nodes
            .remove(self.pos_of[j as usize] as usize);
        self.leave(j);
        self.update(r);
    }

    /// The true objective of the loaded routes when they are feasible: left-out required jobs,
    /// then penalties of left-out optional jobs plus travel.
    pub fn objective(&self) -> (usize, i64) {
        let (mut required, mut cost) = (0, self.violations().2);
        for j in (0..self.data.n).filter(|&j| self.route_of[j] == NONE && !self.skipped[j]) {
            match self.data.penalty[j] {
                Some(p) => cost += p,
                None => required += 1,
            }
        }
        (required, cost)
    }

    /// Penalised cost of the loaded routes plus penalties of left-out jobs.
    pub fn total_cost(&self) -> f64 {
        let routes: f64 = self.routes.iter().map(|r| r.cost).sum();
        routes + self.left_out_penalty() as f64
    }

    /// Tries the moves of job `u` with each neighbour; true if any move was applied.
    fn improve_job(&mut self, u: u32, first_loop: bool) -> bool {
        let mut improved = false;
        let tested = self.last_tested[u as usize];
        self.last_tested[u as usize] = self.counter;
        let u_fresh = self.routes[self.route_of[u as usize] as usize].modified > tested;
        for k in 0..self.neighbours[u as usize].len() {
            let v = self.neighbours[u as usize][k];
            let rv = self.route_of[v as usize];
            if rv == NONE || self.route_of[u as usize] == NONE {
                continue;
            }
            let ru = self.route_of[u as usize] as usize;
            let fresh = self.routes[ru]
                .modified
                .max(self.routes[rv as usize].modified)
                > tested;
            if !first_loop && !fresh {
                continue;
            }
            if self.try_moves(u, v) {
                improved = true;
                continue;
            }
            // Also try placing `u` first in `v`'s route, which no neighbour pair covers.
            if self.pos_of[v as usize] == 1 && self.try_moves(u, self.data.start(rv as usize)) {
                improved = true;
            }
        }
        if !first_loop && (u_fresh || improved) {
            improved |= self.try_empty_routes(u);
        }
        improved
    }

    /// Tries moving `u` (and its successor) into one empty route of each vehicle type.
    fn try_empty_routes(&mut self, u: u32) -> bool {
        for v in 0..self.data.m {
            let is_first_of_type = (0..v).all(|w| {
                self.data.vehicle_type[w] != self.data.vehicle_type[v] || !self.is_empty(w)
            });
            let assigned = self.route_of[u as usize] != NONE;
            if self.is_empty(v)
                && is_first_of_type
                && assigned
                && self.try_moves(u, self.data.start(v))
            {
                return true;
            }
        }
        false
    }

    pub(super) fn is_empty(&self, v: usize) -> bool {
        self.routes[v].nodes.len() <= 2
    }

    /// Loads job lists into routes and refreshes all segments.
    pub fn load(&mut self, routes: &[Vec<u32>], pen: Penalties) {
        self.pen = pen;
        for j in 0..self.data.n {
            if self.route_of[j] != NONE {
                self.leave(j as u32);
            }
        }
        for v in 0..self.data.m {
            let nodes = &mut self.routes[v].nodes;
            nodes.clear();
            nodes.push(self.data.start(v));
            nodes.extend(routes.get(v).into_iter().flatten().copied());
            nodes.push(self.data.end(v));
            self.update(v);
        }
    }

    /// The job lists of the current routes.
    pub fn export(&self) -> Vec<Vec<u32>> {
        self.routes
            .iter()
            .map(|r| r.nodes[1..r.nodes.len() - 1].to_vec())
            .collect()
    }

    /// Recomputes positions, segments and cost of route `r` after a change.
    pub fn update(&mut self, r: usize) {
        let data = self.data;
        let route = &mut self.routes[r];
        let len = route.nodes.len();
        route.fwd.resize(len, Seg::default());
        route.bwd.resize(len, Seg::default());
        for (p, &node) in route.nodes.iter().enumerate() {
            self.route_of[node as usize] = r as u32;
            self.pos_of[node as usize] = p as u32;
            let seg = data.seg(node, r);
            route.fwd[p] = if p == 0 {
                seg
            } else {
                data.join(&route.fwd[p - 1], &seg)
            };
        }
        route.back.resize(len, 0);
        for p in 1..len {
            route.back[p] = route.back[p - 1] + data.cost(route.nodes[p], route.nodes[p - 1]);
        }
        route.tail.resize(len, Seg::default());
        for p in (0..len).rev() {
            let seg = data.seg(route.nodes[p], r);
            route.bwd[p] = if p + 1 == len {
                seg
            } else {
                data.join(&seg, &route.bwd[p + 1])
            };
            if p + 2 <= len {
                route.tail[p] = if p + 2 == len {
                    seg
                } else {
                    data.join(&seg, &route.tail[p + 1])
                };
            }
        }
        route.cost = self.pen.route_cost(&route.fwd[len - 1], data.capacity[r]);
        route.modified = self.counter;
        self.counter += 1;
    }

    /// The segment of a piece on vehicle `v`, `None` when it is empty. Prefixes and suffixes
    /// keep the windows of their own route, so they may only move between vehicles of the same
    /// shift (the same end class).
    #[inline(always)]
    fn piece(&self, v: usize, piece: Piece) -> Option<Seg> {
        let data = self.data;
        match piece {
            Piece::Pre(r, p) => Some(self.routes[r].fwd[p]),
            Piece::Suf(r, p) => Some(self.routes[r].bwd[p]),
            Piece::Tail(r, p) => {
                (p + 2 <= self.routes[r].nodes.len()).then(|| self.routes[r].tail[p])
            }
            Piece::Node(x) => Some(data.seg(x, v)),
            Piece::Mid(r, a, b) => {
                let nodes = &self.routes[r].nodes;
                let mut it = nodes.get(a..=b)?.iter();
                let first = data.seg(*it.next()?, v);
                Some(it.fold(first, |s, &x| data.join(&s, &data.seg(x, v))))
            }
            Piece::Rev(r, a, b) => {
                let nodes = &self.routes[r].nodes;
                let mut it = nodes.get(a..=b)?.iter().rev();
                let first = data.seg(*it.next()?, v);
                Some(it.fold(first, |s, &x| data.join(&s, &data.seg(x, v))))
            }
        }
    }

    /// A cheap lower bound of [`Self::eval`]: travel and excess load, ignoring time warp.
    #[inline(always)]
    pub(super) fn bound(&self, v: usize, pieces: &[Piece]) -> f64 {
        let (mut cost, mut load, mut last) = (0, 0, None::<u32>);
        for &p in pieces {
            let (c, l, first, end) = match p {
                Piece::Pre(r, q) => {
                    let s = &self.routes[r].fwd[q];
                    (s.cost, s.load, s.first, s.last)
                }
                Piece::Suf(r, q) => {
                    let s = &self.routes[r].bwd[q];
                    (s.cost, s.load, s.first, s.last)
                }
                Piece::Tail(r, q) => {
                    if q + 2 > self.routes[r].nodes.len() {
                        continue;
                    }
                    let s = &self.routes[r].tail[q];
                    (s.cost, s.load, s.first, s.last)
                }
                Piece::Node(x) => (0, self.data.node_seg[x as usize].load, x, x),
                Piece::Mid(r, a, b) | Piece::Rev(r, a, b) => {
                    if a > b {
                        continue;
                    }
                    let route = &self.routes[r];
                    let before = if a == 0 { 0 } else { route.fwd[a - 1].load };
                    let l = route.fwd[b].load - before;
                    if matches!(p, Piece::Mid(..)) {
                        (
                            route.fwd[b].cost - route.fwd[a].cost,
                            l,
                            route.nodes[a],
                            route.nodes[b],
                        )
                    } else {
                        (
                            route.back[b] - route.back[a],
                            l,
                            route.nodes[b],
                            route.nodes[a],
                        )
                    }
                }
            };
            if let Some(prev) = last {
                cost += self.data.cost(prev, first);
            }
            cost += c;
            load += l;
            last = Some(end);
        }
        cost as f64 + self.pen.load * (load - self.data.capacity[v]).max(0) as f64
    }

    /// Travel plus excess-load penalty of route `r` after its travel changes by `travel` and
    /// its load by `load`: a lower bound of its penalised cost (time warp left out).
    #[inline(always)]
    pub fn bound_after(&self, r: usize, travel: i64, load: i64) -> f64 {
        let s = self.routes[r].fwd[self.routes[r].fwd.len() - 1];
        let excess = (s.load + load - self.data.capacity[r]).max(0);
        (s.cost + travel) as f64 + self.pen.load * excess as f64
    }

    /// The exact change of the penalised cost of routes `ra` and `rb` rebuilt from pieces.
    #[inline(always)]
    pub fn change2(&self, ra: usize, a: &[Piece], rb: usize, b: &[Piece]) -> f64 {
        let old = self.routes[ra].cost + self.routes[rb].cost;
        self.eval(ra, a) + self.eval(rb, b) - old
    }

    /// Whether rebuilding route `r` from `pieces` lowers its penalised cost.
    #[inline(always)]
    pub fn gain1(&self, r: usize, pieces: &[Piece]) -> bool {
        let old = self.routes[r].cost;
        (!self.use_bounds || self.bound(r, pieces) - old < -EPS)
            && self.eval(r, pieces) - old < -EPS
    }

    /// Penalised cost of the route of vehicle `v` made of `pieces` in order.
    #[inline(always)]
    pub fn eval(&self, v: usize, pieces: &[Piece]) -> f64 {
        let mut acc: Option<Seg> = None;
        for &p in pieces {
            if let Some(s) = self.piece(v, p) {
                acc = Some(match acc {
                    Some(a) => self.data.join(&a, &s),
                    None => s,
                });
            }
        }
        acc.map_or(0.0, |s| self.pen.route_cost(&s, self.data.capacity[v]))
    }
}
