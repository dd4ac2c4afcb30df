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

/// The batch wrap interleaves keys through the software AES's parallel
/// blocks (4 per call on wasm32), a path native tests on an AES-NI machine
/// do not take: here it must give byte for byte what `aes-kw` gives, key by
/// key, for full groups, their tails, mixed lengths and a bad key among
/// them; the sliced job must end where `wrap` ends.
#[wasm_bindgen_test]
fn batch_and_sliced_wraps_equal_aes_kw_in_the_browser() {
    use keywrap_core::wrap::{Progress, UnwrapJob, WrapJob, reference, unwrap_many, wrap_many};
    use keywrap_core::{Kek, Mechanism, wrap};

    for kek_len in [16usize, 24, 32] {
        let mut kek_bytes = vec![0u8; kek_len];
        random::fill(&mut kek_bytes).unwrap();
        let kek = Kek::new(&kek_bytes).unwrap();
        for m in Mechanism::ALL {
            // 4 full groups and a tail of 3 at 32 bytes, then mixed lengths
            // (0 and 7 bytes are refused by KW and, for 0, by every mode).
            let mut keys: Vec<Vec<u8>> = (0..19).map(|_| vec![0u8; 32]).collect();
            keys.extend(
                [0usize, 1, 7, 8, 15, 16, 24, 40, 40, 40, 40, 40, 264].map(|n| vec![0u8; n]),
            );
            for k in &mut keys {
                random::fill(k).unwrap();
            }
            let batch = wrap_many(&kek, m, None, &keys);
            let mut compared = 0;
            for (key, got) in keys.iter().zip(&batch) {
                assert_eq!(got, &wrap(&kek, m, None, key), "{m:?} {} bytes", key.len());
                if let Ok(got) = got {
                    assert_eq!(Ok(got), reference::wrap(&kek_bytes, m, key).as_ref());
                    compared += 1;
                }
            }
            assert!(compared >= 27, "{m:?}: only {compared} keys wrapped");
            let blobs: Vec<Vec<u8>> = batch.into_iter().flatten().collect();
            let back = unwrap_many(&kek, m, None, &blobs);
            let wrapped_keys = keys.iter().filter(|k| wrap(&kek, m, None, k).is_ok());
            for (key, got) in wrapped_keys.zip(&back) {
                assert!(
                    got.as_ref()
                        .is_ok_and(|s| s.expose_secret() == key.as_slice())
                );
            }
        }
        let mut big = vec![0u8; 4099];
        random::fill(&mut big).unwrap();
        let mut job = WrapJob::new(&kek, Mechanism::Kwp, None, &big).unwrap();
        while let Progress::Running { .. } = job.run(777) {}
        let blob = job.finish();
        assert_eq!(
            Ok(&blob),
            reference::wrap(&kek_bytes, Mechanism::Kwp, &big).as_ref()
        );
        let mut job = UnwrapJob::new(&kek, Mechanism::Kwp, None, &blob).unwrap();
        while let Progress::Running { .. } = job.run(1000) {}
        assert!(
            job.finish()
                .is_ok_and(|s| s.expose_secret() == big.as_slice())
        );
    }
}
