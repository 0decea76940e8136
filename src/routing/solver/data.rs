//! The solver's flat view of a problem: one node per job and two per vehicle (start and end),
//! node-to-node matrices, granular neighbour lists, and time-warp route segments.
//!
//! Segments follow Vidal et al. (2013), "A hybrid genetic algorithm with adaptive diversity
//! management for a large class of vehicle routing problems with time-windows": a sequence of
//! visits is summarised by its duration, time warp, earliest and latest start, so that joining two
//! sequences, and so evaluating a move, takes constant time.

use crate::routing::problem::{Objective, Problem, TimeWindow};

/// Flat problem data, indexed by node: jobs are `0..n`, vehicle `v` starts at `n + 2v` and
/// ends at `n + 2v + 1`.
pub(crate) struct Data {
    pub n: usize,
    pub m: usize,
    pub nodes: usize,
    /// Row-major `[duration, cost]` from node to node, side by side so that one cache line
    /// serves both, and in 32 bits so that twice as many fit in the caches (entries above
    /// `i32::MAX` are capped there: only the search sees them, finished routes are costed
    /// from the problem's own matrix).
    travel: Vec<[i32; 2]>,
    /// The one-node segment of each node (service, hull window, demand); for jobs, the hull of
    /// all their windows (only its load is used by the search: see [`Data::seg`]).
    pub node_seg: Vec<Seg>,
    /// Index of each vehicle's shift among the distinct shifts.
    shift_class: Vec<usize>,
    /// Row `c * n + j`: job `j`'s segment on a vehicle of shift class `c`, its window being the
    /// hull of its windows that the shift can use (one window a day and one-day shifts: exact).
    job_seg: Vec<Seg>,
    /// Penalty for leaving a job out; `None` for required jobs.
    pub penalty: Vec<Option<i64>>,
    pub capacity: Vec<i64>,
    /// Row `j` holds whether job `j` may ride on each vehicle.
    allowed: Vec<bool>,
    pub all_allowed: bool,
    /// Jobs near each job, by a mix of travel cost and time-window fit (granularity).
    pub neighbours: Vec<Vec<u32>>,
    /// For each vehicle, the index of the first vehicle identical to it (same type).
    pub vehicle_type: Vec<usize>,
    /// For each vehicle, the first vehicle with the same end location and shift, so that
    /// route tails can be exchanged without re-evaluating them.
    pub end_class: Vec<usize>,
}

/// Each node's location and one-node segment: the jobs (their windows' hull), then each
/// vehicle's start and end.
fn node_segments(problem: &Problem) -> (Vec<usize>, Vec<Seg>) {
    let n = problem.jobs.len();
    let nodes = n + 2 * problem.vehicles.len();
    let mut loc = Vec::with_capacity(nodes);
    let mut node_seg = Vec::with_capacity(nodes);
    for (j, job) in problem.jobs.iter().enumerate() {
        loc.push(job.location);
        let hull = job.hull();
        node_seg.push(Seg::node(j, job.service, hull.open, hull.close, job.demand));
    }
    for (v, veh) in problem.vehicles.iter().enumerate() {
        let (open, close) = (veh.shift.open, veh.shift.close);
        loc.push(veh.start);
        node_seg.push(Seg::node(n + 2 * v, 0, open, close, 0));
        loc.push(veh.end);
        node_seg.push(Seg::node(n + 2 * v + 1, 0, open, close, 0));
    }
    (loc, node_seg)
}

/// The `[duration, cost]` matrix between the nodes at `loc`, row-major, capped to `i32`.
fn travel_of(problem: &Problem, loc: &[usize]) -> Vec<[i32; 2]> {
    let narrow = |x: i64| i32::try_from(x).unwrap_or(i32::MAX);
    let mut travel = Vec::with_capacity(loc.len() * loc.len());
    for &a in loc {
        for &b in loc {
            let time = problem.matrix.duration(a, b);
            let cost = match problem.objective {
                Objective::Duration => time,
                Objective::Distance => problem.matrix.distance(a, b),
            };
            travel.push([narrow(time), narrow(cost)]);
        }
    }
    travel
}

/// The distinct shifts, and the index among them of each vehicle's.
fn shift_classes(problem: &Problem) -> (Vec<TimeWindow>, Vec<usize>) {
    let mut shifts: Vec<TimeWindow> = Vec::new();
    let shift_class = problem
        .vehicles
        .iter()
        .map(|veh| {
            shifts
                .iter()
                .position(|s| *s == veh.shift)
                .unwrap_or_else(|| {
                    shifts.push(veh.shift);
                    shifts.len() - 1
                })
        })
        .collect();
    (shifts, shift_class)
}

/// Row `c * n + j`: job `j`'s segment on shift `c` (the hull of its windows the shift can use),
/// and whether the shift can use any of them.
fn job_segments(problem: &Problem, shifts: &[TimeWindow]) -> (Vec<Seg>, Vec<bool>) {
    let n = problem.jobs.len();
    let mut job_seg = Vec::with_capacity(shifts.len() * n);
    let mut usable = vec![false; shifts.len() * n];
    for (c, shift) in shifts.iter().enumerate() {
        for (j, job) in problem.jobs.iter().enumerate() {
            let inside: Vec<&TimeWindow> = job
                .time_windows
                .iter()
                .filter(|w| w.close >= shift.open && w.open <= shift.close)
                .collect();
            usable[c * n + j] = !inside.is_empty();
            let (open, close) = match (inside.first(), inside.last()) {
                (Some(a), Some(b)) => (a.open.max(shift.open), b.close.min(shift.close)),
                _ => (job.hull().open, job.hull().close),
            };
            job_seg.push(Seg::node(j, job.service, open, close, job.demand));
        }
    }
    (job_seg, usable)
}

/// For each of `m` vehicles, the first vehicle `w` that `same(v, w)` holds for (itself at worst).
fn first_alike(m: usize, same: impl Fn(usize, usize) -> bool) -> Vec<usize> {
    (0..m)
        .map(|v| (0..v).find(|&w| same(v, w)).unwrap_or(v))
        .collect()
}

/// A summary of a visit sequence (see the module docs).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Seg {
    pub first: u32,
    pub last: u32,
    pub duration: i64,
    pub time_warp: i64,
    pub early: i64,
    pub late: i64,
    pub cost: i64,
    pub load: i64,
}

impl Data {
    /// Flattens `problem`; `granular` is how many neighbours each job keeps.
    pub fn new(problem: &Problem, granular: usize) -> Self {
        let n = problem.jobs.len();
        let m = problem.vehicles.len();
        let (loc, node_seg) = node_segments(problem);
        let travel = travel_of(problem, &loc);
        let (shifts, shift_class) = shift_classes(problem);
        let (job_seg, usable) = job_segments(problem, &shifts);
        // A vehicle may take a job when the job allows it and it can reach one of its windows.
        let mut allowed = vec![true; n * m.max(1)];
        for (j, job) in problem.jobs.iter().enumerate() {
            for v in 0..m {
                allowed[j * m + v] = job.allows(v)
                    && usable[shift_class[v] * n + j]
                    && super::finish::schedule(problem, v, &[j]).is_some();
            }
        }
        let vehicles = &problem.vehicles;
        let vehicle_type = first_alike(m, |v, w| vehicles[w] == vehicles[v]);
        let end_class = first_alike(m, |v, w| {
            vehicles[w].end == vehicles[v].end && vehicles[w].shift == vehicles[v].shift
        });
        let mut data = Data {
            n,
            m,
            nodes: loc.len(),
            travel,
            node_seg,
            penalty: problem.jobs.iter().map(|j| j.penalty).collect(),
            capacity: problem.vehicles.iter().map(|v| v.capacity).collect(),
            all_allowed: allowed.iter().all(|a| *a),
            allowed,
            neighbours: Vec::new(),
            vehicle_type,
            end_class,
            shift_class,
            job_seg,
        };
        data.neighbours = data.granular_neighbours(granular);
        data
    }

    /// Travel duration between nodes.
    #[inline]
    pub fn time(&self, a: u32, b: u32) -> i64 {
        i64::from(self.travel[a as usize * self.nodes + b as usize][0])
    }

    /// Travel cost between nodes.
    #[inline]
    pub fn cost(&self, a: u32, b: u32) -> i64 {
        i64::from(self.travel[a as usize * self.nodes + b as usize][1])
    }

    /// Whether job `j` may ride on vehicle `v`.
    #[inline]
    pub fn allows(&self, j: u32, v: usize) -> bool {
        self.all_allowed || self.allowed[j as usize * self.m + v]
    }

    /// The one-node segment of `node` on vehicle `v`: a job's windows as that vehicle's shift
    /// sees them.
    #[inline(always)]
    pub fn seg(&self, node: u32, v: usize) -> Seg {
        if (node as usize) < self.n {
            self.job_seg[self.shift_class[v] * self.n + node as usize]
        } else {
            self.node_seg[node as usize]
        }
    }

    /// Whether vehicles `a` and `b` have the same shift (so a job's windows are the same on both).
    #[inline]
    pub fn same_shift(&self, a: usize, b: usize) -> bool {
        self.shift_class[a] == self.shift_class[b]
    }

    /// Start node of vehicle `v`.
    #[inline]
    pub fn start(&self, v: usize) -> u32 {
        (self.n + 2 * v) as u32
    }

    /// End node of vehicle `v`.
    #[inline]
    pub fn end(&self, v: usize) -> u32 {
        (self.n + 2 * v + 1) as u32
    }

    /// Joins two segments: `a` then `b`.
    #[inline]
    pub fn join(&self, a: &Seg, b: &Seg) -> Seg {
        let travel = self.time(a.last, b.first);
        let delta = a.duration - a.time_warp + travel;
        let wait = (b.early - delta - a.late).max(0);
        let warp = (a.early + delta - b.late).max(0);
        Seg {
            first: a.first,
            last: b.last,
            duration: a.duration + b.duration + travel + wait,
            time_warp: a.time_warp + b.time_warp + warp,
            early: (b.early - delta).max(a.early) - wait,
            late: (b.late - delta).min(a.late) + warp,
            cost: a.cost + b.cost + self.cost(a.last, b.first),
            load: a.load + b.load,
        }
    }

    /// Granular neighbours: the jobs closest to each job by Vidal's (2013) correlation, travel
    /// cost plus weighted waiting and time warp, so that neighbours can follow each other. Only
    /// jobs that some vehicle may serve together count, each pair priced on the shift that fits
    /// it best.
    fn granular_neighbours(&self, k: usize) -> Vec<Vec<u32>> {
        let k = k.min(self.n.saturating_sub(1));
        let (wait_weight, warp_weight) = (0.2, 1.0);
        let classes = self.job_seg.len() / self.n.max(1);
        // Bit sets over the vehicles, flat (`words` per set): those that may take each job,
        // those of each shift class. Two jobs are neighbours in a class when one vehicle of it
        // takes both.
        let words = self.m.div_ceil(64).max(1);
        let bits = |set: &mut Vec<u64>, keep: &dyn Fn(usize) -> bool| {
            let start = set.len();
            set.resize(start + words, 0);
            (0..self.m)
                .filter(|&v| keep(v))
                .for_each(|v| set[start + v / 64] |= 1 << (v % 64));
        };
        let mut takes: Vec<u64> = Vec::with_capacity(self.n * words);
        (0..self.n as u32).for_each(|j| bits(&mut takes, &|v| self.allows(j, v)));
        let mut of_class: Vec<u64> = Vec::with_capacity(classes * words);
        (0..classes).for_each(|c| bits(&mut of_class, &|v| self.shift_class[v] == c));
        let mut both = vec![0u64; words];
        let one_way = |x: &Seg, y: &Seg, t: i64| {
            let wait = (y.early - t - x.duration - x.late).max(0) as f64;
            let warp = (x.early + x.duration + t - y.late).max(0) as f64;
            wait_weight * wait + warp_weight * warp
        };
        let mut out = Vec::with_capacity(self.n);
        let mut scored: Vec<(f64, u32)> = Vec::with_capacity(self.n);
        for i in 0..self.n as u32 {
            scored.clear();
            let of_i = &takes[i as usize * words..][..words];
            for j in (0..self.n as u32).filter(|&j| j != i) {
                let of_j = &takes[j as usize * words..][..words];
                both.iter_mut()
                    .zip(of_i.iter().zip(of_j))
                    .for_each(|(b, (x, y))| *b = x & y);
                if both.iter().all(|b| *b == 0) {
                    continue;
                }
                let best = (0..classes)
                    .filter(|&c| {
                        let class = &of_class[c * words..][..words];
                        both.iter().zip(class).any(|(b, k)| b & k != 0)
                    })
                    .map(|c| {
                        let a = self.job_seg[c * self.n + i as usize];
                        let b = self.job_seg[c * self.n + j as usize];
                        let ij = self.cost(i, j) as f64 + one_way(&a, &b, self.time(i, j));
                        let ji = self.cost(j, i) as f64 + one_way(&b, &a, self.time(j, i));
                        ij.min(ji)
                    })
                    .min_by(f64::total_cmp);
                if let Some(score) = best {
                    scored.push((score, j));
                }
            }
            // Only the k best are kept: select them, then sort those (the order is total, so
            // this is the full sort's prefix). Every row is n long, and the demo history builds
            // these lists for a hundred weekly plans of about 1,150 checks.
            let order = |x: &(f64, u32), y: &(f64, u32)| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1));
            if k < scored.len() {
                scored.select_nth_unstable_by(k, order);
                scored.truncate(k);
            }
            scored.sort_by(order);
            out.push(scored.iter().map(|s| s.1).collect());
        }
        out
    }
}

impl Seg {
    /// The segment of a single node.
    pub fn node(node: usize, service: i64, open: i64, close: i64, demand: i64) -> Self {
        Seg {
            first: node as u32,
            last: node as u32,
            duration: service,
            time_warp: 0,
            early: open,
            late: close,
            cost: 0,
            load: demand,
        }
    }
}
