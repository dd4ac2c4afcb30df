//! Known answers: RFC 3394 §4.1–4.6, RFC 5649 §6 and Project Wycheproof,
//! plus a sweep against RustCrypto's `aes-kw`. The checks live in
//! `support/vectors.rs`, which the browser test runs too.

#[path = "support/vectors.rs"]
mod vectors;

#[test]
fn rfc_3394_and_5649() {
    vectors::assert_rfc_vectors_pass();
}

#[test]
fn wycheproof_kw() {
    vectors::assert_wycheproof_kw_passes();
}

#[test]
fn wycheproof_kwp() {
    vectors::assert_wycheproof_kwp_passes();
}

#[test]
fn every_length_up_to_1024_matches_aes_kw() {
    // KW: 127 lengths, KWP: 1024, KW-PKCS#5: 1017; times three KEK sizes.
    vectors::assert_equals_aes_kw(1024, keywrap_core::random::fill, 3 * (127 + 1024 + 1017));
}
