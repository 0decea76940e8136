//! The optimiser's random numbers: `rand_pcg`'s PCG-64 (MCG variant), the same generator the
//! demo and the unannounced draw use, so the crate has one source of seeded randomness.
//!
//! `rand_pcg` promises value stability (a seed gives the same stream across its releases), and
//! `below` and `shuffle` are our own few lines rather than `rand`'s distributions, whose
//! algorithms may change between major versions: a seed gives the same plan across upgrades.

use rand::{RngCore as _, SeedableRng as _};

/// A seeded generator.
#[derive(Clone, Debug)]
pub(crate) struct Rng {
    pcg: rand_pcg::Pcg64Mcg,
}

impl Rng {
    /// The generator of `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            pcg: rand_pcg::Pcg64Mcg::seed_from_u64(seed),
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.pcg.next_u64()
    }

    /// A number in `0..bound` (0 when `bound` is 0), by Lemire's multiply-shift.
    pub fn below(&mut self, bound: usize) -> usize {
        ((u128::from(self.next_u64()) * bound as u128) >> 64) as usize
    }

    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_stream_and_bounds_hold() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
            assert!(a.below(10) < 10);
            b.below(10);
        }
        assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
    }
}
