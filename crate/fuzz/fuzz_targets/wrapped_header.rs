//! Fuzzes the wrapped-key file header reader: never panics, and whatever
//! it accepts writes back to exactly the same bytes.
#![no_main]

use keywrap_core::hsm::header::WrappedKeyFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = WrappedKeyFile::parse(data) {
        let written = file.to_bytes().expect("a parsed header writes back");
        assert_eq!(written, data, "parse then write is the identity");
    }
});
