//! The IIN parser and the masking of any text as an IIN: never a panic; an accepted IIN keeps
//! its text, has a birth date, and masks to its last four digits.
#![no_main]

use baqylau::domain::iin::{Iin, mask_iin};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let _ = mask_iin(text);
    if let Ok(iin) = Iin::parse(text) {
        assert_eq!(Iin::parse(iin.as_str()).ok().as_ref(), Some(&iin));
        assert_eq!(iin.as_str().len(), 12);
        let _ = iin.birth_date();
        let _ = iin.sex();
        assert!(iin.masked().ends_with(&iin.as_str()[8..]));
    }
});
