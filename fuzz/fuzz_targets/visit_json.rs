//! The visit API's body: any bytes either fail to parse (422) or reach validation, which names a
//! field or accepts, without a panic.
#![no_main]

use baqylau::services::visits::{VisitInput, validate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(input) = serde_json::from_slice::<VisitInput>(bytes) {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 26)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .unwrap_or_default();
        let _ = validate(&input, now);
    }
});
