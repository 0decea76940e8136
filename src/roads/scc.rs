//! The largest strongly connected part of a directed graph (Kosaraju, iterative so that a long
//! road cannot overflow the stack): only there can every point reach every other, which is what
//! a travel matrix needs. Islands (a car park behind a one-way gate, roads cut by the box) go.

/// Adjacency in compressed rows.
struct Csr {
    first: Vec<usize>,
    to: Vec<u32>,
}

impl Csr {
    fn new(n: usize, arcs: &[(u32, u32)], reverse: bool) -> Csr {
        let mut first = vec![0usize; n + 1];
        for &(a, b) in arcs {
            let from = if reverse { b } else { a };
            first[from as usize + 1] += 1;
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        let mut fill = first.clone();
        let mut to = vec![0u32; arcs.len()];
        for &(a, b) in arcs {
            let (from, head) = if reverse { (b, a) } else { (a, b) };
            to[fill[from as usize]] = head;
            fill[from as usize] += 1;
        }
        Csr { first, to }
    }

    fn next(&self, v: u32) -> &[u32] {
        &self.to[self.first[v as usize]..self.first[v as usize + 1]]
    }
}

/// Marks the junctions of the largest strongly connected component of the graph of `n`
/// junctions and the given arcs (ties go to the component found first).
pub fn largest_component(n: usize, arcs: impl Iterator<Item = (u32, u32)>) -> Vec<bool> {
    let arcs: Vec<(u32, u32)> = arcs
        .filter(|(a, b)| (*a as usize) < n && (*b as usize) < n)
        .collect();
    let forward = Csr::new(n, &arcs, false);
    let backward = Csr::new(n, &arcs, true);
    // First pass: finishing order of a depth-first search.
    let mut seen = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for root in 0..n as u32 {
        if seen[root as usize] {
            continue;
        }
        seen[root as usize] = true;
        let mut stack = vec![(root, 0usize)];
        while let Some((v, k)) = stack.last_mut() {
            let (v, next) = (*v, forward.next(*v).get(*k).copied());
            *k += 1;
            match next {
                Some(w) if !seen[w as usize] => {
                    seen[w as usize] = true;
                    stack.push((w, 0));
                }
                Some(_) => {}
                None => {
                    order.push(v);
                    stack.pop();
                }
            }
        }
    }
    // Second pass: components on the reversed graph in reverse finishing order.
    let mut component = vec![u32::MAX; n];
    let mut sizes: Vec<usize> = Vec::new();
    for &root in order.iter().rev() {
        if component[root as usize] != u32::MAX {
            continue;
        }
        let id = sizes.len() as u32;
        let mut size = 0;
        component[root as usize] = id;
        let mut stack = vec![root];
        while let Some(v) = stack.pop() {
            size += 1;
            for &w in backward.next(v) {
                if component[w as usize] == u32::MAX {
                    component[w as usize] = id;
                    stack.push(w);
                }
            }
        }
        sizes.push(size);
    }
    let best = sizes
        .iter()
        .enumerate()
        .max_by_key(|(i, s)| (**s, std::cmp::Reverse(*i)))
        .map_or(u32::MAX, |(i, _)| i as u32);
    component.into_iter().map(|c| c == best).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_way_dead_end_falls_out_of_the_strongly_connected_part() {
        // 0 <-> 1 <-> 2 is a two-way street; 2 -> 3 is a one-way into a dead end.
        let arcs = [(0, 1), (1, 0), (1, 2), (2, 1), (2, 3)];
        let keep = largest_component(4, arcs.into_iter());
        assert_eq!(keep, vec![true, true, true, false]);
    }

    #[test]
    fn the_larger_of_two_islands_is_kept() {
        let arcs = [(0, 1), (1, 0), (2, 3), (3, 4), (4, 2)];
        let keep = largest_component(5, arcs.into_iter());
        assert_eq!(keep, vec![false, false, true, true, true]);
    }

    #[test]
    fn a_long_road_does_not_overflow_the_stack() {
        let n = 200_000u32;
        let arcs = (0..n - 1).flat_map(|i| [(i, i + 1), (i + 1, i)]);
        let keep = largest_component(n as usize, arcs);
        assert!(keep.iter().all(|k| *k));
    }
}
