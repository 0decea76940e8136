//! Building the hierarchy: junctions are contracted cheapest first (few shortcuts added against
//! edges removed, few neighbours already gone, low level), and a shortcut u -> w is added for a
//! contracted v only when no witness path u ~> w avoiding v is as fast.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{Ch, ChEdge, InputArc, ORIGINAL};

/// Witness searches give up after settling this many junctions while ordering (a guess is
/// enough there) and while contracting (a missed witness only adds a superfluous shortcut).
const SETTLE_LIMIT_ORDER: usize = 60;
const SETTLE_LIMIT_CONTRACT: usize = 400;

#[derive(Debug, Clone, Copy)]
struct Arc {
    node: u32,
    time: u32,
    dist: u32,
    via: u32,
}

struct Shortcut {
    from: u32,
    to: u32,
    time: u32,
    dist: u32,
}

/// A Dijkstra that reuses its arrays between searches (stamps mark what this search touched).
struct Witness {
    dist: Vec<u32>,
    stamp: Vec<u32>,
    now: u32,
    heap: BinaryHeap<Reverse<(u32, u32)>>,
}

impl Witness {
    fn new(n: usize) -> Self {
        Self {
            dist: vec![u32::MAX; n],
            stamp: vec![0; n],
            now: 0,
            heap: BinaryHeap::new(),
        }
    }

    fn get(&self, v: u32) -> u32 {
        let v = v as usize;
        if self.stamp[v] == self.now {
            self.dist[v]
        } else {
            u32::MAX
        }
    }

    /// Fastest times from `source` avoiding `skip`, up to `limit` ms and `settle` junctions.
    fn run(&mut self, graph: &Graph, source: u32, skip: u32, limit: u32, settle: usize) {
        self.now = self.now.wrapping_add(1);
        self.heap.clear();
        self.set(source, 0);
        self.heap.push(Reverse((0, source)));
        let mut settled = 0;
        while let Some(Reverse((d, v))) = self.heap.pop() {
            if d > self.get(v) {
                continue;
            }
            settled += 1;
            if d > limit || settled > settle {
                break;
            }
            for arc in &graph.out[v as usize] {
                if arc.node == skip {
                    continue;
                }
                let next = d.saturating_add(arc.time);
                if next < self.get(arc.node) {
                    self.set(arc.node, next);
                    self.heap.push(Reverse((next, arc.node)));
                }
            }
        }
    }

    fn set(&mut self, v: u32, d: u32) {
        self.stamp[v as usize] = self.now;
        self.dist[v as usize] = d;
    }
}

/// The remaining (uncontracted) graph.
struct Graph {
    out: Vec<Vec<Arc>>,
    inn: Vec<Vec<Arc>>,
}

impl Graph {
    /// Adds u -> w, or makes an existing one faster; parallel edges keep only the fastest.
    fn add(&mut self, from: u32, arc: Arc) {
        let to = arc.node;
        let back = Arc { node: from, ..arc };
        let out = &mut self.out[from as usize];
        if let Some(old) = out.iter_mut().find(|a| a.node == to) {
            if arc.time >= old.time {
                return;
            }
            *old = arc;
            if let Some(old) = self.inn[to as usize].iter_mut().find(|a| a.node == from) {
                *old = back;
            }
            return;
        }
        out.push(arc);
        self.inn[to as usize].push(back);
    }

    fn shortcuts(&self, witness: &mut Witness, v: u32, settle: usize) -> Vec<Shortcut> {
        let mut found = Vec::new();
        let outs = &self.out[v as usize];
        for into in &self.inn[v as usize] {
            let u = into.node;
            let limit = outs
                .iter()
                .filter(|o| o.node != u)
                .map(|o| into.time.saturating_add(o.time))
                .max();
            let Some(limit) = limit else { continue };
            witness.run(self, u, v, limit, settle);
            for o in outs.iter().filter(|o| o.node != u) {
                let via_v = into.time.saturating_add(o.time);
                if witness.get(o.node) > via_v {
                    found.push(Shortcut {
                        from: u,
                        to: o.node,
                        time: via_v,
                        dist: into.dist.saturating_add(o.dist),
                    });
                }
            }
        }
        found
    }

    /// Takes `v` out of the graph: adds the shortcuts it needs and returns its remaining edges
    /// (all to higher-ranked junctions now) and its neighbours.
    fn contract(&mut self, witness: &mut Witness, v: u32) -> (Vec<ChEdge>, Vec<ChEdge>, Vec<u32>) {
        let shortcuts = self.shortcuts(witness, v, SETTLE_LIMIT_CONTRACT);
        let outs = std::mem::take(&mut self.out[v as usize]);
        let ins = std::mem::take(&mut self.inn[v as usize]);
        let mut neighbours: Vec<u32> = outs.iter().chain(&ins).map(|a| a.node).collect();
        neighbours.sort_unstable();
        neighbours.dedup();
        for &w in &neighbours {
            self.out[w as usize].retain(|a| a.node != v);
            self.inn[w as usize].retain(|a| a.node != v);
        }
        for s in shortcuts {
            let arc = Arc {
                node: s.to,
                time: s.time,
                dist: s.dist,
                via: v,
            };
            self.add(s.from, arc);
        }
        let edge = |a: &Arc| ChEdge {
            to: a.node,
            time_ms: a.time,
            dist_dm: a.dist,
            via: a.via,
        };
        (
            outs.iter().map(edge).collect(),
            ins.iter().map(edge).collect(),
            neighbours,
        )
    }
}

struct Order {
    deleted: Vec<i32>,
    level: Vec<i32>,
}

impl Order {
    fn priority(&self, graph: &Graph, witness: &mut Witness, v: u32) -> i32 {
        let added = graph.shortcuts(witness, v, SETTLE_LIMIT_ORDER).len() as i32;
        let removed = (graph.out[v as usize].len() + graph.inn[v as usize].len()) as i32;
        let v = v as usize;
        4 * (added - removed) + 2 * self.deleted[v] + self.level[v]
    }
}

/// Contracts the graph of `n` junctions and returns the hierarchy. Self-loops are dropped and
/// parallel edges keep the fastest.
pub fn build(n: usize, arcs: &[InputArc]) -> Ch {
    let mut graph = Graph {
        out: vec![Vec::new(); n],
        inn: vec![Vec::new(); n],
    };
    for a in arcs.iter().filter(|a| a.from != a.to) {
        let arc = Arc {
            node: a.to,
            time: a.time_ms,
            dist: a.dist_dm,
            via: ORIGINAL | a.edge,
        };
        graph.add(a.from, arc);
    }
    let mut witness = Witness::new(n);
    let mut order = Order {
        deleted: vec![0; n],
        level: vec![0; n],
    };
    let mut heap: BinaryHeap<Reverse<(i32, u32)>> = (0..n as u32)
        .map(|v| Reverse((order.priority(&graph, &mut witness, v), v)))
        .collect();
    let mut contracted = vec![false; n];
    let mut up: Vec<Vec<ChEdge>> = vec![Vec::new(); n];
    let mut down: Vec<Vec<ChEdge>> = vec![Vec::new(); n];
    while let Some(Reverse((old, v))) = heap.pop() {
        if contracted[v as usize] {
            continue;
        }
        // Lazy update: the priority may have grown since it was pushed.
        let now = order.priority(&graph, &mut witness, v);
        if now > old && heap.peek().is_some_and(|Reverse((next, _))| now > *next) {
            heap.push(Reverse((now, v)));
            continue;
        }
        contracted[v as usize] = true;
        let (outs, ins, neighbours) = graph.contract(&mut witness, v);
        up[v as usize] = outs;
        down[v as usize] = ins;
        for &w in &neighbours {
            let w = w as usize;
            order.deleted[w] += 1;
            order.level[w] = order.level[w].max(order.level[v as usize] + 1);
            heap.push(Reverse((
                order.priority(&graph, &mut witness, w as u32),
                w as u32,
            )));
        }
    }
    flatten(up, down)
}

fn flatten(up: Vec<Vec<ChEdge>>, down: Vec<Vec<ChEdge>>) -> Ch {
    let index = |lists: &[Vec<ChEdge>]| {
        let mut first = Vec::with_capacity(lists.len() + 1);
        let mut at = 0u32;
        first.push(0);
        for list in lists {
            at += list.len() as u32;
            first.push(at);
        }
        first
    };
    Ch {
        up_first: index(&up),
        down_first: index(&down),
        up: up.into_iter().flatten().collect(),
        down: down.into_iter().flatten().collect(),
    }
}
