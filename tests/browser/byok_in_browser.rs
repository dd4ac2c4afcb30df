//! Bring-your-own-key packages inside headless Chromium (wasm32), with the
//! browser's `crypto.getRandomValues` behind every ephemeral AES key and
//! OAEP seed: the same round trips as the native `crate/tests/byok.rs` for
//! every provider profile and key size, the Wycheproof RSA-OAEP known
//! answers, the step view and the bad-input table. The tests yield to the
//! browser between RSA operations, so the page stays responsive.
//!
//! Run with `cargo test -p keywrap-browser-tests --target wasm32-unknown-unknown
//! --test byok_in_browser`.
#![cfg(target_arch = "wasm32")]
// A wrong index is a failed test, which is what a test should do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[path = "../../crate/tests/byok_support/mod.rs"]
mod byok_support;
#[cfg(test)]
#[path = "support/mod.rs"]
mod support;

use keywrap_core::byok::{OaepHash, Provider};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The round trips of one provider, yielding between them; how many ran.
async fn round_trips(provider: Provider) -> usize {
    let pairs = byok_support::key_pairs();
    let mut n = 0;
    for case in byok_support::round_trip_cases()
        .iter()
        .filter(|c| c.algorithm.provider == provider)
    {
        byok_support::run_round_trip(case, &pairs);
        n += 1;
        support::sleep(0).await;
    }
    n
}

#[wasm_bindgen_test]
async fn aws_round_trips_in_the_browser() {
    // 2 direct algorithms × 3 sizes + 2 RSA-AES × 3 sizes × 2 materials.
    assert_eq!(round_trips(Provider::Aws).await, 18);
}

#[wasm_bindgen_test]
async fn google_round_trips_in_the_browser() {
    assert_eq!(round_trips(Provider::Gcp).await, 10);
}

#[wasm_bindgen_test]
async fn azure_round_trips_in_the_browser() {
    assert_eq!(round_trips(Provider::Azure).await, 6);
}

#[wasm_bindgen_test]
async fn pkcs11_round_trips_in_the_browser() {
    assert_eq!(round_trips(Provider::Pkcs11).await, 18);
    byok_support::pkcs11_aes_sizes_round_trip();
}

#[wasm_bindgen_test]
fn wycheproof_oaep_sha1_in_the_browser() {
    let r = byok_support::wycheproof_oaep(byok_support::WYCHEPROOF_OAEP_SHA1, OaepHash::Sha1);
    assert_eq!((r.valid, r.labelled, r.invalid), (10, 7, 19));
}

#[wasm_bindgen_test]
fn wycheproof_oaep_sha256_in_the_browser() {
    let r = byok_support::wycheproof_oaep(byok_support::WYCHEPROOF_OAEP_SHA256, OaepHash::Sha256);
    assert_eq!((r.valid, r.labelled, r.invalid), (10, 8, 19));
}

#[wasm_bindgen_test]
fn step_view_in_the_browser() {
    byok_support::steps_under_test_key();
}

#[wasm_bindgen_test]
fn bad_inputs_in_the_browser() {
    for case in byok_support::bad_inputs() {
        let e = case.got.expect_err(case.what);
        assert!((case.expected)(&e), "{}: {e:?}", case.what);
    }
}
