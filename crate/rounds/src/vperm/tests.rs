//! The vector-permute AES against FIPS-197 and the `aes` crate, natively
//! through the portable lanes (the same functions the SIMD build runs; the
//! browser tests run them over `v128`).

use aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};

use super::lanes::V;
use super::tables::{affine_linear, gmul};
use super::{Schedule, expand, sub_bytes};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2).unwrap_or("zz"), 16).unwrap_or(0))
        .collect()
}

fn block(s: &str) -> [u8; 16] {
    let mut b = [0u8; 16];
    b.copy_from_slice(&hex(s));
    b
}

/// The S-box the slow way: affine map of the inverse (`x²⁵⁴`).
fn reference_sbox(x: u8) -> u8 {
    let mut inv = 1u8;
    for _ in 0..254 {
        inv = gmul(inv, x);
    }
    affine_linear(inv) ^ 0x63
}

#[test]
fn every_s_box_value_matches_the_definition() {
    for x in 0..=255u8 {
        let mut out = [0u8; 16];
        sub_bytes(V::load(&[x; 16])).store(&mut out);
        assert_eq!(out, [reference_sbox(x); 16], "S({x:#04x})");
    }
    // FIPS-197 Figure 7 spot values.
    assert_eq!(reference_sbox(0x00), 0x63);
    assert_eq!(reference_sbox(0x53), 0xed);
    assert_eq!(reference_sbox(0xff), 0x16);
}

#[test]
fn key_expansion_matches_fips_197_appendix_a() {
    let rk = expand(&hex("2b7e151628aed2a6abf7158809cf4f3c"), 10);
    assert_eq!(rk[1], block("a0fafe1788542cb123a339392a6c7605"));
    assert_eq!(rk[10], block("d014f9a8c9ee2589e13f0cc8b6630ca6"));
    let rk = expand(&hex("8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b"), 12);
    assert_eq!(rk[12], block("e98ba06f448c773c8ecc720401002202"));
    let rk = expand(
        &hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"),
        14,
    );
    assert_eq!(rk[14], block("fe4890d1e6188d0b046df344706c631e"));
}

#[test]
fn fips_197_appendix_c_known_answers() {
    let pt = "00112233445566778899aabbccddeeff";
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
        let s = Schedule::new(&hex(key)).expect("valid length");
        let mut b = block(pt);
        s.encrypt_block(&mut b);
        assert_eq!(b, block(ct), "encrypt under {key}");
        s.decrypt_block(&mut b);
        assert_eq!(b, block(pt), "decrypt under {key}");
    }
    // FIPS-197 Appendix B.
    let s = Schedule::new(&hex("2b7e151628aed2a6abf7158809cf4f3c")).expect("valid");
    let mut b = block("3243f6a8885a308d313198a2e0370734");
    s.encrypt_block(&mut b);
    assert_eq!(b, block("3925841d02dc09fbdc118597196a0b32"));
}

#[test]
fn other_key_lengths_are_refused() {
    for len in [0, 1, 15, 17, 23, 25, 31, 33, 64] {
        assert!(Schedule::new(&vec![0; len]).is_none(), "{len}");
    }
}

/// splitmix64: reproducible test data without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let r = self.next().to_le_bytes();
            chunk.copy_from_slice(r.get(..chunk.len()).unwrap_or(&[]));
        }
    }
}

fn check_against_aes<
    C: KeyInit
        + BlockCipherEncrypt
        + BlockCipherDecrypt
        + aes::cipher::BlockSizeUser<BlockSize = aes::cipher::typenum::U16>,
>(
    key_len: usize,
    cases: usize,
    rng: &mut Rng,
) {
    for _ in 0..cases {
        let mut key = vec![0u8; key_len];
        rng.fill(&mut key);
        let mut pt = [0u8; 16];
        rng.fill(&mut pt);
        let ours = Schedule::new(&key).expect("valid length");
        let theirs = C::new_from_slice(&key).expect("valid length");
        let mut a = pt;
        ours.encrypt_block(&mut a);
        let mut b = aes::Block::from(pt);
        theirs.encrypt_block(&mut b);
        assert_eq!(a.as_slice(), b.as_slice(), "encrypt, {key_len}-byte key");
        let mut c = a;
        ours.decrypt_block(&mut c);
        assert_eq!(c, pt, "round trip");
        // Decrypt an unrelated block too (not only our own ciphertexts).
        let mut d = [0u8; 16];
        rng.fill(&mut d);
        let mut e = aes::Block::from(d);
        ours.decrypt_block(&mut d);
        theirs.decrypt_block(&mut e);
        assert_eq!(d.as_slice(), e.as_slice(), "decrypt, {key_len}-byte key");
    }
}

#[test]
fn random_keys_and_blocks_agree_with_the_aes_crate() {
    let mut rng = Rng(20261202);
    check_against_aes::<aes::Aes128>(16, 2000, &mut rng);
    check_against_aes::<aes::Aes192>(24, 2000, &mut rng);
    check_against_aes::<aes::Aes256>(32, 2000, &mut rng);
}

#[test]
fn w_rounds_over_vperm_match_rfc_3394_and_the_aes_crate() {
    // RFC 3394 §4.1 (128-bit KEK, 128-bit key data) and §4.6 (256, 256):
    // W over A6A6A6A6A6A6A6A6 | P.
    for (kek, data, wrapped) in [
        (
            "000102030405060708090a0b0c0d0e0f",
            "00112233445566778899aabbccddeeff",
            "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5",
        ),
        (
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
            "00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f",
            "28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21",
        ),
    ] {
        let s = Schedule::new(&hex(kek)).expect("valid");
        let mut buf = hex(&format!("a6a6a6a6a6a6a6a6{data}"));
        s.w(&mut buf);
        assert_eq!(buf, hex(wrapped));
        s.w_inverse(&mut buf);
        assert_eq!(buf, hex(&format!("a6a6a6a6a6a6a6a6{data}")));
    }
    // Random buffers: the same as the `aes` crate's rounds, whole and in slices.
    let mut rng = Rng(7);
    for case in 0..90 {
        let key_len = [16, 24, 32][case % 3];
        let mut key = vec![0u8; key_len];
        rng.fill(&mut key);
        let n = 2 + (rng.next() % 24) as usize;
        let mut buf = vec![0u8; 8 * (n + 1)];
        rng.fill(&mut buf);
        let ours = Schedule::new(&key).expect("valid");
        let theirs = crate::KekCipher::new(&key).expect("valid");
        let mut a = buf.clone();
        let mut b = buf.clone();
        ours.w(&mut a);
        theirs.w(&mut b);
        assert_eq!(a, b, "W, case {case}");
        let mut c = buf.clone();
        let mut done = 0;
        while done < 6 * n {
            done = ours.w_steps(&mut c, done, 1 + case % 7);
        }
        assert_eq!(c, a, "W in slices, case {case}");
        ours.w_inverse(&mut a);
        theirs.w_inverse(&mut b);
        assert_eq!(a, b, "W⁻¹, case {case}");
        assert_eq!(a, buf);
        let mut d = c.clone();
        let mut done = 0;
        while done < 6 * n {
            done = ours.w_inverse_steps(&mut d, done, 1 + case % 5);
        }
        assert_eq!(d, buf, "W⁻¹ in slices, case {case}");
        let mut steps = Vec::with_capacity(6 * n);
        let mut e = buf.clone();
        ours.w_traced(&mut e, &mut steps);
        assert_eq!(e, c);
        assert_eq!(steps.len(), 6 * n);
        let mut steps = Vec::with_capacity(6 * n);
        ours.w_inverse_traced(&mut e, &mut steps);
        assert_eq!(e, buf);
    }
}
