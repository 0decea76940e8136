//! The population of the hybrid genetic search (Vidal et al. 2012; Vidal 2022, "Hybrid genetic
//! search for the CVRP: open-source implementation and SWAP* neighborhood"): a feasible and an
//! infeasible sub-population, ranked by a biased fitness that rewards both low cost and distance
//! to the others, so the search keeps diverse good solutions.

use super::individual::{Individual, Penalties};
use super::rng::Rng;

/// Sub-population sizes and diversity settings (the HGS-CVRP defaults).
#[derive(Clone, Copy, Debug)]
pub(crate) struct PopulationParams {
    /// Size after survivor selection.
    pub min_size: usize,
    /// How many offspring may join before survivor selection.
    pub generation: usize,
    /// Best individuals protected from being dropped for lack of diversity.
    pub elite: usize,
    /// How many closest individuals define diversity.
    pub close: usize,
}

impl Default for PopulationParams {
    fn default() -> Self {
        Self {
            min_size: 25,
            generation: 40,
            elite: 4,
            close: 5,
        }
    }
}

/// One sub-population with its pairwise distances.
#[derive(Default)]
struct SubPopulation {
    members: Vec<Individual>,
    /// `dist[i][j]`: broken-pairs distance between members `i` and `j`.
    dist: Vec<Vec<f64>>,
}

/// Both sub-populations.
pub(crate) struct Population {
    params: PopulationParams,
    feasible: SubPopulation,
    infeasible: SubPopulation,
}

impl Population {
    /// An empty population.
    pub fn new(params: PopulationParams) -> Self {
        Self {
            params,
            feasible: SubPopulation::default(),
            infeasible: SubPopulation::default(),
        }
    }

    /// Adds an individual to its sub-population, then trims it if it grew too large.
    pub fn add(&mut self, indiv: Individual) {
        let limit = self.params.min_size + self.params.generation;
        let params = self.params;
        let sub = if indiv.is_feasible() {
            &mut self.feasible
        } else {
            &mut self.infeasible
        };
        sub.push(indiv);
        if sub.members.len() > limit {
            while sub.members.len() > params.min_size {
                let worst = sub.worst(&params);
                sub.remove(worst);
            }
        }
    }

    /// Total number of individuals.
    pub fn len(&self) -> usize {
        self.feasible.members.len() + self.infeasible.members.len()
    }

    /// Drops everyone (a restart).
    pub fn clear(&mut self) {
        self.feasible = SubPopulation::default();
        self.infeasible = SubPopulation::default();
    }

    /// Re-prices the infeasible individuals after the penalty weights changed.
    pub fn reweigh(&mut self, pen: &Penalties) {
        for m in &mut self.infeasible.members {
            m.reweigh(pen);
        }
    }

    /// Binary tournament on biased fitness over both sub-populations.
    pub fn select(&self, rng: &mut Rng) -> Option<&Individual> {
        let total = self.len();
        if total == 0 {
            return None;
        }
        let fit_f = self.feasible.fitness(&self.params);
        let fit_i = self.infeasible.fitness(&self.params);
        let pick = |k: usize| {
            if k < fit_f.len() {
                (fit_f[k], &self.feasible.members[k])
            } else {
                let k = k - fit_f.len();
                (fit_i[k], &self.infeasible.members[k])
            }
        };
        let a = pick(rng.below(total));
        let b = pick(rng.below(total));
        Some(if a.0 <= b.0 { a.1 } else { b.1 })
    }
}

impl SubPopulation {
    fn push(&mut self, indiv: Individual) {
        let row: Vec<f64> = self.members.iter().map(|m| indiv.broken_pairs(m)).collect();
        for (i, d) in row.iter().enumerate() {
            self.dist[i].push(*d);
        }
        let mut own = row;
        own.push(0.0);
        self.dist.push(own);
        self.members.push(indiv);
    }

    fn remove(&mut self, k: usize) {
        self.members.remove(k);
        self.dist.remove(k);
        for row in &mut self.dist {
            row.remove(k);
        }
    }

    /// Biased fitness of each member (lower is better): cost rank plus weighted diversity rank.
    fn fitness(&self, p: &PopulationParams) -> Vec<f64> {
        let n = self.members.len();
        if n <= 1 {
            return vec![0.0; n];
        }
        let mut by_cost: Vec<usize> = (0..n).collect();
        by_cost.sort_by(|&a, &b| {
            self.members[a]
                .penalised
                .total_cmp(&self.members[b].penalised)
        });
        let contribution: Vec<f64> = (0..n).map(|i| self.closeness(i, p.close)).collect();
        let mut by_div: Vec<usize> = (0..n).collect();
        // Most diverse first, so that rank 0 is best on both criteria.
        by_div.sort_by(|&a, &b| contribution[b].total_cmp(&contribution[a]));
        let mut div_rank = vec![0.0; n];
        for (rank, &i) in by_div.iter().enumerate() {
            div_rank[i] = rank as f64 / (n - 1) as f64;
        }
        let weight = 1.0 - p.elite as f64 / n as f64;
        let mut fit = vec![0.0; n];
        for (rank, &i) in by_cost.iter().enumerate() {
            fit[i] = rank as f64 / (n - 1) as f64 + weight * div_rank[i];
        }
        fit
    }

    /// Average distance from member `i` to its `close` nearest others.
    fn closeness(&self, i: usize, close: usize) -> f64 {
        let mut d: Vec<f64> = (0..self.members.len())
            .filter(|&j| j != i)
            .map(|j| self.dist[i][j])
            .collect();
        d.sort_by(f64::total_cmp);
        let k = close.min(d.len()).max(1);
        d.iter().take(k).sum::<f64>() / k as f64
    }

    /// The member to drop: a clone if there is one, else the worst biased fitness.
    fn worst(&self, p: &PopulationParams) -> usize {
        let fit = self.fitness(p);
        let n = self.members.len();
        let is_clone = |i: usize| (0..n).any(|j| j != i && self.dist[i][j] < 1e-9);
        let mut worst = 0;
        let mut key = (false, f64::NEG_INFINITY);
        for (i, &f) in fit.iter().enumerate() {
            let k = (is_clone(i), f);
            if k.0 && !key.0 || (k.0 == key.0 && k.1 > key.1) {
                worst = i;
                key = k;
            }
        }
        worst
    }
}
