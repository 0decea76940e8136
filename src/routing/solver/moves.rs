//! The neighbourhood of the local search: for a job `u` and a node `v` (a job near `u`, or the
//! start of a route), relocate `u` or the pair `u x` after `v`, swap them with `v` or `v y`, and
//! 2-opt* (tails exchange) or 2-opt (reversal) between them. `x` and `y` are the successors.
//! Each move is priced from segments, and the first improving one is applied.
//!
//! Long file: the moves and their bounds belong together: each bound mirrors its move.

use super::local_search::{EPS, LocalSearch, LsRoute, Piece};

use Piece::{Mid, Node, Pre, Rev, Suf, Tail};

impl LocalSearch<'_> {
    /// Tries all moves between `u` and `v`; applies the first that improves and returns true.
    pub(crate) fn try_moves(&mut self, u: u32, v: u32) -> bool {
        let (ru, rv) = (
            self.route_of[u as usize] as usize,
            self.route_of[v as usize] as usize,
        );
        let (pu, pv) = (
            self.pos_of[u as usize] as usize,
            self.pos_of[v as usize] as usize,
        );
        let x = self.routes[ru].nodes[pu + 1];
        let y = self.routes[rv].nodes[pv + 1];
        let (x_job, v_job, y_job) = (self.is_job(x), self.is_job(v), self.is_job(y));
        if ru != rv {
            let m = Inter {
                ru,
                rv,
                pu,
                pv,
                u,
                v,
                x,
                y,
            };
            let b = if self.use_bounds {
                self.inter_bounds(m, x_job, v_job, y_job).map(|d| d < -EPS)
            } else {
                let (xv, xvy) = (x_job && v_job, x_job && v_job && y_job);
                [true, x_job, x_job, v_job, xv, xvy]
            };
            return (b[0] && self.can(u, rv) && self.inter(m, MoveKind::Relocate))
                || (b[1] && self.can2(u, x, rv) && self.inter(m, MoveKind::RelocatePair))
                || (b[2] && self.can2(u, x, rv) && self.inter(m, MoveKind::RelocatePairReversed))
                || (b[3] && self.can(u, rv) && self.can(v, ru) && self.inter(m, MoveKind::Swap))
                || (b[4]
                    && self.can2(u, x, rv)
                    && self.can(v, ru)
                    && self.inter(m, MoveKind::SwapPairOne))
                || (b[5]
                    && self.can2(u, x, rv)
                    && self.can2(v, y, ru)
                    && self.inter(m, MoveKind::SwapPairs))
                || self.two_opt_star(m);
        }
        (u != y && self.intra_relocate(ru, pu, pv, 1, false))
            || (x_job && v != x && self.intra_relocate(ru, pu, pv, 2, false))
            || (x_job && v != x && self.intra_relocate(ru, pu, pv, 2, true))
            || (v_job && self.intra_swap(ru, pu, pv))
            || (pu < pv && self.intra_two_opt(ru, pu, pv))
    }

    fn is_job(&self, node: u32) -> bool {
        (node as usize) < self.data.n
    }

    fn can(&self, j: u32, r: usize) -> bool {
        self.data.allows(j, r)
    }

    fn can2(&self, a: u32, b: u32, r: usize) -> bool {
        self.data.allows(a, r) && self.data.allows(b, r)
    }

    /// Applies an inter-route move when the new pair of routes costs less than the old.
    fn inter(&mut self, m: Inter, kind: MoveKind) -> bool {
        let Inter {
            ru,
            rv,
            pu,
            pv,
            u,
            v,
            x,
            y,
        } = m;
        if self.inter_delta(m, kind) > -EPS {
            return false;
        }
        match kind {
            MoveKind::Relocate => {
                self.routes[ru].nodes.remove(pu);
                self.routes[rv].nodes.insert(pv + 1, u);
            }
            MoveKind::RelocatePair | MoveKind::RelocatePairReversed => {
                self.routes[ru].nodes.drain(pu..pu + 2);
                let pair = if matches!(kind, MoveKind::RelocatePair) {
                    [u, x]
                } else {
                    [x, u]
                };
                self.routes[rv].nodes.splice(pv + 1..pv + 1, pair);
            }
            MoveKind::Swap => {
                self.routes[ru].nodes[pu] = v;
                self.routes[rv].nodes[pv] = u;
            }
            MoveKind::SwapPairOne => {
                self.routes[ru].nodes.splice(pu..pu + 2, [v]);
                self.routes[rv].nodes.splice(pv..pv + 1, [u, x]);
            }
            MoveKind::SwapPairs => {
                self.routes[ru].nodes.splice(pu..pu + 2, [v, y]);
                self.routes[rv].nodes.splice(pv..pv + 2, [u, x]);
            }
        }
        self.update(ru);
        self.update(rv);
        true
    }

    /// The exact change of the penalised cost of an inter-route move.
    pub(super) fn inter_delta(&self, m: Inter, kind: MoveKind) -> f64 {
        let Inter {
            ru,
            rv,
            pu,
            pv,
            u,
            v,
            x,
            y,
        } = m;
        let (a, b): (&[Piece], &[Piece]) = match kind {
            MoveKind::Relocate => (
                &[Pre(ru, pu - 1), Suf(ru, pu + 1)],
                &[Pre(rv, pv), Node(u), Suf(rv, pv + 1)],
            ),
            MoveKind::RelocatePair => (
                &[Pre(ru, pu - 1), Suf(ru, pu + 2)],
                &[Pre(rv, pv), Node(u), Node(x), Suf(rv, pv + 1)],
            ),
            MoveKind::RelocatePairReversed => (
                &[Pre(ru, pu - 1), Suf(ru, pu + 2)],
                &[Pre(rv, pv), Node(x), Node(u), Suf(rv, pv + 1)],
            ),
            MoveKind::Swap => (
                &[Pre(ru, pu - 1), Node(v), Suf(ru, pu + 1)],
                &[Pre(rv, pv - 1), Node(u), Suf(rv, pv + 1)],
            ),
            MoveKind::SwapPairOne => (
                &[Pre(ru, pu - 1), Node(v), Suf(ru, pu + 2)],
                &[Pre(rv, pv - 1), Node(u), Node(x), Suf(rv, pv + 1)],
            ),
            MoveKind::SwapPairs => (
                &[Pre(ru, pu - 1), Node(v), Node(y), Suf(ru, pu + 2)],
                &[Pre(rv, pv - 1), Node(u), Node(x), Suf(rv, pv + 2)],
            ),
        };
        self.change2(ru, a, rv, b)
    }

    /// A lower bound on the change of each inter-route move (in [`MoveKind`] order) from the few
    /// edges it changes and the new loads, as in HGS-CVRP: time warp can only be saved up to the
    /// routes' current warp penalty. The moves share most edges, so they are bounded together,
    /// each edge looked up once; infinite for moves that do not apply (`x`, `v` or `y` not a
    /// job). This prunes most candidates cheaply.
    // Long: the hot path: the six moves' bounds share their edge look-ups (measured, bench/vrptw).
    #[inline(always)]
    pub(super) fn inter_bounds(&self, m: Inter, x_job: bool, v_job: bool, y_job: bool) -> [f64; 6] {
        let Inter {
            ru,
            rv,
            pu,
            pv,
            u,
            v,
            x,
            y,
        } = m;
        let c = |a: u32, b: u32| self.data.cost(a, b);
        let load = |j: u32| self.data.node_seg[j as usize].load;
        let (nu, nv) = (&self.routes[ru].nodes, &self.routes[rv].nodes);
        let old = self.routes[ru].cost + self.routes[rv].cost;
        let improves = |du: i64, dv: i64, moved: i64| {
            self.bound_after(ru, du, -moved) + self.bound_after(rv, dv, moved) - old
        };
        let mut out = [f64::INFINITY; 6];
        let p = nu[pu - 1];
        let (pu_c, ux_c, vy_c, vu_c, uy_c) = (c(p, u), c(u, x), c(v, y), c(v, u), c(u, y));
        let lu = load(u);
        // Relocate u after v.
        out[0] = improves(c(p, x) - pu_c - ux_c, vu_c + uy_c - vy_c, lu);
        let q = if v_job { nv[pv - 1] } else { v };
        let (qu_c, qv_c) = if v_job { (c(q, u), c(q, v)) } else { (0, 0) };
        if v_job {
            // Swap u and v.
            out[3] = improves(
                c(p, v) + c(v, x) - pu_c - ux_c,
                qu_c + uy_c - qv_c - vy_c,
                lu - load(v),
            );
        }
        if !x_job {
            return out;
        }
        let xx = nu[pu + 2];
        let (lx, xy_c) = (load(x), c(x, y));
        let pair_out = pu_c + ux_c + c(x, xx);
        let du_pair = c(p, xx) - pair_out;
        // Relocate u x after v, in this order and reversed.
        out[1] = improves(du_pair, vu_c + ux_c + xy_c - vy_c, lu + lx);
        out[2] = improves(du_pair, c(v, x) + c(x, u) + uy_c - vy_c, lu + lx);
        if !v_job {
            return out;
        }
        let pv_c = c(p, v);
        // Swap u x with v.
        out[4] = improves(
            pv_c + c(v, xx) - pair_out,
            qu_c + ux_c + xy_c - qv_c - vy_c,
            lu + lx - load(v),
        );
        if y_job {
            // Swap u x with v y.
            let yy = nv[pv + 2];
            out[5] = improves(
                pv_c + vy_c + c(y, xx) - pair_out,
                qu_c + ux_c + c(x, yy) - qv_c - vy_c - c(y, yy),
                lu + lx - load(v) - load(y),
            );
        }
        out
    }

    /// A lower bound on the change of 2-opt*: the exact travel of the heads and the exchanged
    /// tails, each route keeping its own end depot, and their loads (time warp left out).
    #[inline(always)]
    pub(super) fn two_opt_star_bound(&self, m: Inter) -> f64 {
        let Inter {
            ru,
            rv,
            pu,
            pv,
            u,
            v,
            ..
        } = m;
        let c = |a: u32, b: u32| self.data.cost(a, b);
        let (a, b) = (&self.routes[ru], &self.routes[rv]);
        let (ta, tb) = (a.fwd[a.fwd.len() - 1], b.fwd[b.fwd.len() - 1]);
        let (head_u, head_v) = (a.fwd[pu], b.fwd[pv]);
        // The jobs after position p: first, last and the travel between them.
        let tail = |route: &LsRoute, total: i64, head: i64, p: usize| {
            let n = &route.nodes;
            let (first, last, end) = (n[p + 1], n[n.len() - 2], n[n.len() - 1]);
            (p + 2 < n.len()).then(|| (first, last, total - head - c(n[p], first) - c(last, end)))
        };
        let (tail_u, tail_v) = (
            tail(a, ta.cost, head_u.cost, pu),
            tail(b, tb.cost, head_v.cost, pv),
        );
        let joined = |head: i64, from: u32, tail: Option<(u32, u32, i64)>, end: u32| match tail {
            Some((first, last, inner)) => head + c(from, first) + inner + c(last, end),
            None => head + c(from, end),
        };
        let (end_u, end_v) = (a.nodes[a.nodes.len() - 1], b.nodes[b.nodes.len() - 1]);
        let du = joined(head_u.cost, u, tail_v, end_u) - ta.cost;
        let dv = joined(head_v.cost, v, tail_u, end_v) - tb.cost;
        let moved = (tb.load - head_v.load) - (ta.load - head_u.load);
        self.bound_after(ru, du, moved) + self.bound_after(rv, dv, -moved) - a.cost - b.cost
    }

    /// The exact change of the penalised cost of 2-opt* (tails after `u` and `v` exchanged).
    pub(super) fn two_opt_star_delta(&self, m: Inter) -> f64 {
        let Inter { ru, rv, pu, pv, .. } = m;
        let (lu, lv) = (self.routes[ru].nodes.len(), self.routes[rv].nodes.len());
        let (end_u, end_v) = (self.routes[ru].nodes[lu - 1], self.routes[rv].nodes[lv - 1]);
        if self.data.end_class[ru] == self.data.end_class[rv] {
            self.change2(
                ru,
                &[Pre(ru, pu), Suf(rv, pv + 1)],
                rv,
                &[Pre(rv, pv), Suf(ru, pu + 1)],
            )
        } else if self.data.same_shift(ru, rv) {
            // Another end depot, the same windows: the tails' segments are kept, no walk.
            self.change2(
                ru,
                &[Pre(ru, pu), Tail(rv, pv + 1), Node(end_u)],
                rv,
                &[Pre(rv, pv), Tail(ru, pu + 1), Node(end_v)],
            )
        } else {
            self.change2(
                ru,
                &[Pre(ru, pu), Mid(rv, pv + 1, lv - 2), Node(end_u)],
                rv,
                &[Pre(rv, pv), Mid(ru, pu + 1, lu - 2), Node(end_v)],
            )
        }
    }

    /// Exchanges the tails after `u` and after `v` between their routes (2-opt*).
    fn two_opt_star(&mut self, m: Inter) -> bool {
        let Inter { ru, rv, pu, pv, .. } = m;
        let (lu, lv) = (self.routes[ru].nodes.len(), self.routes[rv].nodes.len());
        if self.use_bounds && self.two_opt_star_bound(m) > -EPS {
            return false;
        }
        // A tail carries the other vehicle's end depot: swap the jobs only, keep each route's end.
        let tails_ok = self.data.all_allowed
            || (pv + 1..lv - 1).all(|p| self.can(self.routes[rv].nodes[p], ru))
                && (pu + 1..lu - 1).all(|p| self.can(self.routes[ru].nodes[p], rv));
        if !tails_ok {
            return false;
        }
        if self.two_opt_star_delta(m) > -EPS {
            return false;
        }
        let tail_u: Vec<u32> = self.routes[ru].nodes.drain(pu + 1..lu - 1).collect();
        let tail_v: Vec<u32> = self.routes[rv].nodes.drain(pv + 1..lv - 1).collect();
        self.routes[ru].nodes.splice(pu + 1..pu + 1, tail_v);
        self.routes[rv].nodes.splice(pv + 1..pv + 1, tail_u);
        self.update(ru);
        self.update(rv);
        true
    }

    /// Moves `len` nodes from `pu` (reversed if asked) to just after position `pv`, same route.
    fn intra_relocate(
        &mut self,
        r: usize,
        pu: usize,
        pv: usize,
        len: usize,
        reversed: bool,
    ) -> bool {
        if pv + 1 == pu && !reversed {
            return false;
        }
        let last = pu + len - 1;
        if pv >= pu && pv <= last {
            return false;
        }
        let block = if reversed {
            Rev(r, pu, last)
        } else {
            Mid(r, pu, last)
        };
        let improves = if pu < pv {
            self.gain1(
                r,
                &[Pre(r, pu - 1), Mid(r, last + 1, pv), block, Suf(r, pv + 1)],
            )
        } else {
            self.gain1(
                r,
                &[Pre(r, pv), block, Mid(r, pv + 1, pu - 1), Suf(r, last + 1)],
            )
        };
        if !improves {
            return false;
        }
        let nodes = &mut self.routes[r].nodes;
        let mut moved: Vec<u32> = nodes.drain(pu..=last).collect();
        if reversed {
            moved.reverse();
        }
        let at = if pu < pv { pv + 1 - len } else { pv + 1 };
        nodes.splice(at..at, moved);
        self.update(r);
        true
    }

    /// Swaps the jobs at `pu` and `pv` of the same route.
    fn intra_swap(&mut self, r: usize, pu: usize, pv: usize) -> bool {
        let (a, b) = (pu.min(pv), pu.max(pv));
        let nodes = &self.routes[r].nodes;
        let (na, nb) = (nodes[a], nodes[b]);
        let pieces = [
            Pre(r, a - 1),
            Node(nb),
            Mid(r, a + 1, b - 1),
            Node(na),
            Suf(r, b + 1),
        ];
        if !self.gain1(r, &pieces) {
            return false;
        }
        self.routes[r].nodes.swap(a, b);
        self.update(r);
        true
    }

    /// Reverses the nodes after `pu` up to `pv` (2-opt within a route).
    fn intra_two_opt(&mut self, r: usize, pu: usize, pv: usize) -> bool {
        if pv < pu + 2 {
            return false;
        }
        if !self.gain1(r, &[Pre(r, pu), Rev(r, pu + 1, pv), Suf(r, pv + 1)]) {
            return false;
        }
        self.routes[r].nodes[pu + 1..=pv].reverse();
        self.update(r);
        true
    }
}

/// The nodes and places of an inter-route move.
#[derive(Clone, Copy)]
pub(super) struct Inter {
    pub(super) ru: usize,
    pub(super) rv: usize,
    pub(super) pu: usize,
    pub(super) pv: usize,
    pub(super) u: u32,
    pub(super) v: u32,
    pub(super) x: u32,
    pub(super) y: u32,
}

/// The inter-route moves priced by [`LocalSearch::inter`].
#[derive(Clone, Copy)]
pub(super) enum MoveKind {
    Relocate,
    RelocatePair,
    RelocatePairReversed,
    Swap,
    SwapPairOne,
    SwapPairs,
}
