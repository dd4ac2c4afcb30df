//! Known-answer and cross-implementation checks, shared by the native test
//! (`crate/tests/vectors.rs`) and the browser test
//! (`tests/browser/core_in_browser.rs`, through `#[path]`).
//!
//! The vector files are compiled in with `include_str!`, so nothing is read
//! from disk and the checks run unchanged as wasm32 in headless Chromium.
//! Each check returns a [`Report`]: counts of what was checked and a list of
//! failures (empty when all is well), so a failing run says which test
//! failed and why instead of stopping at the first.

#![allow(dead_code)] // each includer uses a different subset

use keywrap_core::encoding::{Format, decode};
use keywrap_core::wrap::reference;
use keywrap_core::{Error, Kek, Mechanism, trace_unwrap, trace_wrap, unwrap, wrap};
use serde_json::Value;

/// RFC 3394 §4.1–4.6 and RFC 5649 §6.
pub const RFC: &str = include_str!("../vectors/rfc/rfc3394_rfc5649.json");
/// Wycheproof `aes_wrap_test.json` (KW).
pub const WYCHEPROOF_KW: &str = include_str!("../vectors/wycheproof/aes_wrap_test.json");
/// Wycheproof `aes_kwp_test.json` (KWP).
pub const WYCHEPROOF_KWP: &str = include_str!("../vectors/wycheproof/aes_kwp_test.json");

/// What a check saw.
#[derive(Debug, Default)]
pub struct Report {
    /// Cases that must wrap to the given output and unwrap back.
    pub valid: usize,
    /// Cases that must be rejected.
    pub invalid: usize,
    /// Wycheproof "acceptable" cases (rejected here, by decision).
    pub acceptable: usize,
    /// Comparisons with aes-kw.
    pub compared: usize,
    /// One line per failure.
    pub failures: Vec<String>,
}

impl Report {
    fn fail(&mut self, what: String) {
        self.failures.push(what);
    }

    /// All cases, whatever their kind.
    pub fn total(&self) -> usize {
        self.valid + self.invalid + self.acceptable + self.compared
    }
}

fn hex(s: &str) -> Vec<u8> {
    decode(s, Format::Hex)
        .map(|z| z.to_vec())
        .unwrap_or_default()
}

fn field<'a>(v: &'a Value, name: &str) -> &'a str {
    v.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// RFC 3394 §4.1–4.6 and RFC 5649 §6: wrap, unwrap, and the trace agrees.
pub fn check_rfc() -> Report {
    let mut r = Report::default();
    let vectors: Vec<Value> = serde_json::from_str(RFC).unwrap_or_default();
    if vectors.len() != 8 {
        r.fail(format!("expected 8 RFC vectors, found {}", vectors.len()));
    }
    for v in &vectors {
        let source = field(v, "source");
        let mechanism = match field(v, "mode") {
            "KW" => Mechanism::Kw,
            "KWP" => Mechanism::Kwp,
            other => {
                r.fail(format!("{source}: unknown mode {other}"));
                continue;
            }
        };
        let (kek, data, ct) = (
            hex(field(v, "kek")),
            hex(field(v, "key_data")),
            hex(field(v, "ciphertext")),
        );
        r.valid += 1;
        let Ok(k) = Kek::new(&kek) else {
            r.fail(format!("{source}: KEK refused"));
            continue;
        };
        match wrap(&k, mechanism, None, &data) {
            Ok(out) if out == ct => {}
            other => r.fail(format!("{source}: wrap gave {other:?}")),
        }
        match unwrap(&k, mechanism, None, &ct) {
            Ok(key) if key.expose_secret() == data.as_slice() => {}
            other => r.fail(format!("{source}: unwrap gave {other:?}")),
        }
        match trace_wrap(&k, mechanism, None, &data) {
            Ok(t) if t.output == ct => {}
            other => r.fail(format!("{source}: trace_wrap gave {other:?}")),
        }
        match trace_unwrap(&k, mechanism, None, &ct) {
            Ok(t)
                if t.iv_check.passed
                    && matches!(&t.outcome, Ok(key) if key.expose_secret() == data.as_slice()) => {}
            other => r.fail(format!("{source}: trace_unwrap gave {other:?}")),
        }
    }
    r
}

/// A Wycheproof key wrap file: every valid test wraps to `ct` and unwraps to
/// `msg`; every invalid one is rejected; the acceptable ones (`ShortKey`,
/// 8-byte KW key data) are rejected, as SP 800-38F requires.
pub fn check_wycheproof(json: &str, mechanism: Mechanism) -> Report {
    let mut r = Report::default();
    let file: Value = serde_json::from_str(json).unwrap_or(Value::Null);
    let expected = file
        .get("numberOfTests")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let groups = file
        .get("testGroups")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for group in &groups {
        let tests = group
            .get("tests")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for t in &tests {
            let id = t.get("tcId").and_then(Value::as_u64).unwrap_or(0);
            let name = format!("{mechanism:?} tcId {id} ({})", field(t, "comment"));
            let (kek, msg, ct) = (
                hex(field(t, "key")),
                hex(field(t, "msg")),
                hex(field(t, "ct")),
            );
            let Ok(k) = Kek::new(&kek) else {
                r.fail(format!("{name}: KEK refused"));
                continue;
            };
            let wrapped = wrap(&k, mechanism, None, &msg);
            let unwrapped = unwrap(&k, mechanism, None, &ct);
            match field(t, "result") {
                "valid" => {
                    r.valid += 1;
                    if wrapped.as_ref() != Ok(&ct) {
                        r.fail(format!("{name}: wrap gave {wrapped:?}"));
                    }
                    if !matches!(&unwrapped, Ok(key) if key.expose_secret() == msg.as_slice()) {
                        r.fail(format!("{name}: unwrap gave {unwrapped:?}"));
                    }
                }
                "invalid" => {
                    r.invalid += 1;
                    if unwrapped.is_ok() {
                        r.fail(format!("{name}: invalid ciphertext was unwrapped"));
                    }
                    if wrapped.as_ref() == Ok(&ct) {
                        r.fail(format!("{name}: invalid ciphertext was produced by wrap"));
                    }
                }
                "acceptable" => {
                    r.acceptable += 1;
                    // Decision: 8-byte KW key data is rejected (SP 800-38F).
                    let flags = t.get("flags").map(Value::to_string).unwrap_or_default();
                    let short = msg.len() == 8 && flags.contains("ShortKey");
                    if !short {
                        r.fail(format!("{name}: unexpected acceptable case {flags}"));
                    }
                    if !matches!(wrapped, Err(Error::InputLength { .. })) {
                        r.fail(format!(
                            "{name}: 8-byte key data was not refused: {wrapped:?}"
                        ));
                    }
                    if !matches!(unwrapped, Err(Error::InputLength { .. })) {
                        r.fail(format!(
                            "{name}: 16-byte KW blob was not refused: {unwrapped:?}"
                        ));
                    }
                }
                other => r.fail(format!("{name}: unknown result {other}")),
            }
        }
    }
    if u64::try_from(r.valid + r.invalid + r.acceptable).ok() != Some(expected) || expected == 0 {
        r.fail(format!(
            "{mechanism:?}: checked {} tests, the file declares {expected}",
            r.valid + r.invalid + r.acceptable
        ));
    }
    r
}

/// The lengths of key data each mechanism takes, from 1 to `max_len`.
pub fn lengths(mechanism: Mechanism, max_len: usize) -> Vec<usize> {
    (1..=max_len)
        .filter(|&len| match mechanism {
            Mechanism::Kw => len % 8 == 0 && len >= 16,
            Mechanism::Kwp => true,
            Mechanism::KwPkcs5 => len >= 8,
        })
        .collect()
}

/// Compares this crate with RustCrypto's `aes-kw` (through
/// `keywrap_core::wrap::reference`) on random KEKs of all three sizes and
/// random key data of every length the mechanism takes up to `max_len`,
/// both ways. `fill` supplies the random bytes (getrandom, natively or in
/// the browser).
pub fn compare_with_aes_kw(
    max_len: usize,
    mut fill: impl FnMut(&mut [u8]) -> Result<(), Error>,
) -> Report {
    let mut r = Report::default();
    for kek_len in [16usize, 24, 32] {
        for mechanism in Mechanism::ALL {
            for len in lengths(mechanism, max_len) {
                let mut kek_bytes = vec![0u8; kek_len];
                let mut data = vec![0u8; len];
                if fill(&mut kek_bytes).and(fill(&mut data)).is_err() {
                    r.fail("the random source failed".to_owned());
                    return r;
                }
                r.compared += 1;
                let name = format!("{mechanism:?} KEK {kek_len} data {len}");
                let Ok(kek) = Kek::new(&kek_bytes) else {
                    r.fail(format!("{name}: KEK refused"));
                    continue;
                };
                let ours = wrap(&kek, mechanism, None, &data);
                let theirs = reference::wrap(&kek_bytes, mechanism, &data);
                if ours.is_err() || ours != theirs {
                    r.fail(format!("{name}: ours {ours:?} aes-kw {theirs:?}"));
                    continue;
                }
                let blob = ours.unwrap_or_default();
                let back_ours = unwrap(&kek, mechanism, None, &blob);
                let back_theirs = reference::unwrap(&kek_bytes, mechanism, &blob);
                let ok = matches!((&back_ours, &back_theirs),
                    (Ok(a), Ok(b)) if a.expose_secret() == data.as_slice() && a == b);
                if !ok {
                    r.fail(format!(
                        "{name}: unwrap ours {back_ours:?} aes-kw {back_theirs:?}"
                    ));
                }
            }
        }
    }
    r
}

/// Panics with every failure `report` lists, named by `what`.
pub fn assert_clean(what: &str, report: &Report) {
    assert!(
        report.failures.is_empty(),
        "{what}: {} failures:\n{}",
        report.failures.len(),
        report.failures.join("\n")
    );
}

/// Every RFC 3394 and RFC 5649 vector passes, all eight of them.
pub fn assert_rfc_vectors_pass() {
    let r = check_rfc();
    assert_clean("RFC vectors", &r);
    assert_eq!(r.valid, 8);
}

/// Every Wycheproof KW test passes: 36 valid, 126 invalid, 3 acceptable.
pub fn assert_wycheproof_kw_passes() {
    let r = check_wycheproof(WYCHEPROOF_KW, Mechanism::Kw);
    assert_clean("Wycheproof aes_wrap_test.json", &r);
    assert_eq!((r.valid, r.invalid, r.acceptable), (36, 126, 3));
}

/// Every Wycheproof KWP test passes: 77 valid, 177 invalid.
pub fn assert_wycheproof_kwp_passes() {
    let r = check_wycheproof(WYCHEPROOF_KWP, Mechanism::Kwp);
    assert_clean("Wycheproof aes_kwp_test.json", &r);
    assert_eq!((r.valid, r.invalid, r.acceptable), (77, 177, 0));
}

/// [`compare_with_aes_kw`] up to `max_len` finds no difference, after
/// exactly `expected_comparisons` comparisons (the caller counts them by
/// hand, so a change in [`lengths`] cannot pass unnoticed).
pub fn assert_equals_aes_kw(
    max_len: usize,
    fill: impl FnMut(&mut [u8]) -> Result<(), Error>,
    expected_comparisons: usize,
) {
    let r = compare_with_aes_kw(max_len, fill);
    assert_clean("aes-kw comparison", &r);
    assert_eq!(r.compared, expected_comparisons);
}
