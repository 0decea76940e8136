//! The neighbourhood of the local search: for a job `u` and a node `v` (a job near `u`, or the
//! start of a route), relocate `u` or the pair `u x` after `v`, swap them with `v` or `v y`, and
//! 2-opt* (tails exchange) or 2-opt (reversal) between them. `x` and `y` are the successors.
//! Each move is priced from segments, and the first improving one is applied.

use super::local_search::{LocalSearch, Piece};

use Piece::{Mid, Node, Pre, Rev, Suf};

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
            return (self.can(u, rv) && self.inter(m, MoveKind::Relocate))
                || (x_job && self.can2(u, x, rv) && self.inter(m, MoveKind::RelocatePair))
                || (x_job && self.can2(u, x, rv) && self.inter(m, MoveKind::RelocatePairReversed))
                || (v_job && self.can(u, rv) && self.can(v, ru) && self.inter(m, MoveKind::Swap))
                || (v_job
                    && x_job
                    && self.can2(u, x, rv)
                    && self.can(v, ru)
                    && self.inter(m, MoveKind::SwapPairOne))
                || (v_job
                    && x_job
                    && y_job
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
        if !self.quick_bound(m, kind) {
            return false;
        }
        let improves = match kind {
            MoveKind::Relocate => self.exact2(
                ru,
                &[Pre(ru, pu - 1), Suf(ru, pu + 1)],
                rv,
                &[Pre(rv, pv), Node(u), Suf(rv, pv + 1)],
            ),
            MoveKind::RelocatePair => self.exact2(
                ru,
                &[Pre(ru, pu - 1), Suf(ru, pu + 2)],
                rv,
                &[Pre(rv, pv), Node(u), Node(x), Suf(rv, pv + 1)],
            ),
            MoveKind::RelocatePairReversed => self.exact2(
                ru,
                &[Pre(ru, pu - 1), Suf(ru, pu + 2)],
                rv,
                &[Pre(rv, pv), Node(x), Node(u), Suf(rv, pv + 1)],
            ),
            MoveKind::Swap => self.exact2(
                ru,
                &[Pre(ru, pu - 1), Node(v), Suf(ru, pu + 1)],
                rv,
                &[Pre(rv, pv - 1), Node(u), Suf(rv, pv + 1)],
            ),
            MoveKind::SwapPairOne => self.exact2(
                ru,
                &[Pre(ru, pu - 1), Node(v), Suf(ru, pu + 2)],
                rv,
                &[Pre(rv, pv - 1), Node(u), Node(x), Suf(rv, pv + 1)],
            ),
            MoveKind::SwapPairs => self.exact2(
                ru,
                &[Pre(ru, pu - 1), Node(v), Node(y), Suf(ru, pu + 2)],
                rv,
                &[Pre(rv, pv - 1), Node(u), Node(x), Suf(rv, pv + 2)],
            ),
        };
        if !improves {
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

    /// A lower bound on the change of an inter-route move from the few edges it changes and the
    /// new loads, as in HGS-CVRP: time warp can only be saved up to the routes' current warp
    /// penalty. False when the move cannot improve, which prunes most candidates cheaply.
    #[inline(always)]
    fn quick_bound(&self, m: Inter, kind: MoveKind) -> bool {
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
        let p = nu[pu - 1];
        let (du, dv, moved) = match kind {
            MoveKind::Relocate => (
                c(p, x) - c(p, u) - c(u, x),
                c(v, u) + c(u, y) - c(v, y),
                load(u),
            ),
            MoveKind::RelocatePair | MoveKind::RelocatePairReversed => {
                let xx = nu[pu + 2];
                let inner = if matches!(kind, MoveKind::RelocatePair) {
                    c(v, u) + c(u, x) + c(x, y)
                } else {
                    c(v, x) + c(x, u) + c(u, y)
                };
                (
                    c(p, xx) - c(p, u) - c(u, x) - c(x, xx),
                    inner - c(v, y),
                    load(u) + load(x),
                )
            }
            MoveKind::Swap => {
                let q = nv[pv - 1];
                (
                    c(p, v) + c(v, x) - c(p, u) - c(u, x),
                    c(q, u) + c(u, y) - c(q, v) - c(v, y),
                    load(u) - load(v),
                )
            }
            MoveKind::SwapPairOne => {
                let (q, xx) = (nv[pv - 1], nu[pu + 2]);
                (
                    c(p, v) + c(v, xx) - c(p, u) - c(u, x) - c(x, xx),
                    c(q, u) + c(u, x) + c(x, y) - c(q, v) - c(v, y),
                    load(u) + load(x) - load(v),
                )
            }
            MoveKind::SwapPairs => {
                let (q, xx, yy) = (nv[pv - 1], nu[pu + 2], nv[pv + 2]);
                (
                    c(p, v) + c(v, y) + c(y, xx) - c(p, u) - c(u, x) - c(x, xx),
                    c(q, u) + c(u, x) + c(x, yy) - c(q, v) - c(v, y) - c(y, yy),
                    load(u) + load(x) - load(v) - load(y),
                )
            }
        };
        self.bound_after(ru, du, -moved) + self.bound_after(rv, dv, moved)
            - self.routes[ru].cost
            - self.routes[rv].cost
            < -1e-6
    }

    /// Lower bound for 2-opt*: travel of the heads and the exchanged tails, and their loads.
    #[inline(always)]
    fn two_opt_star_bound(&self, m: Inter) -> bool {
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
        let (a, b) = (&self.routes[ru], &self.routes[rv]);
        let (ta, tb) = (a.fwd[a.fwd.len() - 1], b.fwd[b.fwd.len() - 1]);
        // Travel and load of each head (up to u or v) and each tail (from x or y).
        let (head_u, head_v) = (a.fwd[pu], b.fwd[pv]);
        let (tail_u_cost, tail_v_cost) = (
            ta.cost - head_u.cost - self.data.cost(u, x),
            tb.cost - head_v.cost - self.data.cost(v, y),
        );
        let (tail_u_load, tail_v_load) = (ta.load - head_u.load, tb.load - head_v.load);
        let du = self.data.cost(u, y) + tail_v_cost - tail_u_cost - self.data.cost(u, x);
        let dv = self.data.cost(v, x) + tail_u_cost - tail_v_cost - self.data.cost(v, y);
        let moved = tail_v_load - tail_u_load;
        self.bound_after(ru, du, moved) + self.bound_after(rv, dv, -moved) - a.cost - b.cost < -1e-6
    }

    /// Exchanges the tails after `u` and after `v` between their routes (2-opt*).
    fn two_opt_star(&mut self, m: Inter) -> bool {
        let Inter { ru, rv, pu, pv, .. } = m;
        let (lu, lv) = (self.routes[ru].nodes.len(), self.routes[rv].nodes.len());
        if !self.two_opt_star_bound(m) {
            return false;
        }
        // A tail carries the other vehicle's end depot: swap the jobs only, keep each route's end.
        let tails_ok = self.data.all_allowed
            || (pv + 1..lv - 1).all(|p| self.can(self.routes[rv].nodes[p], ru))
                && (pu + 1..lu - 1).all(|p| self.can(self.routes[ru].nodes[p], rv));
        if !tails_ok {
            return false;
        }
        let (end_u, end_v) = (self.routes[ru].nodes[lu - 1], self.routes[rv].nodes[lv - 1]);
        let same_end = self.data.end_class[ru] == self.data.end_class[rv];
        let improves = if same_end {
            self.gain2(
                ru,
                &[Pre(ru, pu), Suf(rv, pv + 1)],
                rv,
                &[Pre(rv, pv), Suf(ru, pu + 1)],
            )
        } else {
            self.gain2(
                ru,
                &[Pre(ru, pu), Mid(rv, pv + 1, lv - 2), Node(end_u)],
                rv,
                &[Pre(rv, pv), Mid(ru, pu + 1, lu - 2), Node(end_v)],
            )
        };
        if !improves {
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
struct Inter {
    ru: usize,
    rv: usize,
    pu: usize,
    pv: usize,
    u: u32,
    v: u32,
    x: u32,
    y: u32,
}

/// The inter-route moves priced by [`LocalSearch::inter`].
#[derive(Clone, Copy)]
enum MoveKind {
    Relocate,
    RelocatePair,
    RelocatePairReversed,
    Swap,
    SwapPairOne,
    SwapPairs,
}
