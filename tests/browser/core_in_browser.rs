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
use keywrap_core::{Mechanism, random, selftest};
use vectors::Report;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn assert_clean(what: &str, report: &Report) {
    assert!(
        report.failures.is_empty(),
        "{what}: {} failures:\n{}",
        report.failures.len(),
        report.failures.join("\n")
    );
}

#[wasm_bindgen_test]
fn rfc_3394_and_5649_in_the_browser() {
    let r = vectors::check_rfc();
    assert_clean("RFC vectors", &r);
    assert_eq!(r.valid, 8);
}

#[wasm_bindgen_test]
fn wycheproof_kw_in_the_browser() {
    let r = vectors::check_wycheproof(vectors::WYCHEPROOF_KW, Mechanism::Kw);
    assert_clean("Wycheproof aes_wrap_test.json", &r);
    assert_eq!((r.valid, r.invalid, r.acceptable), (36, 126, 3));
}

#[wasm_bindgen_test]
fn wycheproof_kwp_in_the_browser() {
    let r = vectors::check_wycheproof(vectors::WYCHEPROOF_KWP, Mechanism::Kwp);
    assert_clean("Wycheproof aes_kwp_test.json", &r);
    assert_eq!((r.valid, r.invalid, r.acceptable), (77, 177, 0));
}

#[wasm_bindgen_test]
fn equals_aes_kw_on_random_inputs_in_the_browser() {
    let r = vectors::compare_with_aes_kw(256, random::fill);
    assert_clean("aes-kw comparison", &r);
    // KW: 31 lengths (16..=256 step 8), KWP: 256, KW-PKCS#5: 249; 3 KEK sizes.
    assert_eq!(r.compared, 3 * (31 + 256 + 249));
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
