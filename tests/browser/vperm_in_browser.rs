//! The vector-permute AES (`keywrap_rounds::vperm`) inside headless
//! Chromium, over real WebAssembly SIMD128 `v128` lanes: the build really
//! uses it for a single key's chain, FIPS-197's known answers, and the
//! `aes` crate's fixslice AES on thousands of random keys and blocks
//! (random from `crypto.getRandomValues`). The RFC 3394 / 5649 and
//! Wycheproof vectors run through it in `core_in_browser` (every
//! `keywrap_core::wrap` / `unwrap` of one key goes through these rounds in
//! this build).
//!
//! Run with `cargo test -p keywrap-browser-tests --target wasm32-unknown-unknown
//! --test vperm_in_browser`.
#![cfg(target_arch = "wasm32")]
// A failed unwrap here is a failed test, which is what a test should do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use keywrap_core::random;
use keywrap_rounds::KekCipher;
use keywrap_rounds::vperm::{Schedule, lanes};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2).unwrap(), 16).unwrap())
        .collect()
}

fn block(s: &str) -> [u8; 16] {
    hex(s).try_into().unwrap()
}

#[wasm_bindgen_test]
fn the_page_build_runs_single_chains_on_simd128() {
    assert_eq!(lanes::LANES, "wasm simd128");
    assert_eq!(KekCipher::SINGLE_CHAIN_AES, "vperm wasm simd128");
}

#[wasm_bindgen_test]
fn fips_197_known_answers_over_v128() {
    let pt = block("00112233445566778899aabbccddeeff");
    for (key, ct) in [
        (
            "000102030405060708090a0b0c0d0e0f",
            "69c4e0d86a7b0430d8cdb78070b4c55a",
        ),
        (
            "000102030405060708090a0b0c0d0e0f1011121314151617",
            "dda97ca4864cdfe06eaf70a0ec0d7191",
        ),
        (
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
            "8ea2b7ca516745bfeafc49904b496089",
        ),
    ] {
        let s = Schedule::new(&hex(key)).unwrap();
        let mut b = pt;
        s.encrypt_block(&mut b);
        assert_eq!(b, block(ct), "encrypt under {key}");
        s.decrypt_block(&mut b);
        assert_eq!(b, pt, "decrypt under {key}");
        // The page's KEK type gives the same (single blocks are vperm here).
        let k = KekCipher::new(&hex(key)).unwrap();
        let mut c = pt;
        k.encrypt_block(&mut c);
        assert_eq!(c, block(ct));
        k.decrypt_block(&mut c);
        assert_eq!(c, pt);
    }
    let s = Schedule::new(&hex("2b7e151628aed2a6abf7158809cf4f3c")).unwrap();
    let mut b = block("3243f6a8885a308d313198a2e0370734");
    s.encrypt_block(&mut b);
    assert_eq!(b, block("3925841d02dc09fbdc118597196a0b32"));
}

fn cross_check<C>(key_len: usize, cases: usize)
where
    C: KeyInit + BlockCipherEncrypt + BlockCipherDecrypt,
    C: aes::cipher::BlockSizeUser<BlockSize = aes::cipher::typenum::U16>,
{
    for _ in 0..cases {
        let mut key = vec![0u8; key_len];
        random::fill(&mut key).unwrap();
        let mut pt = [0u8; 16];
        random::fill(&mut pt).unwrap();
        let ours = Schedule::new(&key).unwrap();
        let theirs = C::new_from_slice(&key).unwrap();
        let mut a = pt;
        ours.encrypt_block(&mut a);
        let mut b = aes::Block::from(pt);
        theirs.encrypt_block(&mut b);
        assert_eq!(a.as_slice(), b.as_slice(), "encrypt, {key_len}-byte key");
        let mut d = pt;
        let mut e = aes::Block::from(pt);
        ours.decrypt_block(&mut d);
        theirs.decrypt_block(&mut e);
        assert_eq!(d.as_slice(), e.as_slice(), "decrypt, {key_len}-byte key");
    }
}

#[wasm_bindgen_test]
fn random_keys_and_blocks_agree_with_the_aes_crate_over_v128() {
    cross_check::<aes::Aes128>(16, 3000);
    cross_check::<aes::Aes192>(24, 3000);
    cross_check::<aes::Aes256>(32, 3000);
}

#[wasm_bindgen_test]
fn w_rounds_over_v128_equal_the_fixslice_batch_path() {
    // The batch path (`w_many`) stays on the fixslice: one key through it
    // and through the vperm chain must agree, for every KEK size.
    for key_len in [16, 24, 32] {
        for n in [2usize, 3, 5, 17, 64] {
            let mut key = vec![0u8; key_len];
            random::fill(&mut key).unwrap();
            let k = KekCipher::new(&key).unwrap();
            let mut buf = vec![0u8; 8 * (n + 1)];
            random::fill(&mut buf).unwrap();
            let mut a = buf.clone();
            let mut b = buf.clone();
            k.w(&mut a);
            k.w_many(&mut [b.as_mut_slice()]);
            let mut c = buf.clone();
            let mut d = buf.clone();
            k.w_many(&mut [c.as_mut_slice(), d.as_mut_slice()]);
            assert_eq!(a, b, "W, {key_len}-byte KEK, n = {n}");
            assert_eq!(a, c);
            assert_eq!(a, d);
            k.w_inverse(&mut a);
            assert_eq!(a, buf, "W⁻¹ undoes W");
        }
    }
}
