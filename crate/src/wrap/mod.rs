//! AES key wrap: RFC 3394 (KW), RFC 5649 (KWP) and CloudHSM's KW with
//! PKCS#5 padding, with a visible initial value and an optional trace.
//!
//! # The algorithm in one page
//!
//! Key wrap protects a key (the *key data*) under another key, the
//! key-encryption key ([`Kek`]), and detects any change to the result.
//! It cuts the key data into 64-bit **semiblocks** `P[1] … P[n]` and keeps
//! one more semiblock, the register `A`, which starts as the **initial
//! value** ([`Iv`]). The wrapping function W (RFC 3394 §2.2.1, NIST
//! SP 800-38F §6.1) then runs `6n` steps: for `j = 0..=5` and `i = 1..=n`,
//!
//! ```text
//! B    = AES(K, A | R[i])        one AES block encryption
//! A    = MSB64(B) xor t          t = n*j + i, the step counter
//! R[i] = LSB64(B)
//! ```
//!
//! and outputs `C[0] = A, C[1..n] = R[1..n]`: 8 bytes longer than the key
//! data. Unwrapping (W⁻¹) runs the steps backwards with AES decryption and
//! must find the initial value in `A` again; any other value means the
//! KEK, the IV, the mechanism or the bytes are wrong, and **no key data is
//! released** ([`Error::IntegrityCheckFailed`]). With a 64-bit check the
//! chance that a corrupted blob passes is 2⁻⁶⁴.
//!
//! [`trace_wrap`] and [`trace_unwrap`] return every one of those steps
//! (see the [`trace`] module); [`wrap()`] and [`unwrap()`] run the very same
//! code with the recording compiled out.
//!
//! # The three mechanisms
//!
//! | [`Mechanism`] | key data (wrap input) | wrapped (unwrap input) | initial value |
//! | --- | --- | --- | --- |
//! | `Kw` (RFC 3394, SP 800-38F KW) | multiple of 8, ≥ 16 bytes | multiple of 8, ≥ 24 bytes | `A6A6A6A6A6A6A6A6` or a custom [`Iv`] |
//! | `Kwp` (RFC 5649, SP 800-38F KWP) | ≥ 1 byte | multiple of 8, ≥ 16 bytes | `A65959A6` ‖ 32-bit length, fixed |
//! | `KwPkcs5` (AWS CloudHSM, vendor) | ≥ 8 bytes | multiple of 8, ≥ 24 bytes | `A6A6A6A6A6A6A6A6` or a custom [`Iv`] |
//!
//! - **KW** wraps 2 or more semiblocks. RFC 3394 §2 also mentions wrapping a
//!   single semiblock by one AES encryption, and RustCrypto's `aes-kw`
//!   accepts 0 and 8 bytes; SP 800-38F defines neither, so this crate
//!   rejects 0- and 8-byte key data with [`Error::InputLength`]. The three
//!   Wycheproof tests marked *acceptable* (flag `ShortKey`, 8-byte key data)
//!   are therefore rejected here, as pyca/cryptography does.
//! - **KWP** (RFC 5649 §4) pads the key data with zeros to a multiple of 8
//!   and puts its exact length, the message length indicator (MLI), in the
//!   initial value. With exactly one semiblock of padded data the whole
//!   `AIV | P[1]` is **one AES block encryption** instead of W. Unwrap
//!   checks, all in constant time, that `A` starts with `A65959A6`, that
//!   `8(n-1) < MLI <= 8n`, and that the padding bytes are zero, and reports
//!   which check failed ([`Error::IntegrityCheckFailed`],
//!   [`Error::KwpLengthOutOfRange`], [`Error::KwpPaddingNotZero`]).
//! - **KW-PKCS#5** always adds 1 to 8 bytes, each equal to the number added
//!   (PKCS#5 / PKCS#7 padding to the 8-byte semiblock), then runs KW. This is
//!   AWS CloudHSM's `AES_KEY_WRAP_PAD_PKCS5` (key_mgmt_util `-m 4`, CloudHSM
//!   CLI `aes-pkcs5-pad`, PKCS#11 3.0 `CKM_AES_KEY_WRAP_PAD`). It is a
//!   vendor mechanism: **NIST SP 800-38F does not define it**. Unwrap checks
//!   the KW integrity first, then the padding strictly
//!   ([`Error::Pkcs5PaddingInvalid`]); since the padding is checked only
//!   after the integrity check passed, it is no padding oracle.
//!
//! # Limits
//!
//! The standards allow far more than a browser tab should allocate:
//! SP 800-38F bounds KW key data to 2⁵⁴−1 semiblocks and KWP key data to
//! 2³²−1 bytes (the MLI is 32 bits). This crate handles at most
//! [`MAX_KEY_DATA_LEN`] = 64 MiB of key data and [`MAX_WRAPPED_LEN`] =
//! 64 MiB + 16 bytes of wrapped data (enough for anything it wraps);
//! larger inputs get [`Error::InputTooLarge`]. The trace records at most
//! [`TRACE_MAX_SEMIBLOCKS`] = 64 semiblocks (512 bytes) of padded key data,
//! 384 steps; above that it returns [`Error::TraceTooLarge`] while plain
//! wrap and unwrap still work.
//!
//! # Secrets and side channels
//!
//! Key data is only ever held in buffers that are wiped when dropped
//! ([`zeroize`]); the output buffer of a failed unwrap is wiped before the
//! error is returned. The integrity comparisons use [`subtle`] and take the
//! same time whatever the bytes. The AES implementation is RustCrypto's
//! `aes`: AES-NI where the CPU has it, otherwise its constant-time
//! bitsliced software (which is what runs in the browser). Nothing in this
//! module panics on any input.
//!
//! # Example
//!
//! ```
//! use keywrap_core::{unwrap, wrap, Iv, Kek, Mechanism};
//!
//! // RFC 3394 §4.1: wrap 128 bits of key data with a 128-bit KEK.
//! let kek = Kek::new(&[
//!     0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
//!     0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
//! ])?;
//! let key_data = [
//!     0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
//!     0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF,
//! ];
//! let wrapped = wrap(&kek, Mechanism::Kw, None, &key_data)?;
//! assert_eq!(keywrap_core::encoding::encode_hex_upper(&wrapped),
//!            "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5");
//!
//! let unwrapped = unwrap(&kek, Mechanism::Kw, None, &wrapped)?;
//! assert_eq!(unwrapped.expose_secret(), &key_data[..]);
//!
//! // Under another IV, the same blob fails the integrity check.
//! let other = Iv::parse_hex("0102030405060708")?;
//! assert_eq!(
//!     unwrap(&kek, Mechanism::Kw, Some(&other), &wrapped).err(),
//!     Some(keywrap_core::Error::IntegrityCheckFailed)
//! );
//! # Ok::<(), keywrap_core::Error>(())
//! ```
mod batch;
mod iv;
mod kek;
mod mechanism;
pub mod reference;
mod sliced;
pub mod trace;

use subtle::{Choice, ConstantTimeEq, ConstantTimeGreater};
use zeroize::{Zeroize, Zeroizing};

use crate::error::Direction;
use crate::{Error, SecretBytes};

pub use batch::{unwrap_many, wrap_many};
pub use iv::Iv;
pub use kek::Kek;
pub use mechanism::{Mechanism, MechanismNames, MechanismRow, RsaMechanism};
pub use sliced::{PAGE_SLICE_STEPS, PAGE_SLICED_ABOVE_BYTES, Progress, UnwrapJob, WrapJob};
pub use trace::{UnwrapTrace, WrapTrace, trace_unwrap, trace_wrap};

/// The size of a semiblock (half an AES block) in bytes.
pub const SEMIBLOCK_LEN: usize = 8;

/// The most key data [`wrap()`] takes: 64 MiB.
pub const MAX_KEY_DATA_LEN: usize = 64 * 1024 * 1024;

/// The most wrapped data [`unwrap()`] takes: 64 MiB + 16 bytes, so that
/// everything [`wrap()`] produces can be unwrapped.
pub const MAX_WRAPPED_LEN: usize = MAX_KEY_DATA_LEN + 2 * SEMIBLOCK_LEN;

/// The most semiblocks of (padded) key data a trace records: 64, i.e. 512
/// bytes and 384 steps of W.
pub const TRACE_MAX_SEMIBLOCKS: usize = 64;

/// [`TRACE_MAX_SEMIBLOCKS`] in bytes: 512.
pub const TRACE_MAX_BYTES: usize = TRACE_MAX_SEMIBLOCKS * SEMIBLOCK_LEN;

/// Wraps `plaintext` (the key data) under `kek` with `mechanism`.
///
/// `iv: None` uses the standard initial value: `A6A6A6A6A6A6A6A6` for KW
/// and KW-PKCS#5, `A65959A6` ‖ length for KWP. `Some(iv)` sets a custom IV
/// for KW and KW-PKCS#5 and is [`Error::IvNotAllowed`] for KWP.
///
/// The result is 8 bytes longer than the (padded) key data. Errors:
/// [`Error::InputLength`] (the [module docs](self) list each mechanism's
/// lengths), [`Error::InputTooLarge`], [`Error::IvNotAllowed`].
pub fn wrap(
    kek: &Kek,
    mechanism: Mechanism,
    iv: Option<&Iv>,
    plaintext: &[u8],
) -> Result<Vec<u8>, Error> {
    let mut prepared = prepare_wrap(mechanism, iv, plaintext)?;
    run_wrap(kek, &mut prepared.buf, None);
    // The buffer now holds only the wrapped key, which is not secret.
    Ok(core::mem::take(&mut *prepared.buf))
}

/// Unwraps `wrapped` under `kek` with `mechanism` and checks its integrity.
///
/// `iv` is as for [`wrap()`]: `None` expects the standard initial value.
/// On success the key data comes back as [`SecretBytes`]; on any failure
/// nothing of it is returned and the working buffer is wiped. Errors:
/// [`Error::InputLength`], [`Error::InputTooLarge`],
/// [`Error::IvNotAllowed`], [`Error::IntegrityCheckFailed`], and for KWP
/// [`Error::KwpLengthOutOfRange`] and [`Error::KwpPaddingNotZero`], for
/// KW-PKCS#5 [`Error::Pkcs5PaddingInvalid`].
pub fn unwrap(
    kek: &Kek,
    mechanism: Mechanism,
    iv: Option<&Iv>,
    wrapped: &[u8],
) -> Result<SecretBytes, Error> {
    let expected = check_unwrap_input(mechanism, iv, wrapped.len())?;
    let mut buf = Zeroizing::new(wrapped.to_vec());
    run_unwrap(kek, &mut buf, None);
    let verdict = verify(mechanism, &expected, &buf);
    match verdict.result {
        Ok(()) => Ok(take_plaintext(buf, verdict.plaintext_len)),
        Err(e) => {
            buf.zeroize();
            Err(e)
        }
    }
}

/// A validated wrap input: `A | P[1] | … | P[n]`, padded.
pub(crate) struct Prepared {
    pub(crate) buf: Zeroizing<Vec<u8>>,
    pub(crate) padding: trace::Padding,
}

/// Checks a wrap request and returns the length of the padded key data.
pub(crate) fn check_wrap_input(
    mechanism: Mechanism,
    iv: Option<&Iv>,
    len: usize,
) -> Result<usize, Error> {
    if iv.is_some() && !mechanism.takes_custom_iv() {
        return Err(Error::IvNotAllowed { mechanism });
    }
    if len > MAX_KEY_DATA_LEN {
        return Err(Error::InputTooLarge {
            len,
            max: MAX_KEY_DATA_LEN,
        });
    }
    let bad_length = Error::InputLength {
        mechanism,
        direction: Direction::Wrap,
        got: len,
    };
    match mechanism {
        // SP 800-38F §6.2: KW takes n >= 2 semiblocks.
        Mechanism::Kw if len.is_multiple_of(SEMIBLOCK_LEN) && len >= 2 * SEMIBLOCK_LEN => Ok(len),
        // RFC 5649 §4.1: 1 <= length (<= 2^32 - 1, implied by MAX_KEY_DATA_LEN).
        Mechanism::Kwp if len >= 1 => Ok(len.div_ceil(SEMIBLOCK_LEN) * SEMIBLOCK_LEN),
        // PKCS#5 always adds 1..=8 bytes; KW then needs n >= 2.
        Mechanism::KwPkcs5 if len >= SEMIBLOCK_LEN => Ok((len / SEMIBLOCK_LEN + 1) * SEMIBLOCK_LEN),
        _ => Err(bad_length),
    }
}

/// Validates, pads and lays out the wrap input.
pub(crate) fn prepare_wrap(
    mechanism: Mechanism,
    iv: Option<&Iv>,
    plaintext: &[u8],
) -> Result<Prepared, Error> {
    let padded_len = check_wrap_input(mechanism, iv, plaintext.len())?;
    // Exact capacity: the buffer never reallocates, so no unwiped copy of
    // the key data is left behind.
    let mut buf = Zeroizing::new(Vec::with_capacity(SEMIBLOCK_LEN + padded_len));
    let pad_len = padded_len - plaintext.len();
    let padding = match mechanism {
        Mechanism::Kw => {
            buf.extend_from_slice(iv.unwrap_or(&Iv::DEFAULT).as_bytes());
            buf.extend_from_slice(plaintext);
            trace::Padding::None
        }
        Mechanism::Kwp => {
            // RFC 5649 §3: AIV = A65959A6 | MLI (32 bits, big-endian).
            let mli = u32::try_from(plaintext.len()).map_err(|_| Error::InputTooLarge {
                len: plaintext.len(),
                max: MAX_KEY_DATA_LEN,
            })?;
            buf.extend_from_slice(Iv::kwp_aiv(mli).as_bytes());
            buf.extend_from_slice(plaintext);
            // RFC 5649 §4.1 step 1: append 0..=7 zero octets.
            buf.resize(SEMIBLOCK_LEN + padded_len, 0);
            trace::Padding::KwpZeros {
                mli,
                zeros: pad_len,
            }
        }
        Mechanism::KwPkcs5 => {
            buf.extend_from_slice(iv.unwrap_or(&Iv::DEFAULT).as_bytes());
            buf.extend_from_slice(plaintext);
            // PKCS#5: pad_len (1..=8) bytes, each of value pad_len.
            // 1..=8, checked above.
            let byte = u8::try_from(pad_len).unwrap_or(u8::MAX);
            buf.resize(SEMIBLOCK_LEN + padded_len, byte);
            trace::Padding::Pkcs5 { pad_byte: byte }
        }
    };
    Ok(Prepared { buf, padding })
}

/// Whether this buffer is KWP's one-semiblock case (RFC 5649 §4.1: "If the
/// padded plaintext contains exactly eight octets, then prepend the AIV and
/// encrypt the resulting 128-bit block using AES in ECB mode").
/// Only KWP ever produces or accepts a 16-byte buffer: KW and KW-PKCS#5
/// need at least two semiblocks of key data.
pub(crate) fn is_single_block(buf: &[u8]) -> bool {
    buf.len() == 2 * SEMIBLOCK_LEN
}

/// Runs W (or KWP's single AES block) over the prepared buffer.
/// `steps`, when given, receives every step (a trace).
pub(crate) fn run_wrap(kek: &Kek, buf: &mut [u8], steps: Option<&mut Vec<trace::Step>>) {
    if let Ok(block) = <&mut [u8; 16]>::try_from(&mut *buf) {
        kek.encrypt_block(block);
    } else {
        kek.w(buf, steps);
    }
}

/// Runs W⁻¹ (or KWP's single AES block) over a copy of the wrapped key.
/// `steps`, when given, receives every step (a trace).
pub(crate) fn run_unwrap(kek: &Kek, buf: &mut [u8], steps: Option<&mut Vec<trace::Step>>) {
    if let Ok(block) = <&mut [u8; 16]>::try_from(&mut *buf) {
        kek.decrypt_block(block);
    } else {
        kek.w_inverse(buf, steps);
    }
}

/// What unwrapping expects to find in `A`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expected {
    /// KW and KW-PKCS#5: exactly this IV.
    Iv(Iv),
    /// KWP: `A65959A6` followed by a length in range.
    KwpPrefix,
}

/// Checks an unwrap request; returns what `A` must hold afterwards.
pub(crate) fn check_unwrap_input(
    mechanism: Mechanism,
    iv: Option<&Iv>,
    len: usize,
) -> Result<Expected, Error> {
    if iv.is_some() && !mechanism.takes_custom_iv() {
        return Err(Error::IvNotAllowed { mechanism });
    }
    if len > MAX_WRAPPED_LEN {
        return Err(Error::InputTooLarge {
            len,
            max: MAX_WRAPPED_LEN,
        });
    }
    let min = match mechanism {
        Mechanism::Kw | Mechanism::KwPkcs5 => 3 * SEMIBLOCK_LEN,
        Mechanism::Kwp => 2 * SEMIBLOCK_LEN,
    };
    if !len.is_multiple_of(SEMIBLOCK_LEN) || len < min {
        return Err(Error::InputLength {
            mechanism,
            direction: Direction::Unwrap,
            got: len,
        });
    }
    Ok(match mechanism {
        Mechanism::Kwp => Expected::KwpPrefix,
        Mechanism::Kw | Mechanism::KwPkcs5 => Expected::Iv(iv.copied().unwrap_or(Iv::DEFAULT)),
    })
}

/// The result of the checks after W⁻¹, with what the trace shows.
pub(crate) struct Verdict {
    /// Whether `A` (or, for KWP, its first half) matched.
    pub(crate) iv_ok: bool,
    /// KWP only: the MLI, its allowed range and the two further checks.
    pub(crate) kwp: Option<trace::KwpCheck>,
    /// KW-PKCS#5 only: the padding byte and whether the padding is valid.
    pub(crate) pkcs5: Option<trace::Pkcs5Check>,
    /// The length of the key data within `R[1..n]` when `result` is `Ok`.
    pub(crate) plaintext_len: usize,
    /// The overall verdict.
    pub(crate) result: Result<(), Error>,
}

/// Runs the integrity checks on `buf` = `A | R[1] | … | R[n]` after W⁻¹.
///
/// Every check is computed in constant time (with [`subtle`]) before any
/// branch looks at the outcome.
pub(crate) fn verify(mechanism: Mechanism, expected: &Expected, buf: &[u8]) -> Verdict {
    let (a, r) = buf.split_at(SEMIBLOCK_LEN.min(buf.len()));
    let n = r.len() / SEMIBLOCK_LEN;
    match (mechanism, expected) {
        (Mechanism::Kwp, _) | (_, Expected::KwpPrefix) => verify_kwp(a, r, n),
        (_, Expected::Iv(iv)) => {
            // RFC 3394 §2.2.3: "If A = IV, return P; else return an error."
            let iv_ok = a.ct_eq(iv.as_bytes());
            if mechanism == Mechanism::KwPkcs5 {
                let (pad_byte, pad_ok) = pkcs5_padding(r);
                let verdict_ok = bool::from(iv_ok & pad_ok);
                let result = if !bool::from(iv_ok) {
                    Err(Error::IntegrityCheckFailed)
                } else if !verdict_ok {
                    Err(Error::Pkcs5PaddingInvalid)
                } else {
                    Ok(())
                };
                Verdict {
                    iv_ok: bool::from(iv_ok),
                    kwp: None,
                    pkcs5: Some(trace::Pkcs5Check {
                        pad_byte,
                        valid: bool::from(pad_ok),
                    }),
                    plaintext_len: r.len().saturating_sub(usize::from(pad_byte)),
                    result,
                }
            } else {
                let ok = bool::from(iv_ok);
                Verdict {
                    iv_ok: ok,
                    kwp: None,
                    pkcs5: None,
                    plaintext_len: r.len(),
                    result: if ok {
                        Ok(())
                    } else {
                        Err(Error::IntegrityCheckFailed)
                    },
                }
            }
        }
    }
}

/// RFC 5649 §3, the three checks on the AIV and the padding.
fn verify_kwp(a: &[u8], r: &[u8], n: usize) -> Verdict {
    // 1) The first 32 bits of A must be A65959A6.
    let prefix_ok = a.get(..4).unwrap_or_default().ct_eq(&Iv::KWP_PREFIX);
    // 2) 8(n-1) < MLI <= 8n, where MLI is the last 32 bits of A.
    let mut mli_bytes = [0u8; 4];
    if let Some(m) = a.get(4..8) {
        mli_bytes.copy_from_slice(m);
    }
    let mli = u32::from_be_bytes(mli_bytes);
    let lower = 8 * (n as u64).saturating_sub(1); // exclusive
    let upper = 8 * n as u64; // inclusive
    let m = u64::from(mli);
    let range_ok = m.ct_gt(&lower) & !m.ct_gt(&upper);
    // 3) The padding, bytes MLI..8n of the key data, must be zero. Only the
    //    last semiblock can hold padding; test all 8 of its bytes, masking in
    //    those at positions >= MLI, so the time does not depend on MLI.
    let mut pad_bad = Choice::from(0);
    let last = r.len().saturating_sub(SEMIBLOCK_LEN);
    for (k, byte) in r.get(last..).unwrap_or_default().iter().enumerate() {
        let pos = (last + k) as u64;
        let in_padding = !m.ct_gt(&pos);
        pad_bad |= in_padding & !byte.ct_eq(&0);
    }
    let pad_ok = !pad_bad;

    let prefix_ok_b = bool::from(prefix_ok);
    let range_ok_b = bool::from(range_ok);
    let pad_ok_b = bool::from(pad_ok);
    let result = if !prefix_ok_b {
        Err(Error::IntegrityCheckFailed)
    } else if !range_ok_b {
        Err(Error::KwpLengthOutOfRange {
            mli,
            min: lower + 1,
            max: upper,
        })
    } else if !pad_ok_b {
        Err(Error::KwpPaddingNotZero)
    } else {
        Ok(())
    };
    let padding = if range_ok_b {
        // In range: MLI lies within the last semiblock, so this slice exists.
        r.get(mli as usize..)
            .map(<[u8]>::to_vec)
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    Verdict {
        iv_ok: prefix_ok_b,
        kwp: Some(trace::KwpCheck {
            mli,
            min: lower + 1,
            max: upper,
            mli_in_range: range_ok_b,
            padding,
            padding_zero: range_ok_b.then_some(pad_ok_b),
        }),
        pkcs5: None,
        plaintext_len: if range_ok_b { mli as usize } else { 0 },
        result,
    }
}

/// PKCS#5 padding check in constant time: the last byte `p` must be 1..=8
/// and the last `p` bytes must all equal `p`. Returns `(p, valid)`.
fn pkcs5_padding(r: &[u8]) -> (u8, Choice) {
    let Some(&p) = r.last() else {
        return (0, Choice::from(0));
    };
    let mut ok = p.ct_gt(&0) & !p.ct_gt(&8);
    let last = r.len().saturating_sub(SEMIBLOCK_LEN);
    for (k, byte) in (0u8..).zip(r.get(last..).unwrap_or_default().iter().rev()) {
        // The byte k+1 from the end is padding if k < p.
        let in_padding = p.ct_gt(&k);
        ok &= !in_padding | byte.ct_eq(&p);
    }
    (p, ok)
}

/// Turns the successful W⁻¹ buffer into the key data, in place: drops `A`
/// and the padding without copying (the spare capacity is wiped on drop).
pub(crate) fn take_plaintext(mut buf: Zeroizing<Vec<u8>>, len: usize) -> SecretBytes {
    let mut v = core::mem::take(&mut *buf);
    v.drain(..SEMIBLOCK_LEN.min(v.len()));
    v.truncate(len);
    SecretBytes::new(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        crate::encoding::decode(s, crate::encoding::Format::Hex)
            .map(|z| z.to_vec())
            .unwrap_or_default()
    }

    #[test]
    fn rfc3394_4_1() {
        let kek = Kek::new(&hex("000102030405060708090A0B0C0D0E0F"));
        let Ok(kek) = kek else { panic!("kek") };
        let p = hex("00112233445566778899AABBCCDDEEFF");
        let c = wrap(&kek, Mechanism::Kw, None, &p);
        assert_eq!(
            c,
            Ok(hex("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"))
        );
        let back = unwrap(
            &kek,
            Mechanism::Kw,
            None,
            &hex("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"),
        );
        assert_eq!(back.map(|s| s.expose_secret().to_vec()), Ok(p));
    }

    #[test]
    fn lengths() {
        let Ok(kek) = Kek::new(&[7; 16]) else {
            panic!("kek")
        };
        for len in [0, 8, 12, 17] {
            assert!(matches!(
                wrap(&kek, Mechanism::Kw, None, &vec![0; len]),
                Err(Error::InputLength { .. })
            ));
        }
        assert!(wrap(&kek, Mechanism::Kwp, None, &[]).is_err());
        assert!(wrap(&kek, Mechanism::KwPkcs5, None, &[1; 7]).is_err());
        assert_eq!(
            wrap(&kek, Mechanism::KwPkcs5, None, &[1; 8]).map(|v| v.len()),
            Ok(24)
        );
        assert_eq!(
            wrap(&kek, Mechanism::KwPkcs5, None, &[1; 16]).map(|v| v.len()),
            Ok(32)
        );
        assert_eq!(
            wrap(&kek, Mechanism::Kwp, None, &[1; 1]).map(|v| v.len()),
            Ok(16)
        );
        assert_eq!(
            wrap(&kek, Mechanism::Kwp, Some(&Iv::DEFAULT), &[1; 16]),
            Err(Error::IvNotAllowed {
                mechanism: Mechanism::Kwp
            })
        );
        for len in [0, 8, 16, 23, 25] {
            assert!(unwrap(&kek, Mechanism::Kw, None, &vec![0; len]).is_err());
        }
    }

    #[test]
    fn every_mode_round_trips() {
        for kek_len in [16, 24, 32] {
            let Ok(kek) = Kek::new(&vec![0x5a; kek_len]) else {
                panic!("kek")
            };
            for m in Mechanism::ALL {
                for len in 1..80 {
                    let p: Vec<u8> = (0..len).collect();
                    let Ok(c) = wrap(&kek, m, None, &p) else {
                        continue;
                    };
                    let back = unwrap(&kek, m, None, &c);
                    assert_eq!(
                        back.map(|s| s.expose_secret().to_vec()),
                        Ok(p),
                        "{m:?} {len}"
                    );
                }
            }
        }
    }
}
