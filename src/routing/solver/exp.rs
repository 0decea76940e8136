//! Temporary experiment knobs read from the environment (removed before merging).
use std::sync::OnceLock;
fn vars() -> &'static std::collections::HashMap<String, f64> {
    static V: OnceLock<std::collections::HashMap<String, f64>> = OnceLock::new();
    V.get_or_init(|| {
        std::env::var("BQ_K")
            .unwrap_or_default()
            .split(',')
            .filter_map(|kv| kv.split_once('='))
            .filter_map(|(k, v)| v.parse().ok().map(|v| (k.to_string(), v)))
            .collect()
    })
}
/// A knob or its default.
pub fn k(name: &str, default: f64) -> f64 {
    vars().get(name).copied().unwrap_or(default)
}
