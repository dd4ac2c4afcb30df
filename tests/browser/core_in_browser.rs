//! keywrap-core inside headless Chromium (wasm32): the same known-answer
//! checks as the native `crate/tests/vectors.rs` — RFC 3394 §4.1–4.6,
//! RFC 5649 §6, every Wycheproof KW and KWP test — and a comparison with
//! RustCrypto's `aes-kw` on random KEKs and key data of every length up to
//! 256 bytes, with randomness from the browser's `crypto.getRandomValues`.
//!
//! Run with `cargo test -p keywrap-browser-tests --target wasm32-unknown-unknown
//! --test core_in_browser` (scripts/setup.sh installs the runner).
#![cfg(target_arch = "wasm32")]
// A failed unwrap here is a failed test, which is what a test should do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../crate/tests/support/vectors.rs"]
mod vectors;

use keywrap_core::kcv::{KcvMethod, key_check_value};
use keywrap_core::{random, selftest};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn rfc_3394_and_5649_in_the_browser() {
    vectors::assert_rfc_vectors_pass();
}

#[wasm_bindgen_test]
fn wycheproof_kw_in_the_browser() {
    vectors::assert_wycheproof_kw_passes();
}

#[wasm_bindgen_test]
fn wycheproof_kwp_in_the_browser() {
    vectors::assert_wycheproof_kwp_passes();
}

#[wasm_bindgen_test]
fn equals_aes_kw_on_random_inputs_in_the_browser() {
    // KW: 31 lengths (16..=256 step 8), KWP: 256, KW-PKCS#5: 249; 3 KEK sizes.
    vectors::assert_equals_aes_kw(256, random::fill, 3 * (31 + 256 + 249));
}

#[wasm_bindgen_test]
fn self_test_kcv_and_random_in_the_browser() {
    let t = selftest::self_test();
    assert!(t.passed, "{}", t.text);
    let key: Vec<u8> = (0u8..16).collect();
    assert_eq!(
        key_check_value(&key, KcvMethod::Ecb),
        Ok([0xc6, 0xa1, 0x3b])
    );
    assert_eq!(
        key_check_value(&key, KcvMethod::Cmac),
        Ok([0xbe, 0x7e, 0xd6])
    );
    let a = random::generate_key(32);
    let b = random::generate_key(32);
    assert!(matches!((&a, &b), (Ok(x), Ok(y)) if x.len() == 32 && !x.ct_eq(y)));
}
