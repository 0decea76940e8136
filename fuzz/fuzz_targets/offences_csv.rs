//! The offences CSV importer: any bytes are read into rows or file errors, and every row is
//! validated, without a panic.
#![no_main]

mod common;

use baqylau::domain::offence_csv;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let districts = common::districts();
    let file = offence_csv::read(bytes);
    for (_, record) in &file.rows {
        let _ = record.validate(&districts, common::today());
    }
});
