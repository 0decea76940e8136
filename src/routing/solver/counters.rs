//! Temporary counters (experiment only).
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
pub static C: [AtomicU64; 12] = [const { AtomicU64::new(0) }; 12];
#[inline(always)]
pub fn bump(i: usize) { C[i].fetch_add(1, Relaxed); }
pub fn dump() {
    let v: Vec<u64> = C.iter().map(|c| c.load(Relaxed)).collect();
    eprintln!("counters {:?}", v);
}
