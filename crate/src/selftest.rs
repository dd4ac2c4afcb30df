//! The known-answer self-test shown in the console's footer.
//!
//! [`self_test`] checks, in a few milliseconds, that the engine compiled
//! into this build (native or wasm32) gives the published answers:
//!
//! 1. RFC 3394 §4.1 wrap: KEK `000102…0F`, key data `0011…FF` gives
//!    `1FA68B0A8112B447 AEF34BD8FB5A7B82 9D3E862371D2CFE5`;
//! 2. RFC 3394 §4.1 unwrap of that blob gives the key data back;
//! 3. a one-bit change to the blob fails the integrity check;
//! 4. RFC 5649 §6 (7-octet key data, single AES block) wraps and unwraps;
//! 5. both key check values of the KEK (`c6a13b`, `be7ed6`);
//! 6. this crate and RustCrypto's `aes-kw` agree on KW and KWP for a few
//!    lengths under all three KEK sizes.
//!
//! ```
//! let result = keywrap_core::selftest::self_test();
//! assert!(result.passed, "{}", result.text);
//! ```

use crate::kcv::{KcvMethod, key_check_value};
use crate::wrap::reference;
use crate::{Error, Kek, Mechanism, unwrap, wrap};

/// One check of the self-test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelfTestCheck {
    /// What was checked, e.g. `RFC 3394 §4.1 wrap`.
    pub name: &'static str,
    /// Whether it gave the expected answer.
    pub passed: bool,
}

/// The self-test's report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelfTest {
    /// Whether every check passed.
    pub passed: bool,
    /// One line for people, e.g. `Self-test passed: RFC 3394 §4.1 wrap and
    /// unwrap, …` or `Self-test FAILED: …` naming the failed checks.
    pub text: String,
    /// Each check and its result.
    pub checks: Vec<SelfTestCheck>,
}

const RFC3394_KEK: [u8; 16] = [
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
];
const RFC3394_KEY_DATA: [u8; 16] = [
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF,
];
const RFC3394_4_1: [u8; 24] = [
    0x1F, 0xA6, 0x8B, 0x0A, 0x81, 0x12, 0xB4, 0x47, 0xAE, 0xF3, 0x4B, 0xD8, 0xFB, 0x5A, 0x7B, 0x82,
    0x9D, 0x3E, 0x86, 0x23, 0x71, 0xD2, 0xCF, 0xE5,
];
const RFC5649_KEK: [u8; 24] = [
    0x58, 0x40, 0xdf, 0x6e, 0x29, 0xb0, 0x2a, 0xf1, 0xab, 0x49, 0x3b, 0x70, 0x5b, 0xf1, 0x6e, 0xa1,
    0xae, 0x83, 0x38, 0xf4, 0xdc, 0xc1, 0x76, 0xa8,
];
const RFC5649_KEY_DATA: [u8; 7] = [0x46, 0x6f, 0x72, 0x50, 0x61, 0x73, 0x69];
const RFC5649_WRAPPED: [u8; 16] = [
    0xaf, 0xbe, 0xb0, 0xf0, 0x7d, 0xfb, 0xf5, 0x41, 0x92, 0x00, 0xf2, 0xcc, 0xb5, 0x0b, 0xb2, 0x4f,
];

/// Runs the known-answer tests and reports.
pub fn self_test() -> SelfTest {
    let mut checks = Vec::new();
    let mut check = |name: &'static str, passed: bool| {
        checks.push(SelfTestCheck { name, passed });
    };

    let kek = Kek::new(&RFC3394_KEK);
    let (wrapped_ok, unwrapped_ok, tamper_ok) = match &kek {
        Ok(kek) => {
            let wrapped = wrap(kek, Mechanism::Kw, None, &RFC3394_KEY_DATA);
            let unwrapped = unwrap(kek, Mechanism::Kw, None, &RFC3394_4_1);
            let mut tampered = RFC3394_4_1;
            tampered[23] ^= 1;
            (
                wrapped.as_deref() == Ok(&RFC3394_4_1[..]),
                matches!(&unwrapped, Ok(k) if k.ct_eq_bytes(&RFC3394_KEY_DATA)),
                unwrap(kek, Mechanism::Kw, None, &tampered).err()
                    == Some(Error::IntegrityCheckFailed),
            )
        }
        Err(_) => (false, false, false),
    };
    check("RFC 3394 §4.1 wrap", wrapped_ok);
    check("RFC 3394 §4.1 unwrap", unwrapped_ok);
    check("tamper detection", tamper_ok);

    let kwp_ok = Kek::new(&RFC5649_KEK).is_ok_and(|kek| {
        wrap(&kek, Mechanism::Kwp, None, &RFC5649_KEY_DATA).as_deref() == Ok(&RFC5649_WRAPPED[..])
            && matches!(
                unwrap(&kek, Mechanism::Kwp, None, &RFC5649_WRAPPED),
                Ok(k) if k.ct_eq_bytes(&RFC5649_KEY_DATA)
            )
    });
    check("RFC 5649 §6", kwp_ok);

    let kcv_ok = key_check_value(&RFC3394_KEK, KcvMethod::Ecb) == Ok([0xc6, 0xa1, 0x3b])
        && key_check_value(&RFC3394_KEK, KcvMethod::Cmac) == Ok([0xbe, 0x7e, 0xd6]);
    check("KCV (ECB, CMAC)", kcv_ok);

    check("agreement with aes-kw", agrees_with_aes_kw());

    let passed = checks.iter().all(|c| c.passed);
    let names: Vec<&str> = checks
        .iter()
        .filter(|c| passed || !c.passed)
        .map(|c| c.name)
        .collect();
    let text = if passed {
        format!("Self-test passed: {}.", names.join(", "))
    } else {
        format!("Self-test FAILED: {}.", names.join(", "))
    };
    SelfTest {
        passed,
        text,
        checks,
    }
}

/// Compares this crate with `aes-kw` on deterministic inputs.
fn agrees_with_aes_kw() -> bool {
    let mut all = true;
    for kek_len in [16usize, 24, 32] {
        let kek_bytes: Vec<u8> = (0..=u8::MAX)
            .take(kek_len)
            .map(|i| i.wrapping_mul(37) ^ 0x5c)
            .collect();
        let Ok(kek) = Kek::new(&kek_bytes) else {
            return false;
        };
        for (mechanism, lengths) in [
            (Mechanism::Kw, &[16usize, 24, 32, 64][..]),
            (Mechanism::Kwp, &[1usize, 7, 8, 9, 20, 33][..]),
        ] {
            for &len in lengths {
                let data: Vec<u8> = (0..=u8::MAX)
                    .take(len)
                    .map(|i| i.wrapping_mul(91) ^ 0xa3)
                    .collect();
                let ours = wrap(&kek, mechanism, None, &data);
                let theirs = reference::wrap(&kek_bytes, mechanism, &data);
                all &= ours.is_ok() && ours == theirs;
            }
        }
    }
    all
}

#[cfg(test)]
mod tests {
    #[test]
    fn passes() {
        let r = super::self_test();
        assert!(r.passed, "{}", r.text);
        assert!(r.text.starts_with("Self-test passed: RFC 3394 §4.1 wrap"));
        assert_eq!(r.checks.len(), 6);
    }
}
