//! The persons CSV importer: any bytes are read into rows or file errors, and every row is
//! validated, without a panic.
#![no_main]

mod common;

use baqylau::domain::PersonId;
use baqylau::domain::person_csv;
use baqylau::domain::person_record::RecordContext;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let districts = common::districts();
    let ctx = RecordContext {
        districts: &districts,
        today: common::today(),
    };
    let file = person_csv::read(bytes);
    for (_, record) in &file.rows {
        let _ = record.validate(&ctx, PersonId::new(), 1);
    }
});
