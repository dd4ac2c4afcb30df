//! Known answers: RFC 3394 §4.1–4.6, RFC 5649 §6 and Project Wycheproof,
//! plus a sweep against RustCrypto's `aes-kw`. The checks live in
//! `support/vectors.rs`, which the browser test runs too.

#[path = "support/vectors.rs"]
mod vectors;

use keywrap_core::Mechanism;
use vectors::Report;

fn assert_clean(what: &str, report: &Report) {
    assert!(
        report.failures.is_empty(),
        "{what}: {} failures:\n{}",
        report.failures.len(),
        report.failures.join("\n")
    );
}

#[test]
fn rfc_3394_and_5649() {
    let r = vectors::check_rfc();
    assert_clean("RFC vectors", &r);
    assert_eq!(r.valid, 8);
}

#[test]
fn wycheproof_kw() {
    let r = vectors::check_wycheproof(vectors::WYCHEPROOF_KW, Mechanism::Kw);
    assert_clean("Wycheproof aes_wrap_test.json", &r);
    assert_eq!((r.valid, r.invalid, r.acceptable), (36, 126, 3));
}

#[test]
fn wycheproof_kwp() {
    let r = vectors::check_wycheproof(vectors::WYCHEPROOF_KWP, Mechanism::Kwp);
    assert_clean("Wycheproof aes_kwp_test.json", &r);
    assert_eq!((r.valid, r.invalid, r.acceptable), (77, 177, 0));
}

#[test]
fn every_length_up_to_1024_matches_aes_kw() {
    let r = vectors::compare_with_aes_kw(1024, keywrap_core::random::fill);
    assert_clean("aes-kw comparison", &r);
    // KW: 127 lengths, KWP: 1024, KW-PKCS#5: 1017; times three KEK sizes.
    assert_eq!(r.compared, 3 * (127 + 1024 + 1017));
}
