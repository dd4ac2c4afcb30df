//! Shared by the unwrap targets: split the fuzzer's bytes into a KEK, an
//! optional IV and the rest, and check unwrap against its own trace and
//! against RustCrypto's `aes-kw`.

use keywrap_core::wrap::{TRACE_MAX_BYTES, reference};
use keywrap_core::{Iv, Kek, Mechanism, SecretBytes, trace_unwrap, unwrap};

/// The input, taken apart.
pub struct Input<'a> {
    pub kek_bytes: Vec<u8>,
    pub kek: Kek,
    pub iv: Option<Iv>,
    /// Bit 3 of the first byte: the target may build a blob from `rest`
    /// instead of using it as is (to reach the checks after the IV).
    pub construct: bool,
    pub rest: &'a [u8],
}

/// byte 0: bits 0-1 KEK size (16, 24, 32, 32), bit 2 custom IV, bit 3
/// "construct"; then the KEK, then 8 IV bytes if bit 2, then the rest.
pub fn split(data: &[u8]) -> Option<Input<'_>> {
    let (&flags, data) = data.split_first()?;
    let kek_len = [16, 24, 32, 32][usize::from(flags & 3)];
    let (kek_bytes, data) = data.split_at_checked(kek_len)?;
    let (iv, rest) = if flags & 4 != 0 {
        let (iv, rest) = data.split_at_checked(8)?;
        (Some(Iv::from_slice(iv).ok()?), rest)
    } else {
        (None, data)
    };
    let kek = Kek::new(kek_bytes).ok()?;
    Some(Input {
        kek_bytes: kek_bytes.to_vec(),
        kek,
        iv,
        construct: flags & 8 != 0,
        rest,
    })
}

/// Unwraps `blob` and checks: the trace (when within its cap) reaches the
/// same outcome; with the default IV, `aes-kw` agrees wherever SP 800-38F
/// and `aes-kw` agree on what is acceptable.
pub fn check(input: &Input<'_>, mechanism: Mechanism, blob: &[u8]) -> Option<SecretBytes> {
    let result = unwrap(&input.kek, mechanism, input.iv.as_ref(), blob);
    if blob.len() >= 16 && blob.len() - 8 <= TRACE_MAX_BYTES {
        if let Ok(trace) = trace_unwrap(&input.kek, mechanism, input.iv.as_ref(), blob) {
            assert_eq!(trace.outcome.as_ref().err(), result.as_ref().err());
            if let (Ok(a), Ok(b)) = (&trace.outcome, &result) {
                assert!(a.ct_eq(b));
            }
        } else {
            assert!(result.is_err());
        }
    }
    let min = if mechanism == Mechanism::Kwp { 16 } else { 24 };
    if input.iv.is_none() && blob.len() >= min && blob.len() % 8 == 0 {
        let theirs = reference::unwrap(&input.kek_bytes, mechanism, blob);
        assert_eq!(
            result.is_ok(),
            theirs.is_ok(),
            "{mechanism:?} {} bytes",
            blob.len()
        );
        if let (Ok(a), Ok(b)) = (&result, &theirs) {
            assert!(a.ct_eq(b));
        }
    }
    result.ok()
}
