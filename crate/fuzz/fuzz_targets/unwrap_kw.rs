//! AES-KW unwrap on arbitrary bytes, with and without a custom IV; or, in
//! "construct" mode, a wrap of arbitrary key data with one byte changed.
#![no_main]

#[path = "common.rs"]
mod common;

use keywrap_core::{Mechanism, wrap};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(input) = common::split(data) else {
        return;
    };
    if input.construct && input.rest.len() >= 2 {
        // rest = [position, xor, key data…]: wrap, flip, unwrap.
        let (pos, xor, key) = (input.rest[0], input.rest[1], &input.rest[2..]);
        let key = &key[..key.len() / 8 * 8];
        let Ok(mut blob) = wrap(&input.kek, Mechanism::Kw, input.iv.as_ref(), key) else {
            return;
        };
        let i = usize::from(pos) % blob.len();
        blob[i] ^= xor;
        let back = common::check(&input, Mechanism::Kw, &blob);
        // Unchanged blob: the key comes back; changed: it must not.
        assert_eq!(
            back.map(|k| k.expose_secret() == key),
            (xor == 0).then_some(true)
        );
    } else {
        common::check(&input, Mechanism::Kw, input.rest);
    }
});
